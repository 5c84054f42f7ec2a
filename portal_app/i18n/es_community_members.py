"""Spanish catalogue of the Community app (issue 23), part "members": the client's group list, joining, the member directory, notification settings and the community profile
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # services/community/membership.py
    "This group is private: ask to join instead.":
        "Este grupo es privado: pide unirte en su lugar.",
    "This group is open: join it instead.": "Este grupo es abierto: únete directamente.",
    "You are already a member of this group.": "Ya eres miembro de este grupo.",
    "Your request is already with the business.": "Tu solicitud ya está en manos del negocio.",
    "The business declined your request to join this group.":
        "El negocio rechazó tu solicitud para unirte a este grupo.",
    "Use at most 500 characters for your note.": "Usa como máximo 500 caracteres en tu nota.",
    "You have asked to join too many groups today. Please try again tomorrow.":
        "Hoy has pedido unirte a demasiados grupos. Vuelve a intentarlo mañana.",
    "There is no request to cancel.": "No hay ninguna solicitud que cancelar.",
    # services/community/notify_settings.py
    "Choose how you would like to be notified.": "Elige cómo quieres recibir los avisos.",
    # services/community/avatars.py
    "Choose an image.": "Elige una imagen.",
    "Choose an image of at most 2 MB.": "Elige una imagen de 2 MB como máximo.",
    "Choose a PNG, JPEG or WEBP image.": "Elige una imagen PNG, JPEG o WEBP.",
    # state/community/list_page.py and its page
    "You joined {name}.": "Te has unido a {name}.",
    "Request sent. The business will let you know.":
        "Solicitud enviada. El negocio te avisará.",
    "1 channel": "1 canal",
    "{count} channels": "{count} canales",
    "Latest activity {when}": "Última actividad {when}",
    "No posts yet": "Aún no hay publicaciones",
    "Open group": "Grupo abierto",
    "Private group": "Grupo privado",
    "Members only": "Solo para miembros",
    "Your groups": "Tus grupos",
    "Groups you can join": "Grupos a los que puedes unirte",
    "Members and settings": "Miembros y ajustes",
    "Join": "Unirme",
    "Ask to join": "Pedir unirme",
    "Request sent": "Solicitud enviada",
    "The business decides who joins this group. You can add a note for them.":
        "El negocio decide quién se une a este grupo. Puedes añadir una nota para ellos.",
    "Note (optional)": "Nota (opcional)",
    "Send request": "Enviar solicitud",
    "No groups yet. The business will let you know when there is one for you.":
        "Aún no hay grupos. El negocio te avisará cuando haya uno para ti.",
    "Go to the group": "Ir al grupo",
    # state/community/profile_card.py and its card
    "Display name saved.": "Nombre visible guardado.",
    "Picture saved.": "Foto guardada.",
    "Picture removed.": "Foto quitada.",
    "Your community profile": "Tu perfil en la comunidad",
    "Other members see this name and picture, never your full name.":
        "Los demás miembros ven este nombre y esta foto, nunca tu nombre completo.",
    "Save name": "Guardar nombre",
    "Picture": "Foto",
    "Your picture": "Tu foto",
    "Choose a picture": "Elegir una foto",
    "PNG, JPEG or WEBP, at most 2 MB.": "PNG, JPEG o WEBP, 2 MB como máximo.",
    "Upload picture": "Subir foto",
    "Remove picture": "Quitar foto",
    # state/community/members_page.py and its page
    "Member": "Miembro",
    "Joined {when}": "Se unió el {when}",
    "{points} points": "{points} puntos",
    "Notification settings saved.": "Ajustes de notificaciones guardados.",
    "You left {name}.": "Has salido de {name}.",
    "Members": "Miembros",
    "Search members": "Buscar miembros",
    "Search by name": "Buscar por nombre",
    "No members match.": "Ningún miembro coincide.",
    "Show more": "Mostrar más",
    "Notification settings": "Ajustes de notificaciones",
    "Muted overrides everything else: nothing from this group reaches you.":
        "Silenciado anula todo lo demás: no te llega nada de este grupo.",
    "Everything at once": "Todo al momento",
    "Every new post and comment, as it happens.":
        "Cada publicación y comentario nuevos, en cuanto ocurren.",
    "Mentions and replies, plus a daily digest": "Menciones y respuestas, más un resumen diario",
    "Mentions of you and replies to you at once; the rest once a day. The default.":
        "Tus menciones y las respuestas a ti al momento; el resto una vez al día. "
        "La opción por defecto.",
    "Muted": "Silenciado",
    "Nothing from this group, not even mentions.": "Nada de este grupo, ni siquiera menciones.",
    "Leave group": "Salir del grupo",
    "You stop seeing the group and its notifications. You can ask to join again later.":
        "Dejas de ver el grupo y sus avisos. Puedes volver a pedir unirte más adelante.",
    "Leave this group?": "¿Salir de este grupo?",
    "Stay": "Quedarme",
    "Back to the group": "Volver al grupo",
    "That group is not available to you.": "Ese grupo no está disponible para ti.",
}
