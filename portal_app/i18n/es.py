"""Spanish catalogue: English msgid -> Spanish. Placeholders in braces stay as they are."""

MESSAGES: dict[str, str] = {
}
