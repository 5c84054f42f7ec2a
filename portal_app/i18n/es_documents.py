"""Spanish catalogue of what a client receives outside the pages: booking notice
headlines, PDF labels, invoice statuses and payment methods (English msgid ->
Spanish). The page catalogue is `es.py`; both are merged in `CATALOGS["es"]`.

The voice is "tú", as in the email templates under `templates/email/es/`.
Statuses are masculine ("el estado: pagado") so one word serves an invoice
(factura) and an estimate (presupuesto) alike.
"""

MESSAGES: dict[str, str] = {
    # booking notices: headlines (subject lines) and intros
    "Request received": "Solicitud recibida",
    "We received your booking request. We'll confirm it soon; you'll get an email when we do.":
        "Hemos recibido tu solicitud de reserva. La confirmaremos pronto y te avisaremos por "
        "correo cuando lo hagamos.",
    "Booking confirmed": "Reserva confirmada",
    "Your booking is confirmed.": "Tu reserva está confirmada.",
    "Good news: we confirmed your booking request.":
        "Buenas noticias: hemos confirmado tu solicitud de reserva.",
    "Request declined": "Solicitud rechazada",
    "Sorry, we could not accept this booking request.":
        "Lo sentimos, no hemos podido aceptar esta solicitud de reserva.",
    "Booking moved": "Reserva cambiada",
    "Your booking has a new time.": "Tu reserva tiene una nueva hora.",
    "Change requested": "Cambio solicitado",
    "We received your request to move this booking; we'll confirm the new time soon.":
        "Hemos recibido tu solicitud para cambiar esta reserva; pronto te confirmaremos la "
        "nueva hora.",
    "Booking cancelled": "Reserva cancelada",
    "Your booking is cancelled.": "Tu reserva está cancelada.",
    "Reminder": "Recordatorio",
    "A reminder of your upcoming booking.": "Te recordamos tu próxima reserva.",
    # invoice and estimate statuses
    "Draft": "Borrador",
    "Open": "Pendiente",
    "Partially paid": "Pagado en parte",
    "Paid": "Pagado",
    "Void": "Anulado",
    "Accepted": "Aceptado",
    "Declined": "Rechazado",
    "Awaiting your answer": "Pendiente de tu respuesta",
    # payment methods
    "Card": "Tarjeta",
    "Cash": "Efectivo",
    "Bank transfer": "Transferencia bancaria",
    "Account credit": "Saldo a favor",
    "Check": "Cheque",
    "Other": "Otro",
    # invoice and estimate PDF
    "Invoice": "Factura",
    "Estimate": "Presupuesto",
    "Status": "Estado",
    "Issued": "Fecha de emisión",
    "Due": "Vencimiento",
    "Bill to": "Facturar a",
    "Description": "Descripción",
    "Qty": "Cant.",
    "Unit price": "Precio unit.",
    "Amount": "Importe",
    "No items": "Sin conceptos",
    "Subtotal": "Subtotal",
    "Discount": "Descuento",
    "Tax ({rate}%)": "Impuesto ({rate} %)",
    "Total": "Total",
    "Balance due": "Saldo pendiente",
    "Notes": "Notas",
    "Page {page} of {pages}": "Página {page} de {pages}",
    # receipt PDF
    "Receipt": "Recibo",
    "Paid on": "Fecha de pago",
    "For invoice": "Factura",
    "Received from": "Recibido de",
    "Amount paid": "Importe pagado",
    "Payment method": "Forma de pago",
    "Refunded": "Reembolsado",
    "Invoice total": "Total de la factura",
    "Remaining balance": "Saldo restante",
    "Thank you for your payment.": "Gracias por tu pago.",
    # the Paid tab's line under a paid invoice, and the pay link on an open one
    "Paid {amount} on {date}": "Pagado {amount} el {date}",
    "Paid {amount} of {total}": "Pagado {amount} de {total}",
    "Paid {amount}": "Pagado {amount}",
    "Pay online": "Pagar en línea",
    # intake form PDF (services/forms/pdf.py)
    "Form version {version}": "Versión del formulario {version}",
    "(no answer)": "(sin respuesta)",
    "Yes": "Sí",
    "{title} (signed)": "{title} (firmado)",
    "No": "No",
    "Signed by {name}, drawn": "Firmado por {name}, a mano",
    "Signed by {name}, typed": "Firmado por {name}, escrito",
    "Initials of {name}, drawn": "Iniciales de {name}, a mano",
    "Initials of {name}, typed": "Iniciales de {name}, escritas",
    "Signature record": "Registro de la firma",
    "Signed by {signer} for {client}": "Firmado por {signer} en nombre de {client}",
    "Form": "Formulario",
    "Form version": "Versión del formulario",
    "Client": "Cliente",
    "Signed by": "Firmado por",
    "Signer's email": "Correo de quien firma",
    "Signed at": "Fecha de la firma",
    "IP address": "Dirección IP",
    "Browser": "Navegador",
    "Consent to sign electronically": "Consentimiento para firmar electrónicamente",
    "Consent version": "Versión del consentimiento",
    "Document SHA-256": "SHA-256 del documento",
    "The fingerprint covers the answers, the signatures, the signer's details and the form "
    "version. Staff can check a copy with Verify a signed form.":
        "La huella cubre las respuestas, las firmas, los datos de quien firma y la versión "
        "del formulario. El equipo puede comprobar una copia con Verificar un formulario "
        "firmado.",
}
