"""Real delivery: Resend for email (official SDK), Twilio's REST API for SMS."""

from __future__ import annotations

import base64

import httpx
import resend

from portal_app.providers.base import OutgoingEmail, OutgoingSms


class ResendProvider:
    name = "resend"

    def __init__(self, api_key: str, api_url: str = ""):
        self.api_key = api_key
        self.api_url = api_url

    def send_email(self, message: OutgoingEmail) -> str:
        # The SDK is configured through module globals; set them on each send
        # so tests and settings changes are honoured.
        resend.api_key = self.api_key
        if self.api_url:
            resend.api_url = self.api_url
        params: resend.Emails.SendParams = {
            "from": message.sender,
            "to": [message.to],
            "subject": message.subject,
            "text": message.text,
        }
        if message.html:
            params["html"] = message.html
        if message.attachments:
            params["attachments"] = [
                {"filename": a.filename, "content": base64.b64encode(a.content).decode(),
                 "content_type": a.content_type}
                for a in message.attachments
            ]
        result = resend.Emails.send(params, {"idempotency_key": message.idempotency_key})
        return str(result.get("id", ""))


class TwilioProvider:
    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_url: str):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.api_url = api_url.rstrip("/")

    def send_sms(self, message: OutgoingSms) -> str:
        url = f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        response = httpx.post(
            url,
            data={"To": message.to, "From": self.from_number, "Body": message.text},
            auth=(self.account_sid, self.auth_token),
            headers={"I-Twilio-Idempotency-Token": message.idempotency_key},
            timeout=15,
        )
        response.raise_for_status()
        return str(response.json().get("sid", ""))
