"""Settings from the environment: dev defaults, strict production, URL rewriting."""

import pytest

from portal_app.settings import Settings, SettingsError, get_settings, reset_settings_cache

VARIABLES = (
    "PORTAL_ENV", "PORT", "PORTAL_BASE_URL", "DATABASE_URL", "PORTAL_DATA_DIR",
    "PORTAL_SECRET_KEY", "REDIS_URL", "PORTAL_EMAIL_BACKEND", "PORTAL_EMAIL_FROM",
    "RESEND_API_KEY", "RESEND_API_URL", "PORTAL_MAIL_DIR", "PORTAL_SMS_BACKEND",
    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "TWILIO_API_URL",
    "PORTAL_PAYMENTS_BACKEND", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
    "PORTAL_SESSION_IDLE_MINUTES", "PORTAL_SESSION_ABSOLUTE_HOURS",
    "PORTAL_TRUSTED_PROXY_HOPS", "PORTAL_OUTBOX_POLL_SECONDS", "PORTAL_CODE_SENDS_PER_IP",
    "PORTAL_UPLOAD_MAX_FILE_MB", "PORTAL_UPLOAD_MAX_REQUEST_MB", "PORTAL_BENCH",
    "PORTAL_FORM_SAVES_PER_MINUTE",
)


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment with only PORTAL_DATA_DIR set; restored afterwards."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    yield monkeypatch
    reset_settings_cache()  # the env goes back after this; the next read sees it


def _production(env, **overrides):
    values = {
        "PORTAL_ENV": "production",
        "PORTAL_BASE_URL": "https://portal.studio.example",
        "PORTAL_SECRET_KEY": "s" * 40,
        "RESEND_API_KEY": "re_live_key",
        "PORTAL_EMAIL_FROM": "Studio <portal@studio.example>",
        "PORTAL_PAYMENTS_BACKEND": "off",
        "PORTAL_SMS_BACKEND": "none",
        **overrides,
    }
    for name, value in values.items():
        env.setenv(name, value)


def test_from_env_defaults_for_dev(env, tmp_path):
    settings = Settings.from_env()

    data_dir = (tmp_path / "data").resolve()
    assert settings.env == "dev" and not settings.is_production
    assert settings.data_dir == data_dir
    assert settings.database_url == f"sqlite:///{data_dir / 'portal.db'}"
    assert settings.is_sqlite
    assert settings.email_backend == "outbox"
    assert settings.sms_backend == "none"
    assert settings.payments_backend == "test"
    assert settings.base_url == "http://127.0.0.1:3000"
    assert settings.secure_cookies is False
    assert settings.mail_dir == data_dir / "mail"


def test_bench_mode_only_when_asked(env):
    assert Settings.from_env().bench_mode is False
    env.setenv("PORTAL_BENCH", "1")
    assert Settings.from_env().bench_mode is True


def test_from_env_dev_secret_is_generated_once_and_kept(env, tmp_path):
    first = Settings.from_env().secret_key
    second = Settings.from_env().secret_key

    assert len(first) >= 32
    assert first == second == (tmp_path / "data" / "secret_key").read_text().strip()
    assert ((tmp_path / "data" / "secret_key").stat().st_mode & 0o777) == 0o600


def test_from_env_production_with_defaults_names_what_to_set(env):
    env.setenv("PORTAL_ENV", "production")

    with pytest.raises(SettingsError) as refused:
        Settings.from_env()

    message = str(refused.value)
    for name in ("PORTAL_SECRET_KEY", "PORTAL_EMAIL_BACKEND", "PORTAL_PAYMENTS_BACKEND",
                 "PORTAL_BASE_URL", "PORTAL_EMAIL_FROM"):
        assert name in message


def test_from_env_production_with_everything_set_succeeds(env):
    _production(env)

    settings = Settings.from_env()

    assert settings.is_production
    assert settings.email_backend == "resend"  # chosen because RESEND_API_KEY is set
    assert settings.payments_backend == "off"
    assert settings.sms_backend == "none"
    assert settings.secure_cookies is True
    assert settings.secret_key == "s" * 40


@pytest.mark.parametrize(("name", "value", "named"), [
    ("PORTAL_SECRET_KEY", "s" * 31, "PORTAL_SECRET_KEY"),
    ("PORTAL_BASE_URL", "http://portal.studio.example", "PORTAL_BASE_URL"),
    ("PORTAL_EMAIL_BACKEND", "file", "PORTAL_EMAIL_BACKEND"),
    ("PORTAL_SMS_BACKEND", "console", "PORTAL_SMS_BACKEND"),
    ("PORTAL_PAYMENTS_BACKEND", "test", "PORTAL_PAYMENTS_BACKEND"),
    ("PORTAL_PAYMENTS_BACKEND", "stripe", "STRIPE_WEBHOOK_SECRET"),
    ("PORTAL_SMS_BACKEND", "twilio", "TWILIO_ACCOUNT_SID"),
    ("PORTAL_BENCH", "1", "PORTAL_BENCH"),
])
def test_from_env_production_refuses_each_unsafe_setting(env, name, value, named):
    _production(env, **{name: value})

    with pytest.raises(SettingsError, match=named):
        Settings.from_env()


@pytest.mark.parametrize("scheme", ["postgres://", "postgresql://"])
def test_from_env_rewrites_postgres_url_for_psycopg(env, scheme):
    env.setenv("DATABASE_URL", f"{scheme}portal:pw@db.internal:5432/portal")

    settings = Settings.from_env()

    assert settings.database_url == "postgresql+psycopg://portal:pw@db.internal:5432/portal"
    assert not settings.is_sqlite


def test_from_env_keeps_explicit_driver_url(env):
    env.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")

    assert Settings.from_env().database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(("name", "value"), [
    ("PORTAL_EMAIL_BACKEND", "smtp"),
    ("PORTAL_SMS_BACKEND", "pigeon"),
    ("PORTAL_PAYMENTS_BACKEND", "paypal"),
    ("PORTAL_ENV", "staging"),
])
def test_from_env_refuses_unknown_names(env, name, value):
    env.setenv(name, value)

    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


def test_from_env_refuses_non_numeric_port(env):
    env.setenv("PORT", "eighty")

    with pytest.raises(SettingsError, match="PORT"):
        Settings.from_env()


def test_resend_without_key_is_refused(env):
    env.setenv("PORTAL_EMAIL_BACKEND", "resend")

    with pytest.raises(SettingsError, match="RESEND_API_KEY"):
        Settings.from_env()


def test_get_settings_is_cached_until_reset(env):
    env.setenv("PORTAL_SESSION_IDLE_MINUTES", "15")
    assert get_settings().session_idle_minutes == 15

    env.setenv("PORTAL_SESSION_IDLE_MINUTES", "45")
    assert get_settings().session_idle_minutes == 15
    reset_settings_cache()

    assert get_settings().session_idle_minutes == 45


# --- upload limits -------------------------------------------------------------------------


def test_upload_limits_default_to_10_and_25_mb(env):
    settings = Settings.from_env()

    assert settings.upload_max_file_bytes == 10 * 1024 * 1024
    assert settings.upload_max_request_bytes == 25 * 1024 * 1024


def test_upload_limits_are_read_in_mb(env):
    env.setenv("PORTAL_UPLOAD_MAX_FILE_MB", "4")
    env.setenv("PORTAL_UPLOAD_MAX_REQUEST_MB", "4")

    settings = Settings.from_env()

    assert settings.upload_max_file_bytes == settings.upload_max_request_bytes == 4 * 1024 * 1024


@pytest.mark.parametrize(("file_mb", "request_mb", "named"), [
    ("0", "25", "PORTAL_UPLOAD_MAX_FILE_MB"),
    ("-1", "25", "PORTAL_UPLOAD_MAX_FILE_MB"),
    ("10", "0", "PORTAL_UPLOAD_MAX_REQUEST_MB"),
    ("10", "-5", "PORTAL_UPLOAD_MAX_REQUEST_MB"),
    ("1.5", "25", "PORTAL_UPLOAD_MAX_FILE_MB"),
    ("10", "lots", "PORTAL_UPLOAD_MAX_REQUEST_MB"),
])
def test_upload_limits_refuse_non_positive_or_non_numeric(env, file_mb, request_mb, named):
    env.setenv("PORTAL_UPLOAD_MAX_FILE_MB", file_mb)
    env.setenv("PORTAL_UPLOAD_MAX_REQUEST_MB", request_mb)

    with pytest.raises(SettingsError, match=named):
        Settings.from_env()


def test_upload_limit_per_file_above_per_request_is_refused(env):
    env.setenv("PORTAL_UPLOAD_MAX_FILE_MB", "30")
    env.setenv("PORTAL_UPLOAD_MAX_REQUEST_MB", "25")

    with pytest.raises(SettingsError) as refused:
        Settings.from_env()

    assert "PORTAL_UPLOAD_MAX_FILE_MB must not be more than PORTAL_UPLOAD_MAX_REQUEST_MB" in str(
        refused.value)


def test_upload_limit_problems_are_listed_with_the_others(env):
    env.setenv("PORTAL_UPLOAD_MAX_FILE_MB", "0")
    env.setenv("PORTAL_EMAIL_BACKEND", "smtp")

    with pytest.raises(SettingsError) as refused:
        Settings.from_env()

    assert "PORTAL_UPLOAD_MAX_FILE_MB" in str(refused.value)
    assert "PORTAL_EMAIL_BACKEND" in str(refused.value)
