"""Spanish catalogue of the Referrals app (issue 24), part "console" (English msgid ->
Spanish). The voice is "tú"."""

MESSAGES: dict[str, str] = {
    # services/referrals/program_settings.py
    "Choose who may join.": "Elige quién puede unirse.",
    "Choose which payments earn a commission.": "Elige qué pagos generan comisión.",
    "Enter a number of days from 0 to 365.": "Introduce un número de días de 0 a 365.",
    "Enter a number of months from 1 to 120.": "Introduce un número de meses de 1 a 120.",
    "Choose which click wins.": "Elige qué clic gana.",
    "Choose a percentage or a fixed amount.": "Elige un porcentaje o un importe fijo.",
    "Enter a percentage such as 10 or 12.5.": "Introduce un porcentaje, por ejemplo 10 o 12.5.",
    "The percentage must be above 0 and at most 100.":
        "El porcentaje debe ser mayor que 0 y como máximo 100.",
    "Use at most 2 decimal places in the percentage.":
        "Usa como máximo 2 decimales en el porcentaje.",
    "Keep the terms under {count} characters.":
        "Las condiciones deben tener menos de {count} caracteres.",
    "Enter the amount per payment.": "Introduce el importe por pago.",
    "Enter the amount per payment such as {example}.":
        "Introduce el importe por pago, por ejemplo {example}.",
    "Enter the amount per payment above zero.": "Introduce un importe por pago mayor que cero.",
    "Enter the minimum payout such as {example}.":
        "Introduce el pago mínimo, por ejemplo {example}.",
    "Choose an offer or a service.": "Elige una oferta o un servicio.",
    "That offer does not exist.": "Esa oferta no existe.",
    "That service does not exist.": "Ese servicio no existe.",
    "That rate does not exist.": "Esa tarifa no existe.",
    # services/referrals/referrer_admin.py
    "That client does not exist.": "Ese cliente no existe.",
    "Every client may join already: no invitation is needed.":
        "Cualquier cliente ya puede unirse: no hace falta invitación.",
    # commissions.decide's reasons for leaving one as it was
    "#{number}: still in its hold": "n.º {number}: aún en su periodo de retención",
    "#{number}: it is pending": "n.º {number}: está pendiente",
    "#{number}: it is approved": "n.º {number}: ya está aprobada",
    "#{number}: it is paid": "n.º {number}: ya está pagada",
    "#{number}: it is reversed": "n.º {number}: está revertida",
    "#{number}: it is rejected": "n.º {number}: ya está rechazada",
    # state/console_referrals
    "Approved": "Aprobado",
    "Reversed": "Revertido",
    "Rejected": "Rechazado",
    "That client is invited already.": "Ese cliente ya está invitado.",
    "{name} is invited: Referrals opens in their portal.":
        "{name} está invitado: Referidos se abre en su portal.",
    "Referrer disabled.": "Referidor desactivado.",
    "Referrer enabled.": "Referidor activado.",
    "Choose the customer.": "Elige el cliente.",
    "Customer moved.": "Cliente cambiado de referidor.",
    "Approved: {count}.": "Aprobadas: {count}.",
    "Rejected: {count}.": "Rechazadas: {count}.",
    "Left as they were: {count}.": "Sin cambios: {count}.",
    "Check the fields marked.": "Revisa los campos marcados.",
    "Program saved.": "Programa guardado.",
    "Rate saved.": "Tarifa guardada.",
    "Rate removed.": "Tarifa eliminada.",
    # pages/console_referrals: referrers
    "Referrer": "Referidor",
    "Link code": "Código del enlace",
    "Coupon": "Cupón",
    "Clicks": "Clics",
    "Sign-ups": "Registros",
    "Disable": "Desactivar",
    "Disable ": "Desactivar a ",
    "Enable": "Activar",
    "Enable ": "Activar a ",
    "No referrer has that name.": "Ningún referidor tiene ese nombre.",
    "No referrers yet.": "Aún no hay referidores.",
    "Search referrers": "Buscar referidores",
    "Invite a client": "Invitar a un cliente",
    "When the program is by invitation, an invited client sees Referrals in their portal "
    "and may join.":
        "Cuando el programa es por invitación, el cliente invitado ve Referidos en su portal "
        "y puede unirse.",
    "Any client may join the program: no invitation is needed.":
        "Cualquier cliente puede unirse al programa: no hace falta invitación.",
    "Invite": "Invitar",
    "Invite ": "Invitar a ",
    "Move a customer": "Cambiar el referidor de un cliente",
    "Later payments of the customer earn for the referrer you choose; commissions already "
    "made stay.":
        "Los pagos futuros del cliente generan comisión para el referidor que elijas; las "
        "comisiones ya creadas se mantienen.",
    "Find the customer": "Buscar el cliente",
    "Choose": "Elegir",
    "Choose ": "Elegir a ",
    "Customer: ": "Cliente: ",
    "none chosen": "ninguno elegido",
    "Kept in the audit log.": "Queda en el registro de auditoría.",
    "Move customer": "Cambiar referidor",
    # commissions
    "All states": "Todos los estados",
    "All referrers": "Todos los referidores",
    "Select commission ": "Seleccionar la comisión ",
    "of ": "de ",
    "Approve commission ": "Aprobar la comisión ",
    "Reject": "Rechazar",
    "Reject commission ": "Rechazar la comisión ",
    "Approve selected": "Aprobar las seleccionadas",
    "Reject selected": "Rechazar las seleccionadas",
    "Left as they were:": "Sin cambios:",
    "Payment date": "Fecha del pago",
    "Hold until": "Retenida hasta",
    " commissions": " comisiones",
    "No commissions here.": "No hay comisiones aquí.",
    "Reject commissions": "Rechazar comisiones",
    " selected. The referrer sees the reason.":
        " seleccionadas. El referidor verá el motivo.",
    "A commission waits for its hold (the refund window) to end before it can be approved.":
        "Una comisión espera a que termine su retención (el plazo de reembolso) antes de "
        "poder aprobarse.",
    # program
    "Any client may join": "Cualquier cliente puede unirse",
    "By invitation from staff": "Por invitación del equipo",
    "Clients granted an offer that includes Referrals":
        "Clientes con una oferta que incluye Referidos",
    "A percentage of each payment": "Un porcentaje de cada pago",
    "A fixed amount per payment": "Un importe fijo por pago",
    "The customer's first payment only": "Solo el primer pago del cliente",
    "Payments in the first months (set below)": "Los pagos de los primeros meses (abajo)",
    "Every payment": "Todos los pagos",
    "First click wins": "Gana el primer clic",
    "Last click wins": "Gana el último clic",
    "Who may join": "Quién puede unirse",
    "Commission": "Comisión",
    "Percentage (such as 10 or 12.5)": "Porcentaje (por ejemplo 10 o 12.5)",
    "Fixed amount per payment (": "Importe fijo por pago (",
    "Payments that earn a commission": "Pagos que generan comisión",
    "Months (1 to 120)": "Meses (de 1 a 120)",
    "Attribution window (days, 1 to 365)": "Plazo de atribución (días, de 1 a 365)",
    "How long a visit through a link counts.": "Cuánto tiempo cuenta una visita por un enlace.",
    "When two referrers compete": "Cuando compiten dos referidores",
    "A coupon code overrides a link.": "Un código de cupón prevalece sobre un enlace.",
    "Hold before approval (days, 0 to 365)": "Retención antes de aprobar (días, de 0 a 365)",
    "Match your refund window: a refund inside it reduces the commission.":
        "Igual que tu plazo de reembolso: un reembolso dentro de él reduce la comisión.",
    "Minimum payout (": "Pago mínimo (",
    "Referrers may choose a personal coupon code":
        "Los referidores pueden elegir un código de cupón personal",
    "Terms (shown to referrers; up to 4000 characters)":
        "Condiciones (las ven los referidores; hasta 4000 caracteres)",
    "Save program": "Guardar programa",
    "Remove the rate of ": "Quitar la tarifa de ",
    "Rates of single offers or services": "Tarifas de ofertas o servicios concretos",
    "A payment for one of these earns its own rate instead of the program's.":
        "Un pago de uno de ellos genera su propia tarifa en lugar de la del programa.",
    "Offer or service": "Oferta o servicio",
    "Rate": "Tarifa",
    "No special rates.": "No hay tarifas especiales.",
    "Choose…": "Elige…",
    "Save rate": "Guardar tarifa",
    "The Referrals app is off: clients see nothing of the program until you turn it on in ":
        "La app Referidos está desactivada: los clientes no ven nada del programa hasta que "
        "la actives en ",
    "Commission of this rate": "Comisión de esta tarifa",
    "Its percentage": "Su porcentaje",
    "Its fixed amount (": "Su importe fijo (",
}
