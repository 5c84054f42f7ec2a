"""Spanish catalogue of the Referrals app (issue 24), part "client" (English msgid ->
Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
