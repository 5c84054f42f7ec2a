"""Spanish catalogue of the download routes' own answers (api/stored_files.py)
(English msgid -> Spanish). The voice is "tú", as in the client's catalogue."""

MESSAGES: dict[str, str] = {
    "The file store is not answering. Please try again in a minute.":
        "El almacén de archivos no responde. Vuelve a intentarlo en un minuto.",
}
