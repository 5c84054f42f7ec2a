"""Spanish catalogue: English msgid -> Spanish. Placeholders in braces stay as they are."""

MESSAGES: dict[str, str] = {
    # --- pages ---
    " (test card)": " (tarjeta de prueba)",
    " has portal access, a code is on its way.": (
        " tiene acceso al portal, recibirás un código en breve."
    ),
    " · due ": " · vencimiento: ",
    " · invoice ": " · factura ",
    " · needs our approval": " · requiere nuestra aprobación",
    " · receipt ": " · recibo ",
    ". It expires in 15 minutes.": ". Caduca en 15 minutos.",
    ". Press the button to open your portal. You will sign in with ": (
        ". Usa el botón de abajo para abrir tu portal. Iniciarás sesión con "
    ),
    "6-digit code": "Código de 6 dígitos",
    "Accept estimate": "Aceptar presupuesto",
    "Account & security": "Cuenta y seguridad",
    "Add to calendar": "Añadir al calendario",
    "Already have an account? Sign in": "¿Ya tienes una cuenta? Inicia sesión",
    "Amount": "Importe",
    "Amount (": "Importe (",
    "Amount paid": "Importe pagado",
    "At least 10 characters.": "Al menos 10 caracteres.",
    "Attach files (optional)": "Adjuntar archivos (opcional)",
    "Back to sign in": "Volver a iniciar sesión",
    "Balance due": "Saldo pendiente",
    "Book": "Reservar",
    "Book an appointment": "Reservar una cita",
    "Book and manage appointments, pay invoices, share documents and message us securely.": (
        "Reserva y gestiona tus citas, paga tus facturas, comparte documentos y envíanos mensajes "
        "de forma segura."
    ),
    "Bookings": "Citas",
    "Cancel": "Cancelar",
    "Cancel booking": "Cancelar cita",
    "Cancel this booking?": "¿Cancelar esta cita?",
    "Change password": "Cambiar contraseña",
    "Choose a conversation.": "Elige una conversación.",
    "Choose a new time": "Elige una nueva hora",
    "Choose a service": "Elige un servicio",
    "Choose account": "Elegir cuenta",
    "Choose an account": "Elige una cuenta",
    "Close": "Cerrar",
    "Code sent for ": "Hemos enviado un código para ",
    "Compose new message": "Escribir un mensaje",
    "Confirm booking": "Confirmar cita",
    "Continue to payment": "Continuar al pago",
    "Create account": "Crear cuenta",
    "Create an account": "Crear una cuenta",
    "Create your account": "Crea tu cuenta",
    "Current password": "Contraseña actual",
    "Dashboard": "Panel",
    "Decline": "Rechazar",
    "Description": "Descripción",
    "Devices": "Dispositivos",
    "Discount": "Descuento",
    "Documents": "Documentos",
    "Don't see availability? Get in touch with us.": (
        "¿No encuentras disponibilidad? Ponte en contacto con nosotros."
    ),
    "Download PDF": "Descargar PDF",
    "Earlier": "Anteriores",
    "Email": "Correo electrónico",
    "Email me a code instead": "Enviarme un código por correo",
    "Email notifications": "Notificaciones por correo",
    "Enter the email address you use with us. We'll send you a sign-in code.": (
        "Introduce el correo electrónico que usas con nosotros. Te enviaremos un código de acceso."
    ),
    "Enter your email and we'll send you a code to choose a new password.": (
        "Introduce tu correo electrónico y te enviaremos un código para elegir una nueva "
        "contraseña."
    ),
    "For invoice ": "Correspondiente a la factura ",
    "Forgot password?": "¿Olvidaste tu contraseña?",
    "Full name": "Nombre completo",
    "Get in touch with us": "Ponte en contacto con nosotros",
    "Go to my dashboard": "Ir a mi panel",
    "If ": "Si ",
    "Invoice": "Factura",
    "Invoice ": "Factura ",
    "Issued ": "Emisión: ",
    "Keep it": "Mantener la cita",
    "Later": "Siguientes",
    "Logout": "Cerrar sesión",
    "Main": "Principal",
    "Make a payment": "Hacer un pago",
    "Send us a message": "Envíanos un mensaje",
    "Type a city or country": "Escribe una ciudad o un país",
    "Use my device's zone": "Usar la zona de mi dispositivo",
    "Mark all read": "Marcar todo como leído",
    "Menu": "Menú",
    "Message": "Mensaje",
    "Message (optional)": "Mensaje (opcional)",
    "Messages": "Mensajes",
    "Move booking": "Cambiar la cita",
    "My Account": "Mi cuenta",
    "Name (when you send one file)": "Nombre (si envías un solo archivo)",
    "New": "Nuevo",
    "New here? Create an account": "¿Primera vez aquí? Crea una cuenta",
    "New message": "Nuevo mensaje",
    "New messages": "Mensajes nuevos",
    "New password": "Nueva contraseña",
    "New shared documents": "Documentos compartidos nuevos",
    "No documents have been shared.": "Todavía no hay documentos compartidos.",
    "No free times in these days. ": "No hay horas libres en estos días. ",
    "No new documents.": "No hay documentos nuevos.",
    "No notifications yet.": "Aún no tienes notificaciones.",
    "No paid invoices yet.": "Aún no tienes facturas pagadas.",
    "No past bookings.": "No tienes citas pasadas.",
    "No upcoming appointments.": "No tienes próximas citas.",
    "Nothing to pay.": "No tienes nada pendiente de pago.",
    "Notifications": "Notificaciones",
    "Open": "Pendiente",
    "Open my portal": "Abrir mi portal",
    "Paid": "Pagado",
    "Paid on ": "Pagado el ",
    "Password": "Contraseña",
    "Password saved.": "Contraseña guardada.",
    "Past": "Pasadas",
    "Pay": "Pagar",
    "Pay ": "Pagar ",
    "Pay Now": "Pagar ahora",
    "Pay Now ": "Pagar ahora ",
    "Pay now": "Pagar ahora",
    "Pay toward an open invoice. You will confirm on the next page.": (
        "Paga total o parcialmente una factura pendiente. Lo confirmarás en la página siguiente."
    ),
    "Paying as ": "Pagas como ",
    "Payments": "Pagos",
    "Pending approval": "Pendiente de aprobación",
    "Print": "Imprimir",
    "Qty": "Cant.",
    "Quick actions": "Acciones rápidas",
    "Receipt": "Recibo",
    "Receipt ": "Recibo ",
    "Receipts": "Recibos",
    "Refunded ": "Reembolsado: ",
    "Refunded: ": "Reembolsado: ",
    "Remaining balance on the invoice: ": "Saldo pendiente de la factura: ",
    "Remove files": "Quitar archivos",
    "Reschedule": "Cambiar hora",
    "Resend code": "Reenviar código",
    "Reset your password": "Restablece tu contraseña",
    "Save choices": "Guardar preferencias",
    "Save password": "Guardar contraseña",
    "Save password and sign in": "Guardar contraseña e iniciar sesión",
    "Select your files": "Selecciona tus archivos",
    "Send": "Enviar",
    "Send files to us securely. You can select several at once.": (
        "Envíanos archivos de forma segura. Puedes seleccionar varios a la vez."
    ),
    "Send me a code": "Enviarme un código",
    "Send message": "Enviar mensaje",
    "Send reset code": "Enviar código",
    "Set a password": "Crear una contraseña",
    "Share a document": "Compartir un documento",
    "Shared documents": "Documentos compartidos",
    "Show earlier messages": "Ver mensajes anteriores",
    "Sign in": "Iniciar sesión",
    "Sign in to your account": "Inicia sesión en tu cuenta",
    "Sign in with a password": "Iniciar sesión con contraseña",
    "Sign in with your email": "Iniciar sesión con tu correo",
    "Sign out of all devices": "Cerrar sesión en todos los dispositivos",
    "Sign-up is not open. Please contact us to get access.": (
        "El registro no está abierto. Ponte en contacto con nosotros para obtener acceso."
    ),
    "Signed in as ": "Has iniciado sesión como ",
    "Signed in on a shared or lost device? End every session at once.": (
        "¿Iniciaste sesión en un dispositivo compartido o perdido? Cierra todas las sesiones a la "
        "vez."
    ),
    "Skip to content": "Saltar al contenido",
    "Start over": "Empezar de nuevo",
    "Subject": "Asunto",
    "Submit": "Enviar",
    "Subtotal": "Subtotal",
    "Switch account": "Cambiar de cuenta",
    (
        "TEST MODE: no real money moves. This page stands in for Stripe until the business adds "
        "its Stripe keys."
    ): (
        "MODO DE PRUEBA: no se mueve dinero real. Esta página sustituye a Stripe hasta que el "
        "negocio añada sus claves de Stripe."
    ),
    "Test checkout": "Pago de prueba",
    "Thank you!": "¡Gracias!",
    "That receipt does not exist.": "Ese recibo no existe.",
    (
        "The bell always shows them. Which should also arrive by email? Booking confirmations, "
        "invoices and receipts are always emailed."
    ): (
        "La campana siempre las muestra. ¿Cuáles quieres recibir también por correo? Las "
        "confirmaciones de citas, las facturas y los recibos siempre se envían por correo."
    ),
    (
        "The client portal is not available at the moment. Please contact us directly; we're happy "
        "to help."
    ): (
        "El portal de clientes no está disponible en este momento. Ponte en contacto con nosotros "
        "directamente; estaremos encantados de ayudarte."
    ),
    "The portal is closed": "El portal está cerrado",
    "This invitation link has expired or was already used.": (
        "Este enlace de invitación ha caducado o ya se ha usado."
    ),
    "Times are shown in ": "Las horas se muestran en la zona horaria ",
    "Times in ": "Zona horaria: ",
    "Total": "Total",
    "Total due": "Total pendiente",
    "Total due: ": "Total pendiente: ",
    "Unit price": "Precio unit.",
    "Upcoming": "Próximas",
    "Upcoming appointments": "Próximas citas",
    "Use another email": "Usar otro correo",
    "Verify and continue": "Verificar y continuar",
    "View all": "Ver todo",
    "We sent a verification code to ": "Hemos enviado un código de verificación a ",
    "Welcome": "Te damos la bienvenida",
    "Welcome!": "¡Te damos la bienvenida!",
    "Welcome, ": "Hola, ",
    "With ": "Con ",
    "With a password you can sign in without waiting for a code.": (
        "Con una contraseña puedes iniciar sesión sin esperar un código."
    ),
    "Write to us securely. We'll reply here.": "Escríbenos de forma segura. Te responderemos aquí.",
    "You have no conversations yet.": "Aún no tienes conversaciones.",
    "You have no upcoming bookings.": "No tienes próximas citas.",
    (
        "You're signed in. Next time, sign in with your email and a code, or set a password now "
        "(optional)."
    ): (
        "Ya has iniciado sesión. La próxima vez, inicia sesión con tu correo y un código, o crea "
        "ahora una contraseña (opcional)."
    ),
    "Your client portal": "Tu portal de cliente",
    (
        "Your email gives access to more than one account. Choose the one to view; you can switch "
        "at any time from the top of the page."
    ): (
        "Tu correo da acceso a más de una cuenta. Elige la que quieres ver; puedes cambiar en "
        "cualquier momento desde la parte superior de la página."
    ),
    "Your message": "Tu mensaje",
    "new document": "documento nuevo",
    "new documents": "documentos nuevos",
    "or drop them here · PDF, images, Word, Excel, PowerPoint, text": (
        "o arrástralos aquí · PDF, imágenes, Word, Excel, PowerPoint, texto"
    ),
    "unread": "sin leer",
    "← All payments": "← Todos los pagos",
    # dashboard: greeting and next step (state/dashboard_texts.py)
    "Next step": "Siguiente paso",
    "Checking what needs your attention…": "Comprobando qué necesita tu atención…",
    "Good morning, {name}": "Buenos días, {name}",
    "Good afternoon, {name}": "Buenas tardes, {name}",
    "Good evening, {name}": "Buenas noches, {name}",
    "Estimate {number} is waiting for your answer": (
        "El presupuesto {number} espera tu respuesta"),
    "{amount}: accept or decline it online.": "{amount}: acéptalo o recházalo en línea.",
    "Review estimate": "Revisar presupuesto",
    "Invoice {number} is overdue": "La factura {number} está vencida",
    "{amount} was due on {date}.": "{amount} vencía el {date}.",
    "Invoice {number} is ready to pay": "La factura {number} está lista para pagar",
    "{amount} due on {date}.": "{amount} con vencimiento el {date}.",
    "{amount} to pay.": "{amount} por pagar.",
    "View invoice": "Ver factura",
    "Your booking request is waiting for approval": (
        "Tu solicitud de cita espera nuestra aprobación"),
    "View bookings": "Ver citas",
    "You have a new message": "Tienes un mensaje nuevo",
    "You have {count} new messages": "Tienes {count} mensajes nuevos",
    "Read messages": "Leer mensajes",
    "A new document was shared with you": "Hemos compartido un documento nuevo contigo",
    "{count} new documents were shared with you": (
        "Hemos compartido {count} documentos nuevos contigo"),
    "View documents": "Ver documentos",
    "You're all set": "Todo al día",
    "Nothing needs your attention right now.": "No hay nada pendiente por ahora.",
    # --- server messages ---
    # A message with placeholders is also matched as a pattern, in this order: the first
    # that fits wins, so a more specific form comes before the general one.
    # payment methods, notification kinds, statuses (models, state labels)
    "Card": "Tarjeta",
    "Cash": "Efectivo",
    "Bank transfer": "Transferencia bancaria",
    "Check": "Cheque",
    "Other": "Otro",
    "Invoices and estimates": "Facturas y presupuestos",
    "Booking changes": "Cambios en tus citas",
    "Payments received": "Pagos recibidos",
    "Draft": "Borrador",
    "Partially paid": "Pagado en parte",
    "Void": "Anulado",
    "Accepted": "Aceptado",
    "Declined": "Rechazado",
    "Confirmed": "Confirmada",
    "Cancelled": "Cancelada",
    "Estimate": "Presupuesto",
    # billing: invoices
    "The line items could not be read.": "No se pudieron leer las líneas.",
    "An invoice holds at most {max} lines.": "Una factura admite como máximo {max} líneas.",
    "The discount cannot be more than the subtotal.": (
        "El descuento no puede ser mayor que el subtotal."
    ),
    "That total is too high.": "Ese total es demasiado alto.",
    "Choose invoice or estimate.": "Elige factura o presupuesto.",
    "Only drafts can be changed. Void it and issue a new one instead.": (
        "Solo se pueden modificar los borradores. Anula este documento y emite uno nuevo."
    ),
    "The due date cannot be before the issue date.": (
        "La fecha de vencimiento no puede ser anterior a la fecha de emisión."
    ),
    "Keep the notes under 5,000 characters.": "Las notas deben tener menos de 5000 caracteres.",
    "Only a confirmed booking that has taken place can be invoiced.": (
        "Solo se puede facturar una cita confirmada que ya haya tenido lugar."
    ),
    "This booking is already on invoice {number}.": "Esta cita ya figura en la factura {number}.",
    "Add at least one line with an amount before sending.": (
        "Añade al menos una línea con importe antes de enviar."
    ),
    "Keep the message under 2,000 characters.": "El mensaje debe tener menos de 2000 caracteres.",
    "This invoice has payments. Refund them before voiding it.": (
        "Esta factura tiene pagos. Reembólsalos antes de anularla."
    ),
    "Only drafts can be deleted; void a sent invoice instead.": (
        "Solo se pueden eliminar los borradores; en su lugar, anula la factura enviada."
    ),
    "That invoice does not exist.": "Esa factura no existe.",
    # (the status, article and kind arrive in English: the possible sentences first)
    "A paid invoice cannot be sent.": "No se puede enviar una factura pagada.",
    "A void invoice cannot be sent.": "No se puede enviar una factura anulada.",
    "A void estimate cannot be sent.": "No se puede enviar un presupuesto anulado.",
    "An accepted estimate cannot be sent.": "No se puede enviar un presupuesto ya aceptado.",
    "A declined estimate cannot be sent.": "No se puede enviar un presupuesto rechazado.",
    "{article} {label} {kind} cannot be sent.": (
        "Este documento no se puede enviar ({article} {label} {kind})."
    ),
    "Awaiting your answer": "Pendiente de tu respuesta",
    "You already answered this estimate (accepted).": (
        "Ya has respondido a este presupuesto (aceptado)."
    ),
    "You already answered this estimate (declined).": (
        "Ya has respondido a este presupuesto (rechazado)."
    ),
    "You already answered this estimate ({status}).": (
        "Ya has respondido a este presupuesto ({status})."
    ),
    "Enter the issue date as a date (YYYY-MM-DD).": (
        "Introduce la fecha de emisión en formato AAAA-MM-DD."
    ),
    "Enter the due date as a date (YYYY-MM-DD).": (
        "Introduce la fecha de vencimiento en formato AAAA-MM-DD."
    ),
    "Enter the {what} as a date (YYYY-MM-DD).": (
        "Introduce la fecha ({what}) en formato AAAA-MM-DD."
    ),
    # billing: payments
    "This invoice has nothing left to pay.": "Esta factura no tiene nada pendiente de pago.",
    "The most you can pay is the balance, {balance}.": (
        "Lo máximo que puedes pagar es el saldo pendiente, {balance}."
    ),
    "The balance is below the smallest online payment ({minimum}). Please contact us.": (
        "El saldo pendiente es inferior al pago mínimo en línea ({minimum}). Ponte en contacto con "
        "nosotros."
    ),
    "The smallest online payment is {minimum}.": "El pago mínimo en línea es de {minimum}.",
    "Pay the whole balance, or leave at least {minimum} to pay later.": (
        "Paga el saldo completo o deja al menos {minimum} para pagar más adelante."
    ),
    "That payment page does not exist.": "Esa página de pago no existe.",
    "Payments can be recorded only on a sent invoice with a balance.": (
        "Solo se pueden registrar pagos en una factura enviada con saldo pendiente."
    ),
    "That is more than the balance ({balance}).": "Es más que el saldo pendiente ({balance}).",
    "Choose how it was paid.": "Elige cómo se pagó.",
    "Enter the date as YYYY-MM-DD.": "Introduce la fecha en formato AAAA-MM-DD.",
    "The payment date cannot be in the future.": "La fecha de pago no puede ser futura.",
    "Keep the note under 500 characters.": "La nota debe tener menos de 500 caracteres.",
    "This payment is already fully refunded.": "Este pago ya se ha reembolsado por completo.",
    "At most {amount} can be refunded.": "Se puede reembolsar como máximo {amount}.",
    "That payment does not exist.": "Ese pago no existe.",
    # money: amounts, quantities, tax rates
    "Use a point for decimals, such as 12.50.": (
        "Usa un punto para los decimales, por ejemplo 12.50."
    ),
    # ({what} arrives in English ("an amount"): the forms used come first)
    "Enter an amount such as {example}.": "Introduce un importe, por ejemplo {example}.",
    "Enter a unit price such as {example}.": "Introduce un precio unitario, por ejemplo {example}.",
    "Enter a discount such as {example}.": "Introduce un descuento, por ejemplo {example}.",
    "Enter {what} such as {example}.": "Introduce {what}, por ejemplo {example}.",
    "Enter an amount above zero.": "Introduce un importe mayor que cero.",
    "Enter {what} above zero.": "Introduce {what} mayor que cero.",
    "Enter an amount.": "Introduce un importe.",
    "Enter {what}.": "Introduce {what}.",
    "Amounts cannot be negative.": "Los importes no pueden ser negativos.",
    "{currency} amounts have no decimals.": "Los importes en {currency} no llevan decimales.",
    "Use at most {places} decimal places.": "Usa como máximo {places} decimales.",
    "That amount is too high.": "Ese importe es demasiado alto.",
    "Enter a quantity such as 1 or 1.5.": "Introduce una cantidad, por ejemplo 1 o 1.5.",
    "The quantity must be above 0 and at most 100,000.": (
        "La cantidad debe ser mayor que 0 y como máximo 100 000."
    ),
    "Use at most 2 decimal places in a quantity.": "Usa como máximo 2 decimales en la cantidad.",
    "Enter a tax rate such as 8.25.": "Introduce un porcentaje de impuesto, por ejemplo 8.25.",
    "The tax rate must be between 0 and 100 %.": (
        "El porcentaje de impuesto debe estar entre 0 y 100 %."
    ),
    "Use at most 2 decimal places in the tax rate.": (
        "Usa como máximo 2 decimales en el porcentaje de impuesto."
    ),
    "Tax ({rate}%)": "Impuesto ({rate} %)",
    "{number} — {balance} due": "{number} — {balance} por pagar",
    # sign-in, codes, accounts, passwords
    "Your portal access is not active. Please contact us.": (
        "Tu acceso al portal no está activo. Ponte en contacto con nosotros."
    ),
    "Too many sign-in attempts. Wait a few minutes and try again.": (
        "Demasiados intentos de inicio de sesión. Espera unos minutos y vuelve a intentarlo."
    ),
    "Email or password is incorrect.": "El correo electrónico o la contraseña no son correctos.",
    "Please sign in again.": "Vuelve a iniciar sesión.",
    "Your current password is not right.": "Tu contraseña actual no es correcta.",
    "Too many codes requested. Wait a few minutes and try again.": (
        "Has pedido demasiados códigos. Espera unos minutos y vuelve a intentarlo."
    ),
    "That code has expired or was already used. Request a new code.": (
        "Ese código ha caducado o ya se ha usado. Pide un código nuevo."
    ),
    "That code is not right. Check it and try again.": (
        "Ese código no es correcto. Revísalo y vuelve a intentarlo."
    ),
    "Too many wrong tries. Request a new code.": (
        "Demasiados intentos fallidos. Pide un código nuevo."
    ),
    "That account is not available.": "Esa cuenta no está disponible.",
    "Enter a valid email address.": "Introduce un correo electrónico válido.",
    "Use at least {min} characters for your password.": (
        "Usa al menos {min} caracteres en tu contraseña."
    ),
    "Use at most {max} characters.": "Usa {max} caracteres como máximo.",
    "Enter the 6-digit code.": "Introduce el código de 6 dígitos.",
    "Enter your full name.": "Introduce tu nombre completo.",
    "Use at most 200 characters.": "Usa 200 caracteres como máximo.",
    (
        "If this email has portal access, we have sent a 6-digit code to it (or by text message to "
        "the mobile number we have on file)."
    ): (
        "Si este correo tiene acceso al portal, hemos enviado a esa dirección un código de 6 "
        "dígitos (o un SMS al número de teléfono que tenemos registrado)."
    ),
    "A new code is on its way.": "Te hemos enviado un código nuevo.",
    "Signing you in…": "Iniciando sesión…",
    "Password saved. Other devices were signed out.": (
        "Contraseña guardada. Se ha cerrado la sesión en los demás dispositivos."
    ),
    "Notification choices saved.": "Preferencias de notificación guardadas.",
    "That part of the portal is not available to you.": (
        "Esa parte del portal no está disponible para ti."
    ),
    # invitations
    "This client has already signed in; copy the portal link and send it to them instead.": (
        "Este cliente ya ha iniciado sesión; copia el enlace del portal y envíaselo."
    ),
    "Add the client's email address before inviting them.": (
        "Añade el correo electrónico del cliente antes de invitarlo."
    ),
    "This client has not agreed to email (Email OK is off). Portal access needs an email "
    "with consent: tick Email OK first.": (
        "Este cliente no ha aceptado recibir correos (Email OK está desactivado). El acceso "
        "al portal necesita un correo con consentimiento: marca primero Email OK."
    ),
    "Select at least one client.": "Selecciona al menos un cliente.",
    "Invite at most {max} clients at a time.": "Invita como máximo a {max} clientes a la vez.",
    (
        "This invitation link has expired or was already used. Sign in with your email address, or "
        "ask us for a new invitation."
    ): (
        "Este enlace de invitación ha caducado o ya se ha usado. Inicia sesión con tu correo "
        "electrónico o pídenos una nueva invitación."
    ),
    "That is already the portal email.": "Ese ya es el correo del portal.",
    # documents and files
    (
        "PDF, images (PNG, JPEG, GIF, WEBP, HEIC), text (.txt, .csv), Word (.docx), Excel (.xlsx), "
        "PowerPoint (.pptx) and OpenDocument text (.odt)"
    ): (
        "PDF, imágenes (PNG, JPEG, GIF, WEBP, HEIC), texto (.txt, .csv), Word (.docx), Excel "
        "(.xlsx), PowerPoint (.pptx) y texto OpenDocument (.odt)"
    ),
    # (the list of allowed types arrives in English: the sentences with it come first)
    (
        "“{name}” is not an allowed type. Allowed types: PDF, images (PNG, JPEG, GIF, WEBP, HEIC), "
        "text (.txt, .csv), Word (.docx), Excel (.xlsx), PowerPoint (.pptx) and OpenDocument text "
        "(.odt)."
    ): (
        "“{name}” no es un tipo de archivo permitido. Tipos permitidos: PDF, imágenes (PNG, JPEG, "
        "GIF, WEBP, HEIC), texto (.txt, .csv), Word (.docx), Excel (.xlsx), PowerPoint (.pptx) y "
        "texto OpenDocument (.odt)."
    ),
    (
        "“{name}” is not an allowed type: it is not a real {kind} file. Allowed types: PDF, images "
        "(PNG, JPEG, GIF, WEBP, HEIC), text (.txt, .csv), Word (.docx), Excel (.xlsx), PowerPoint "
        "(.pptx) and OpenDocument text (.odt)."
    ): (
        "“{name}” no es un tipo de archivo permitido: no es realmente un archivo {kind}. Tipos "
        "permitidos: PDF, imágenes (PNG, JPEG, GIF, WEBP, HEIC), texto (.txt, .csv), Word (.docx), "
        "Excel (.xlsx), PowerPoint (.pptx) y texto OpenDocument (.odt)."
    ),
    "“{name}” is not an allowed type. Allowed types: {types}.": (
        "“{name}” no es un tipo de archivo permitido. Tipos permitidos: {types}."
    ),
    "“{name}” is not an allowed type: it is not a real {kind} file. Allowed types: {types}.": (
        "“{name}” no es un tipo de archivo permitido: no es realmente un archivo {kind}. Tipos "
        "permitidos: {types}."
    ),
    "Keep the title under 200 characters.": "El título debe tener menos de 200 caracteres.",
    "{count} bytes": "{count} bytes",
    " by ": " con ",
    # intake forms: the signature pad and its messages (components/signature_pad.py,
    # services/forms/signature.py)
    "The signature could not be read. Please clear it and sign again.": (
        "No hemos podido leer la firma. Bórrala y vuelve a firmar."),
    "The signature image is too large. Please clear it and sign again.": (
        "La imagen de la firma es demasiado grande. Bórrala y vuelve a firmar."),
    "Please draw your signature in the box, or type your name instead.": (
        "Dibuja tu firma en el recuadro o, si lo prefieres, escribe tu nombre."),
    "Please type your name to sign.": "Escribe tu nombre para firmar.",
    "A typed signature is limited to 100 characters.": (
        "Una firma escrita tiene un máximo de 100 caracteres."),
    "Draw your signature in the box with a finger, a pen or the mouse. If you prefer, or use "
    "a keyboard or a screen reader, type your name instead.": (
        "Dibuja tu firma en el recuadro con el dedo, un lápiz o el ratón. Si lo prefieres, o "
        "usas un teclado o un lector de pantalla, escribe tu nombre."),
    "Clear": "Borrar",
    "Type your full name instead": "O escribe tu nombre completo",
    # --- offline page (portal_app/templates/pwa/offline.html) ---
    "You are offline": "No tienes conexión",
    "Check your internet connection, then try again.": (
        "Comprueba tu conexión a internet y vuelve a intentarlo."),
    "Retry": "Reintentar",
    "Choose a file.": "Elige un archivo.",
    "Choose at most {max} files.": "Elige {max} archivos como máximo.",
    "“{name}” is empty.": "“{name}” está vacío.",
    "“{name}” is larger than {limit}.": "“{name}” ocupa más de {limit}.",
    "These files add up to more than {mb} MB.": "Estos archivos ocupan en total más de {mb} MB.",
    "These files add up to more than {limit}.": "Estos archivos ocupan en total más de {limit}.",
    "That document does not exist.": "Ese documento no existe.",
    "Only documents shared with the client can be replaced.": (
        "Solo se pueden sustituir los documentos compartidos con el cliente."
    ),
    "Documents are not available to you. Please contact us.": (
        "Los documentos no están disponibles para ti. Ponte en contacto con nosotros."
    ),
    "Sending files is not available to you.": "El envío de archivos no está disponible para ti.",
    "Sending files is not available to you. Please contact us.": (
        "El envío de archivos no está disponible para ti. Ponte en contacto con nosotros."
    ),
    "Sent 1 file. Thank you!": "Se ha enviado 1 archivo. ¡Gracias!",
    "Sent {count} files. Thank you!": "Se han enviado {count} archivos. ¡Gracias!",
    "From us": "Enviado por nosotros",
    "Sent by you": "Enviado por ti",
    # messages
    "Enter a subject.": "Escribe un asunto.",
    "Keep the subject under {max} characters.": "El asunto debe tener menos de {max} caracteres.",
    "Write a message first.": "Primero escribe un mensaje.",
    "Keep the message under {max} characters (it has {count}).": (
        "El mensaje debe tener menos de {max} caracteres (ahora tiene {count})."
    ),
    "Secure messaging is not available for your account. Please contact us directly.": (
        "La mensajería segura no está disponible para tu cuenta. Ponte en contacto con nosotros "
        "directamente."
    ),
    "Documents are turned off, so files cannot be attached.": (
        "Los documentos están desactivados, así que no se pueden adjuntar archivos."
    ),
    "Only a signed-in staff member can start this conversation.": (
        "Solo un miembro del equipo con la sesión iniciada puede empezar esta conversación."
    ),
    "That conversation does not exist.": "Esa conversación no existe.",
    "Only a signed-in staff member can reply.": (
        "Solo un miembro del equipo con la sesión iniciada puede responder."
    ),
    "This conversation is closed. Start a new one instead.": (
        "Esta conversación está cerrada. Empieza una nueva."
    ),
    "Choose an active staff member.": "Elige un miembro del equipo que esté activo.",
    "You": "Tú",
    "Us": "Nosotros",
    "Message sent.": "Mensaje enviado.",
    "Choose a conversation first.": "Primero elige una conversación.",
    "Messaging is not available to you. Please contact us.": (
        "La mensajería no está disponible para ti. Ponte en contacto con nosotros."
    ),
    # notifications
    "Choose from the listed notifications.": "Elige entre las notificaciones de la lista.",
    "A notification links to a page of the portal.": (
        "Una notificación debe enlazar a una página del portal."
    ),
    "Unknown kind of notification.": "Tipo de notificación desconocido.",
    "A notification needs a title.": "Una notificación necesita un título.",
    "Keep the title under {max} characters.": "El título debe tener menos de {max} caracteres.",
    "That notification does not exist.": "Esa notificación no existe.",
    # bookings
    "That booking does not exist.": "Esa cita no existe.",
    "This booking is no longer active.": "Esta cita ya no está activa.",
    "This appointment has already started. Please contact us.": (
        "Esta cita ya ha empezado. Ponte en contacto con nosotros."
    ),
    # ("within 24 hours" must meet the {hours} form before the general {window} one)
    "Changes are not possible within 1 hour of the start. Please contact us.": (
        "No es posible hacer cambios en la hora previa al inicio. Ponte en contacto con nosotros."
    ),
    "Changes are not possible within {hours} hours of the start. Please contact us.": (
        "No es posible hacer cambios en las {hours} horas previas al inicio. Ponte en contacto con "
        "nosotros."
    ),
    "Changes are not possible within {window} of the start. Please contact us.": (
        "No es posible hacer cambios tan cerca del inicio ({window}). Ponte en contacto con "
        "nosotros."
    ),
    "Sign in to change bookings.": "Inicia sesión para cambiar tus citas.",
    "Unknown booking source.": "Origen de la cita desconocido.",
    "This service cannot be booked at the moment.": (
        "Este servicio no se puede reservar en este momento."
    ),
    "That client does not exist.": "Ese cliente no existe.",
    "That person does not provide this service.": "Esa persona no ofrece este servicio.",
    "Only a pending request can be approved.": "Solo se puede aprobar una solicitud pendiente.",
    "Only a pending request can be declined.": "Solo se puede rechazar una solicitud pendiente.",
    "That time was just taken. Please choose another.": (
        "Alguien acaba de reservar esa hora. Elige otra."
    ),
    "The step must be a multiple of 5 minutes.": "El intervalo debe ser un múltiplo de 5 minutos.",
    "Times must carry a time zone.": "Las horas deben incluir una zona horaria.",
    "Choose a service from the list.": "Elige un servicio de la lista.",
    "Choose a time first.": "Primero elige una hora.",
    "Request sent: we'll confirm by email.": (
        "Solicitud enviada: te confirmaremos la cita por correo."
    ),
    "Booked. A confirmation is on its way by email.": (
        "Cita reservada. Te enviaremos la confirmación por correo."
    ),
    "That booking was not found.": "No se encontró esa cita.",
    "Booking cancelled.": "Cita cancelada.",
    "Booking is not available to you. Please contact us.": (
        "Las reservas no están disponibles para ti. Ponte en contacto con nosotros."
    ),
    "{minutes} min": "{minutes} min",
    # the booking picker's steps (issue 17)
    "Back": "Atrás",
    "Days": "Días",
    "Change time": "Cambiar la hora",
    "Free": "Gratis",
    # payment pages
    "Test-mode payments are switched off on this portal.": (
        "Los pagos en modo de prueba están desactivados en este portal."
    ),
    "Online payment is not available to you. Please contact us.": (
        "El pago en línea no está disponible para ti. Ponte en contacto con nosotros."
    ),
    "You have nothing to pay at the moment.": "No tienes nada pendiente de pago en este momento.",
    "We are confirming your payment; this page updates by itself.": (
        "Estamos confirmando tu pago; esta página se actualizará sola."
    ),
    "The payment was cancelled. Nothing was charged.": (
        "Se ha cancelado el pago. No se ha cobrado nada."
    ),
    "Payment received. Thank you!": "Pago recibido. ¡Gracias!",
    "Estimate accepted. Thank you!": "Presupuesto aceptado. ¡Gracias!",
    "Estimate declined.": "Presupuesto rechazado.",
    "Payments are not available to you. Please contact us.": (
        "Los pagos no están disponibles para ti. Ponte en contacto con nosotros."
    ),
    # --- profile page and its messages ---
    "Profile": "Perfil",
    "Your details": "Tus datos",
    "Mobile phone": "Teléfono móvil",
    "Time zone": "Zona horaria",
    "Language": "Idioma",
    "Save profile": "Guardar perfil",
    "Times in the portal and in our emails are shown in this zone.": (
        "Las horas del portal y de nuestros correos se muestran en esta zona."),
    "Your data": "Tus datos personales",
    "Download my data": "Descargar mis datos",
    "Download everything the portal holds about this account: your details, bookings, "
    "invoices and payments, messages, notifications and your documents, as a zip file.": (
        "Descarga todo lo que el portal guarda sobre esta cuenta: tus datos, citas, facturas "
        "y pagos, mensajes, notificaciones y tus documentos, en un archivo zip."),
    "Close my account": "Cerrar mi cuenta",
    "Close my account?": "¿Cerrar mi cuenta?",
    "Ask to close my account": "Pedir el cierre de mi cuenta",
    "No longer need the portal? Ask us to close your account.": (
        "¿Ya no necesitas el portal? Pídenos que cerremos tu cuenta."),
    "We will be told and will contact you. Nothing is deleted until we have talked, and you "
    "can still sign in meanwhile.": (
        "Nos llegará tu petición y te contactaremos. No se borra nada hasta que hablemos, y "
        "mientras tanto puedes seguir iniciando sesión."),
    "Reason (optional)": "Motivo (opcional)",
    "You asked to close this account.": "Pediste cerrar esta cuenta.",
    "Asked on:": "Pedido el:",
    "Your reason:": "Tu motivo:",
    "Your request is with us: we will contact you. Nothing has been deleted.": (
        "Hemos recibido tu petición: te contactaremos. No se ha borrado nada."),
    "Your name, time zone, language and email notifications are on ": (
        "Tu nombre, zona horaria, idioma y avisos por correo están en "),
    "your profile": "tu perfil",
    "Profile saved.": "Perfil guardado.",
    "Your request was sent. We will be in touch.": (
        "Hemos enviado tu petición. Te contactaremos."),
    "Choose a language from the list.": "Elige un idioma de la lista.",
    "Keep the reason under {limit} characters.": (
        "El motivo debe tener menos de {limit} caracteres."),
    "You have already asked to close this account. We will be in touch.": (
        "Ya pediste cerrar esta cuenta. Te contactaremos."),
    "This client has not asked to close the account.": (
        "Este cliente no ha pedido cerrar la cuenta."),
    "Enter a mobile number with country code, e.g. +1 555 010 0200.": (
        "Introduce un número de móvil con el prefijo del país, por ejemplo +34 600 000 000."),
    "Choose a time zone from the list, e.g. America/New_York.": (
        "Elige una zona horaria de la lista, por ejemplo Europe/Madrid."),
    "Notes are limited to 5,000 characters.": "Las notas tienen un máximo de 5000 caracteres.",
    "Invite this client to the portal first; household members share their portal email.": (
        "Invita primero a este cliente al portal; los miembros de un hogar comparten su correo "
        "del portal."),
    "This client is not part of a household.": "Este cliente no forma parte de un hogar.",
    # --- bell lines (worded when read, from kind + params: services/notification_texts.py) ---
    "{headline}: {service}, {when}": "{headline}: {service}, {when}",
    "New message: {subject}": "Nuevo mensaje: {subject}",
    "New invoice {number} — {total}": "Nueva factura {number} — {total}",
    "New estimate {number} — {total}": "Nuevo presupuesto {number} — {total}",
    "Reminder: invoice {number} — {total}": "Recordatorio: factura {number} — {total}",
    "Reminder: estimate {number} — {total}": "Recordatorio: presupuesto {number} — {total}",
    "Payment received: {amount} for invoice {number}": (
        "Pago recibido: {amount} de la factura {number}"),
    "New document: {title}": "Nuevo documento: {title}",
    "Updated document: {title}": "Documento actualizado: {title}",
    "{count} new documents": "{count} documentos nuevos",
}
