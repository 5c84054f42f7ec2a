"""Spanish catalogue of superbills (English msgid -> Spanish): the code checks and the
superbill pages, console and client. The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Enter a CPT code of five characters, such as 90834.":
        "Introduce un código CPT de cinco caracteres, como 90834.",
    "Enter an ICD-10 code such as F41.1.": "Introduce un código CIE-10 (ICD-10) como F41.1.",
    "Enter up to four modifiers of two characters, such as 95.":
        "Introduce hasta cuatro modificadores de dos caracteres, como 95.",
    "Choose a place of service.": "Elige un lugar de servicio.",
    "Enter the NPI's ten digits.": "Introduce los diez dígitos del NPI.",
    "That NPI's check digit is wrong: check for a typo.":
        "El dígito de control de ese NPI no es correcto: revisa si hay una errata.",
    "Enter the SSN as nine digits (123-45-6789).":
        "Introduce el SSN con sus nueve dígitos (123-45-6789).",
    "Choose EIN or SSN.": "Elige EIN o SSN.",
    "Enter the EIN as nine digits (12-3456789).":
        "Introduce el EIN con sus nueve dígitos (12-3456789).",
    "Enter the ten-character taxonomy code, such as 101YM0800X.":
        "Introduce el código de taxonomía de diez caracteres, como 101YM0800X.",
    "Enter the two-letter state, such as CA.":
        "Introduce el estado con dos letras, como CA.",
    "Office": "Consulta",
    "Telehealth other than in the patient's home": "Telesalud fuera del domicilio del paciente",
    "Telehealth in the patient's home": "Telesalud en el domicilio del paciente",
    "Patient's home": "Domicilio del paciente",
}
