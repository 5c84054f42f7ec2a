"""Spanish catalogue of the Community app (issue 23), part "admin": the console's groups, channels, settings, members, join requests and levels
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # Groups page and the app switch
    "Community app": "App Comunidad",
    "Community is on for the business": "Comunidad está activada para el negocio",
    "Every client may use Community (without an offer or a grant)":
        "Todos los clientes pueden usar Comunidad (sin oferta ni acceso concedido)",
    "Otherwise a client sees Community once they hold an offer or a grant that includes it.":
        "Si no, un cliente ve Comunidad cuando tiene una oferta o un acceso que la incluye.",
    "Community settings saved.": "Ajustes de Comunidad guardados.",
    "Community is the landing app: choose another one in Portal settings first.":
        "Comunidad es la app de inicio: primero elige otra en Ajustes del portal.",
    "Community pages": "Páginas de Comunidad",
    "Groups": "Grupos",
    "Group": "Grupo",
    "Group: ": "Grupo: ",
    "Moderation": "Moderación",
    "New group": "Nuevo grupo",
    "Create group": "Crear grupo",
    "No groups yet.": "Aún no hay grupos.",
    "Join requests": "Solicitudes para unirse",
    "Waiting for review": "Pendiente de revisión",
    "A new group has a Feed channel and an Announcements channel; add more on its page.":
        "Un grupo nuevo tiene un canal Publicaciones y un canal Anuncios; añade más en su "
        "página.",
    "Group created.": "Grupo creado.",
    "All community groups": "Todos los grupos de la comunidad",
    # Group settings
    "Description (optional, up to 2,000 characters)":
        "Descripción (opcional, hasta 2.000 caracteres)",
    "Open: any client with Community may join":
        "Abierto: cualquier cliente con Comunidad puede unirse",
    "Private: clients ask to join, staff approve":
        "Privado: los clientes piden unirse y el equipo aprueba",
    "Entitlement-only: holders of an offer or grant to it":
        "Solo con acceso: quienes tienen una oferta o un acceso a él",
    "Open to all": "Abierto a todos",
    "Private": "Privado",
    "Entitlement-only": "Solo con acceso",
    "Approve a new member's first posts (0 to 50; 0 = off)":
        "Aprobar las primeras publicaciones de un miembro nuevo (0 a 50; 0 = no)",
    "Reports that hide a post pending review (1 to 100)":
        "Denuncias que ocultan una publicación hasta revisarla (1 a 100)",
    "Words that hold a post for review (separated by commas)":
        "Palabras que retienen una publicación para revisión (separadas por comas)",
    "Links in posts and comments": "Enlaces en publicaciones y comentarios",
    "Allow links": "Permitir enlaces",
    "Hold posts with links": "Retener publicaciones con enlaces",
    "Refuse posts with links": "Rechazar publicaciones con enlaces",
    "Settings": "Ajustes",
    "Archive group": "Archivar grupo",
    "Restore group": "Restaurar grupo",
    "Group saved.": "Grupo guardado.",
    "Group archived.": "Grupo archivado.",
    "Group restored.": "Grupo restaurado.",
    "Give the group a name of 2 to 120 characters.":
        "Ponle al grupo un nombre de 2 a 120 caracteres.",
    "Keep the description under 2,000 characters.":
        "La descripción debe tener menos de 2.000 caracteres.",
    "Choose open, private or entitlement-only.": "Elige abierto, privado o solo con acceso.",
    "Enter a number from 0 to 50.": "Escribe un número del 0 al 50.",
    "Enter a number from 1 to 100.": "Escribe un número del 1 al 100.",
    "Choose allow, hold or block.": "Elige permitir, retener o rechazar.",
    "This group is archived: restore it first.":
        "Este grupo está archivado: restáuralo primero.",
    "Open a group first.": "Abre un grupo primero.",
    "Gamification and levels": "Gamificación y niveles",
    # Channels
    "Channels": "Canales",
    "Channel": "Canal",
    "Feed": "Publicaciones",
    "Announcements": "Anuncios",
    "Approve before publishing": "Aprobar antes de publicar",
    "Approve every post in ": "Aprobar cada publicación en ",
    "Approve: on": "Aprobación: sí",
    "Approve: off": "Aprobación: no",
    "New channel": "Nuevo canal",
    "Add channel": "Añadir canal",
    "Rename": "Renombrar",
    "Rename ": "Renombrar ",
    "Rename channel": "Renombrar canal",
    "Members see the new name at once.": "Los miembros ven el nuevo nombre al instante.",
    "Restore ": "Restablecer ",
    "Channel added.": "Canal añadido.",
    "Channel archived.": "Canal archivado.",
    "Channel renamed.": "Canal renombrado.",
    "Channel restored.": "Canal restaurado.",
    "Give the channel a name of 1 to 60 characters.":
        "Ponle al canal un nombre de 1 a 60 caracteres.",
    "Choose feed, announcements or questions.": "Elige publicaciones, anuncios o preguntas.",
    "Keep at least one channel clients can post in.":
        "Deja al menos un canal en el que los clientes puedan publicar.",
    "A group has at most 30 channels.": "Un grupo tiene como máximo 30 canales.",
    # Members
    "Members": "Miembros",
    "Member": "Miembro",
    "Joined": "Se unió",
    "Left": "Salió",
    "Removed": "Quitado",
    "Banned": "Expulsado",
    "Search members": "Buscar miembros",
    "No members found.": "No se encontraron miembros.",
    "Muted until ": "Silenciado hasta ",
    "Mute": "Silenciar",
    "Mute ": "Silenciar a ",
    "Mute {name}": "Silenciar a {name}",
    "Unmute": "Quitar silencio",
    "Unmute ": "Quitar silencio a ",
    "Ban": "Expulsar",
    "Ban ": "Expulsar a ",
    "Ban {name}": "Expulsar a {name}",
    "Unban": "Readmitir",
    "Unban ": "Readmitir a ",
    "Remove {name} from the group": "Quitar a {name} del grupo",
    "Add ": "Añadir a ",
    "Add a client": "Añadir un cliente",
    "The client becomes a member at once (a staff grant to the group).":
        "El cliente pasa a ser miembro al instante (un acceso al grupo dado por el equipo).",
    "A banned member loses access at their next action, whatever grants they hold.":
        "Un miembro expulsado pierde el acceso en su siguiente acción, tenga los accesos que "
        "tenga.",
    "A muted member may read but not post, comment or react.":
        "Un miembro silenciado puede leer, pero no publicar, comentar ni reaccionar.",
    "A removed member may be added again later.":
        "Un miembro quitado puede volver a añadirse más adelante.",
    "For how long": "Durante cuánto tiempo",
    "1 hour": "1 hora",
    "1 day": "1 día",
    "7 days": "7 días",
    "30 days": "30 días",
    "Until a date (below)": "Hasta una fecha (abajo)",
    "Last day of the mute": "Último día del silencio",
    "Member removed.": "Miembro quitado.",
    "Member banned.": "Miembro expulsado.",
    "Member muted.": "Miembro silenciado.",
    "Member unmuted.": "Silencio quitado.",
    "Ban lifted.": "Expulsión levantada.",
    "Client added to the group.": "Cliente añadido al grupo.",
    "Choose what to do.": "Elige qué hacer.",
    "That member does not exist.": "Ese miembro no existe.",
    "Give a reason (up to 300 characters).": "Indica un motivo (hasta 300 caracteres).",
    "Keep the reason under 300 characters.": "El motivo debe tener menos de 300 caracteres.",
    "Choose how long the mute lasts.": "Elige cuánto dura el silencio.",
    "Enter the last day of the mute as a date.":
        "Escribe el último día del silencio como una fecha.",
    "This client is already a member.": "Este cliente ya es miembro.",
    "This client is banned from the group: unban them first.":
        "Este cliente está expulsado del grupo: readmítelo primero.",
    "This member is not banned.": "Este miembro no está expulsado.",
    "Only an active member can be muted.": "Solo se puede silenciar a un miembro activo.",
    # Join requests
    "No requests waiting.": "No hay solicitudes pendientes.",
    "Decline the request of ": "Rechazar la solicitud de ",
    "Reason (optional, kept for staff)": "Motivo (opcional, solo para el equipo)",
    "The client is not told the reason.": "Al cliente no se le dice el motivo.",
    "Request approved.": "Solicitud aprobada.",
    "Request declined.": "Solicitud rechazada.",
    "That request does not exist.": "Esa solicitud no existe.",
    # Offers that include the group
    "Offers that include this group": "Ofertas que incluyen este grupo",
    "Clients who buy or are given one of these offers, or book its linked service, "
    "become members at once.":
        "Los clientes que compran o reciben una de estas ofertas, o reservan su servicio "
        "vinculado, pasan a ser miembros al instante.",
    " (granted by booking its service)": " (se concede al reservar su servicio)",
    "No offer includes this group yet.": "Aún ninguna oferta incluye este grupo.",
    "Sell or give access: create an offer": "Vender o dar acceso: crea una oferta",
    # Gamification
    "Gamification": "Gamificación",
    "Gamification is on for this group": "La gamificación está activada en este grupo",
    "Gamification saved.": "Gamificación guardada.",
    "Back to the group": "Volver al grupo",
    "Points": "Puntos",
    "Each number from 0 to 100.": "Cada número del 0 al 100.",
    "Points for a post": "Puntos por publicación",
    "Points for a comment": "Puntos por comentario",
    "Points for a reaction received": "Puntos por reacción recibida",
    "Points for a best answer": "Puntos por mejor respuesta",
    "Save points": "Guardar puntos",
    "Enter a number from 0 to 100.": "Escribe un número del 0 al 100.",
    "Levels": "Niveles",
    "Level": "Nivel",
    "Level name": "Nombre del nivel",
    "Points needed": "Puntos necesarios",
    "Reward": "Recompensa",
    "Reward (optional)": "Recompensa (opcional)",
    "No reward": "Sin recompensa",
    "Reaching the level grants the offer once.": "Alcanzar el nivel concede la oferta una vez.",
    "Add a level": "Añadir un nivel",
    "Edit level": "Editar nivel",
    "Save level": "Guardar nivel",
    "No levels yet.": "Aún no hay niveles.",
    "Level saved.": "Nivel guardado.",
    "Level deleted.": "Nivel eliminado.",
    "That level does not exist.": "Ese nivel no existe.",
    "Give the level a name of 1 to 40 characters.":
        "Ponle al nivel un nombre de 1 a 40 caracteres.",
    "Enter the points needed: a whole number from 0 to 1,000,000.":
        "Escribe los puntos necesarios: un número entero del 0 al 1.000.000.",
    "Another level of this group needs the same points.":
        "Otro nivel de este grupo necesita los mismos puntos.",
    "Choose an active offer, or no reward.": "Elige una oferta activa, o ninguna recompensa.",
    "A group has at most 50 levels.": "Un grupo tiene como máximo 50 niveles.",
    "Someone already answered this request, or the client withdrew it.":
        "Alguien ya respondió a esta solicitud, o el cliente la retiró.",
}
