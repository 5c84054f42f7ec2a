"""What a client receives outside the pages arrives in their language: sign-in
messages in the page's language (before sign-in), everything else in the
record's language, else the business's; the business's own emails in the
business's language. Amounts, dates and times are formatted for that
language (Babel), times with their zone. PDFs too."""

import io
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest
from sqlmodel import select

from models import Booking, BookingStatus, Client, OutboxMessage, Payment, PortalAccess
from portal_app.providers.storage import LocalFileStorage
from portal_app.services import client_auth, messaging, notifications
from portal_app.services.billing import invoices, payments
from portal_app.services.billing.printouts import invoice_pdf_bytes, paid_on_day
from portal_app.services.booking_notices import notify_booking, send_reminder
from portal_app.services.documents import IncomingFile, share_documents, upload_documents
from portal_app.services.invitations import change_portal_email, invite_client, preview_invitation
from portal_app.services.outbox_attachments import content as attachment_content
from tests import factories
from tests.unit.helpers import NOW, SECRET, last_message
from tests.unit.test_file_checks import pdf_bytes

BASE = "http://portal.test"
NBSP = "\u00a0"
AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday: 11:00 in Madrid (CEST)


def _flat(text: str) -> str:
    """Babel's no-break spaces as plain spaces, for readable assertions."""
    return text.replace(NBSP, " ").replace("\u202f", " ")


def _messages(session, to: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.to == to)
                             .order_by(OutboxMessage.id)).all())


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return _flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))


def _household(session, *, language="", access=PortalAccess.ACTIVE, mobile="", names=("Ana",)):
    account, clients = factories.household(session, names=names, access=access, mobile=mobile)
    for client in clients:
        client.language = language
        session.add(client)
    session.flush()
    return account, clients


# --- before sign-in: the page's language --------------------------------------------------


def test_sign_in_code_requested_in_spanish_arrives_in_spanish(session):
    factories.business(session, name="Estudio Sol")
    account, _ = _household(session)

    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=False, lang="es", now=NOW)

    message = last_message(session, account.email)
    assert message.subject.startswith("Tu código de acceso a Estudio Sol: ")
    assert "Tu código para iniciar sesión en el portal de clientes de Estudio Sol" in (
        message.body_text)
    assert "caduca en 15 minutos" in message.body_text
    assert '<html lang="es">' in message.body_html and "Solo funciona una vez" in (
        message.body_html)


def test_sign_in_code_without_page_language_follows_record_then_business(session):
    business = factories.business(session)
    spanish_record, _ = _household(session, language="es")
    plain, _ = _household(session)

    client_auth.request_sign_in_code(session, email=spanish_record.email, secret_key=SECRET,
                                     sms_enabled=False, now=NOW)
    client_auth.request_sign_in_code(session, email=plain.email, secret_key=SECRET,
                                     sms_enabled=False, now=NOW)
    assert last_message(session, spanish_record.email).subject.startswith("Tu código")
    assert last_message(session, plain.email).subject.startswith("Your sign-in code")

    business.language = "es"
    session.add(business)
    client_auth.request_sign_in_code(session, email=plain.email, secret_key=SECRET,
                                     sms_enabled=False, now=NOW)
    assert last_message(session, plain.email).subject.startswith("Tu código")


def test_the_page_language_wins_over_the_record_language(session):
    factories.business(session)
    account, _ = _household(session, language="es")

    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=False, lang="en", now=NOW)

    assert last_message(session, account.email).subject.startswith("Your sign-in code")


def test_no_account_notice_and_sms_code_follow_the_page_language(session):
    factories.business(session, name="Estudio Sol")
    account, _ = _household(session, mobile="+15550001111")

    client_auth.request_sign_in_code(session, email="nadie@example.test", secret_key=SECRET,
                                     sms_enabled=False, lang="es", now=NOW)
    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=True, lang="es", now=NOW)

    notice = last_message(session, "nadie@example.test")
    assert notice.subject == "Intento de inicio de sesión en Estudio Sol"
    assert "no tiene acceso al portal" in notice.body_text
    sms = last_message(session, "+15550001111")
    assert sms.channel == "sms"
    assert "es tu código de acceso a Estudio Sol. Caduca en 15 min." in sms.body_text


def test_registration_and_password_reset_follow_the_page_language(session):
    factories.business(session, name="Estudio Sol")
    account, _ = _household(session)

    client_auth.start_registration(session, full_name="Nuevo Cliente", email="nuevo@example.test",
                                   password="correct horse battery", secret_key=SECRET,
                                   lang="es", now=NOW)
    client_auth.start_registration(session, full_name="Ana", email=account.email,
                                   password="correct horse battery", secret_key=SECRET,
                                   lang="es", now=NOW)
    verify = last_message(session, "nuevo@example.test")
    assert verify.subject.startswith("Confirma tu correo para Estudio Sol: ")
    assert verify.body_text.startswith("Hola, Nuevo Cliente:")
    assert last_message(session, account.email).subject == "Ya tienes una cuenta en Estudio Sol"

    client_auth.request_password_reset(session, email=account.email, secret_key=SECRET,
                                       lang="es", now=NOW)
    reset = last_message(session, account.email)
    assert reset.subject.startswith("Restablece tu contraseña de Estudio Sol: ")
    assert "tu contraseña seguirá siendo la misma" in reset.body_text
    client_auth.request_password_reset(session, email="nadie@example.test", secret_key=SECRET,
                                       lang="es", now=NOW)
    assert last_message(session, "nadie@example.test").subject.startswith("Intento de inicio")


def test_invitation_is_in_the_invited_record_language(session):
    factories.business(session, name="Estudio Sol")
    staff = factories.staff(session, full_name="Lola Gil", role="owner")
    spanish = factories.client(session, full_name="Ana Ruiz", language="es")
    english = factories.client(session, full_name="Bea Smith")

    invite_client(session, staff_id=staff.id, client_id=spanish.id, base_url=BASE, now=NOW)
    invite_client(session, staff_id=staff.id, client_id=english.id, base_url=BASE, now=NOW)

    invitation = last_message(session, spanish.email)
    assert invitation.subject == "Estudio Sol te invita a tu portal de clientes"
    assert "caduca en 7 días" in invitation.body_text and "/invite?key=" in invitation.body_text
    assert last_message(session, english.email).subject == (
        "Estudio Sol invites you to your client portal")
    subject, text = preview_invitation(session, client_id=spanish.id, base_url=BASE)
    assert subject == invitation.subject and "Abre tu portal" in text

    change_portal_email(session, staff_id=staff.id, client_id=spanish.id,
                        new_email="ana.nueva@example.test", also_primary=False, base_url=BASE,
                        now=NOW)
    notice = last_message(session, spanish.email)
    assert notice.subject == "Ha cambiado tu correo de acceso al portal de Estudio Sol"
    assert last_message(session, "ana.nueva@example.test").subject.startswith("Estudio Sol te")


# --- billing -------------------------------------------------------------------------------


@pytest.fixture
def billing(session):
    factories.business(session, name="Estudio Sol")
    staff = factories.staff(session, full_name="Lola Gil", role="owner")
    account, (ana,) = _household(session, language="es")
    session.commit()
    return staff, ana, account


def _invoice(session, staff, client, *, price="95.00", **form):
    draft = invoices.save_draft(
        session, staff_id=staff.id, invoice_id=None,
        form={"client_id": client.id, "kind": "invoice", **form},
        lines=[{"description": "Sesión de coaching", "quantity": "1", "unit_price": price}])
    return invoices.send_invoice(session, staff_id=staff.id, invoice_id=draft.id, base_url=BASE)


def test_invoice_email_to_a_spanish_client_is_spanish_with_spanish_numbers(session, billing):
    staff, ana, account = billing

    _invoice(session, staff, ana, due_date="2099-01-31")

    message = last_message(session, account.email)
    assert message.subject == "Factura INV-0001 de Estudio Sol — pendiente: 95,00 US$"
    assert f"por 95,00{NBSP}US$" in message.body_text
    assert "Vence el 31 ene 2099." in message.body_text
    assert "Puedes verla y pagarla aquí" in message.body_text


def test_receipt_to_a_spanish_client_is_spanish_and_so_is_its_pdf(session, billing):
    staff, ana, account = billing
    invoice = _invoice(session, staff, ana)

    payments.record_offline_payment(
        session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE,
        form={"amount": "95.00", "method": "bank_transfer", "paid_on": "2024-05-03"})

    receipt = last_message(session, account.email)
    assert receipt.subject == "Recibo RCT-0001: pago de 95,00 US$ recibido — Estudio Sol"
    text = _flat(receipt.body_text)
    assert "hemos recibido tu pago de 95,00 US$ de la factura INV-0001" in text
    assert "Fecha de pago:    3 may 2024" in text
    assert "Forma de pago:    Transferencia bancaria" in text
    assert "Saldo pendiente:  0,00 US$" in text
    (attachment,) = receipt.attachments
    pdf = _pdf_text(attachment_content(session, attachment))
    for expected in ("Recibo", "RCT-0001", "RECIBIDO DE", "Fecha de pago", "3 may 2024",
                     "IMPORTE PAGADO", "95,00 US$", "Forma de pago", "Transferencia bancaria",
                     "Total de la factura", "Saldo restante", "Gracias por tu pago.",
                     "Página 1 de 1"):
        assert expected in pdf, expected
    assert "Receipt" not in pdf and "Thank you" not in pdf


def test_spanish_invoice_pdf_has_spanish_labels_and_formatted_total(session, billing):
    staff, ana, _account = billing
    invoice = _invoice(session, staff, ana, price="1234.50", due_date="2099-01-31",
                       discount="34.50", tax_rate="8.25", notes="Gracias por confiar en nosotros.")

    text = _pdf_text(invoice_pdf_bytes(session, invoice=invoice))

    for expected in ("Factura", "INV-0001", "Estado", "Pendiente", "Fecha de emisión",
                     "Vencimiento", "31 ene 2099", "FACTURAR A", ana.full_name, "Descripción",
                     "Cant.", "Precio unit.", "Importe", "Sesión de coaching",
                     "1.234,50 US$", "Subtotal", "Descuento", "-34,50 US$", "Impuesto (8,25 %)",
                     "99,00 US$", "Total", "1.299,00 US$", "Pagado", "Saldo pendiente", "NOTAS",
                     "Página 1 de 1"):
        assert expected in text, expected
    for english in ("Invoice", "Bill to", "BILL TO", "Balance due", "Unit price", "Qty", "Page"):
        assert english not in text, english
    english_copy = _pdf_text(invoice_pdf_bytes(session, invoice=invoice, lang="en"))
    assert "BILL TO" in english_copy and "$1,299.00" in english_copy
    assert "Tax (8.25%)" in english_copy and "Jan 31, 2099" in english_copy


def test_estimate_pdf_status_is_spanish(session, billing):
    staff, ana, _account = billing
    draft = invoices.save_draft(
        session, staff_id=staff.id, invoice_id=None, form={"client_id": ana.id,
                                                           "kind": "estimate"},
        lines=[{"description": "Reforma", "quantity": "1.5", "unit_price": "100.00"}])
    estimate = invoices.send_invoice(session, staff_id=staff.id, invoice_id=draft.id,
                                     base_url=BASE)

    text = _pdf_text(invoice_pdf_bytes(session, invoice=estimate))

    assert "Presupuesto" in text and "Pendiente de tu respuesta" in text and "1,5" in text
    assert "150,00 US$" in text


def test_paid_on_is_the_client_calendar_day_for_card_and_the_entered_day_offline():
    business = type("B", (), {"timezone": "UTC"})()
    client = Client(full_name="Ana", timezone="America/New_York")
    late_card = Payment(invoice_id=1, client_id=1, receipt_number="R", amount_minor=1,
                        currency="USD", method="card", provider="stripe",
                        paid_at=datetime(2030, 5, 4, 2, 0, tzinfo=UTC))
    offline = Payment(invoice_id=1, client_id=1, receipt_number="R", amount_minor=1,
                      currency="USD", method="cash", provider="offline",
                      paid_at=datetime(2030, 5, 3, 12, 0, tzinfo=UTC))
    auckland = Client(full_name="Kiri", timezone="Pacific/Auckland")

    assert paid_on_day(late_card, client, business) == date(2030, 5, 3)  # 22:00 in New York
    assert paid_on_day(offline, auckland, business) == date(2030, 5, 3)  # not May 4 (+12)


# --- bookings --------------------------------------------------------------------------------


def _booking(session, *, language="es", timezone="Europe/Madrid", mobile=""):
    factories.business(session, name="Estudio Sol", timezone="America/New_York")
    account, (client,) = _household(session, language=language, mobile=mobile)
    client.timezone = timezone
    session.add(client)
    staff = factories.staff(session, full_name="Lola Gil", role="owner")
    service = factories.service(session, providers=[staff], name="Masaje")
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=AT, end_at=AT + timedelta(hours=1),
                      status=BookingStatus.CONFIRMED)
    session.add(booking)
    session.flush()
    return booking, account


def test_booking_email_carries_the_time_with_its_zone_in_spanish(session):
    booking, account = _booking(session)

    notify_booking(session, booking=booking, event="confirmed", base_url=BASE)

    message = last_message(session, account.email)
    assert message.subject == "Reserva confirmada: Masaje el lun, 6 may, 11:00 CEST"
    assert "Tu reserva está confirmada." in message.body_text
    assert "Cuándo:  lunes, 6 de mayo de 2030, 11:00 CEST (Europe/Madrid)" in message.body_text
    assert "Qué:     Masaje con Lola Gil" in message.body_text
    assert "Con el archivo de calendario adjunto" in message.body_text


def test_booking_email_in_english_uses_12_hour_time_with_the_zone(session):
    booking, account = _booking(session, language="en", timezone="America/New_York")

    notify_booking(session, booking=booking, event="requested", base_url=BASE)

    message = last_message(session, account.email)
    assert _flat(message.subject) == "Request received: Masaje on Mon, May 6, 5:00 AM EDT"
    assert ("When:  Monday, May 6, 2030, 5:00 AM EDT (America/New_York)"
            in _flat(message.body_text))


def test_reminder_sms_is_spanish_with_plain_spaces(session):
    booking, _account = _booking(session, mobile="+34600000000")

    send_reminder(session, booking=booking, base_url=BASE, sms_enabled=True)

    (sms,) = [m for m in _messages(session, "+34600000000") if m.channel == "sms"]
    assert sms.body_text == ("Recordatorio de Estudio Sol: Masaje el lun, 6 may, 11:00 CEST. "
                             f"Gestiona tu reserva: {BASE}/bookings")


# --- messages, documents, notifications --------------------------------------------------------


def test_message_email_to_client_is_in_their_language_and_to_staff_in_the_business(session):
    factories.business(session, name="Estudio Sol", contact_email="hola@sol.test")
    staff = factories.staff(session, full_name="Lola Gil", role="owner")
    account, (ana,) = _household(session, language="es")
    ana.email_notifications = ["message"]
    session.add(ana)

    conversation = messaging.start_conversation(
        session, client_id=ana.id, subject="Resultados", body="Ya están.", by="staff",
        staff_id=staff.id, base_url=BASE)
    messaging.send_message(session, conversation_id=conversation.id, body="¡Gracias!",
                           by="client", client_id=ana.id, base_url=BASE)

    to_client = last_message(session, account.email)
    assert to_client.subject == "Mensajes nuevos de Estudio Sol"
    assert "Tienes mensajes nuevos de Estudio Sol sobre «Resultados»." in to_client.body_text
    to_staff = last_message(session, "hola@sol.test")
    assert to_staff.subject == f"New messages from {ana.full_name}"  # the business reads English


def test_documents_shared_in_spanish_and_uploads_told_in_the_business_language(session,
                                                                                 tmp_path):
    factories.business(session, name="Estudio Sol", contact_email="hola@sol.test",
                       language="es")
    staff = factories.staff(session, full_name="Lola Gil", role="owner")
    account, (ana,) = _household(session, language="en")
    _, (bea,) = _household(session, names=("Bea",))  # no choice: the business's language
    storage = LocalFileStorage(tmp_path / "files")
    limits = {"max_file_bytes": 10 ** 7, "max_request_bytes": 10 ** 7}

    for client in (ana, bea):
        share_documents(session, staff_id=staff.id, client_id=client.id, title="Contrato",
                        files=[IncomingFile("contrato.pdf", pdf_bytes())], storage=storage,
                        base_url=BASE, **limits)
    upload_documents(session, client_id=ana.id, files=[IncomingFile("dni.pdf", pdf_bytes())],
                     storage=storage, base_url=BASE, **limits)

    assert last_message(session, account.email).subject == "New document from Estudio Sol: Contrato"
    bea_mail = last_message(session, bea.email)
    assert bea_mail.subject == "Nuevo documento de Estudio Sol: Contrato"
    assert "Inicia sesión para verlo y descargarlo" in bea_mail.body_text
    assert last_message(session, "hola@sol.test").subject == f"{ana.full_name} ha subido un documento"


def test_notification_email_is_in_the_client_language(session):
    factories.business(session, name="Estudio Sol")
    account, (ana,) = _household(session, language="es")
    ana.email_notifications = ["document"]
    session.add(ana)

    notifications.notify(session, client_id=ana.id, kind="document", title="Contrato listo",
                         link="/documents", base_url=BASE)

    message = last_message(session, account.email)
    assert message.subject == "Contrato listo — Estudio Sol"
    assert "Velo en tu portal de clientes" in message.body_text
    assert "Recibes este correo porque" in message.body_text
