"""Spanish catalogue of the hub (issue 22), part "courses_client" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # services/courses/progress.py
    "This lesson opens on {when}.": "Esta lección se abre el {when}.",
    "Complete “{lesson}” first.": "Completa primero «{lesson}».",
    "This lesson is not open yet.": "Esta lección aún no está abierta.",
    "This lesson completes by itself (watching the video or passing the quiz).":
        "Esta lección se completa sola (al ver el vídeo o aprobar el cuestionario).",
    "This lesson is already complete.": "Esta lección ya está completada.",
    "This lesson has no video to watch.": "Esta lección no tiene vídeo que ver.",
    "That lesson does not exist.": "Esa lección no existe.",
    # services/courses/quiz.py
    "This lesson has no quiz.": "Esta lección no tiene cuestionario.",
    "This quiz has no questions yet.": "Este cuestionario aún no tiene preguntas.",
    "No attempts left.": "No te quedan intentos.",
    "You have already passed this quiz.": "Ya has aprobado este cuestionario.",
    "Answer every question.": "Responde todas las preguntas.",
    "Choose one answer.": "Elige una respuesta.",
    # services/courses/certificates.py (the PDF and the public check)
    "No certificate has this code.": "Ningún certificado tiene este código.",
    "That certificate does not exist.": "Ese certificado no existe.",
    "Certificate of completion": "Certificado de finalización",
    "This certifies that": "Se certifica que",
    "completed the course": "completó el curso",
    "on {date}": "el {date}",
    "Certificate code: {code}": "Código del certificado: {code}",
    "Check it at {url}": "Compruébalo en {url}",
    # services/courses/access.py, certificates.py (the public check's limit)
    "That course is not available to you.": "Ese curso no está disponible para ti.",
    "That lesson is not available to you.": "Esa lección no está disponible para ti.",
    "Too many checks from this address. Please try again in a few minutes.":
        "Demasiadas comprobaciones desde esta dirección. Inténtalo de nuevo en unos minutos.",
    # state/courses/*
    "{title}: {percent}% complete": "{title}: {percent}% completado",
    "Opens {when}": "Se abre el {when}",
    "After “{lesson}”": "Después de «{lesson}»",
    "Lesson complete.": "Lección completada.",
    "You scored {score}% (pass mark {pass_mark}%).":
        "Has obtenido un {score}% (nota para aprobar: {pass_mark}%).",
    "Passed. Well done!": "Aprobado. ¡Bien hecho!",
    "Not passed yet.": "Aún no has aprobado.",
    "Attempts left: {count}": "Intentos restantes: {count}",
    "Right answer: {answer}": "Respuesta correcta: {answer}",
    "Revoked on {date}": "Revocado el {date}",
    # pages/courses/*
    "A certificate that says anything else has been altered.":
        "Un certificado que diga otra cosa ha sido alterado.",
    "All courses": "Todos los cursos",
    "Certificate check": "Comprobación de certificado",
    "Check it online": "Compruébalo en línea",
    "Choose every right answer.": "Elige todas las respuestas correctas.",
    "Code": "Código",
    "Complete": "Completada",
    "Completed": "Completado",
    "Continue where you left off": "Continúa donde lo dejaste",
    "Continue": "Continuar",
    "Course": "Curso",
    "Courses": "Cursos",
    "Download": "Descargar",
    "Download certificate": "Descargar certificado",
    "Issued on": "Emitido el",
    "Lesson": "Lección",
    "Locked": "Bloqueada",
    "Mark complete": "Marcar como completada",
    "No courses yet.": "Aún no hay cursos.",
    "Open course": "Abrir curso",
    "Right": "Correcta",
    "Right answer": "Respuesta correcta",
    "Submit answers": "Enviar respuestas",
    "This certificate is valid.": "Este certificado es válido.",
    "This certificate was revoked on": "Este certificado se revocó el",
    "This video cannot be shown.": "Este vídeo no se puede mostrar.",
    "Try again": "Intentar de nuevo",
    "Watched": "Visto",
    "Wrong": "Incorrecta",
    "Your certificate": "Tu certificado",
}
