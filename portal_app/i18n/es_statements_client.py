"""Spanish catalogue of the client's Statements tab, the statement PDF and Pay balance
(English msgid -> Spanish). The voice is "tú", as in the rest of the client's
catalogue; "statement" is "estado de cuenta" as in es_statements."""

MESSAGES: dict[str, str] = {
    # the statement's texts (services/billing/statements/view.py)
    "Current": "Al corriente",
    "1–30 days": "1–30 días",
    "31–60 days": "31–60 días",
    "61–90 days": "61–90 días",
    "Over 90 days": "Más de 90 días",
    "Paid {number} {amount} (applied oldest first)":
        "Pagado {number} {amount} (aplicado a la más antigua primero)",
    "Paid {number} {amount}": "Pagado {number} {amount}",
    "Credit {amount}": "Saldo a favor {amount}",
    "Invoice {number}": "Factura {number}",
    "Payment": "Pago",
    "Payment {number} ({method})": "Pago {number} ({method})",
    "Refund of payment {number}": "Reembolso del pago {number}",
    "Invoice {number} voided": "Factura {number} anulada",
    "Dates are in {zone}.": "Las fechas están en {zone}.",
    "{date}: payment {number} of {amount} toward {invoice} is in another currency than the "
    "invoice and is not counted here.":
        "{date}: el pago {number} de {amount} para {invoice} está en otra moneda que la "
        "factura y no se cuenta aquí.",
    # the PDF (services/billing/statements/pdf.py)
    "Statement": "Estado de cuenta",
    "Statement for": "Estado de cuenta de",
    "Period": "Periodo",
    "Balance ({currency})": "Saldo ({currency})",
    "Opening balance": "Saldo inicial",
    "Closing balance": "Saldo final",
    "Refunds": "Reembolsos",
    "Voided": "Anuladas",
    "Credit": "Saldo a favor",
    "Aging of what is open": "Antigüedad de lo pendiente",
    "Nothing owed and no activity in this period.":
        "Nada pendiente y ningún movimiento en este periodo.",
    # the Statements page (pages/statements.py) and the Payments tab bar
    "Statements": "Estados de cuenta",
    "This month": "Este mes",
    "Last month": "El mes pasado",
    "Custom": "Otro periodo",
    "Show": "Mostrar",
    "Pay balance": "Pagar el saldo",
    # Pay balance (services/billing/balance.py)
    "Nothing is due in this currency.": "No hay nada pendiente en esta moneda.",
}
