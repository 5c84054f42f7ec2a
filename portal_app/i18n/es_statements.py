"""Spanish catalogue of statements (English msgid -> Spanish): what the statement
service can refuse. The statement pages' texts join here when they are built.

The voice is "tú", as in the rest of the client's catalogue.
"""

MESSAGES: dict[str, str] = {
    "Choose the first day of the statement.": "Elige el primer día del estado de cuenta.",
    "Choose the last day of the statement.": "Elige el último día del estado de cuenta.",
    "The first day must be on or before the last day.":
        "El primer día debe ser igual o anterior al último día.",
    "Choose a range of at most ten years.": "Elige un periodo de diez años como máximo.",
    "That time zone is not known.": "No conocemos esa zona horaria.",
    "Enter the first day as a date (YYYY-MM-DD).":
        "Introduce el primer día como fecha (AAAA-MM-DD).",
    "Enter the last day as a date (YYYY-MM-DD).":
        "Introduce el último día como fecha (AAAA-MM-DD).",
}
