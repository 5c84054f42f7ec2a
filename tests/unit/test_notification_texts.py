"""Bell lines stored as kind + parameters and worded when read, in the reader's
language and zone; rows without parameters show their stored text."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from models import Notification, OutboxMessage
from portal_app.services import notification_texts as texts
from portal_app.services import notifications
from portal_app.services.errors import ServiceError
from tests import factories

BASE = "http://portal.test"
# 05:25 UTC on Dec 6 is 23:25 on Dec 5 in Chicago.
LATE = datetime(2026, 12, 6, 5, 25, tzinfo=UTC)

CASES = [
    ("booking", texts.booking_params(event="confirmed", service="Massage", start_at=LATE),
     "America/Chicago",
     "Booking confirmed: Massage, Sat, Dec 5, 11:25 PM CST",
     "Reserva confirmada: Massage, sáb, 5 dic, 23:25 CST"),
    ("booking", texts.booking_params(event="declined", service="Massage", start_at=LATE), "UTC",
     "Request declined: Massage, Sun, Dec 6, 5:25 AM UTC",
     "Solicitud rechazada: Massage, dom, 6 dic, 5:25 UTC"),
    ("message", texts.message_params(subject="Your visit"), "UTC",
     "New message: Your visit", "Nuevo mensaje: Your visit"),
    ("invoice", texts.invoice_params(doc="invoice", reminder=False, number="INV-0007",
                                     total_minor=8000, currency="USD"), "UTC",
     "New invoice INV-0007 — $80.00", "Nueva factura INV-0007 — 80,00 US$"),
    ("invoice", texts.invoice_params(doc="estimate", reminder=True, number="EST-0002",
                                     total_minor=12050, currency="EUR"), "UTC",
     "Reminder: estimate EST-0002 — €120.50", "Recordatorio: presupuesto EST-0002 — 120,50 €"),
    ("payment", texts.payment_params(amount_minor=2500, currency="USD", number="INV-0007"),
     "UTC", "Payment received: $25.00 for invoice INV-0007",
     "Pago recibido: 25,00 US$ de la factura INV-0007"),
    ("document", texts.document_params(titles=["Lease.pdf"]), "UTC",
     "New document: Lease.pdf", "Nuevo documento: Lease.pdf"),
    ("document", texts.document_params(titles=["Lease.pdf"], updated=True), "UTC",
     "Updated document: Lease.pdf", "Documento actualizado: Lease.pdf"),
    ("document", texts.document_params(titles=["a", "b", "c"]), "UTC",
     "3 new documents", "3 documentos nuevos"),
]


@pytest.mark.parametrize(("kind", "params", "zone", "english", "spanish"), CASES)
def test_each_kind_reads_in_english_and_in_spanish(kind, params, zone, english, spanish):
    assert texts.render(kind, params, lang="en", zone=zone) == english
    assert texts.render(kind, params, lang="es", zone=zone) == spanish


@pytest.fixture
def ana(session):
    factories.business(session, name="Test Studio", timezone="America/Chicago")
    _account, (client,) = factories.household(session, names=("Ana",))
    client.language = "es"
    session.add(client)
    session.commit()
    return client


def test_a_stored_line_keeps_its_facts_and_reads_in_each_language(session, ana):
    note = notifications.notify(
        session, client_id=ana.id, kind="payment", link="/payments",
        params=texts.payment_params(amount_minor=2500, currency="USD", number="INV-1"),
        base_url=BASE, email=False)
    session.commit()
    session.expire_all()
    row = session.get(Notification, note.id)
    assert row.params == {"amount_minor": 2500, "currency": "USD", "number": "INV-1"}
    assert row.title == "Payment received: $25.00 for invoice INV-1"  # English, for the record
    assert notifications.title_of(row, lang="es", zone="UTC") == (
        "Pago recibido: 25,00 US$ de la factura INV-1")
    assert notifications.title_of(row, lang="en", zone="UTC") == row.title


def test_the_email_copy_is_in_the_clients_language(session, ana):
    notifications.notify(session, client_id=ana.id, kind="document", link="/documents",
                         params=texts.document_params(titles=["Lease.pdf"]), base_url=BASE)
    session.commit()
    email = session.exec(select(OutboxMessage)).one()
    assert "Nuevo documento: Lease.pdf" in email.subject


def test_a_line_without_params_or_with_params_not_understood_shows_its_stored_text(session, ana):
    plain = notifications.notify(session, client_id=ana.id, kind="message", title="Old line",
                                 link="/messages", base_url=BASE, email=False)
    assert notifications.title_of(plain, lang="es", zone="UTC") == "Old line"
    odd = Notification(client_id=ana.id, kind="booking", title="Stored text",
                       params={"event": "exploded"})
    assert notifications.title_of(odd, lang="es", zone="UTC") == "Stored text"


def test_params_that_do_not_fit_the_kind_are_refused(session, ana):
    with pytest.raises(ServiceError):
        notifications.notify(session, client_id=ana.id, kind="invoice", link="/payments",
                             params={"subject": "wrong kind"}, base_url=BASE, email=False)
    assert session.exec(select(Notification)).all() == []
