"""Spanish catalogue of the Referrals app (issue 24), part "core": the services'
messages and reasons (English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    "Referrals": "Referidos",
    "Payout details": "Datos de pago",
    "How you would like your referral commissions paid: \"account credit\" on your "
    "invoices, or the name and number of the bank account for a transfer.":
        "Cómo quieres cobrar tus comisiones: «saldo a favor» en tus facturas, o el titular "
        "y el número de la cuenta bancaria para una transferencia.",
    "Say how you would like to be paid.": "Indica cómo quieres cobrar.",
    # referrers.py
    "That referrer does not exist.": "Ese referidor no existe.",
    "Join the referral program first.": "Únete primero al programa de referidos.",
    "Use 4 to 20 letters, digits or dashes (not at the start or end).":
        "Usa de 4 a 20 letras, cifras o guiones (no al principio ni al final).",
    "Coupon codes are not used in this program.":
        "Este programa no usa códigos de cupón.",
    "That code is taken. Choose another.": "Ese código ya está en uso. Elige otro.",
    "Choose how you would like to be paid.": "Elige cómo quieres cobrar.",
    # attribution.py
    "Give the reason (it is kept in the audit log).":
        "Indica el motivo (queda en el registro de auditoría).",
    "A client cannot be referred by their own household.":
        "Un cliente no puede ser referido por su propio hogar.",
    # commissions.py
    "That commission does not exist.": "Esa comisión no existe.",
    "Paid with the referrer's own card": "Pagado con la tarjeta del propio referidor",
    "Refunded in full ({number})": "Reembolsado por completo ({number})",
    "Reduced by a refund ({number})": "Reducida por un reembolso ({number})",
    "Refund on {number} after payout": "Reembolso de {number} después del pago",
    "Refund on {number} cancelled after payout":
        "Reembolso de {number} anulado después del pago",
    "Give the reason for rejecting (the referrer sees it).":
        "Indica el motivo del rechazo (el referidor lo verá).",
    "Select at least one commission.": "Selecciona al menos una comisión.",
    # payouts.py
    "That payout does not exist.": "Ese pago no existe.",
    "Commission #{number}": "Comisión n.º {number}",
    "Choose how the payout is made.": "Elige cómo se hace el pago.",
    "Select at least one approved commission.":
        "Selecciona al menos una comisión aprobada.",
    "Only approved commissions that are not paid yet can be paid.":
        "Solo se pueden pagar comisiones aprobadas que aún no se hayan pagado.",
    "A payout is in one currency: select commissions of one currency.":
        "Un pago va en una sola moneda: selecciona comisiones de una misma moneda.",
    "Earlier refunds ({amount}) exceed these commissions: nothing is due yet.":
        "Los reembolsos anteriores ({amount}) superan estas comisiones: aún no hay nada "
        "que pagar.",
    "That is below the minimum payout ({amount}).":
        "Es menos que el pago mínimo ({amount}).",
    "Keep the reference under 120 characters.":
        "La referencia debe tener menos de 120 caracteres.",
    "Keep the note under 300 characters.": "La nota debe tener menos de 300 caracteres.",
    # components/referrals_console_nav.py
    "Referrers": "Referidores",
    "Commissions": "Comisiones",
    "Payouts": "Pagos",
    "Program": "Programa",
    "Referrals pages": "Páginas de referidos",
    "Someone paid some of these commissions a moment ago. Reload the page to see what is "
    "still due.":
        "Alguien acaba de pagar algunas de estas comisiones. Vuelve a cargar la página para "
        "ver lo que queda pendiente.",
    "This payment was made from referral credit, not money received: it cannot be refunded.":
        "Este pago se hizo con saldo de referidos, no con dinero recibido: no se puede "
        "reembolsar.",
}
