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
}
