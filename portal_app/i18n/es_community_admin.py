"""Spanish catalogue of the Community app (issue 23), part "admin": the console's groups, channels, settings, members, join requests and levels
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
