"""Spanish catalogue of the Community app (issue 23), part "feed": the client's group feed, posts, comments, reactions, mentions, reports and files
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
}
