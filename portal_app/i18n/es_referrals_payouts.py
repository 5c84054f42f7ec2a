"""Spanish catalogue of the Referrals app (issue 24), part "console payouts": the
payouts page, its state, services/referrals/payout_admin.py and the payout CSV
(English msgid -> Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # services/referrals/payout_admin.py (and the CSV's headers)
    "The end date is before the start date.": "La fecha final es anterior a la inicial.",
    "Choose at most {count} payouts.": "Elige como máximo {count} pagos.",
    "Payout number": "Número de pago",
    "Date ({zone})": "Fecha ({zone})",
    "Referrer": "Referidor",
    "Reference": "Referencia",
    # state/console_referrals/payouts.py
    "Choose a referrer first.": "Elige primero un referidor.",
    "What is due changed since you opened this payout: check it again.":
        "Lo pendiente cambió desde que abriste este pago: revísalo de nuevo.",
    "Payout {number} recorded: {amount}.": "Pago {number} registrado: {amount}.",
    "Commission #{number} · {invoice} · {customer}":
        "Comisión n.º {number} · {invoice} · {customer}",
    # pages/console_referrals/payouts_page.py
    "Referral payouts": "Pagos a referidores",
    "Due for payout": "Pendiente de pago",
    "Approved": "Aprobado",
    "Adjustments": "Ajustes",
    "Net due": "Neto a pagar",
    "Minimum payout": "Pago mínimo",
    "Their choice": "Su preferencia",
    "Below the minimum": "Por debajo del mínimo",
    "Nothing due yet": "Aún no hay nada que pagar",
    "Choose": "Elegir",
    "Choose commissions to pay to": "Elegir las comisiones que pagar a",
    "No one is due a payout: approved commissions appear here.":
        "Nadie tiene pagos pendientes: aquí aparecen las comisiones aprobadas.",
    "Approved commissions": "Comisiones aprobadas",
    "No payout details given yet.": "Aún no ha indicado sus datos de pago.",
    "Pay commission": "Pagar la comisión",
    "Commission": "Comisión",
    "Earned": "Ganada",
    "Customer": "Cliente",
    "No approved commissions to pay.": "No hay comisiones aprobadas que pagar.",
    "Pay out…": "Pagar…",
    "Pay out to": "Pagar a",
    "This payout pays these commissions and deducts the open adjustments; the referrer "
    "gets a statement by email.":
        "Este pago abona estas comisiones y descuenta los ajustes pendientes; el referidor "
        "recibe un extracto por correo electrónico.",
    "Net": "Neto",
    "Reference (the bank's, or a receipt number)":
        "Referencia (la del banco, o un número de recibo)",
    "Note (staff only)": "Nota (solo para el personal)",
    "Record payout": "Registrar el pago",
    "Payouts made": "Pagos realizados",
    "Payout": "Pago",
    "Add to the CSV:": "Añadir al CSV:",
    "applied": "aplicado",
    "left": "restante",
    "Details": "Detalles",
    "Details of": "Detalles de",
    "Newer": "Más recientes",
    "Older": "Más antiguos",
    "Page": "Página",
    "No payouts yet.": "Aún no hay pagos.",
    "CSV for the bank": "CSV para el banco",
    "All payouts": "Todos los pagos",
    "Ticked payouts": "Pagos marcados",
    "Prepare CSV": "Preparar el CSV",
    "Payouts in those dates": "Pagos de esas fechas",
}
