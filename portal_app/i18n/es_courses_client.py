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
    "That certificate was already revoked.": "Ese certificado ya estaba revocado.",
    "That certificate does not exist.": "Ese certificado no existe.",
    "Certificate of completion": "Certificado de finalización",
    "This certifies that": "Se certifica que",
    "completed the course": "completó el curso",
    "on {date}": "el {date}",
    "Certificate code: {code}": "Código del certificado: {code}",
    "Check it at {url}": "Compruébalo en {url}",
}
