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
    # The insurance billing setup (console settings, services, the client's page).
    "Insurance billing": "Facturación a seguros",
    "We bill clients who claim from insurance": "Facturamos a clientes que reclaman a su seguro",
    "On: services get CPT codes, clients get diagnoses, and clients can have superbills to "
    "claim from their insurer.":
        "Activado: los servicios tienen códigos CPT, los clientes diagnósticos, y los clientes "
        "pueden recibir superbills para reclamar a su aseguradora.",
    "Only the owner can change these settings.": "Solo el propietario puede cambiar estos ajustes.",
    "Only the owner can change the insurance billing settings.":
        "Solo el propietario puede cambiar los ajustes de facturación a seguros.",
    "Legal name": "Razón social",
    "Individual NPI": "NPI individual",
    "Organisation NPI": "NPI de la organización",
    "Tax id kind": "Tipo de identificación fiscal",
    "EIN (employer identification number)": "EIN (número de identificación del empleador)",
    "SSN (social security number)": "SSN (número de la seguridad social)",
    "Tax id": "Identificación fiscal",
    "Saved and shown masked. Leave blank to keep it; type a new one to replace it.":
        "Guardada y mostrada oculta. Déjala en blanco para conservarla; escribe una nueva para "
        "sustituirla.",
    "Nine digits. After saving it is only shown masked.":
        "Nueve dígitos. Una vez guardada solo se muestra oculta.",
    "Remove the saved tax id": "Quitar la identificación fiscal guardada",
    "Licence number": "Número de licencia",
    "Licence state": "Estado de la licencia",
    "Taxonomy code": "Código de taxonomía",
    "Address on superbills": "Dirección en los superbills",
    "The business's address: also shown as the portal's contact address.":
        "La dirección del negocio: también se muestra como dirección de contacto del portal.",
    "Phone on superbills": "Teléfono en los superbills",
    "The business's phone: also shown as the portal's contact phone.":
        "El teléfono del negocio: también se muestra como teléfono de contacto del portal.",
    "Send superbills for last month automatically on day":
        "Enviar automáticamente los superbills del mes anterior el día",
    "1 to 28, in the business's time zone; 0 turns it off.":
        "Del 1 al 28, en la zona horaria del negocio; 0 lo desactiva.",
    "Choose a day from 1 to 28, or 0 for off.": "Elige un día del 1 al 28, o 0 para desactivarlo.",
    "Save insurance billing": "Guardar facturación a seguros",
    "Insurance billing saved.": "Facturación a seguros guardada.",
    "Superbills are on.": "Los superbills están activados.",
    "Superbills are off.": "Los superbills están desactivados.",
    "Signature on superbills": "Firma en los superbills",
    "Current signature": "Firma actual",
    "No signature yet.": "Todavía no hay firma.",
    "PNG or JPEG, up to 200 KB. Kept private. Drop a file or click to choose.":
        "PNG o JPEG, hasta 200 KB. Se guarda en privado. Suelta un archivo o haz clic para "
        "elegirlo.",
    "Signature image": "Imagen de la firma",
    "Remove signature": "Quitar la firma",
    "Signature removed.": "Firma quitada.",
    "The signature must be a PNG or JPEG image.": "La firma debe ser una imagen PNG o JPEG.",
    "The signature must be at most {kb} KB.": "La firma debe ocupar como máximo {kb} KB.",
    "For superbills": "Para los superbills",
    "CPT code": "Código CPT",
    "Modifiers": "Modificadores",
    "Place of service": "Lugar de servicio",
    "Insurance": "Seguro",
    "Insurance member id": "Número de afiliado del seguro",
    "Save insurance details": "Guardar datos del seguro",
    "Insurance details saved.": "Datos del seguro guardados.",
    "Enter the date of birth as a date.": "Introduce la fecha de nacimiento como una fecha.",
    "Use letters, digits and dashes only.": "Usa solo letras, dígitos y guiones.",
    "Use at most 40 characters.": "Usa 40 caracteres como máximo.",
    "Diagnoses": "Diagnósticos",
    "A superbill lists the codes valid on each date of service, primary first.":
        "Un superbill lista los códigos vigentes en cada fecha de servicio, el principal primero.",
    "No diagnoses yet.": "Todavía no hay diagnósticos.",
    "Primary": "Principal",
    "From ": "Desde el ",
    " until ": " hasta el ",
    "Last day of ": "Último día de ",
    "End": "Terminar",
    "Add a diagnosis": "Añadir un diagnóstico",
    "Edit diagnosis": "Editar diagnóstico",
    "ICD-10 code": "Código CIE-10 (ICD-10)",
    "Until (optional)": "Hasta (opcional)",
    "Add diagnosis": "Añadir diagnóstico",
    "Save diagnosis": "Guardar diagnóstico",
    "Diagnosis saved.": "Diagnóstico guardado.",
    "Diagnosis ended.": "Diagnóstico terminado.",
    "Diagnosis removed.": "Diagnóstico eliminado.",
    "That diagnosis does not exist.": "Ese diagnóstico no existe.",
    "Enter a date.": "Introduce una fecha.",
    "Enter the date it applies from.": "Introduce la fecha desde la que se aplica.",
    "Enter the last day it applies.": "Introduce el último día en que se aplica.",
    "The end date must be on or after the start date.":
        "La fecha de fin debe ser igual o posterior a la de inicio.",
    "Choose up or down.": "Elige subir o bajar.",
    "{actor} edited the insurance details of {client}":
        "{actor} editó los datos del seguro de {client}",
    "{actor} added a diagnosis for {client}": "{actor} añadió un diagnóstico de {client}",
    "{actor} changed a diagnosis of {client}": "{actor} cambió un diagnóstico de {client}",
    "{actor} removed a diagnosis of {client}": "{actor} eliminó un diagnóstico de {client}",
}
