"""Choose providers from settings: the only place that reads the backend names."""

from __future__ import annotations

from portal_app.providers.base import EmailProvider, SmsProvider
from portal_app.providers.dev import ConsoleProvider, FileProvider, MailboxProvider
from portal_app.providers.real import ResendProvider, TwilioProvider
from portal_app.settings import Settings


def email_provider_from(settings: Settings) -> EmailProvider:
    backend = settings.email_backend
    if backend == "resend":
        return ResendProvider(settings.resend_api_key, settings.resend_api_url)
    if backend == "file":
        return FileProvider(settings.mail_dir)
    if backend == "console":
        return ConsoleProvider()
    return MailboxProvider()


def sms_provider_from(settings: Settings) -> SmsProvider | None:
    """None when SMS is off: codes then go by email."""
    backend = settings.sms_backend
    if backend == "twilio":
        return TwilioProvider(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from,
            settings.twilio_api_url,
        )
    if backend == "file":
        return FileProvider(settings.mail_dir)
    if backend == "console":
        return ConsoleProvider()
    if backend == "outbox":
        return MailboxProvider()
    return None
