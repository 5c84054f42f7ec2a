"""`.env.example` documents every setting the portal reads, with its default."""

import re
from pathlib import Path

from portal_app.settings import MB, Settings, reset_settings_cache

ROOT = Path(__file__).resolve().parents[2]
# Read by the code but not for operators: `make bench`'s switch, and the API
# addresses the tests point at their fakes.
NOT_FOR_OPERATORS = {"PORTAL_BENCH", "RESEND_API_URL", "STRIPE_API_BASE", "TWILIO_API_URL"}


def _example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.lstrip("# ").strip()
        if re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_every_setting_read_is_in_the_example():
    source = (ROOT / "portal_app" / "settings.py").read_text()
    read = set(re.findall(r'_(?:env|int|float|bool)\("([A-Z][A-Z0-9_]*)"', source))
    assert "PORTAL_UPLOAD_MAX_FILE_MB" in read  # the pattern finds them
    missing = read - NOT_FOR_OPERATORS - set(_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_the_upload_limits_in_the_example_are_the_defaults(monkeypatch, tmp_path):
    for name in ("PORTAL_UPLOAD_MAX_FILE_MB", "PORTAL_UPLOAD_MAX_REQUEST_MB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    reset_settings_cache()
    try:
        defaults = Settings.from_env()
    finally:
        reset_settings_cache()
    example = _example()
    assert int(example["PORTAL_UPLOAD_MAX_FILE_MB"]) * MB == defaults.upload_max_file_bytes
    assert int(example["PORTAL_UPLOAD_MAX_REQUEST_MB"]) * MB == defaults.upload_max_request_bytes
