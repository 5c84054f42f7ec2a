"""Spanish catalogue of the Community app (issue 23), part "feed": the client's group feed, posts, comments, reactions, mentions, reports and files
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "(edited)": "(editado)",
    "Add images or files (up to 4)": "Añade imágenes o archivos (hasta 4)",
    "Back to the group": "Volver al grupo",
    "Best answer": "Mejor respuesta",
    "Channels": "Canales",
    "Comment": "Comentar",
    "Comments": "Comentarios",
    "Edit post": "Editar publicación",
    "An edited post may wait for approval again.":
        "Una publicación editada puede quedar de nuevo pendiente de aprobación.",
    "Edit your comment": "Edita tu comentario",
    "Load more": "Cargar más",
    "Members": "Miembros",
    "New post": "Nueva publicación",
    "No posts yet.": "Aún no hay publicaciones.",
    "Notification settings": "Ajustes de notificaciones",
    "Show more comments": "Mostrar más comentarios",
    "Pinned": "Fijada",
    "Post": "Publicar",
    "Report": "Denunciar",
    "Report to the business": "Denunciar al negocio",
    "Send report": "Enviar denuncia",
    "Tell the business briefly what is wrong. Your name is not shown to the author.":
        "Cuéntale al negocio brevemente qué está mal. Tu nombre no se muestra al autor.",
    "This group is not available to you.": "Este grupo no está disponible para ti.",
    "This post is not available to you.": "Esta publicación no está disponible para ti.",
    "Type @ and a member's name to mention them.":
        "Escribe @ y el nombre de un miembro para mencionarlo.",
    "Waiting for approval": "Pendiente de aprobación",
    "Your comment": "Tu comentario",
    "comments": "comentarios",
    "Choose one of the reactions shown.": "Elige una de las reacciones que se muestran.",
    "Comment deleted.": "Comentario eliminado.",
    "Comment posted.": "Comentario publicado.",
    "Member": "Miembro",
    "Posted.": "Publicado.",
    "Post deleted.": "Publicación eliminada.",
    "Saved.": "Guardado.",
    "Say briefly what is wrong.": "Di brevemente qué está mal.",
    "Thanks! Your comment will appear once the business approves it.":
        "¡Gracias! Tu comentario aparecerá cuando el negocio lo apruebe.",
    "Thanks! Your post will appear once the business approves it.":
        "¡Gracias! Tu publicación aparecerá cuando el negocio la apruebe.",
    "Thanks. The business will look at it.": "Gracias. El negocio lo revisará.",
    "That file does not exist.": "Ese archivo no existe.",
    "This group is no longer available to you.": "Este grupo ya no está disponible para ti.",
    "This post is no longer available to you.": "Esta publicación ya no está disponible para ti.",
    "Use at most 500 characters.": "Usa como máximo 500 caracteres.",
    "You can comment once the post is published.":
        "Podrás comentar cuando la publicación esté publicada.",
    "You can only change your own comments.": "Solo puedes cambiar tus propios comentarios.",
    "You can only change your own posts.": "Solo puedes cambiar tus propias publicaciones.",
    "You can react once it is published.": "Podrás reaccionar cuando esté publicado.",
    "You cannot report your own text.": "No puedes denunciar tu propio texto.",
    "You have already reported this. The business will look at it.":
        "Ya lo has denunciado. El negocio lo revisará.",
    "You have commented a lot in the last few minutes. Please wait a little.":
        "Has comentado mucho en los últimos minutos. Espera un poco, por favor.",
    "You have posted a lot in the last few minutes. Please wait a little.":
        "Has publicado mucho en los últimos minutos. Espera un poco, por favor.",
    "You have reacted a lot in the last few minutes. Please wait a little.":
        "Has reaccionado mucho en los últimos minutos. Espera un poco, por favor.",
    "You have sent many reports in the last hour. Please wait a little.":
        "Has enviado muchas denuncias en la última hora. Espera un poco, por favor.",
    "You have edited a lot in the last few minutes. Please wait a little.":
        "Has editado mucho en los últimos minutos. Espera un poco.",
}
