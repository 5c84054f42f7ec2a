"""Spanish catalogue of the console's statements (English msgid -> Spanish): the
Statement section of a client's page, the bulk send on the invoices page, the
monthly send in the settings, and the activity line of a sent statement.

The voice is "usted", as in the rest of the console's catalogue.
"""

MESSAGES: dict[str, str] = {
    # The Statement section of a client's page.
    "Statement": "Estado de cuenta",
    "This month": "Este mes",
    "Last month": "El mes pasado",
    "Custom dates": "Otras fechas",
    "First day": "Primer día",
    "Last day": "Último día",
    "Show statement": "Ver el estado de cuenta",
    " · dates on the calendar of ": " · fechas según el calendario de ",
    "Entry": "Movimiento",
    "Aging on the last day": "Antigüedad de saldos el último día",
    "Currency": "Moneda",
    "Current": "Al corriente",
    "1–30 days": "1–30 días",
    "31–60 days": "31–60 días",
    "61–90 days": "61–90 días",
    "Over 90 days": "Más de 90 días",
    "Credit": "Saldo a favor",
    "Nothing owed and nothing happened in this range.":
        "No hay nada pendiente ni movimientos en este periodo.",
    "Send statement": "Enviar estado de cuenta",
    "Send this statement?": "¿Enviar este estado de cuenta?",
    "The client is e-mailed that their statement for ":
        "Se avisa al cliente por correo de que su estado de cuenta del periodo ",
    " is ready, with the closing balance and a link to it in the portal. Nothing is "
    "attached: the statement stays behind sign-in.":
        " está listo, con el saldo final y un enlace al portal. No se adjunta nada: el "
        "estado de cuenta solo se ve tras iniciar sesión.",
    "Opening balance": "Saldo inicial",
    "Closing balance": "Saldo final",
    "Invoice {number}": "Factura {number}",
    "Invoice {number} voided": "Factura {number} anulada",
    "Payment {receipt}": "Pago {receipt}",
    "Paid {invoice}: {amount}": "Aplicado a {invoice}: {amount}",
    "Credit: {amount}": "Saldo a favor: {amount}",
    "Refund of {receipt}": "Reembolso de {receipt}",
    "On {invoice}": "Sobre {invoice}",
    "Payment {receipt} in {currency} on {invoice}": "Pago {receipt} en {currency} sobre {invoice}",
    "Not counted toward the invoice (another currency)":
        "No se aplica a la factura (otra moneda)",
    "Statement e-mailed to {to}.": "Estado de cuenta enviado por correo a {to}.",
    "The statement e-mail was held back.": "El correo del estado de cuenta se ha retenido.",
    "Not sent: Email OK is off for this client, or for another client record at {to}. "
    "The statement is still in their portal.":
        "No enviado: este cliente, u otra ficha de cliente con {to}, no acepta correos "
        "(Email OK desactivado). El estado de cuenta sigue en su portal.",
    # The bulk send on the invoices page.
    "Statements": "Estados de cuenta",
    "Send statements for ": "Enviar estados de cuenta de ",
    "Send statements": "Enviar estados de cuenta",
    "Every client with an invoice, a payment or a refund in that month is e-mailed a link "
    "to their statement (nothing attached). Clients without Email OK or an email address "
    "are skipped, and nobody gets the same month's statement twice.":
        "Cada cliente con una factura, un pago o un reembolso en ese mes recibe por correo "
        "un enlace a su estado de cuenta (sin adjuntos). Se omiten los clientes sin Email OK "
        "o sin dirección de correo, y nadie recibe dos veces el estado de cuenta del mismo mes.",
    "Automatic monthly sending is in Portal settings.":
        "El envío mensual automático está en la configuración del portal.",
    "Sent {sent}, skipped {skipped} (no consent), {already} already sent.":
        "Enviados: {sent}; omitidos: {skipped} (sin consentimiento); ya enviados: {already}.",
    "{count} with activity have no email address.":
        "{count} con movimientos no tienen dirección de correo.",
    "Choose one of the months in the list.": "Elija uno de los meses de la lista.",
    # Portal settings: the monthly send.
    "Billing: monthly statements": "Facturación: estados de cuenta mensuales",
    "E-mail last month's statements on day": "Enviar por correo los estados de cuenta del mes "
                                              "pasado el día",
    "On that day of each month (on the calendar of ": "Ese día de cada mes (según el calendario de ",
    ") every client with an invoice, a payment or a refund last month is e-mailed a link "
    "to their statement, once. Clients without Email OK or an email address are skipped.":
        ") cada cliente con una factura, un pago o un reembolso el mes anterior recibe una sola "
        "vez por correo un enlace a su estado de cuenta. Se omiten los clientes sin Email OK o "
        "sin dirección de correo.",
    "Save": "Guardar",
    "Monthly statements saved.": "Estados de cuenta mensuales guardados.",
    "Monthly statements are off.": "Los estados de cuenta mensuales están desactivados.",
    "Choose a day from 1 to 28, or Off.": "Elija un día del 1 al 28, o Inactivo.",
    "Choose a month.": "Elija un mes.",
    # The client's timeline.
    "{actor} e-mailed {client} a statement": "{actor} envió por correo un estado de cuenta a "
                                             "{client}",
}
