"""Spanish catalogue of the hub (issue 22), part "hub" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Courses": "Cursos",
}
