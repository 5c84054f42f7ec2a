"""Spanish for what the console's server says: toasts and the activity sentences
(services/activity.py) of the client timeline and the Today feed."""

MESSAGES: dict[str, str] = {
    ' {count} skipped (already active, no email or Email OK off).':
        ' {count} omitido(s) (ya activos, sin correo o con «Correo OK» desactivado).',
    'A client': 'Un cliente',
    'a client': 'un cliente',
    'a file': 'un archivo',
    'A staff member': 'Un miembro del personal',
    'Activation saved.': 'Activación guardada.',
    'An email to {client} was held back (Email OK is off)':
        'Se retuvo un correo para {client} («Correo OK» está desactivado)',
    'Approved: the client is told by email.': 'Aprobado: se avisa al cliente por correo.',
    'Bad button list.': 'Lista de botones no válida.',
    'Booked; the client is told by email.': 'Reservado; se avisa al cliente por correo.',
    'Branding saved.': 'Imagen guardada.',
    'Cancelled: the client is told by email.': 'Cancelado: se avisa al cliente por correo.',
    'Choose a country from the list.': 'Elija un país de la lista.',
    'Choose active staff members only.': 'Elija solo miembros del personal activos.',
    'Choose an image file.': 'Elija un archivo de imagen.',
    'Choose at least one person who provides this service.':
        'Elija al menos una persona que preste este servicio.',
    'Choose time off or extra hours.': 'Elija ausencia u horas extra.',
    'Choose when the portal is activated for a client.':
        'Elija cuándo se activa el portal para un cliente.',
    'Choose who provides this service.': 'Elija quién presta este servicio.',
    'Closure request dismissed.': 'Solicitud de cierre descartada.',
    'Conversations': 'Conversaciones',
    'Country saved.': 'País guardado.',
    'Declined: the client is told by email.': 'Rechazado: se avisa al cliente por correo.',
    'Default permissions saved.': 'Permisos predeterminados guardados.',
    'Details saved.': 'Datos guardados.',
    'Draft {number} created: check it, then send it.':
        'Borrador {number} creado: revíselo y envíelo.',
    'Each button needs a label of at most 40 characters.':
        'Cada botón necesita una etiqueta de 40 caracteres como máximo.',
    'Email OK is off: the client is not emailed about these files; they see them in the portal only.':
        '«Correo OK» está desactivado: no se avisa al cliente por correo de estos archivos; solo los ve en el portal.',
    'Enter a colour as #RRGGBB, e.g. #0F766E.': 'Introduzca un color como #RRGGBB, p. ej. #0F766E.',
    'Enter a date and time.': 'Introduzca una fecha y una hora.',
    'Enter a date such as 2030-05-01.': 'Introduzca una fecha como 2030-05-01.',
    'Enter a name for the service.': 'Introduzca un nombre para el servicio.',
    'Enter a number from {lo} to {hi}.': 'Introduzca un número de {lo} a {hi}.',
    'Enter a price such as 80.00.': 'Introduzca un precio como 80.00.',
    'Enter a start time.': 'Introduzca una hora de inicio.',
    'Enter a time between 00:00 and 24:00.': 'Introduzca una hora entre 00:00 y 24:00.',
    'Enter a time such as 09:00.': 'Introduzca una hora como 09:00.',
    'Enter a video link starting with https://':
        'Introduzca un enlace de vídeo que empiece por https://',
    'Enter a whole number.': 'Introduzca un número entero.',
    'Enter an end time.': 'Introduzca una hora de fin.',
    'Enter the business name.': 'Introduzca el nombre del negocio.',
    'Exception added.': 'Excepción añadida.',
    'Extra hours need a start and an end time.':
        'Las horas extra necesitan una hora de inicio y una de fin.',
    'Features saved.': 'Funciones guardadas.',
    'Household member added.': 'Miembro del hogar añadido.',
    'Invitation links can last from 1 to 30 days.':
        'Los enlaces de invitación pueden durar de 1 a 30 días.',
    'Invitation sent to {email}.': 'Invitación enviada a {email}.',
    'Invitations sent to {count} client(s).': 'Invitaciones enviadas a {count} cliente(s).',
    'Logo removed.': 'Logotipo quitado.',
    'Logo saved.': 'Logotipo guardado.',
    'Moved; the client is told by email.': 'Movido; se avisa al cliente por correo.',
    'off': 'desactivado',
    'on': 'activado',
    'Open a client first.': 'Abra primero un cliente.',
    "Permissions saved. The client's open pages follow at once.":
        'Permisos guardados. Las páginas abiertas del cliente se actualizan al instante.',
    'Portal access disabled.': 'Acceso al portal desactivado.',
    'Portal email changed; a new invitation was sent.':
        'Correo del portal cambiado; se envió una nueva invitación.',
    'Portal link copied.': 'Enlace del portal copiado.',
    'Refunds of this payment need its payment provider ({provider}), which is not set up now.':
        'Los reembolsos de este pago necesitan su proveedor de pagos ({provider}), que ahora no está configurado.',
    'Removed from the household.': 'Quitado del hogar.',
    'Service saved.': 'Servicio guardado.',
    'Shared 1 file.': 'Se compartió 1 archivo.',
    'Shared {count} files.': 'Se compartieron {count} archivos.',
    'some': 'algunos',
    'Start signing in again.': 'Vuelva a iniciar sesión.',
    'That client is not in this household.': 'Ese cliente no está en este hogar.',
    'That client is not on this page.': 'Ese cliente no está en esta página.',
    'That code is not right, or was already used.': 'Ese código no es correcto o ya se usó.',
    'That code is not right. Check the time on your phone and try again.':
        'Ese código no es correcto. Compruebe la hora de su teléfono e inténtelo de nuevo.',
    'That price is too high.': 'Ese precio es demasiado alto.',
    'That request is no longer waiting.': 'Esa solicitud ya no está pendiente.',
    'That staff member does not exist.': 'Ese miembro del personal no existe.',
    'The end must be after the start (for hours past midnight, add an interval on the next day).':
        'El fin debe ser posterior al inicio (para horas después de medianoche, añada un intervalo el día siguiente).',
    'The end time must be after the start time.':
        'La hora de fin debe ser posterior a la de inicio.',
    'The logo must be a PNG, JPEG or SVG image.':
        'El logotipo debe ser una imagen PNG, JPEG o SVG.',
    'The logo must be at most {kb} KB.': 'El logotipo debe ocupar como máximo {kb} KB.',
    'The portal': 'El portal',
    'The portal is off; clients were signed out.':
        'El portal está apagado; se cerró la sesión de los clientes.',
    'The portal is on.': 'El portal está activado.',
    'The price cannot be negative.': 'El precio no puede ser negativo.',
    'The refund could not be made. Please try again later.':
        'No se pudo hacer el reembolso. Inténtelo de nuevo más tarde.',
    'The time zone of {client} was detected': 'Se detectó la zona horaria de {client}',
    'Those times do not exist on that day: the clocks change.':
        'Esas horas no existen ese día: cambia la hora.',
    'Uploads allowed for {name}.': 'Subidas permitidas para {name}.',
    'Uploads turned off for {name}.': 'Subidas desactivadas para {name}.',
    'Use a multiple of {multiple}.': 'Use un múltiplo de {multiple}.',
    'Use at most 120 characters.': 'Use como máximo 120 caracteres.',
    'Use at most 300 characters.': 'Use como máximo 300 caracteres.',
    'Use at most 5,000 characters.': 'Use como máximo 5.000 caracteres.',
    'Use lowercase letters, digits and dashes (at most 40).':
        'Use minúsculas, dígitos y guiones (como máximo 40).',
    'Use times in steps of 5 minutes.': 'Use horas en pasos de 5 minutos.',
    'Working hours saved.': 'Horario guardado.',
    '{actor} accepted the estimate {invoice}': '{actor} aceptó el presupuesto {invoice}',
    '{actor} accepted the invitation': '{actor} aceptó la invitación',
    '{actor} added {client} as a client': '{actor} añadió a {client} como cliente',
    '{actor} added {client} to a household': '{actor} añadió a {client} a un hogar',
    '{actor} added {client} to their existing portal sign-in':
        '{actor} añadió a {client} a su acceso al portal existente',
    "{actor} approved {client}'s {service} on {when}":
        '{actor} aprobó {service} de {client} del {when}',
    '{actor} asked to close the account': '{actor} pidió cerrar la cuenta',
    '{actor} assigned a conversation with {client}': '{actor} asignó una conversación con {client}',
    '{actor} booked {service} for {client}, {when}':
        '{actor} reservó {service} para {client}, el {when}',
    '{actor} booked {service} for {when}': '{actor} reservó {service} para el {when}',
    "{actor} cancelled {client}'s {service} on {when}":
        '{actor} canceló {service} de {client} del {when}',
    '{actor} cancelled {service} on {when}': '{actor} canceló {service} del {when}',
    '{actor} changed the permissions of {client}': '{actor} cambió los permisos de {client}',
    '{actor} changed the portal email of {client}':
        '{actor} cambió el correo del portal de {client}',
    '{actor} created {invoice} for {client}': '{actor} creó {invoice} para {client}',
    "{actor} declined {client}'s {service} on {when}":
        '{actor} rechazó {service} de {client} del {when}',
    '{actor} deleted a file of {client}': '{actor} eliminó un archivo de {client}',
    '{actor} deleted the draft {invoice} of {client}':
        '{actor} eliminó el borrador {invoice} de {client}',
    '{actor} disabled the portal access of {client}':
        '{actor} desactivó el acceso al portal de {client}',
    '{actor} dismissed the closure request of {client}':
        '{actor} descartó la solicitud de cierre de {client}',
    '{actor} downloaded a file': '{actor} descargó un archivo',
    '{actor} downloaded their data': '{actor} descargó sus datos',
    '{actor} edited the details of {client}': '{actor} editó los datos de {client}',
    '{actor} edited the profile of {client}': '{actor} editó el perfil de {client}',
    '{actor} edited their profile': '{actor} editó su perfil',
    '{actor} invited {client} to the portal': '{actor} invitó a {client} al portal',
    "{actor} moved {client}'s {service} to {when}": '{actor} movió {service} de {client} al {when}',
    '{actor} moved {service} to {when}': '{actor} movió {service} al {when}',
    '{actor} opened the invitation': '{actor} abrió la invitación',
    '{actor} paid {invoice}, {amount}': '{actor} pagó {invoice}, {amount}',
    '{actor} recorded a payment of {amount} from {client} on {invoice}':
        '{actor} registró un pago de {amount} de {client} en {invoice}',
    '{actor} refunded {amount} to {client} on {invoice}':
        '{actor} reembolsó {amount} a {client} en {invoice}',
    '{actor} removed {client} from a household': '{actor} quitó a {client} de un hogar',
    '{actor} replaced a file of {client}': '{actor} sustituyó un archivo de {client}',
    '{actor} reset their password': '{actor} restableció su contraseña',
    '{actor} sent {invoice} to {client}': '{actor} envió {invoice} a {client}',
    '{actor} sent {invoice} to {client} again': '{actor} volvió a enviar {invoice} a {client}',
    '{actor} set a password': '{actor} estableció una contraseña',
    '{actor} shared {count} with {client}': '{actor} compartió {count} con {client}',
    '{actor} signed in': '{actor} inició sesión',
    '{actor} signed in to the console': '{actor} inició sesión en la consola',
    '{actor} signed up for the portal': '{actor} se dio de alta en el portal',
    '{actor} started a conversation': '{actor} inició una conversación',
    '{actor} started a conversation with {client}': '{actor} inició una conversación con {client}',
    '{actor} turned Email OK {email_ok} for {client}':
        '{actor} puso «Correo OK» en {email_ok} para {client}',
    '{actor} uploaded {count}': '{actor} subió {count}',
    '{actor} uploaded {count} for {client}': '{actor} subió {count} para {client}',
    '{actor} voided {invoice} of {client}': '{actor} anuló {invoice} de {client}',
    '{actor}: {words} ({client})': '{actor}: {words} ({client})',
    '{currency} prices have no decimals.': 'Los precios en {currency} no tienen decimales.',
    '{n} files': '{n} archivos',
    '{service} for {client}, {when}': '{service} para {client}, {when}',
    '“{title}” was deleted.': 'Se eliminó «{title}».',
    '“{title}” was replaced.': 'Se sustituyó «{title}».',
}
