"""Spanish catalogue of superbill documents (English msgid -> Spanish): the client's
Superbills page, the console's section and request list, the pre-flight's problems,
the PDF's labels and the notification line. The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # Pages and states (client)
    "Superbill": "Superbill (factura para el seguro)",
    "Superbills": "Superbills para el seguro",
    "A superbill lists your sessions with their codes and what you paid, to claim from "
    "your insurance.":
        "Un superbill recoge tus sesiones con sus códigos y lo que has pagado, para "
        "reclamarlo a tu seguro.",
    "Ask for a superbill": "Pedir un superbill",
    "Asked for": "Pedidos",
    "Asked": "Pedido",
    "A session": "Una sesión",
    "Session": "Sesión",
    "Range": "Periodo",
    "This month": "Este mes",
    "Last month": "El mes pasado",
    "Custom range": "Periodo personalizado",
    "First day": "Primer día",
    "Last day": "Último día",
    "Note (optional)": "Nota (opcional)",
    "No superbills yet.": "Todavía no hay superbills.",
    "Requested": "Pedido",
    "In preparation": "En preparación",
    "Ready": "Disponible",
    "← Payments": "← Pagos",
    "{start} – {end}": "{start} – {end}",
    "Superbills are not available to you. Please contact us.":
        "Los superbills no están disponibles para ti. Ponte en contacto con nosotros.",
    "Your request was sent. We will let you know when the superbill is ready.":
        "Hemos recibido tu petición. Te avisaremos cuando el superbill esté listo.",
    "Your superbill for {start} – {end} is ready":
        "Tu superbill del {start} al {end} ya está disponible",
    # Services (client)
    "Superbills are not offered.": "No se ofrecen superbills.",
    "You have already asked for a superbill for this range.":
        "Ya has pedido un superbill para este periodo.",
    "Keep the note under {count} characters.": "La nota debe tener menos de {count} caracteres.",
    "That superbill does not exist.": "Ese superbill no existe.",
    "Choose the first day of the superbill.": "Elige el primer día del superbill.",
    "Choose the last day of the superbill.": "Elige el último día del superbill.",
    "Choose a range of at most a year.": "Elige un periodo de un año como máximo.",
    "Choose a range.": "Elige un periodo.",
    "Choose one of your sessions.": "Elige una de tus sesiones.",
    "This superbill is missing data and cannot be printed.":
        "A este superbill le faltan datos y no se puede imprimir.",
    "This superbill is missing data and cannot be printed. Please contact us.":
        "A este superbill le faltan datos y no se puede imprimir. Ponte en contacto con "
        "nosotros.",
    # Console
    "Produce": "Preparar",
    "Produce superbill": "Preparar superbill",
    "Produce the superbill of": "Preparar el superbill de",
    "Download the superbill of": "Descargar el superbill de",
    "Missing before this superbill can be issued:":
        "Falta esto antes de poder emitir este superbill:",
    "Superbill requests": "Superbills pedidos",
    "Asked by the client": "Pedido por el cliente",
    "Produced by staff": "Preparado por el equipo",
    "Monthly": "Mensual",
    "Superbill issued. The client has been told.":
        "Superbill emitido. Se lo hemos comunicado al cliente.",
    "The superbill was not issued: fix what is missing, then produce it again.":
        "No se ha emitido el superbill: completa lo que falta y vuelve a prepararlo.",
    "{actor} asked for a superbill": "{actor} ha pedido un superbill",
    "{actor} issued a superbill to {client}": "{actor} ha emitido un superbill para {client}",
    "A monthly superbill of {client} is held until missing data is added":
        "El superbill mensual de {client} queda retenido hasta que se completen los datos",
    # Pre-flight
    "There are no attended sessions in this range.":
        "No hay sesiones realizadas en este periodo.",
    "1 session in {month} has no diagnosis dated on or before it":
        "1 sesión de {month} no tiene un diagnóstico con fecha igual o anterior",
    "{count} sessions in {month} have no diagnosis dated on or before them":
        "{count} sesiones de {month} no tienen un diagnóstico con fecha igual o anterior",
    "Service '{service}' has no CPT code": "El servicio «{service}» no tiene código CPT",
    "Service '{service}' has no place of service":
        "El servicio «{service}» no tiene lugar de servicio",
    "The business has no legal name": "El negocio no tiene razón social",
    "The business has no individual NPI": "El negocio no tiene NPI individual",
    "The business has no tax ID": "El negocio no tiene identificación fiscal",
    "The business has no licence number": "El negocio no tiene número de licencia",
    "The business has no licence state": "El negocio no tiene estado de la licencia",
    "The business has no address": "El negocio no tiene dirección",
    "The business has no phone number": "El negocio no tiene teléfono",
    "The client has no date of birth": "El cliente no tiene fecha de nacimiento",
    "The client has no insurance member ID": "El cliente no tiene número de afiliado del seguro",
    "The client has no address": "El cliente no tiene dirección",
    # PDF
    "Dates of service {days} ({zone})": "Fechas de servicio {days} ({zone})",
    "Issued {date}": "Emitido el {date}",
    "Provider": "Profesional",
    "Patient": "Paciente",
    "NPI (individual)": "NPI (a título individual)",
    "NPI (organisation)": "NPI (organización)",
    "Licence": "Licencia",
    "Taxonomy": "Taxonomía",
    "Insurance member ID": "N.º de afiliado del seguro",
    "Mod.": "Modif.",
    "Units": "Uds.",
    "Fee": "Tarifa",
    "Paid in full": "Pagado por completo",
    "Partly paid": "Pagado en parte",
    "Partly paid, {balance} open": "Pagado en parte, {balance} pendiente",
    "Not paid": "Sin pagar",
    "Total fees": "Total de tarifas",
    "Total paid": "Total pagado",
    "Diagnoses (ICD-10)": "Diagnósticos (CIE-10)",
    "Provider signature": "Firma del profesional",
}
