"""Every environment variable the settings read is in the README's configuration table
(and, but for a few named below, in .env.example), so an operator can find each one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("portal_app/settings.py", "portal_app/storage_settings.py")
READ = re.compile(r'_(?:env|int|whole)\(\s*"([A-Z][A-Z0-9_]+)"')
# Not in .env.example: the bench's switch, the SDK addresses only tests change, and
# AWS's own region variables (PORTAL_S3_REGION is there; boto3 reads these itself).
NOT_IN_EXAMPLE = {"PORTAL_BENCH", "RESEND_API_URL", "STRIPE_API_BASE", "TWILIO_API_URL",
                  "AWS_REGION", "AWS_DEFAULT_REGION"}


def _variables() -> set[str]:
    names = set()
    for source in SOURCES:
        names |= set(READ.findall((ROOT / source).read_text()))
    return names


def test_every_variable_is_in_the_readme_table_and_the_example():
    names = _variables()
    assert {"PORTAL_STORAGE", "PORTAL_S3_BUCKET", "PORTAL_STORAGE_PRESIGN"} <= names
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("## The `portal` command")]
    rows = " ".join(line for line in table.splitlines() if line.startswith("| `"))
    assert not sorted(n for n in names if f"`{n}`" not in rows)
    example = (ROOT / ".env.example").read_text()
    assert not sorted(n for n in names - NOT_IN_EXAMPLE
                      if not re.search(rf"^#?\s*{n}=", example, re.M))
