"""Choose providers from settings: the only place that reads the backend names,
and `current()`, the one place the rest of the app takes them from."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.providers.base import EmailProvider, SmsProvider
from portal_app.providers.dev import ConsoleProvider, FileProvider, MailboxProvider
from portal_app.providers.payments import PaymentGateway, select_gateway
from portal_app.providers.real import ResendProvider, TwilioProvider
from portal_app.providers.storage import FileStorage, get_storage
from portal_app.settings import Settings, get_settings


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


@dataclass(frozen=True)
class Providers:
    """Every outside service the portal talks to, built from one Settings."""

    settings: Settings
    email: EmailProvider
    sms: SmsProvider | None
    gateway: PaymentGateway | None
    storage: FileStorage


def build_providers(settings: Settings) -> Providers:
    return Providers(settings=settings, email=email_provider_from(settings),
                     sms=sms_provider_from(settings), gateway=select_gateway(settings),
                     storage=get_storage(settings))


_current: Providers | None = None


def current() -> Providers:
    """The providers for the current settings: the one place state, routes and jobs
    take them from (rebuilt when the settings are reloaded, as tests do)."""
    global _current
    settings = get_settings()
    if _current is None or _current.settings is not settings:
        _current = build_providers(settings)
    return _current
