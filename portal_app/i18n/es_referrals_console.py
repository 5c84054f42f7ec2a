"""Spanish catalogue of the Referrals app (issue 24), part "console" (English msgid ->
Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
