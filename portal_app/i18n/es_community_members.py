"""Spanish catalogue of the Community app (issue 23), part "members": the client's group list, joining, the member directory, notification settings and the community profile
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
