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
    # The console's progress page (pages/console_courses/progress.py).
    "Access ended": "Acceso terminado",
    "Actions": "Acciones",
    "As done by staff, for": "Como hecha por el equipo, para",
    "Choose a lesson": "Elige una lección",
    "Course progress": "Progreso del curso",
    "Day-based unlocks move later (positive) or earlier (negative) for":
        "Los desbloqueos por días se mueven más tarde (positivo) o antes (negativo) para",
    "Days (-365 to 365)": "Días (de -365 a 365)",
    "Download CSV": "Descargar CSV",
    "Each student's lessons: locked, unlocked or complete. Unlock times are in the "
    "student's own time zone.":
        "Las lecciones de cada alumno: bloqueadas, desbloqueadas o completadas. Las horas de "
        "desbloqueo están en la zona horaria del alumno.",
    "Edit the course": "Editar el curso",
    "Its check page will say it was revoked, with your reason:":
        "Su página de verificación dirá que se revocó, con tu motivo:",
    "Lesson": "Lección",
    "Mark a lesson complete": "Marcar una lección como completada",
    "Mark a lesson complete for": "Marcar una lección como completada para",
    "Mark complete": "Marcar como completada",
    "Mark complete…": "Marcar como completada…",
    "No certificate": "Sin certificado",
    "No students yet: grant the course, or an offer with it, to a client.":
        "Aún no hay alumnos: da acceso al curso, o a una oferta que lo incluya, a un cliente.",
    "Not yet": "Todavía no",
    "Progress table": "Tabla de progreso",
    "Revoke": "Revocar",
    "Revoke certificate": "Revocar el certificado",
    "Revoke the certificate of": "Revocar el certificado de",
    "Revoked": "Revocado",
    "Select": "Seleccionar",
    "Select all": "Seleccionar todos",
    "Shift": "Mover",
    "Shift by N days": "Mover N días",
    "Shift by N days…": "Mover N días…",
    "Shift the schedule of": "Mover el calendario de",
    "Shift…": "Mover…",
    "Students' progress": "Progreso de los alumnos",
    "That course does not exist.": "Ese curso no existe.",
    "Unlock all": "Desbloquear todo",
    "Unlock everything now": "Desbloquear todo ahora",
    "Unlock everything now for": "Desbloquear todo ahora para",
    "selected": "seleccionados",
    "Last seen": "Última visita",
    "Issued on": "Emitido el",
    # The console's messages (state/console_courses/progress.py, services/courses/*).
    "Open a course first.": "Abre primero un curso.",
    "Select at least one student.": "Selecciona al menos un alumno.",
    "Every lesson is open now for {count} student(s).":
        "Todas las lecciones están abiertas ya para {count} alumno(s).",
    "The schedule moved by {days} day(s) for {count} student(s).":
        "El calendario se movió {days} día(s) para {count} alumno(s).",
    "Lesson marked complete.": "Lección marcada como completada.",
    "Certificate revoked.": "Certificado revocado.",
    "{count} students": "{count} alumnos",
    "Choose a lesson.": "Elige una lección.",
    "That client is not a student of this course.": "Ese cliente no es alumno de este curso.",
    "Enter a whole number of days from -365 to 365, not 0.":
        "Escribe un número entero de días de -365 a 365, distinto de 0.",
    "That lesson is not in this course.": "Esa lección no está en este curso.",
    "That certificate does not exist.": "Ese certificado no existe.",
    "Say why the certificate is revoked.": "Di por qué se revoca el certificado.",
    "That lesson is already complete.": "Esa lección ya está completada.",
    "That certificate is already revoked.": "Ese certificado ya está revocado.",
}
