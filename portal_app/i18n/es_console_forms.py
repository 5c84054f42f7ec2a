"""Spanish catalogue of the console's forms (Console → Forms and the forms
section of the client page): English msgid -> Spanish; merged into
`CATALOGS["es"]`. The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # tabs and lists
    "Forms": "Formularios",
    "Outstanding": "Pendientes",
    "Templates": "Plantillas",
    "Packets": "Paquetes",
    "Verify a signed form": "Verificar un formulario firmado",
    "Outstanding forms": "Formularios pendientes",
    "Every open form": "Todos los formularios abiertos",
    "Every form": "Todos los formularios",
    "No open forms.": "No hay formularios abiertos.",
    "Last activity": "Última actividad",
    "State": "Estado",
    "sent": "enviado",
    "Opened": "Abierto",
    "In progress": "En curso",
    "Completed": "Completado",
    "When": "Cuándo",
    # templates and the builder
    "The forms you send to clients.": "Los formularios que envías a tus clientes.",
    "New form": "Nuevo formulario",
    "Form templates": "Plantillas de formularios",
    "No forms yet.": "Todavía no hay formularios.",
    "Version": "Versión",
    "Questions": "Preguntas",
    "Question": "Pregunta",
    "Edit": "Editar",
    "Archive": "Archivar",
    "Archived": "Archivado",
    "Title": "Título",
    "Introduction (optional)": "Introducción (opcional)",
    "Add a question": "Añadir una pregunta",
    "Save form": "Guardar formulario",
    "Move question up": "Subir la pregunta",
    "Move question down": "Bajar la pregunta",
    "Remove question": "Quitar la pregunta",
    "Remove": "Quitar",
    "Kind": "Tipo",
    "Required": "Obligatoria",
    "Label": "Etiqueta",
    "Help text (for a statement: the text to read)": (
        "Texto de ayuda (en una declaración: el texto que se lee)"),
    "Choices, one per line": "Opciones, una por línea",
    "Show only if": "Mostrar solo si",
    "Always shown": "Siempre visible",
    "Condition": "Condición",
    "is": "es",
    "contains": "contiene",
    "Value (yes / no for a yes-no question)": "Valor (yes / no en una pregunta de sí o no)",
    "Fills the client record": "Rellena la ficha del cliente",
    "Not mapped": "Sin vincular",
    "Short text": "Texto corto",
    "Long text": "Texto largo",
    "Phone": "Teléfono",
    "Date": "Fecha",
    "Number": "Número",
    "Single choice": "Opción única",
    "Multiple choice": "Opción múltiple",
    "Yes / no": "Sí / no",
    "File": "Archivo",
    "Signature": "Firma",
    "Initials": "Iniciales",
    "Statement (text to read)": "Declaración (texto para leer)",
    "Name": "Nombre",
    "Date of birth": "Fecha de nacimiento",
    "Address": "Dirección",
    "Emergency contact": "Contacto de emergencia",
    "Time zone": "Zona horaria",
    "Version 1: not sent yet.": "Versión 1: aún no enviada.",
    "Version {number}: not sent yet, so saving changes it in place.": (
        "Versión {number}: aún no enviada, así que al guardar se modifica."),
    ("Version {number} has been sent: saving makes version {next}; forms already sent keep "
     "this one."): (
        "La versión {number} ya se envió: al guardar se crea la versión {next}; los "
        "formularios ya enviados conservan esta."),
    "Version {number} — forms already sent keep version {previous}.": (
        "Versión {number}: los formularios ya enviados conservan la versión {previous}."),
    "Version {number} saved.": "Versión {number} guardada.",
    "Version 1 saved.": "Versión 1 guardada.",
    "Form archived.": "Formulario archivado.",
    # packets
    "Forms sent together, in order, by hand or by themselves.": (
        "Formularios que se envían juntos, en orden, a mano o automáticamente."),
    "New packet": "Nuevo paquete",
    "No packets yet.": "Todavía no hay paquetes.",
    "Packet": "Paquete",
    "Packet name": "Nombre del paquete",
    "Forms, in the order the client fills them in": (
        "Formularios, en el orden en que el cliente los rellena"),
    "No forms in this packet yet.": "Este paquete aún no tiene formularios.",
    "Add a form": "Añadir un formulario",
    "Add": "Añadir",
    "Move up": "Subir",
    "Move down": "Bajar",
    "When it is sent": "Cuándo se envía",
    "Sent by hand": "Se envía a mano",
    "When a client is created": "Al crear un cliente",
    "When the client's first booking is made": "Al hacer el cliente su primera reserva",
    "When the client's first booking is confirmed": (
        "Al confirmarse la primera reserva del cliente"),
    "When a chosen service is booked": "Al reservarse un servicio concreto",
    "Service": "Servicio",
    "Choose a service": "Elige un servicio",
    "No due date": "Sin fecha límite",
    "Days after sending": "Días después del envío",
    "Hours before the first appointment": "Horas antes de la primera cita",
    "How many": "Cuántos",
    "Due {amount} day(s) after sending": "Vence {amount} día(s) después del envío",
    "Due {amount} hour(s) before the first appointment": (
        "Vence {amount} hora(s) antes de la primera cita"),
    "Save packet": "Guardar paquete",
    "Packet saved.": "Paquete guardado.",
    "On": "Activo",
    "Off": "Inactivo",
    "Turn on": "Activar",
    "Turn off": "Desactivar",
    "Packet on.": "Paquete activado.",
    "Packet off.": "Paquete desactivado.",
    # verify
    ("Check that a PDF, or the document behind it, is a form signed here and has not been "
     "changed."): (
        "Comprueba que un PDF, o el documento que lo respalda, es un formulario firmado aquí "
        "y no se ha modificado."),
    "SHA-256 of the document or of its PDF": "SHA-256 del documento o de su PDF",
    "Verify": "Verificar",
    "Or upload the PDF": "O sube el PDF",
    "Select the PDF": "Selecciona el PDF",
    "Verify the PDF": "Verificar el PDF",
    "Choose the PDF to check.": "Elige el PDF que quieres comprobar.",
    "Not a document we hold, or it has been altered.": (
        "No es un documento que tengamos, o se ha modificado."),
    "This is the document signed by {name} on {when} ({form}, version {version}).": (
        "Este es el documento firmado por {name} el {when} ({form}, versión {version})."),
    # the client page
    "Send forms": "Enviar formularios",
    "No forms sent yet.": "Todavía no se han enviado formularios.",
    "View answers": "Ver respuestas",
    "PDF": "PDF",
    "Download the PDF of": "Descargar el PDF de",
    "Send again": "Enviar de nuevo",
    "Cancel request": "Cancelar la solicitud",
    "Cancel this request?": "¿Cancelar esta solicitud?",
    "The client no longer sees this form; what they typed in it is kept but cannot be submitted.": (
        "El cliente deja de ver este formulario; lo que escribió se conserva, pero ya no se "
        "puede enviar."),
    "The client is told under the bell and by email, and fills them in in the portal.": (
        "Se avisa al cliente en la campana y por correo, y los rellena en el portal."),
    "Packet or form": "Paquete o formulario",
    "Send": "Enviar",
    "Packet: ": "Paquete: ",
    "Form: ": "Formulario: ",
    "Sent {count} form(s).": "Enviado(s) {count} formulario(s).",
    "Reminder sent.": "Recordatorio enviado.",
    "Request cancelled.": "Solicitud cancelada.",
    "Signed by {email} on {when}": "Firmado por {email} el {when}",
    "Choose a packet or a form to send.": "Elige un paquete o un formulario para enviar.",
    ("This client will get access to the client portal when you send (an invitation, or this "
     "record added to their existing sign-in)."): (
        "Este cliente obtendrá acceso al portal de clientes al enviar (una invitación, o esta "
        "ficha añadida a su acceso existente)."),
    ("This client has no email address: they cannot get portal access to fill these forms "
     "in yet."): (
        "Este cliente no tiene correo electrónico: aún no puede obtener acceso al portal para "
        "rellenar estos formularios."),
    "Email OK is off for this client, so sending does not give them portal access.": (
        "El consentimiento de correo está desactivado para este cliente, así que el envío no "
        "le da acceso al portal."),
    "This client has no portal access yet: they see the forms once you invite them.": (
        "Este cliente aún no tiene acceso al portal: verá los formularios cuando lo invites."),
    ("Email OK is off: the email asking for these forms is blocked; the client sees them in "
     "the portal only."): (
        "El consentimiento de correo está desactivado: el correo que pide estos formularios "
        "queda bloqueado; el cliente solo los ve en el portal."),
    # bulk send from the clients list
    "Send a packet": "Enviar un paquete",
    "Forms sent to {sent} client(s).": "Formularios enviados a {sent} cliente(s).",
    " {already} already had them open.": " {already} ya los tenían abiertos.",
    " {skipped} skipped (access disabled, or no such client).": (
        " {skipped} omitido(s) (acceso desactivado, o el cliente no existe)."),
    # service messages staff may see
    "Only a form not completed yet can be sent again.": (
        "Solo se puede enviar de nuevo un formulario que aún no se ha completado."),
    "Email OK is off for this client, so no reminder can be emailed.": (
        "El consentimiento de correo está desactivado para este cliente, así que no se le "
        "puede enviar un recordatorio."),
    "A reminder went out less than a day ago.": "Se envió un recordatorio hace menos de un día.",
    "This client has no email address.": "Este cliente no tiene correo electrónico.",
    "This form is archived.": "Este formulario está archivado.",
    "This packet is archived.": "Este paquete está archivado.",
    "This client cannot use the portal; invite them first.": (
        "Este cliente no puede usar el portal; invítalo primero."),
    "That packet does not exist.": "Ese paquete no existe.",
    "Select at least one client.": "Selecciona al menos un cliente.",
    "Give the form a title.": "Ponle un título al formulario.",
    "Choose the kind of question.": "Elige el tipo de pregunta.",
    "Give the question a label.": "Ponle una etiqueta a la pregunta.",
    "Choose the earlier question this one depends on.": (
        "Elige la pregunta anterior de la que depende esta."),
    "Give the answer that shows this question.": "Indica la respuesta que muestra esta pregunta.",
    "Choose “is” or “contains”.": "Elige «es» o «contiene».",
    "Give the choices, one per line.": "Escribe las opciones, una por línea.",
    "Each choice must be different.": "Cada opción debe ser distinta.",
    "Give between 1 and {max} choices.": "Indica entre 1 y {max} opciones.",
    "This kind of question cannot fill that profile field.": (
        "Este tipo de pregunta no puede rellenar ese dato de la ficha."),
    "Only one question can fill each profile field.": (
        "Solo una pregunta puede rellenar cada dato de la ficha."),
    "Each question needs its own short key (a-z, 0-9, _).": (
        "Cada pregunta necesita su propia clave corta (a-z, 0-9, _)."),
    "Give the packet a name (at most {max} characters).": (
        "Ponle un nombre al paquete (como máximo {max} caracteres)."),
    "Choose at least one form.": "Elige al menos un formulario.",
    "Choose each form once, from the forms in use.": (
        "Elige cada formulario una vez, entre los formularios en uso."),
    "Choose when the packet is sent.": "Elige cuándo se envía el paquete.",
    "Choose the service whose booking sends the packet.": (
        "Elige el servicio cuya reserva envía el paquete."),
    "Choose when the forms are due.": "Elige cuándo vencen los formularios.",
    "Enter a number from 1 to {max}.": "Introduce un número del 1 al {max}.",
    "Keep the request": "Mantener la solicitud",
}
