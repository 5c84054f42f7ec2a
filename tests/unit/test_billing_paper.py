"""Invoice and receipt PDFs print on the business's paper (US Letter or A4, by its
country, or its time zone's until one is set), and an open invoice's PDF and email
carry a "Pay online" link to its page in the portal; a paid, void or estimate one
does not."""

import io

import pypdf
import pytest

from models import Business, InvoiceStatus, PaymentMethod
from portal_app.services.billing import invoices, paper
from portal_app.services.billing.links import pay_online_url
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.billing.printouts import invoice_pdf_bytes, receipt_pdf_bytes
from portal_app.services.errors import NotAllowed, ServiceError
from tests import factories
from tests.unit.helpers import last_message

BASE = "https://portal.test"
LETTER = (612, 792)  # points
A4 = (595, 842)


def _size(data: bytes) -> tuple[int, int]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _links(data: bytes) -> list[str]:
    found = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def _sent_invoice(session, *, country="", timezone="UTC", kind="invoice", **client_perms):
    factories.business(session, country=country, timezone=timezone)
    staff = factories.staff(session)
    account, (client,) = factories.household(session, names=("Dana",), access="active")
    for key, value in client_perms.items():
        setattr(client, f"perm_{key}", value)
    session.add(client)
    draft = invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                                form={"client_id": client.id, "kind": kind},
                                lines=[{"description": "Session", "quantity": "1",
                                        "unit_price": "80.00"}])
    invoice = invoices.send_invoice(session, staff_id=staff.id, invoice_id=draft.id,
                                    base_url=BASE)
    return staff, account, client, invoice


@pytest.mark.parametrize(("country", "timezone", "expected"), [
    ("US", "UTC", LETTER),
    ("ES", "America/Chicago", A4),  # the setting wins over the zone
    ("", "America/Chicago", LETTER),  # not set: the zone's country (US)
    ("", "Europe/Madrid", A4),
])
def test_invoice_and_receipt_pdfs_use_the_paper_of_the_business_country(
        session, country, timezone, expected):
    staff, _, _, invoice = _sent_invoice(session, country=country, timezone=timezone)
    payment = record_offline_payment(session, staff_id=staff.id, invoice_id=invoice.id,
                                     form={"amount": "30.00", "method": PaymentMethod.CASH},
                                     base_url=BASE)

    assert _size(invoice_pdf_bytes(session, invoice=invoice, base_url=BASE)) == expected
    assert _size(receipt_pdf_bytes(session, payment=payment, invoice=invoice)) == expected


@pytest.mark.parametrize(("country", "timezone", "expected"), [
    ("CA", "Europe/Paris", paper.LETTER), ("MX", "UTC", paper.LETTER),
    ("PH", "UTC", paper.LETTER), ("GB", "America/New_York", paper.A4),
    ("", "America/Mexico_City", paper.LETTER), ("", "America/Toronto", paper.LETTER),
    ("", "Asia/Manila", paper.LETTER), ("", "Europe/London", paper.A4), ("", "UTC", paper.A4),
])
def test_paper_by_country_or_zone(country, timezone, expected):
    assert paper.paper_size(Business(name="B", country=country, timezone=timezone)) == expected


def test_an_open_invoice_pdf_and_email_carry_a_pay_online_link(session):
    _, account, _, invoice = _sent_invoice(session)
    url = f"{BASE}/payments/invoice?id={invoice.id}"

    pdf = invoice_pdf_bytes(session, invoice=invoice, base_url=BASE)
    assert "Pay online" in _text(pdf) and url in _text(pdf)
    assert url in _links(pdf)

    email = last_message(session, account.email)
    assert f"Pay online. View and pay it here: {url}" in email.body_text
    assert f'href="{url}"' in email.body_html and "Pay online" in email.body_html


def test_a_spanish_client_gets_the_link_in_spanish(session):
    factories.business(session, language="es")
    staff = factories.staff(session)
    account, (client,) = factories.household(session, names=("Ana",), access="active")
    draft = invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                                form={"client_id": client.id, "kind": "invoice"},
                                lines=[{"description": "Sesión", "quantity": "1",
                                        "unit_price": "80.00"}])
    invoice = invoices.send_invoice(session, staff_id=staff.id, invoice_id=draft.id,
                                    base_url=BASE)

    assert "Pagar en línea" in _text(invoice_pdf_bytes(session, invoice=invoice, base_url=BASE))
    assert "Pagar en línea" in last_message(session, account.email).body_text


def test_a_paid_invoice_has_no_pay_link_and_cannot_be_emailed(session):
    staff, _, _, invoice = _sent_invoice(session)
    record_offline_payment(session, staff_id=staff.id, invoice_id=invoice.id,
                           form={"amount": "80.00", "method": PaymentMethod.CASH}, base_url=BASE)
    assert invoice.status == InvoiceStatus.PAID

    pdf = invoice_pdf_bytes(session, invoice=invoice, base_url=BASE)
    assert "Pay online" not in _text(pdf) and _links(pdf) == []
    with pytest.raises(NotAllowed):
        invoices.send_invoice(session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE)


def test_a_void_invoice_has_no_pay_link(session):
    staff, _, client, invoice = _sent_invoice(session)
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=invoice.id)

    pdf = invoice_pdf_bytes(session, invoice=invoice, base_url=BASE)
    assert "Pay online" not in _text(pdf) and _links(pdf) == []
    assert pay_online_url(invoice, client, session.get(Business, 1), BASE) == ""


def test_an_estimate_has_no_pay_link(session):
    _, account, _, estimate = _sent_invoice(session, kind="estimate")

    assert "Pay online" not in _text(invoice_pdf_bytes(session, invoice=estimate, base_url=BASE))
    email = last_message(session, account.email)
    assert "Pay online" not in email.body_text and "Pay online" not in email.body_html


def test_no_pay_link_for_a_client_who_may_not_pay_online(session):
    _, account, _, invoice = _sent_invoice(session, pay=False)

    assert "Pay online" not in _text(invoice_pdf_bytes(session, invoice=invoice, base_url=BASE))
    assert "Pay online" not in last_message(session, account.email).body_text


def test_country_setting_takes_an_iso_code_or_follows_the_zone(session):
    factories.business(session, timezone="America/Chicago")
    staff = factories.staff(session)

    with pytest.raises(ServiceError) as refused:
        paper.set_country(session, staff_id=staff.id, country="XX")
    assert refused.value.field == "country"
    business = session.get(Business, 1)
    assert business.country == "" and paper.paper_size(business) == paper.LETTER

    paper.set_country(session, staff_id=staff.id, country="de")
    assert business.country == "DE" and paper.paper_size(business) == paper.A4
    paper.set_country(session, staff_id=staff.id, country="")
    assert business.country == "" and paper.paper_size(business) == paper.LETTER


def test_the_pay_url_needs_the_portal_address(session):
    _, _, client, invoice = _sent_invoice(session)
    business = session.get(Business, 1)
    assert pay_online_url(invoice, client, business, BASE + "/") == (
        f"{BASE}/payments/invoice?id={invoice.id}")
    assert pay_online_url(invoice, client, business, "") == ""
