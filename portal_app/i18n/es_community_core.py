"""Spanish catalogue of the Community app (issue 23), part "core": the access and writing rules (services/community/access.py, rules.py) and the app's name
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Community": "Comunidad",
    "Mentions and replies in my groups": "Menciones y respuestas en mis grupos",
    "That group does not exist.": "Ese grupo no existe.",
    "That channel does not exist.": "Ese canal no existe.",
    "That post does not exist.": "Esa publicación no existe.",
    "That comment does not exist.": "Ese comentario no existe.",
    "You can no longer take part in this group.": "Ya no puedes participar en este grupo.",
    "You are muted in this group for now: you may read, not post.":
        "Por ahora estás silenciado en este grupo: puedes leer, no publicar.",
    "Only the business posts in announcements.": "Solo el negocio publica en los anuncios.",
    "Give your post a title.": "Ponle un título a tu publicación.",
    "Use at most 200 characters for the title.": "Usa como máximo 200 caracteres para el título.",
    "Use at most 20,000 characters.": "Usa como máximo 20.000 caracteres.",
    "Write a comment first.": "Escribe un comentario primero.",
    "Use at most 40 characters per word.": "Usa como máximo 40 caracteres por palabra.",
    "Use at most 100 words.": "Usa como máximo 100 palabras.",
    "This channel approves every post.": "Este canal aprueba cada publicación.",
    "A new member's first posts are approved by the business.":
        "El negocio aprueba las primeras publicaciones de un miembro nuevo.",
    "It contains a word the business reviews.": "Contiene una palabra que el negocio revisa.",
    "It contains a link.": "Contiene un enlace.",
    "Links are not allowed in this group.": "En este grupo no se permiten enlaces.",
}
