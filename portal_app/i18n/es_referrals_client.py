"""Spanish catalogue of the Referrals app (issue 24), part "client" (English msgid ->
Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # services/referrals/summary.py: the states a referrer sees (masculine: "el estado")
    "Approved": "Aprobado",
    "Reversed": "Revertido",
    "Rejected": "Rechazado",
    "A customer, first payment on {date}": "Un cliente, primer pago el {date}",
    "Deducted from your next payout": "Se descontará de tu próximo pago",
    "Approved commissions of at least {amount}": "Comisiones aprobadas de al menos {amount}",
    "Your payout details in your profile": "Tus datos de pago en tu perfil",
    # services/referrals/program_facts.py
    "You earn {rate} of every payment of each customer you bring.":
        "Ganas el {rate} de cada pago de cada cliente que traigas.",
    "You earn {rate} of the first payment of each customer you bring.":
        "Ganas el {rate} del primer pago de cada cliente que traigas.",
    "You earn {rate} of the payments of each customer you bring, for their first {months} "
    "months.":
        "Ganas el {rate} de los pagos de cada cliente que traigas durante sus primeros "
        "{months} meses.",
    "You earn {amount} for every payment of each customer you bring.":
        "Ganas {amount} por cada pago de cada cliente que traigas.",
    "You earn {amount} for the first payment of each customer you bring.":
        "Ganas {amount} por el primer pago de cada cliente que traigas.",
    "You earn {amount} for each payment of a customer you bring, for their first {months} "
    "months.":
        "Ganas {amount} por cada pago de un cliente que traigas durante sus primeros "
        "{months} meses.",
    "A customer is yours when they sign up, book or buy within {days} days of following "
    "your link.":
        "Un cliente es tuyo cuando se registra, reserva o compra en los {days} días "
        "siguientes a abrir tu enlace.",
    "They can also give your personal coupon code when they sign up.":
        "También puede indicar tu código de cupón personal al registrarse.",
    "Each commission waits {days} days (the refund window) before it can be approved, so "
    "a refunded payment earns nothing.":
        "Cada comisión espera {days} días (el plazo de reembolso) antes de poder aprobarse, "
        "así que un pago reembolsado no genera nada.",
    "Payouts start once your approved commissions reach {amount}.":
        "Los pagos empiezan cuando tus comisiones aprobadas llegan a {amount}.",
    "There is no minimum payout.": "No hay pago mínimo.",
    "You cannot refer yourself or anyone in your own household.":
        "No puedes referirte a ti mismo ni a nadie de tu propio hogar.",
    # state/referrals/page.py
    "An invitation to {business}": "Una invitación a {business}",
    "I think you would like {business}. Sign up through my link: {link}":
        "Creo que te gustaría {business}. Regístrate con mi enlace: {link}",
    "Link copied.": "Enlace copiado.",
    "Welcome to the referral program.": "Te damos la bienvenida al programa de referidos.",
    "Coupon code saved.": "Código de cupón guardado.",
    "Saved. New payouts will use this method when possible.":
        "Guardado. Los próximos pagos usarán este método cuando sea posible.",
    # pages/referrals/page.py
    "Earn by bringing us customers": "Gana trayéndonos clientes",
    "Share your own link. When someone you bring becomes a customer, you earn a commission "
    "on what they pay.":
        "Comparte tu propio enlace. Cuando alguien que traigas se hace cliente, ganas una "
        "comisión sobre lo que paga.",
    "Program terms": "Condiciones del programa",
    "How the program works": "Cómo funciona el programa",
    "By joining you accept these terms.": "Al unirte aceptas estas condiciones.",
    "Join the program": "Unirme al programa",
    "Copy link": "Copiar enlace",
    "Share by email": "Compartir por correo",
    "Share on WhatsApp": "Compartir por WhatsApp",
    "Your link": "Tu enlace",
    "Anyone who follows it and signs up within the program's window counts as yours.":
        "Quien lo abra y se registre dentro del plazo del programa cuenta como tuyo.",
    "Your referral link": "Tu enlace de referido",
    "QR code of your referral link": "Código QR de tu enlace de referido",
    "Your coupon code": "Tu código de cupón",
    "A customer can give this code when they sign up instead of following your link. A "
    "code overrides a link.":
        "Un cliente puede indicar este código al registrarse en lugar de abrir tu enlace. "
        "Un código tiene prioridad sobre un enlace.",
    "Coupon code": "Código de cupón",
    "Save coupon": "Guardar cupón",
    "How you would like to be paid": "Cómo quieres cobrar",
    "Taken off your own invoices with us; what is left stays as credit.":
        "Se descuenta de tus propias facturas con nosotros; lo que sobre queda a tu favor.",
    "To the account in your payout details.": "A la cuenta de tus datos de pago.",
    "Collected in person.": "Se recoge en persona.",
    "Your link and coupon are paused. Commissions you already earned stay yours.":
        "Tu enlace y tu cupón están en pausa. Las comisiones que ya ganaste siguen siendo "
        "tuyas.",
    # pages/referrals/lists.py
    "Your figures": "Tus cifras",
    "Clicks": "Clics",
    "Sign-ups": "Registros",
    "Customers": "Clientes",
    "Before your first payout": "Antes de tu primer pago",
    "Done": "Hecho",
    "Earned": "Ganada",
    "Customer": "Cliente",
    "Paid in ": "Pagada en ",
    "No commissions yet. They appear here when a customer you brought pays.":
        "Aún no hay comisiones. Aparecen aquí cuando paga un cliente que trajiste.",
    "Adjustments": "Ajustes",
    "A refund after a commission was paid is taken off a payout, here for you to see.":
        "Un reembolso después de pagada una comisión se descuenta de un pago, y lo ves aquí.",
    "Settled": "Liquidado",
    "Reference": "Referencia",
    "Details": "Detalles",
    "Details of payout ": "Detalles del pago ",
    "No payouts yet.": "Aún no hay pagos.",
    "Payout ": "Pago ",
    "Reference: ": "Referencia: ",
    "Payout details saved.": "Datos de pago guardados.",
    "Save payout details": "Guardar datos de pago",
    "You can change your payout details below.": "Puedes cambiar tus datos de pago más abajo.",
}
