"""The console home ("Today"): what counts as today in the business zone, invoices
overdue vs due this week, the 7-day invited rule, the activity sentences, and a
constant number of statements as the data grows."""

from datetime import UTC, date, datetime, timedelta

import pytest

from models import (
    AuditEvent,
    Booking,
    BookingStatus,
    Conversation,
    Invoice,
    InvoiceStatus,
    PortalAccess,
)
from portal_app.services import activity, console_home
from portal_app.services.audit import record_audit
from tests import factories
from tests.sql import statements_of


@pytest.fixture
def world(session):
    factories.business(session, timezone="America/New_York", currency="USD")
    staff = factories.staff(session, full_name="Staff 1")
    svc = factories.service(session, providers=[staff], name="Massage (60 min)", duration_minutes=60,
                            video_link="https://video.example/room")
    ana = factories.client(session, full_name="Ana Ruiz")
    session.flush()
    return {"staff": staff, "service": svc, "ana": ana}


def _booking(session, w, start, status=BookingStatus.CONFIRMED):
    b = Booking(client_id=w["ana"].id, service_id=w["service"].id, staff_id=w["staff"].id,
                start_at=start, end_at=start + timedelta(hours=1), status=status)
    session.add(b)
    session.flush()
    return b


def test_today_is_the_business_zones_date_across_the_utc_boundary(session, world):
    # 03:30 UTC on Dec 10 is still Dec 9, 22:30 in New York (EST, UTC-5).
    now = datetime(2026, 12, 10, 3, 30, tzinfo=UTC)
    today, start, end = console_home.day_bounds(now, "America/New_York")
    assert today == date(2026, 12, 9)
    assert (start, end) == (datetime(2026, 12, 9, 5, tzinfo=UTC),
                            datetime(2026, 12, 10, 5, tzinfo=UTC))
    late = _booking(session, world, datetime(2026, 12, 10, 2, tzinfo=UTC))   # Dec 9, 21:00
    _booking(session, world, datetime(2026, 12, 10, 6, tzinfo=UTC))          # Dec 10, 01:00
    _booking(session, world, datetime(2026, 12, 9, 4, tzinfo=UTC))           # Dec 8, 23:00
    gone = _booking(session, world, datetime(2026, 12, 9, 15, tzinfo=UTC),
                    status=BookingStatus.CANCELLED)
    shown = console_home.todays_appointments(session, now=now, zone="America/New_York")
    assert [a.booking_id for a in shown] == [late.id]
    assert gone.id not in [a.booking_id for a in shown]
    assert shown[0].video_link == "https://video.example/room"


def test_a_dst_day_is_25_hours_long():
    # Nov 1, 2026: New York falls back from EDT to EST.
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    today, start, end = console_home.day_bounds(now, "America/New_York")
    assert today == date(2026, 11, 1)
    assert start == datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert end == datetime(2026, 11, 2, 5, tzinfo=UTC)


def test_pending_requests_list_only_those_not_ended_with_no_video_link(session, world):
    now = datetime(2026, 12, 9, 12, tzinfo=UTC)
    waiting = _booking(session, world, now + timedelta(days=2), status=BookingStatus.PENDING)
    _booking(session, world, now - timedelta(days=2), status=BookingStatus.PENDING)
    _booking(session, world, now + timedelta(days=3))
    rows = console_home.waiting_requests(session, now=now)
    assert [r.booking_id for r in rows] == [waiting.id]
    assert rows[0].video_link == ""


def _invoice(session, w, number, due, status=InvoiceStatus.SENT, total=9500, paid=0):
    inv = Invoice(number=number, client_id=w["ana"].id, status=status, issue_date=date(2026, 11, 1),
                  due_date=due, total_minor=total, paid_minor=paid)
    session.add(inv)
    session.flush()
    return inv


def test_invoices_overdue_and_due_this_week(session, world):
    today = date(2026, 12, 9)
    _invoice(session, world, "INV-1", today - timedelta(days=1), paid=2500)
    _invoice(session, world, "INV-2", today)
    _invoice(session, world, "INV-3", today + timedelta(days=7),
             status=InvoiceStatus.PARTIALLY_PAID)
    _invoice(session, world, "INV-4", today + timedelta(days=8))
    _invoice(session, world, "INV-5", today - timedelta(days=3), status=InvoiceStatus.PAID)
    _invoice(session, world, "INV-6", today - timedelta(days=3), status=InvoiceStatus.DRAFT)
    _invoice(session, world, "INV-7", None)
    rows = console_home.invoices_due(session, today=today)
    assert [(r.number, r.overdue) for r in rows] == [("INV-1", True), ("INV-2", False),
                                                    ("INV-3", False)]
    assert rows[0].balance_minor == 7000 and rows[0].client_name == "Ana Ruiz"


def test_invited_seven_days_ago_and_not_signed_in(session, world):
    now = datetime(2026, 12, 9, 12, tzinfo=UTC)
    old = factories.client(session, full_name="Old", portal_access=PortalAccess.INVITED,
                           invited_at=now - timedelta(days=7))
    factories.client(session, full_name="Recent", portal_access=PortalAccess.INVITED,
                     invited_at=now - timedelta(days=6, hours=23))
    factories.client(session, full_name="Active", portal_access=PortalAccess.ACTIVE,
                     invited_at=now - timedelta(days=30))
    rows = console_home.stale_invitations(session, now=now)
    assert [r.client_id for r in rows] == [old.id]


def test_forms_outstanding_lists_open_forms_oldest_first_with_their_client(session, world):
    from portal_app.services.forms.requests import cancel_request
    from portal_app.services.forms.sending import send_form
    from portal_app.services.forms.templates import create_template

    now = datetime(2026, 12, 9, 12, tzinfo=UTC)
    assert console_home.get_today(session, now=now).forms_outstanding == []
    fields = [{"kind": "short_text", "key": "a", "label": "A"}]
    intake = create_template(session, staff_id=None, title="Intake", fields=fields)
    policy = create_template(session, staff_id=None, title="Policy", fields=fields)
    gone = create_template(session, staff_id=None, title="Gone", fields=fields)
    bo = factories.client(session, full_name="Bo")
    kw = {"staff_id": world["staff"].id, "base_url": "http://portal.test"}
    send_form(session, client_id=bo.id, template_id=policy.id, now=now - timedelta(days=1), **kw)
    send_form(session, client_id=world["ana"].id, template_id=intake.id, now=now, **kw)
    withdrawn = send_form(session, client_id=bo.id, template_id=gone.id, now=now, **kw)
    cancel_request(session, staff_id=world["staff"].id, request_id=withdrawn.id, now=now)

    rows = console_home.get_today(session, now=now).forms_outstanding
    assert [(r.client_name, r.title, r.client_id) for r in rows] == [
        ("Bo", "Policy", bo.id), ("Ana Ruiz", "Intake", world["ana"].id)]


def _lines(session, *events):
    rows = [record_audit(session, **e) for e in events]
    # Babel puts a narrow no-break space before AM/PM.
    return [line.text.replace("\u202f", " ")
            for line in activity.describe(session, rows, zone="America/New_York")]


def test_sentences_name_the_actor_and_the_object(session, world):
    ana, staff, svc = world["ana"], world["staff"], world["service"]
    b = _booking(session, world, datetime(2026, 12, 9, 15, tzinfo=UTC))
    texts = _lines(
        session,
        dict(actor_kind="client", actor_id=ana.id, action="payment.received", client_id=ana.id,
             invoice="INV-0012", amount=9500, currency="USD"),
        dict(actor_kind="client", actor_id=ana.id, action="booking.created", client_id=ana.id,
             booking_id=b.id, service_id=svc.id, start_at=b.start_at.isoformat()),
        dict(actor_kind="staff", actor_id=staff.id, action="document.shared", client_id=ana.id,
             document_ids=[1, 2], titles=["a.pdf", "b.pdf"]),
        dict(actor_kind="staff", actor_id=staff.id, action="booking.approved", client_id=ana.id,
             booking_id=b.id),
        dict(actor_kind="staff", actor_id=staff.id, action="booking.created", client_id=ana.id,
             booking_id=b.id, service_id=svc.id),
        dict(actor_kind="staff", actor_id=staff.id, action="invoice.sent", client_id=ana.id,
             invoice="INV-0012"),
        dict(actor_kind="staff", actor_id=staff.id, action="client.invited", client_id=ana.id),
        dict(actor_kind="client", actor_id=ana.id, action="document.uploaded", client_id=ana.id,
             titles=["x.pdf"]),
    )
    assert texts == [
        "Ana Ruiz paid INV-0012, $95.00",
        "Ana Ruiz booked Massage (60 min) for Wed, Dec 9, 10:00 AM EST",
        "Staff 1 shared 2 files with Ana Ruiz",
        "Staff 1 approved Ana Ruiz's Massage (60 min) on Wed, Dec 9, 10:00 AM EST",
        "Staff 1 booked Massage (60 min) for Ana Ruiz, Wed, Dec 9, 10:00 AM EST",
        "Staff 1 sent INV-0012 to Ana Ruiz",
        "Staff 1 invited Ana Ruiz to the portal",
        "Ana Ruiz uploaded a file",
    ]


def test_every_template_fills_without_a_raw_code(session, world):
    ana = world["ana"]
    b = _booking(session, world, datetime(2026, 12, 9, 15, tzinfo=UTC))
    details = {"booking_id": b.id, "invoice": "INV-0012", "amount": 9500, "titles": ["a.pdf"],
               "email_ok": False, "form": "Intake"}
    for key in activity.TEMPLATES:
        action = key.split("@")[0]
        for kind in ("client", "staff", "system"):
            (text,) = _lines(session, dict(actor_kind=kind, actor_id=world["staff"].id,
                                           action=action, client_id=ana.id, **details))
            assert action not in text and "{" not in text and ": " not in text, text  # not the fallback
            assert any(name in text for name in ("Ana Ruiz", "Staff 1", "The portal")), text


def test_form_lines_name_the_forms(session, world):
    ana, staff = world["ana"], world["staff"]
    texts = _lines(session,
                   dict(actor_kind="system", actor_id=None, action="form.sent", client_id=ana.id,
                        forms=["Consent", "Intake", "History"]),
                   dict(actor_kind="client", actor_id=ana.id, action="form.submitted",
                        client_id=ana.id, form="Consent"),
                   dict(actor_kind="staff", actor_id=staff.id, action="form.cancelled",
                        client_id=ana.id, form="History"),
                   dict(actor_kind="system", actor_id=None, action="document.shared",
                        client_id=ana.id, titles=["Consent (signed)"]))
    assert texts == ["The portal sent “Consent”, “Intake” and “History” to Ana Ruiz",
                     "Ana Ruiz completed “Consent”",
                     "Staff 1 cancelled “History” for Ana Ruiz",
                     "The portal shared a file with Ana Ruiz"]


def test_an_unknown_action_reads_as_words(session, world):
    texts = _lines(session,
                   dict(actor_kind="staff", actor_id=world["staff"].id, action="widget.polished",
                        client_id=world["ana"].id),
                   dict(actor_kind="system", actor_id=None, action="portal.thing_done"))
    assert texts == ["Staff 1: Widget polished (Ana Ruiz)", "The portal: Portal thing done"]


def test_lines_link_to_their_page(session, world):
    ana = world["ana"]
    rows = [record_audit(session, actor_kind="client", actor_id=ana.id, action=a,
                         client_id=ana.id, **d)
            for a, d in (("payment.received", {"invoice": "INV-9", "amount": 1}),
                         ("booking.cancelled", {"booking_id": 0}),
                         ("conversation.started", {"conversation_id": 7}),
                         ("client.sign_in", {}))]
    urls = [line.url for line in activity.describe(session, rows, zone="UTC")]
    assert urls == ["/console/invoice?number=INV-9", "/console/bookings",
                    "/console/messages?c=7", f"/console/client?id={ana.id}"]


def _grow(session, w, n, now):
    today = date(2026, 12, 9)
    for i in range(n):
        c = factories.client(session, portal_access=PortalAccess.INVITED,
                             invited_at=now - timedelta(days=8))
        start = now + timedelta(minutes=5 * (len(w.setdefault("made", [])) + 1))
        w["made"].append(1)
        session.add(Booking(client_id=c.id, service_id=w["service"].id,
                            staff_id=w["staff"].id, start_at=start,
                            end_at=start + timedelta(minutes=5), status=BookingStatus.PENDING))
        session.add(Invoice(number=f"N-{n}-{i}", client_id=c.id, status=InvoiceStatus.SENT,
                            issue_date=today, due_date=today, total_minor=100))
        session.add(Conversation(client_id=c.id, subject=f"S{i}", staff_unread=1))
        record_audit(session, actor_kind="staff", actor_id=w["staff"].id,
                     action="booking.created", client_id=c.id, service_id=w["service"].id)
        record_audit(session, actor_kind="client", actor_id=c.id, action="payment.received",
                     client_id=c.id, invoice=f"N-{n}-{i}", amount=100)
    session.flush()


def test_statements_stay_constant_as_the_data_grows(engine, session, world):
    now = datetime(2026, 12, 9, 14, tzinfo=UTC)
    counts = []
    for n in (2, 100):
        _grow(session, world, n, now)
        session.commit()
        view = []
        sent = statements_of(engine, lambda: view.append(console_home.get_today(session, now=now)))
        assert len(view[0].requests) >= 2 and view[0].activity
        counts.append(len(sent))
    assert counts[0] == counts[1]
    assert session.exec(  # the audit rows really grew
        __import__("sqlmodel").select(__import__("sqlalchemy").func.count(AuditEvent.id))).one() > 200


def test_odd_details_still_make_a_sentence(session, world):
    texts = _lines(session, dict(actor_kind="staff", actor_id=999, action="booking.cancelled",
                                 client_id=world["ana"].id, booking_id="7", start_at="soon",
                                 amount="12"))
    assert texts == ["A staff member: Booking cancelled (Ana Ruiz)"]
