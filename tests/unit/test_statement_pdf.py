"""The statement PDF: the page's figures in the client's language and zone (named),
which invoices a payment paid, the aging; Letter or A4 by the business's country;
2,000 lines break over pages with the header repeated, in bounded time and memory."""

import io
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest

from models import Business, Client
from portal_app.services.billing.links import console_statement_pdf_url, statement_pdf_url
from portal_app.services.billing.statements.pdf import statement_pdf_bytes
from tests import factories
from tests.unit import statement_helpers as h

ZONE = "America/Chicago"
LETTER = (612, 792)
A4 = (595, 842)


def _text(data: bytes) -> str:
    """The pages' text, runs of white space as one space (a long title wraps)."""
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
                    .split())


def _size(data: bytes) -> tuple[int, int]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.fixture
def world(session):
    factories.business(session, name="Studio Nine", timezone=ZONE, currency="USD")
    client = factories.client(session, full_name="Ana Ruiz", timezone=ZONE)
    first = h.invoice(session, client, total=4000, issued=date(2026, 11, 2),
                      due=date(2026, 11, 16))
    h.invoice(session, client, total=9000, issued=date(2026, 8, 1), due=date(2026, 8, 15))
    # 23:30 in Chicago on Nov 20 is Nov 21 in UTC: the statement says Nov 20.
    h.pay(session, first, 4000, at=datetime(2026, 11, 21, 5, 30, tzinfo=UTC))
    session.commit()
    return client, first


def test_the_pdf_carries_the_figures_allocations_aging_and_the_zone(session, world):
    client, first = world
    text = _text(statement_pdf_bytes(session, client_id=client.id, start=date(2026, 11, 1),
                                     end=date(2026, 11, 30)))
    assert "Statement" in text and "Ana Ruiz" in text
    assert "Nov 1, 2026 – Nov 30, 2026" in text and ZONE in text
    assert f"Invoice {first.number}" in text
    assert f"Paid {first.number} $40.00" in text
    assert "Nov 20, 2026" in text and "Nov 21, 2026" not in text
    assert "Opening balance" in text and "$90.00" in text  # the August invoice, before
    assert "Closing balance" in text
    for label in ("Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days"):
        assert label in text
    assert _size(statement_pdf_bytes(session, client_id=client.id, start=date(2026, 11, 1),
                                     end=date(2026, 11, 30))) == LETTER


def test_the_pdf_in_spanish_on_a4(session, world):
    client, first = world
    business = session.get(Business, 1)
    business.country = "ES"
    session.add(business)
    session.commit()
    data = statement_pdf_bytes(session, client_id=client.id, start=date(2026, 11, 1),
                               end=date(2026, 11, 30), lang="es")
    text = _text(data)
    assert _size(data) == A4
    assert "Estado de cuenta" in text and "Saldo inicial" in text
    assert f"Pagado {first.number}" in text and "Más de 90 días" in text


def test_the_client_language_is_the_default(session, world):
    client, _first = world
    row = session.get(Client, client.id)
    row.language = "es"
    session.add(row)
    session.commit()
    text = _text(statement_pdf_bytes(session, client_id=client.id, start=date(2026, 11, 1),
                                     end=date(2026, 11, 30)))
    assert "Estado de cuenta" in text


def test_long_statements_break_pages_with_the_header_repeated(session):
    """300 lines over several pages; the 2,000-line time and memory are measured in
    `make bench` (bench/statements.py), not here."""
    factories.business(session, name="Studio Nine", timezone=ZONE, currency="USD")
    client = factories.client(session, full_name="Long History")
    start = date(2021, 1, 1)
    for n in range(150):  # 150 invoices and 150 payments = 300 lines
        inv = h.invoice(session, client, total=1000 + n, issued=start + timedelta(days=n))
        h.pay(session, inv, 1000 + n, on=start + timedelta(days=n))
    session.commit()
    data = statement_pdf_bytes(session, client_id=client.id, start=start,
                               end=start + timedelta(days=200))
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert 8 <= pages <= 30
    assert all("Description" in reader.pages[i].extract_text() for i in (1, pages - 1))
    assert "$11.49" in reader.pages[pages - 1].extract_text()  # the last invoice's line


def test_the_pdf_urls_carry_ids_and_iso_dates_only():
    assert statement_pdf_url(7, date(2026, 11, 1), date(2026, 11, 30)) == (
        "/api/statements/7.pdf?start=2026-11-01&end=2026-11-30")
    assert console_statement_pdf_url(7, date(2026, 11, 1), date(2026, 11, 30)) == (
        "/api/console/statements/7.pdf?start=2026-11-01&end=2026-11-30")
