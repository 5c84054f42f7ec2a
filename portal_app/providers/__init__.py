"""Email and SMS providers, chosen from settings in one place (`select`)."""

from portal_app.providers.base import EmailProvider, OutgoingEmail, OutgoingSms, SmsProvider
from portal_app.providers.select import email_provider_from, sms_provider_from

__all__ = [
    "EmailProvider",
    "OutgoingEmail",
    "OutgoingSms",
    "SmsProvider",
    "email_provider_from",
    "sms_provider_from",
]
