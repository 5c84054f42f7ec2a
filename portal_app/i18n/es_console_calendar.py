"""Spanish catalogue of the console's calendar (Console → Calendar) and the calendar
feed panel: page texts, toasts and the reasons a time is refused (English msgid ->
Spanish; merged into `CATALOGS["es"]`). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # the page
    "Calendar": "Calendario",
    "Day": "Día",
    "Week": "Semana",
    "Month": "Mes",
    "View": "Vista",
    "Today": "Hoy",
    "Previous day": "Día anterior",
    "Next day": "Día siguiente",
    "Previous week": "Semana anterior",
    "Next week": "Semana siguiente",
    "Previous month": "Mes anterior",
    "Next month": "Mes siguiente",
    "Staff": "Personal",
    "Everyone": "Todos",
    "Times in": "Horas en",
    "Shaded: outside working hours; striped: time off. Dashed: waiting for approval; "
    "faint: cancelled.": (
        "Sombreado: fuera del horario; a rayas: tiempo libre. Borde discontinuo: pendiente "
        "de aprobación; atenuado: cancelada."),
    "New booking": "Nueva reserva",
    "Move here": "Mover aquí",
    "time off": "tiempo libre",
    "outside working hours": "fuera del horario",
    "bookings": "reservas",
    "more": "más",
    "Pending": "Pendiente",
    "Moving": "Moviendo",
    "Pick the new time in the calendar.": "Elige la nueva hora en el calendario.",
    "Cancel move": "Cancelar el cambio",
    # new booking
    "Time": "Hora",
    "Client": "Cliente",
    "Change": "Cambiar",
    "Search by name or email": "Busca por nombre o correo",
    "Clients found": "Clientes encontrados",
    "Service": "Servicio",
    "Close": "Cerrar",
    "Book": "Reservar",
    "Choose a client first.": "Primero elige un cliente.",
    "Pick a time in the calendar.": "Elige una hora en el calendario.",
    "Booked; the client is told by email.": "Reservado; se avisa al cliente por correo.",
    # a new client made in the dialog (the form's labels are the clients list's)
    "Client added: {name}. Now pick the service and book.": (
        "Cliente añadido: {name}. Ahora elige el servicio y reserva."),
    # a booking
    "Approve": "Aprobar",
    "Decline": "Rechazar",
    "Message to the client (optional)": "Mensaje para el cliente (opcional)",
    "Move": "Mover",
    "Create invoice": "Crear factura",
    "Invoiced: ": "Facturada: ",
    "Open client": "Abrir el cliente",
    "New invoice for this client": "Nueva factura para este cliente",
    # moving
    "New time": "Nueva hora",
    "Pick another time": "Elegir otra hora",
    "Confirm move": "Confirmar el cambio",
    # why a time is refused (services/scheduling/calendar_actions.py)
    "{time} is outside the working hours of whoever provides {service}.": (
        "{time} está fuera del horario de quien ofrece {service}."),
    "Overlaps {client}'s {service} ({start}–{end}), buffers included.": (
        "Se solapa con {service} de {client} ({start}–{end}), márgenes incluidos."),
    "Nobody provides this service yet.": "Nadie ofrece este servicio todavía.",
    "That time does not exist on this day: the clocks change.": (
        "Esa hora no existe ese día: cambia la hora oficial."),
    "Pick a time on the 5-minute grid.": "Elige una hora en múltiplos de 5 minutos.",
    # the calendar feed
    "Calendar feed": "Calendario suscrito",
    "Subscribe to your own bookings from a phone or desktop calendar. The address is "
    "secret: anyone who has it can read your bookings.": (
        "Suscríbete a tus reservas desde el calendario del móvil o del ordenador. La "
        "dirección es secreta: quien la tenga puede leer tus reservas."),
    "Your feed URL (shown once: copy it now)": (
        "La URL de tu calendario (se muestra una sola vez: cópiala ahora)"),
    "Copy": "Copiar",
    "Copied.": "Copiado.",
    "Your feed is active. Its URL was shown when you made it; make a new one to see it "
    "again (the old one stops working).": (
        "Tu calendario está activo. Su URL se mostró al crearlo; crea una nueva para verla "
        "otra vez (la anterior deja de funcionar)."),
    "Show client names in the feed": "Mostrar los nombres de los clientes",
    "Create feed URL": "Crear la URL del calendario",
    "Make a new feed URL": "Crear una URL nueva",
    "Revoke feed": "Revocar el calendario",
    "Your calendar feed URL is ready: copy it now.": (
        "La URL de tu calendario está lista: cópiala ahora."),
    "Calendar feed revoked: its URL no longer works.": (
        "Calendario revocado: su URL ya no funciona."),
    "{name} ({minutes} min)": "{name} ({minutes} min)",
}
