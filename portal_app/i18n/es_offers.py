"""Spanish catalogue of the hub (issue 22), part "offers" (English msgid -> Spanish).
The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # The client's Offers page.
    "Offers": "Ofertas",
    "Includes: ": "Incluye: ",
    "All courses": "Todos los cursos",
    "Get it": "Obtener",
    "Buy for {price}": "Comprar por {price}",
    "Access for {days} days": "Acceso durante {days} días",
    "Nothing new to offer you at the moment.": "Por ahora no hay nada nuevo que ofrecerte.",
    "It is yours: {name}.": "Ya es tuyo: {name}.",
    "Thank you! You now have {name}.": "¡Gracias! Ya tienes {name}.",
    "Thank you! Your payment for {name} is being confirmed; access opens once it is.":
        "¡Gracias! Estamos confirmando tu pago de {name}; el acceso se abre en cuanto se "
        "confirme.",
    "You have this.": "Ya lo tienes.",
    "This offer is not free.": "Esta oferta no es gratuita.",
    "This offer is free: choose Get it.": "Esta oferta es gratuita: elige Obtener.",
    "That offer does not exist.": "Esa oferta no existe.",
    "An archived offer cannot be given.": "Una oferta archivada no se puede dar.",
    "This client already has everything in this offer.":
        "Este cliente ya tiene todo lo que incluye esta oferta.",
    # Console -> Offers.
    "An offer gives access to courses: free, for a price, by staff, or with a booking of "
    "a service.":
        "Una oferta da acceso a cursos: gratis, por un precio, dada por el equipo o al "
        "reservar un servicio.",
    "New offer": "Nueva oferta",
    "Edit offer": "Editar oferta",
    "Save offer": "Guardar oferta",
    "Offer saved.": "Oferta guardada.",
    "Offer archived.": "Oferta archivada.",
    "Offer": "Oferta",
    "Price (empty or 0 = free)": "Precio (vacío o 0 = gratis)",
    "Access for (days; empty = no end)": "Acceso durante (días; vacío = sin fin)",
    "Booking this service gives the offer": "Reservar este servicio da la oferta",
    "No service": "Ningún servicio",
    "Given by staff only (not listed to clients)":
        "Solo la da el equipo (no se muestra a los clientes)",
    "Staff only": "Solo el equipo",
    "Gives access to": "Da acceso a",
    "Buyers": "Compradores",
    "Buyers of ": "Compradores de ",
    "Archive ": "Archivar ",
    "No offers yet.": "Aún no hay ofertas.",
    "No one has this offer yet.": "Nadie tiene esta oferta todavía.",
    "Give to a client": "Dar a un cliente",
    "Find": "Buscar",
    "Give": "Dar",
    "Give to ": "Dar a ",
    "Keep access": "Mantener el acceso",
    "Keep access for ": "Mantener el acceso de ",
    "Access kept.": "Acceso mantenido.",
    "Awaiting payment": "Pendiente de pago",
    "Claimed (free)": "Obtenida (gratis)",
    "Refunded, access kept": "Reembolsada, acceso mantenido",
    "Booked the linked service": "Reservó el servicio vinculado",
    "Keep the client's access to ": "Mantener el acceso del cliente a ",
    " (a refund of the whole payment ends it otherwise)":
        " (si no, el reembolso de todo el pago lo termina)",
    "Give the offer a name of 2 to 120 characters.":
        "Dale a la oferta un nombre de 2 a 120 caracteres.",
    "Keep the description under 5,000 characters.":
        "La descripción debe tener menos de 5.000 caracteres.",
    "Choose draft, active or archived.": "Elige borrador, activa o archivada.",
    "Choose what the offer gives access to.": "Elige a qué da acceso la oferta.",
    "Choose at least one thing the offer gives access to.":
        "Elige al menos una cosa a la que dé acceso la oferta.",
    "That course does not exist.": "Ese curso no existe.",
    "That service does not exist.": "Ese servicio no existe.",
    "Enter a number of days from 1 to {days}, or leave it empty for access without an end.":
        "Introduce un número de días de 1 a {days}, o déjalo vacío para un acceso sin fin.",
    "That purchase does not exist.": "Esa compra no existe.",
    "Only a refunded purchase can keep its access.":
        "Solo una compra reembolsada puede mantener su acceso.",
}
