"""“Download my data”: one client record's data as a zip of `data.json` plus its files.

Only the record given (the caller takes it from the session) and only what
the portal shows that record: a section whose feature the client may not use
(billing off, say) is left out and named in `data.json`. Money is integer
minor units with the currency, and also formatted for people. Files are copied
one at a time, a chunk at a time, from the storage provider (disk or S3)
straight into the zip (itself a temporary file), so neither a file nor the zip
is ever held in memory whole.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    Booking,
    Conversation,
    Document,
    DocumentDirection,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Message,
    Notification,
    Payment,
    Service,
    StaffUser,
)
from models.base import utcnow
from portal_app.providers.storage import CHUNK, FileStorage
from portal_app.services.audit import record_audit
from portal_app.services.billing.dates import client_zone, paid_on_day
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.forms.export import forms_for_export
from portal_app.services.money import format_money, quantity_text, rate_text
from portal_app.services.notifications import email_preferences
from portal_app.services.permissions import Access
from portal_app.services.profile import get_profile

FORMAT_VERSION = 1
_UNSAFE = re.compile(r"[^\w .()\-]+")


def _when(value: datetime | date | None, zone: str = "UTC") -> str | None:
    """ISO 8601; a moment in the reader's zone, its offset naming it ("-06:00"), so the
    reader's calendar day is the one written; a calendar day as it is."""
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(zone or "UTC")).isoformat()
    return value.isoformat() if value is not None else None


def _money(minor: int, currency: str) -> dict:
    return {"minor": int(minor), "currency": currency, "formatted": format_money(minor, currency)}


def safe_file_name(doc_id: int, filename: str) -> str:
    """A zip member name nothing can climb out of: the id first (unique), then the
    name without separators, control characters or leading dots."""
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = "".join(ch for ch in name if ch.isprintable())
    name = _UNSAFE.sub("_", name.replace("/", "_").replace("\\", "_"))
    name = " ".join(name.split()).strip(" .")[:120] or "file"
    return f"{doc_id}-{name}"


@dataclass
class Export:
    """What goes into the zip: the JSON document, and (zip path, stored name) per file."""

    data: dict
    files: list[tuple[str, str]] = field(default_factory=list)


def _profile(session: Session, client, zone: str) -> dict:
    return {
        "id": client.id,
        "full_name": client.full_name,
        "email": client.email,
        "portal_email": portal_email_of(session, client),
        "mobile": client.mobile,
        "timezone": client.timezone,
        "language": client.language,
        "date_of_birth": _when(client.date_of_birth),
        "address": client.address,
        "emergency_contact": client.emergency_contact,
        "email_notifications": email_preferences(client),
        "created_at": _when(client.created_at, zone),
        "first_sign_in_at": _when(client.first_sign_in_at, zone),
        "last_sign_in_at": _when(client.last_sign_in_at, zone),
        "closure_requested_at": _when(client.closure_requested_at, zone),
        "closure_reason": client.closure_reason,
    }


def _bookings(session: Session, client_id: int, zone: str) -> list[dict]:
    rows = session.exec(
        select(Booking, Service.name, StaffUser.full_name)
        .join(Service, Service.id == Booking.service_id)
        .join(StaffUser, StaffUser.id == Booking.staff_id)
        .where(Booking.client_id == client_id)
        .order_by(Booking.start_at, Booking.id)).all()
    return [{
        "id": b.id, "service": service, "with": staff, "status": b.status,
        "start_at": _when(b.start_at, zone), "end_at": _when(b.end_at, zone),
        "created_by": b.created_by,
        "message_from_us": b.staff_message, "created_at": _when(b.created_at, zone),
    } for b, service, staff in rows]


def _invoices(session: Session, client_id: int, zone: str) -> list[dict]:
    invoices = list(session.exec(
        select(Invoice).where(Invoice.client_id == client_id,
                              Invoice.status.in_(InvoiceStatus.VISIBLE))
        .order_by(Invoice.issue_date, Invoice.id)).all())
    lines: dict[int, list[InvoiceLine]] = {}
    if invoices:
        for line in session.exec(select(InvoiceLine).where(
                InvoiceLine.invoice_id.in_([i.id for i in invoices]))
                .order_by(InvoiceLine.invoice_id, InvoiceLine.position, InvoiceLine.id)).all():
            lines.setdefault(line.invoice_id, []).append(line)
    out = []
    for inv in invoices:
        cur = inv.currency
        out.append({
            "id": inv.id, "kind": inv.kind, "number": inv.number, "status": inv.status,
            "issue_date": _when(inv.issue_date, zone), "due_date": _when(inv.due_date, zone),
            "lines": [{"description": ln.description,
                       "quantity": quantity_text(ln.quantity_hundredths),
                       "unit_price": _money(ln.unit_price_minor, cur),
                       "amount": _money(ln.amount_minor, cur)} for ln in lines.get(inv.id, [])],
            "subtotal": _money(inv.subtotal_minor, cur),
            "discount": _money(inv.discount_minor, cur),
            "tax_rate_percent": rate_text(inv.tax_rate_bp),
            "tax": _money(inv.tax_minor, cur),
            "total": _money(inv.total_minor, cur),
            "paid": _money(inv.paid_minor, cur),
            "balance": _money(inv.balance_minor, cur),
            "notes": inv.notes,
            "sent_at": _when(inv.sent_at, zone), "paid_at": _when(inv.paid_at, zone),
            "responded_at": _when(inv.responded_at, zone),
        })
    return out


def _payments(session: Session, client_id: int, zone: str) -> list[dict]:
    rows = session.exec(
        select(Payment, Invoice.number).join(Invoice, Invoice.id == Payment.invoice_id)
        .where(Payment.client_id == client_id, Invoice.client_id == client_id)
        .order_by(Payment.paid_at, Payment.id)).all()
    return [{
        "receipt_number": p.receipt_number, "invoice_number": number,
        "amount": _money(p.amount_minor, p.currency),
        "refunded": _money(p.refunded_minor, p.currency),
        "method": p.method, "paid_at": _when(p.paid_at, zone),
        "paid_on": paid_on_day(p, zone).isoformat(),  # an offline payment's entered day
    } for p, number in rows]


def _documents(session: Session, client_id: int,
               zone: str) -> tuple[list[dict], list[tuple[str, str]]]:
    docs = session.exec(select(Document).where(Document.client_id == client_id,
                                               Document.deleted_at.is_(None))
                        .order_by(Document.created_at, Document.id)).all()
    rows, files = [], []
    for doc in docs:
        folder = "shared" if doc.direction == DocumentDirection.SHARED else "uploaded"
        path = f"files/{folder}/{safe_file_name(doc.id, doc.filename)}"
        files.append((path, doc.stored_name))
        rows.append({
            "id": doc.id,
            "direction": "shared with you" if folder == "shared" else "sent by you",
            "title": doc.title, "filename": doc.filename, "content_type": doc.content_type,
            "size_bytes": doc.size_bytes, "sha256": doc.sha256, "message": doc.message,
            "created_at": _when(doc.created_at, zone),
            "first_viewed_at": _when(doc.first_viewed_at, zone),
            "attached_to_message_id": doc.conversation_message_id,
            "file": path,
        })
    return rows, files


def _conversations(session: Session, client_id: int, zone: str) -> list[dict]:
    conversations = list(session.exec(
        select(Conversation).where(Conversation.client_id == client_id)
        .order_by(Conversation.created_at, Conversation.id)).all())
    by_conversation: dict[int, list[Message]] = {}
    if conversations:
        for msg in session.exec(
                select(Message).join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.client_id == client_id)
                .order_by(Message.conversation_id, Message.id)).all():
            by_conversation.setdefault(msg.conversation_id, []).append(msg)
    return [{
        "id": c.id, "subject": c.subject, "started_by": c.created_by,
        "created_at": _when(c.created_at, zone), "closed_at": _when(c.closed_at, zone),
        "messages": [{"id": m.id, "from": "you" if m.sender == "client" else "us",
                      "body": m.body, "sent_at": _when(m.created_at, zone)}
                     for m in by_conversation.get(c.id, [])],
    } for c in conversations]


def _notifications(session: Session, client_id: int, zone: str) -> list[dict]:
    rows = session.exec(select(Notification).where(Notification.client_id == client_id)
                        .order_by(Notification.created_at, Notification.id)).all()
    return [{"kind": n.kind, "title": n.title, "link": n.link,
             "created_at": _when(n.created_at, zone), "read_at": _when(n.read_at, zone)}
            for n in rows]


def build_export(session: Session, *, client_id: int, access: Access) -> Export:
    """The record's data as a JSON-ready dict and the files to add (one query per kind)."""
    client = get_profile(session, client_id=client_id)
    business = get_business(session)
    zone = client_zone(client, business)
    data: dict = {
        "format_version": FORMAT_VERSION,
        "timezone": zone,  # every time below is in this zone (its offset included)
        "exported_at": _when(utcnow(), zone),
        "business": {"name": business.name, "contact_email": business.contact_email,
                     "contact_phone": business.contact_phone},
        "profile": _profile(session, client, zone),
        "notifications": _notifications(session, client.id, zone),
        "forms": forms_for_export(session, client_id=client.id,
                                  when=lambda value: _when(value, zone)),
        "not_included": [],
    }
    files: list[tuple[str, str]] = []
    if access.bookings:
        data["bookings"] = _bookings(session, client.id, zone)
    else:
        data["not_included"].append("bookings")
    if access.billing:
        data["invoices"] = _invoices(session, client.id, zone)
        data["payments"] = _payments(session, client.id, zone)
    else:
        data["not_included"] += ["invoices", "payments"]
    if access.documents:
        data["documents"], files = _documents(session, client.id, zone)
    else:
        data["not_included"].append("documents")
    if access.messaging:
        data["conversations"] = _conversations(session, client.id, zone)
    else:
        data["not_included"].append("conversations")
    return Export(data=data, files=files)


@dataclass(frozen=True)
class ExportSummary:
    files: int
    missing: int


def write_export_zip(export: Export, *, storage: FileStorage, out: IO[bytes]) -> ExportSummary:
    """Write `data.json` and every file into `out` (a zip). A file gone from the
    storage is noted in data.json (`"file": null, "file_missing": true`)."""
    missing = 0
    written = 0
    gone: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Files first, one at a time; data.json last, once we know which were missing.
        for path, stored_name in export.files:
            try:
                source = storage.open(stored_name)
            except (FileNotFoundError, ValueError):
                missing += 1
                gone.add(path)
                continue
            # Copied a chunk at a time: a big file (or an S3 object) is never held whole.
            with source, archive.open(path, "w") as entry:
                shutil.copyfileobj(source, entry, CHUNK)
            written += 1
        for doc in export.data.get("documents", []):
            if doc["file"] in gone:
                doc["file"] = None
                doc["file_missing"] = True
        archive.writestr("data.json", json.dumps(export.data, ensure_ascii=False, indent=2))
    return ExportSummary(files=written, missing=missing)


def record_export(session: Session, *, account_id: int, client_id: int, summary: ExportSummary,
                  ip: str = "") -> None:
    """The audit row of a download of one's data (in the same transaction as the reads)."""
    record_audit(session, actor_kind="client", actor_id=account_id, action="client.data_exported",
                 client_id=client_id, ip=ip, files=summary.files, missing_files=summary.missing)
