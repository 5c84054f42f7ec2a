"""Spanish catalogue of the hub (issue 22), part "hub" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # The app switcher and the registry's labels
    "Apps": "Aplicaciones",
    "Courses": "Cursos",
    # Profile completion
    "Complete your profile": "Completa tu perfil",
    "Before you open": "Antes de abrir",
    "we need a little more about you. You are asked once.":
        "necesitamos algo más sobre ti. Solo te lo preguntamos una vez.",
    "Save and continue": "Guardar y continuar",
    "Display name": "Nombre visible",
    "The name other members see. 2 to 40 characters.":
        "El nombre que ven los demás miembros. De 2 a 40 caracteres.",
    "With the country code, e.g. +1 555 010 0200.":
        "Con el prefijo del país, p. ej. +34 600 000 000.",
    "That app is not available.": "Esa aplicación no está disponible.",
    "Enter your mobile number.": "Introduce tu número de móvil.",
    "Enter a display name of at least 2 characters.":
        "Introduce un nombre visible de al menos 2 caracteres.",
    "Use at most 40 characters for the display name.":
        "Usa como máximo 40 caracteres para el nombre visible.",
    "Use letters, numbers and punctuation only.":
        "Usa solo letras, números y signos de puntuación.",
    # Sign-up
    "If this email already has a portal account, the email tells you how to sign in with it "
    "instead: one email never has two accounts.":
        "Si este correo ya tiene una cuenta del portal, el mensaje te explica cómo entrar con "
        "ella: un correo nunca tiene dos cuentas.",
    # Console: Portal settings → Apps
    "The portal's own sections are always there. An app you turn on shows in a client's app "
    "switcher once they have access to it (an offer they bought or were given, or access you "
    "give on the client's page).":
        "Las secciones propias del portal están siempre. Una aplicación que actives aparece en "
        "el selector de aplicaciones del cliente en cuanto tiene acceso (una oferta que compró "
        "o recibió, o el acceso que le des en su ficha).",
    "Landing app after sign-in": "Aplicación de inicio al entrar",
    "Portal (dashboard)": "Portal (panel principal)",
    "A client who may not use the landing app lands on the dashboard.":
        "Un cliente que no puede usar la aplicación de inicio entra en el panel principal.",
    "Allow several client records per email": "Permitir varias fichas de cliente por correo",
    "On: signing up with an email that already has a portal account adds a new client record "
    "to that account's household (after the emailed code). Off: it offers to sign in instead. "
    "An email never gets a second account.":
        "Activado: registrarse con un correo que ya tiene cuenta del portal añade una ficha de "
        "cliente nueva al grupo familiar de esa cuenta (tras el código enviado por correo). "
        "Desactivado: se le ofrece entrar. Un correo nunca tiene una segunda cuenta.",
    "Save apps": "Guardar aplicaciones",
    "Apps saved.": "Aplicaciones guardadas.",
    "Choose a landing app.": "Elige una aplicación de inicio.",
    "Turn that app on first, or choose another landing app.":
        "Activa primero esa aplicación o elige otra aplicación de inicio.",
    # Console: a client's "Apps & access"
    "Apps & access": "Aplicaciones y acceso",
    "The Courses app is off in Portal settings: access given here shows once it is on.":
        "La aplicación Cursos está desactivada en los ajustes del portal: el acceso que des "
        "aquí se verá cuando la actives.",
    "Give access to": "Dar acceso a",
    "Last day (optional)": "Último día (opcional)",
    "Give access": "Dar acceso",
    "No access to apps yet.": "Todavía sin acceso a aplicaciones.",
    "{app} (everything)": "{app} (todo)",
    "from": "desde",
    "until": "hasta",
    "Ended by staff": "Finalizado por el equipo",
    "Restore": "Restablecer",
    "Restore access to": "Restablecer el acceso a",
    "End access": "Finalizar acceso",
    "End access to": "Finalizar el acceso a",
    "End access now": "Finalizar acceso ahora",
    "The client loses access at their next action. Their progress is kept, and you can "
    "restore access later.":
        "El cliente pierde el acceso en su siguiente acción. Se conserva su progreso y puedes "
        "restablecer el acceso más adelante.",
    "Reason (optional, for the record)": "Motivo (opcional, para el registro)",
    "Access given.": "Acceso concedido.",
    "Access ended. The client's progress is kept.":
        "Acceso finalizado. Se conserva el progreso del cliente.",
    "Access restored.": "Acceso restablecido.",
    "Purchase": "Compra",
    "Free offer": "Oferta gratuita",
    "Given by staff": "Concedido por el equipo",
    "Invitation": "Invitación",
    "Starts later": "Empieza más adelante",
    "Ended": "Finalizado",
    "This client already has that access.": "Este cliente ya tiene ese acceso.",
    "That course does not exist.": "Ese curso no existe.",
    "The last day must be today or later.": "El último día debe ser hoy o más adelante.",
    "Enter the last day as a date.": "Introduce el último día como una fecha.",
    "Choose what to give access to.": "Elige a qué dar acceso.",
    # services/hub/entitlements.py (shown to staff)
    "That grant does not exist.": "Ese acceso no existe.",
    "Unknown kind of grant.": "Tipo de acceso desconocido.",
    "Choose an app.": "Elige una aplicación.",
    "The end must be after the start.": "El final debe ser posterior al inicio.",
    "That access was already ended.": "Ese acceso ya estaba finalizado.",
    "That access is not ended.": "Ese acceso no está finalizado.",
}
