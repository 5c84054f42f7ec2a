"""Spanish catalogue of the Community app (issue 23), part "notices": notifications, the daily digest and the leaderboards
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # notification lines (services/notification_texts.py, kind "community")
    "{group}: {who} mentioned you in {title}": "{group}: {who} te mencionó en {title}",
    "{group}: {who} replied to your post {title}":
        "{group}: {who} respondió a tu publicación {title}",
    "{group}: {who} posted {title}": "{group}: {who} publicó {title}",
    "{group}: {who} commented on {title}": "{group}: {who} comentó en {title}",
    "Your request to join {group} was approved": "Tu solicitud para unirte a {group} fue aprobada",
    "You reached {level} in {group}": "Alcanzaste el nivel {level} en {group}",
    "A member": "Un miembro",
    # the leaderboard page (state/community/leaderboard.py, pages/community/leaderboard_page.py)
    "Leaderboard": "Clasificación",
    "Your standing": "Tu posición",
    "Weekly": "Semanal",
    "All time": "Histórica",
    "Rank": "Puesto",
    "Member": "Miembro",
    "Points": "Puntos",
    "Level": "Nivel",
    "Back to the group": "Volver al grupo",
    "That group is not available to you.": "Ese grupo no está disponible para ti.",
    "Points are off in this group.": "Los puntos están desactivados en este grupo.",
    "No points yet in this period.": "Aún no hay puntos en este periodo.",
    "Points: {count}": "Puntos: {count}",
    "Points to the next level ({level}): {count}":
        "Puntos para el siguiente nivel ({level}): {count}",
    "You reached the top level.": "Alcanzaste el nivel más alto.",
    "No level yet": "Aún sin nivel",
    "Your rank: {rank}": "Tu puesto: {rank}",
    "You have no points in this period yet.": "Aún no tienes puntos en este periodo.",
}
