"""Spanish catalogue of the hub (issue 22), part "courses_progress" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # The progress table and its CSV (services/courses/progress_csv.py).
    "Student": "Alumno",
    "Locked": "Bloqueada",
    "Unlocked": "Desbloqueada",
    "Complete": "Completada",
    "% complete": "% completado",
    "Next unlock": "Próximo desbloqueo",
    "Certificate": "Certificado",
    "{code} (revoked)": "{code} (revocado)",
}
