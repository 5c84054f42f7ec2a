"""Spanish catalogue of the Community app (issue 23), part "notices": notifications, the daily digest and the leaderboards
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
