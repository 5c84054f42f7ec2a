"""Spanish catalogue of the hub (issue 22), part "courses_client" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
