"""Spanish catalogue of the client's forms pages (/forms and one form), the
dashboard's form step and card (English msgid -> Spanish; merged into
`CATALOGS["es"]`). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Forms": "Formularios",
    "To complete": "Por completar",
    "Completed forms": "Formularios completados",
    "Completed": "Completado",
    "Nothing to fill in right now.": "No tienes nada que rellenar por ahora.",
    "The signed copies are also in Documents.": "Las copias firmadas también están en Documentos.",
    "View answers": "Ver respuestas",
    "Signed PDF": "PDF firmado",
    "Continue where you left off": "Continúa donde lo dejaste",
    "Due {date}": "Vence el {date}",
    "Form {position} of {size}": "Formulario {position} de {size}",
    "All forms": "Todos los formularios",
    "Your answers are saved as you type. Fields marked * are required.": (
        "Tus respuestas se guardan mientras escribes. Los campos con * son obligatorios."),
    "(required)": "(obligatorio)",
    "Choose a file": "Elige un archivo",
    "Upload": "Subir",
    "Send this file to us from Documents.": "Envíanos este archivo desde Documentos.",
    "Signed": "Firmado",
    "Not signed": "Sin firmar",
    "Signature saved.": "Firma guardada.",
    "I agree to sign electronically": "Acepto firmar electrónicamente",
    "Download the signed PDF": "Descargar el PDF firmado",
    "Saved {when}": "Guardado {when}",
    "Submitted {when}": "Enviado {when}",
    "Some answers need your attention; see the messages beside them.": (
        "Algunas respuestas necesitan tu atención; mira los mensajes junto a ellas."),
    "Thank you. Your form was submitted and signed.": (
        "Gracias. Tu formulario se envió firmado."),
    "Fill them in here; your answers are saved as you type.": (
        "Rellénalos aquí; tus respuestas se guardan mientras escribes."),
    # the dashboard's next step
    "Please fill in: {title}": "Por favor, rellena: {title}",
    "{count} forms to complete": "{count} formularios por completar",
    "Open the form": "Abrir el formulario",
}
