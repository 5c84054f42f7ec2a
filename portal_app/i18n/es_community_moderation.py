"""Spanish catalogue of the Community app (issue 23), part "moderation": the console's moderation queue and staff posting
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
