"""“Download my data”: the zip holds this record's data and files, and nothing
of another household planted beside it."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from models import Booking, InvoiceStatus
from portal_app.providers.storage import LocalFileStorage
from portal_app.services import messaging
from portal_app.services.billing.invoices import save_draft, send_invoice
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.data_export import (
    build_export,
    safe_file_name,
    write_export_zip,
)
from portal_app.services.documents import (
    IncomingFile,
    delete_document,
    share_documents,
    upload_documents,
)
from portal_app.services.notifications import notify
from portal_app.services.permissions import Access
from tests import factories
from tests.unit.test_file_checks import image_bytes, pdf_bytes

BASE_URL = "https://portal.studio.test"
MB = 1024 * 1024
LIMITS = {"max_file_bytes": 10 * MB, "max_request_bytes": 25 * MB}
EVERYTHING = Access(bookings=True, messaging=True, billing=True, pay=True, documents=True,
                    upload=True)


def plant(session, storage, *, staff, service, client, tag: str) -> dict:
    """One household's data, every text carrying `tag`."""
    start = datetime(2031, 5, 6, 15, 0, tzinfo=UTC)
    session.add(Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1),
                        staff_message=f"Bring {tag} notes"))
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice",
                               "notes": f"Invoice for {tag}"},
                         lines=[{"description": f"Session {tag}", "quantity": "1.5",
                                 "unit_price": "80.00"}])
    send_invoice(session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE_URL)
    record_offline_payment(session, staff_id=staff.id, invoice_id=invoice.id,
                           form={"amount": "20.00", "method": "cash"}, base_url=BASE_URL)
    save_draft(session, staff_id=staff.id, invoice_id=None,
               form={"client_id": client.id, "kind": "invoice", "notes": f"Draft {tag}"},
               lines=[{"description": f"Unsent {tag}", "quantity": "1", "unit_price": "5"}])
    (shared,) = share_documents(session, staff_id=staff.id, client_id=client.id,
                                files=[IncomingFile(f"Plan {tag}.pdf", pdf_bytes(tag))],
                                storage=storage, base_url=BASE_URL, **LIMITS)
    (gone,) = share_documents(session, staff_id=staff.id, client_id=client.id,
                              files=[IncomingFile(f"Old {tag}.pdf", pdf_bytes("old"))],
                              storage=storage, base_url=BASE_URL, **LIMITS)
    delete_document(session, staff_id=staff.id, document_id=gone.id, storage=storage)
    (uploaded,) = upload_documents(session, client_id=client.id,
                                   files=[IncomingFile(f"../../scan {tag}.png",
                                                       image_bytes("PNG"))],
                                   storage=storage, base_url=BASE_URL, **LIMITS)
    conversation = messaging.start_conversation(
        session, client_id=client.id, subject=f"Question {tag}", body=f"Hello from {tag}",
        by="client", base_url=BASE_URL)
    messaging.send_message(session, conversation_id=conversation.id, body=f"Reply to {tag}",
                           by="staff", staff_id=staff.id, base_url=BASE_URL)
    notify(session, client_id=client.id, kind="message", title=f"Note for {tag}",
           link="/messages", base_url=BASE_URL, email=False)
    session.flush()
    return {"invoice": invoice, "shared": shared, "uploaded": uploaded, "gone": gone}


@pytest.fixture
def world(session, tmp_path):
    factories.business(session, currency="USD")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Deep tissue")
    storage = LocalFileStorage(tmp_path / "files")
    _, (mine,) = factories.household(session, names=("Mine",), access="active")
    _, (theirs,) = factories.household(session, names=("Theirs",), access="active")
    mine_data = plant(session, storage, staff=staff, service=service, client=mine,
                      tag="Ownmarker")
    plant(session, storage, staff=staff, service=service, client=theirs, tag="Foreignmarker")
    session.commit()
    return {"mine": mine, "theirs": theirs, "storage": storage, **mine_data}


def export_zip(session, storage, client_id, access=EVERYTHING):
    out = io.BytesIO()
    summary = write_export_zip(build_export(session, client_id=client_id, access=access),
                               storage=storage, out=out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return archive, json.loads(archive.read("data.json")), summary


def test_export_holds_this_records_data_with_money_in_minor_units(session, world):
    archive, data, summary = export_zip(session, world["storage"], world["mine"].id)

    assert data["profile"]["id"] == world["mine"].id
    assert data["profile"]["full_name"] == world["mine"].full_name
    (booking,) = data["bookings"]
    assert booking["service"] == "Deep tissue"
    assert booking["start_at"] == "2031-05-06T15:00:00+00:00"
    assert booking["message_from_us"] == "Bring Ownmarker notes"

    (invoice,) = data["invoices"]  # the draft is not shown to the client, nor exported
    assert invoice["number"] == world["invoice"].number
    assert invoice["status"] == InvoiceStatus.PARTIALLY_PAID
    assert invoice["total"] == {"minor": 12000, "currency": "USD", "formatted": "$120.00"}
    assert invoice["paid"]["minor"] == 2000 and invoice["balance"]["minor"] == 10000
    (line,) = invoice["lines"]
    assert line == {"description": "Session Ownmarker", "quantity": "1.5",
                    "unit_price": {"minor": 8000, "currency": "USD", "formatted": "$80.00"},
                    "amount": {"minor": 12000, "currency": "USD", "formatted": "$120.00"}}
    (payment,) = data["payments"]
    assert payment["amount"] == {"minor": 2000, "currency": "USD", "formatted": "$20.00"}
    assert payment["method"] == "cash"

    (conversation,) = data["conversations"]
    assert conversation["subject"] == "Question Ownmarker"
    assert [(m["from"], m["body"]) for m in conversation["messages"]] == [
        ("you", "Hello from Ownmarker"), ("us", "Reply to Ownmarker")]
    assert "Note for Ownmarker" in [n["title"] for n in data["notifications"]]
    assert data["not_included"] == []
    assert summary.files == 2 and summary.missing == 0


def test_export_files_are_the_stored_bytes_under_safe_names(session, world):
    archive, data, _ = export_zip(session, world["storage"], world["mine"].id)

    docs = {d["id"]: d for d in data["documents"]}
    assert set(docs) == {world["shared"].id, world["uploaded"].id}  # the deleted one is gone
    for doc in (world["shared"], world["uploaded"]):
        path = docs[doc.id]["file"]
        assert path.startswith("files/") and ".." not in path.split("/")
        assert archive.read(path) == world["storage"].read(doc.stored_name)
    assert docs[world["uploaded"].id]["direction"] == "sent by you"
    assert sorted(archive.namelist()) == sorted(["data.json", *(d["file"] for d in docs.values())])
    for name in archive.namelist():
        assert not name.startswith("/") and "\\" not in name and ".." not in name.split("/")


def test_export_holds_nothing_of_another_household(session, world):
    out = io.BytesIO()
    write_export_zip(build_export(session, client_id=world["mine"].id, access=EVERYTHING),
                     storage=world["storage"], out=out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    everything += "".join(archive.namelist()).encode()
    assert b"Ownmarker" in everything  # the check below can fail
    assert b"Foreignmarker" not in everything
    assert world["theirs"].full_name.encode() not in everything
    assert b"Draft Ownmarker" not in everything and b"Unsent" not in everything


def test_sections_the_client_may_not_use_are_left_out_and_named(session, world):
    access = Access(bookings=False, messaging=False, billing=False, documents=True)
    archive, data, _ = export_zip(session, world["storage"], world["mine"].id, access)

    for key in ("bookings", "invoices", "payments", "conversations"):
        assert key not in data
    assert data["not_included"] == ["bookings", "invoices", "payments", "conversations"]
    assert len(data["documents"]) == 2


def test_a_file_missing_from_storage_is_noted_not_fatal(session, world):
    world["storage"].delete(world["shared"].stored_name)

    archive, data, summary = export_zip(session, world["storage"], world["mine"].id)

    doc = next(d for d in data["documents"] if d["id"] == world["shared"].id)
    assert doc["file"] is None and doc["file_missing"] is True
    assert summary.files == 1 and summary.missing == 1
    assert len(archive.namelist()) == 2


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "7-_.._etc_passwd"),
    ("..", "7-file"),
    ("a\\b/c.pdf", "7-a_b_c.pdf"),
    ("Résumé 2030.pdf", "7-Résumé 2030.pdf"),
    ("bad\x00name\n.txt", "7-badname.txt"),
    ("", "7-file"),
])
def test_safe_file_name_cannot_leave_its_folder(name, expected):
    assert safe_file_name(7, name) == expected
    assert "/" not in safe_file_name(7, name) and "\\" not in safe_file_name(7, name)
