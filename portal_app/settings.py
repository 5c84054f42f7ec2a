"""Settings read from the environment, in one place.

Every switch the operator has is an environment variable documented in the
README and `.env.example`. With none set the portal runs on embedded
defaults (SQLite under `data/`, a dev mailbox, test-mode payments). In
production (`PORTAL_ENV=production`) it refuses to start on a dev backend or
without a secret, and says which.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from portal_app.storage_settings import StorageSettings

ROOT = Path(__file__).resolve().parent.parent

EMAIL_BACKENDS = ("outbox", "console", "file", "resend")
SMS_BACKENDS = ("none", "outbox", "console", "file", "twilio")
PAYMENT_BACKENDS = ("test", "stripe", "off")
DEV_EMAIL_BACKENDS = ("outbox", "console", "file")
DEV_SMS_BACKENDS = ("outbox", "console", "file")
MB = 1024 * 1024


class SettingsError(RuntimeError):
    """The configuration cannot run; the message says what to set."""


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _int(name: str, default: int) -> int:
    raw = _env(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _dev_secret(data_dir: Path) -> str:
    """A secret kept in data/ so dev restarts keep sessions and codes valid."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@dataclass(frozen=True)
class Settings:
    env: str
    port: int
    base_url: str
    database_url: str
    data_dir: Path
    secret_key: str
    redis_url: str
    email_backend: str
    email_from: str
    resend_api_key: str
    resend_api_url: str
    mail_dir: Path
    sms_backend: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from: str
    twilio_api_url: str
    payments_backend: str
    stripe_secret_key: str
    stripe_webhook_secret: str
    stripe_api_base: str
    session_idle_minutes: int
    session_absolute_hours: int
    trusted_proxy_hops: int
    outbox_poll_seconds: float
    code_sends_per_ip: int
    upload_max_file_bytes: int = 10 * MB
    upload_max_request_bytes: int = 25 * MB
    # A course lesson's video, audio or download (separate from documents' limits).
    course_media_max_bytes: int = 500 * MB
    # Form draft autosaves per client record per minute (services/forms/drafts.py).
    form_saves_per_minute: int = 120
    # `make bench` only: a trivial counter page and a SQL statement counter.
    bench_mode: bool = False
    # Where documents and course media live (portal_app/storage_settings.py).
    storage: StorageSettings = field(default_factory=StorageSettings)
    problems: tuple[str, ...] = field(default=())

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls) -> Settings:
        env = _env("PORTAL_ENV", "dev").lower()
        if env not in ("dev", "production"):
            raise SettingsError(f"PORTAL_ENV must be 'dev' or 'production', got {env!r}")
        data_dir = Path(_env("PORTAL_DATA_DIR") or ROOT / "data").resolve()
        port = _int("PORT", 3000)
        base_url = (_env("PORTAL_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/")
        database_url = _env("DATABASE_URL") or f"sqlite:///{data_dir / 'portal.db'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
        secret = _env("PORTAL_SECRET_KEY")
        stripe_key = _env("STRIPE_SECRET_KEY")
        resend_key = _env("RESEND_API_KEY")
        default_payments = "stripe" if stripe_key else "test"
        settings = cls(
            env=env,
            port=port,
            base_url=base_url,
            database_url=database_url,
            data_dir=data_dir,
            secret_key=secret or ("" if env == "production" else _dev_secret(data_dir)),
            redis_url=_env("REDIS_URL"),
            email_backend=_env("PORTAL_EMAIL_BACKEND", "resend" if resend_key else "outbox").lower(),
            email_from=_env("PORTAL_EMAIL_FROM", "Client Portal <portal@localhost>"),
            resend_api_key=resend_key,
            resend_api_url=_env("RESEND_API_URL"),
            mail_dir=Path(_env("PORTAL_MAIL_DIR") or data_dir / "mail").resolve(),
            sms_backend=_env("PORTAL_SMS_BACKEND", "none").lower(),
            twilio_account_sid=_env("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=_env("TWILIO_AUTH_TOKEN"),
            twilio_from=_env("TWILIO_FROM_NUMBER"),
            twilio_api_url=_env("TWILIO_API_URL", "https://api.twilio.com"),
            payments_backend=_env("PORTAL_PAYMENTS_BACKEND", default_payments).lower(),
            stripe_secret_key=stripe_key,
            stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
            stripe_api_base=_env("STRIPE_API_BASE"),
            session_idle_minutes=_int("PORTAL_SESSION_IDLE_MINUTES", 120),
            session_absolute_hours=_int("PORTAL_SESSION_ABSOLUTE_HOURS", 24 * 14),
            trusted_proxy_hops=_int("PORTAL_TRUSTED_PROXY_HOPS", 0),
            outbox_poll_seconds=float(_env("PORTAL_OUTBOX_POLL_SECONDS", "1.0") or 1.0),
            code_sends_per_ip=_int("PORTAL_CODE_SENDS_PER_IP", 20),
            upload_max_file_bytes=_int("PORTAL_UPLOAD_MAX_FILE_MB", 10) * MB,
            upload_max_request_bytes=_int("PORTAL_UPLOAD_MAX_REQUEST_MB", 25) * MB,
            course_media_max_bytes=_int("PORTAL_COURSE_MEDIA_MAX_MB", 500) * MB,
            form_saves_per_minute=_int("PORTAL_FORM_SAVES_PER_MINUTE", 120),
            bench_mode=_env("PORTAL_BENCH") == "1",
            storage=StorageSettings.from_env(data_dir),
        )
        return settings.validated()

    def validated(self) -> Settings:
        """Raise SettingsError listing every problem; production is strict."""
        problems: list[str] = []
        if self.email_backend not in EMAIL_BACKENDS:
            problems.append(f"PORTAL_EMAIL_BACKEND must be one of {', '.join(EMAIL_BACKENDS)}")
        if self.sms_backend not in SMS_BACKENDS:
            problems.append(f"PORTAL_SMS_BACKEND must be one of {', '.join(SMS_BACKENDS)}")
        if self.payments_backend not in PAYMENT_BACKENDS:
            problems.append(f"PORTAL_PAYMENTS_BACKEND must be one of {', '.join(PAYMENT_BACKENDS)}")
        if self.email_backend == "resend" and not self.resend_api_key:
            problems.append("PORTAL_EMAIL_BACKEND=resend needs RESEND_API_KEY")
        if self.sms_backend == "twilio" and not (
            self.twilio_account_sid and self.twilio_auth_token and self.twilio_from
        ):
            problems.append(
                "PORTAL_SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN "
                "and TWILIO_FROM_NUMBER"
            )
        if self.payments_backend == "stripe" and not (
            self.stripe_secret_key and self.stripe_webhook_secret
        ):
            problems.append(
                "PORTAL_PAYMENTS_BACKEND=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"
            )
        if self.upload_max_file_bytes <= 0:
            problems.append("PORTAL_UPLOAD_MAX_FILE_MB must be a positive whole number")
        if self.upload_max_request_bytes <= 0:
            problems.append("PORTAL_UPLOAD_MAX_REQUEST_MB must be a positive whole number")
        elif self.upload_max_file_bytes > self.upload_max_request_bytes:
            problems.append(
                "PORTAL_UPLOAD_MAX_FILE_MB must not be more than PORTAL_UPLOAD_MAX_REQUEST_MB "
                f"({self.upload_max_file_bytes // MB} > {self.upload_max_request_bytes // MB})"
            )
        if self.course_media_max_bytes <= 0:
            problems.append("PORTAL_COURSE_MEDIA_MAX_MB must be a positive whole number")
        problems += self.storage.problems()
        if self.is_production:
            if len(self.secret_key) < 32:
                problems.append("PORTAL_SECRET_KEY must be set to at least 32 random characters")
            if self.email_backend in DEV_EMAIL_BACKENDS:
                problems.append(
                    f"PORTAL_EMAIL_BACKEND={self.email_backend} is a dev backend; "
                    "set PORTAL_EMAIL_BACKEND=resend and RESEND_API_KEY"
                )
            if self.sms_backend in DEV_SMS_BACKENDS:
                problems.append(
                    f"PORTAL_SMS_BACKEND={self.sms_backend} is a dev backend; "
                    "use twilio or none"
                )
            if self.payments_backend == "test":
                problems.append(
                    "PORTAL_PAYMENTS_BACKEND=test is the test-mode checkout; "
                    "set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PORTAL_PAYMENTS_BACKEND=off"
                )
            if not self.base_url.startswith("https://"):
                problems.append("PORTAL_BASE_URL must be the public https:// address in production")
            if self.bench_mode:
                problems.append("PORTAL_BENCH=1 is for `make bench` only; unset it")
            if "<portal@localhost>" in self.email_from:
                problems.append("PORTAL_EMAIL_FROM must be a sender on your own verified domain")
        if problems:
            raise SettingsError("The portal cannot start:\n  - " + "\n  - ".join(problems))
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()


def reset_settings_cache() -> None:
    get_settings.cache_clear()
