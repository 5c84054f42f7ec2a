"""Spanish catalogue of the intake forms: the bell lines, the rules' messages a
client filling in a form is shown, and the e-sign consent text (English msgid
-> Spanish; merged into `CATALOGS["es"]`). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Forms to complete": "Formularios para completar",
    "New form to complete: {title}": "Nuevo formulario para completar: {title}",
    "{count} new forms to complete": "{count} formularios nuevos para completar",
    # field rules (services/forms/rules.py, profile_map.py)
    "This is required.": "Este dato es obligatorio.",
    "Keep this answer under {limit} characters.": (
        "La respuesta debe tener menos de {limit} caracteres."),
    "This answer is too large.": "Esta respuesta es demasiado grande.",
    "Enter a phone number with its country code, e.g. +1 212 736 5000.": (
        "Introduce un número de teléfono con el prefijo del país, por ejemplo +34 600 000 000."),
    "Enter a date as YYYY-MM-DD.": "Introduce una fecha con el formato AAAA-MM-DD.",
    "Enter a number.": "Introduce un número.",
    "Choose one of the options.": "Elige una de las opciones.",
    "Choose from the options.": "Elige entre las opciones.",
    "Answer yes or no.": "Responde sí o no.",
    "Attach the file again.": "Vuelve a adjuntar el archivo.",
    "Nothing to save.": "No hay nada que guardar.",
    "Enter a date of birth in the past.": "Introduce una fecha de nacimiento pasada.",
    # drafts and submit
    "Too many saves in a short time. Wait a moment, then keep typing.": (
        "Demasiados guardados en poco tiempo. Espera un momento y sigue escribiendo."),
    "This form has been submitted; it can no longer be changed.": (
        "Este formulario ya se envió; ya no se puede cambiar."),
    "This form was withdrawn; it can no longer be changed.": (
        "Este formulario se retiró; ya no se puede cambiar."),
    "Tick “I agree to sign electronically” to sign this form.": (
        "Marca «Acepto firmar electrónicamente» para firmar este formulario."),
    "The consent text has changed. Read it again, then agree.": (
        "El texto del consentimiento ha cambiado. Vuelve a leerlo y acéptalo."),
    "That form does not exist.": "Ese formulario no existe.",
    "That form has not been submitted.": "Ese formulario no se ha enviado.",
    "This form already has its PDF.": "Este formulario ya tiene su PDF.",
    "Enter the 64-character SHA-256 of the document.": (
        "Introduce el SHA-256 del documento (64 caracteres)."),
    "Only a form not completed yet can be cancelled.": (
        "Solo se puede cancelar un formulario que aún no se ha completado."),
    "Choose a status from the list.": "Elige un estado de la lista.",
    "Write the consent text (at most {limit} characters).": (
        "Escribe el texto del consentimiento (como máximo {limit} caracteres)."),
    # the e-sign consent, version 1 (services/forms/consent.py)
    ("I agree to sign this form electronically. My electronic signature has the same effect "
     "as my handwritten signature."): (
        "Acepto firmar este formulario electrónicamente. Mi firma electrónica tiene el mismo "
        "efecto que mi firma manuscrita."),
}
