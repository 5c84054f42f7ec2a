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
    # "A new lesson is open" (services/courses/notices.py, notification_texts.py).
    "New lesson open in {course}: {title}": "Nueva lección disponible en {course}: {title}",
    "{count} new lessons open in {course}": "{count} lecciones nuevas disponibles en {course}",
    "New lessons open in my courses": "Lecciones nuevas disponibles en mis cursos",
}
