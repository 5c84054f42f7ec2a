"""Demo data for a first run: a branded business, an owner, a two-record household,
two starter intake forms in a "New client" packet, a month of billing history
with superbill data (`demo_billing_history`), the Courses app with one published
course and a free offer that the first record has claimed (`demo_courses`), and the
Referrals app with a program and a referrer whose commissions are in every state
(`demo_referrals`; the demo client is not a referrer yet: they may join), and the
Community app with one open group of three members (`demo_community`; the demo client
may join it)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from sqlmodel import Session, select

from models import (
    Business,
    Client,
    InvoiceStatus,
    PortalAccess,
    PortalAccount,
    Service,
    ServiceProvider,
    StaffRole,
    WorkingHours,
)
from portal_app.services.billing.invoices import save_draft
from portal_app.services.demo_billing_history import seed_billing_history
from portal_app.services.demo_community import seed_demo_community
from portal_app.services.demo_courses import seed_demo_course
from portal_app.services.demo_referrals import seed_demo_referrals
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.sending import send_packet
from portal_app.services.forms.templates import create_template
from portal_app.services.staff_auth import create_staff, enrolment_uri

DEMO_OWNER = "owner@demo.test"
DEMO_CLIENT = "client@demo.test"
CONSENT_FORM = [
    {"kind": "statement", "key": "consent", "label": "Consent to treatment",
     "help": ("I agree to receive the treatment we discussed. I understand its benefits and "
              "risks, that I may ask questions at any time, and that I may withdraw my consent "
              "at any time by telling my practitioner.")},
    {"kind": "signature", "key": "signature", "label": "Signature", "required": True},
    {"kind": "date", "key": "signed_on", "label": "Date", "required": True},
]
CLIENT_INFO_FORM = [
    {"kind": "short_text", "key": "full_name", "label": "Full name", "required": True,
     "maps_to": "full_name"},
    {"kind": "phone", "key": "phone", "label": "Mobile phone", "required": True,
     "help": "With the country code, e.g. +1 212 736 5000.", "maps_to": "mobile"},
    {"kind": "date", "key": "date_of_birth", "label": "Date of birth", "required": True,
     "maps_to": "date_of_birth"},
    {"kind": "long_text", "key": "address", "label": "Home address", "maps_to": "address"},
    {"kind": "short_text", "key": "emergency_contact", "label": "Emergency contact",
     "help": "Name and phone number.", "maps_to": "emergency_contact"},
    {"kind": "short_text", "key": "timezone", "label": "Time zone",
     "help": "For example America/New_York.", "maps_to": "timezone"},
    {"kind": "yes_no", "key": "conditions", "label": "Any medical conditions we should know?",
     "required": True},
    {"kind": "long_text", "key": "conditions_detail", "label": "Please describe them",
     "required": True, "show_if": {"field": "conditions", "op": "is", "value": "yes"}},
]


@dataclass(frozen=True)
class DemoCredentials:
    owner_email: str
    owner_password: str
    totp_secret: str
    totp_uri: str
    client_email: str


def is_seeded(session: Session) -> bool:
    return session.exec(select(Business.id).limit(1)).first() is not None


def seed_demo(session: Session, *, base_url: str = "") -> DemoCredentials | None:
    """Create the demo business once; None if the database already has a business.
    `base_url` goes into the links of the emails it queues (the forms sent)."""
    if is_seeded(session):
        return None
    session.add(
        Business(
            name="Harbor Wellness Studio",
            tagline="Massage, physiotherapy and coaching by the harbour",
            accent_color="#0F766E",
            contact_email="hello@harborwellness.test",
            contact_phone="+1 555 0100",
            address="12 Quay Street, Portland, ME",
            timezone="America/New_York",
            currency="USD",
            portal_enabled=True,
            allow_self_signup=True,
            apps_enabled=["courses"],
        )
    )
    password = secrets.token_urlsafe(12)
    secret = pyotp.random_base32()
    owner = create_staff(session, email=DEMO_OWNER, full_name="Olivia Owner", password=password,
                         role=StaffRole.OWNER, totp_secret=secret)
    account = PortalAccount(email=DEMO_CLIENT)
    session.add(account)
    session.flush()
    for name, mobile in (("You as a client", ""), ("Jamie Client", "")):
        session.add(Client(full_name=name, email=DEMO_CLIENT, mobile=mobile,
                           timezone="America/New_York", account_id=account.id,
                           portal_access=PortalAccess.INVITED))
    session.flush()
    _seed_schedule(session, owner.id)
    first = session.exec(select(Client).where(Client.account_id == account.id)
                         .order_by(Client.id)).first()
    _seed_billing(session, owner.id, first.id)
    _seed_forms(session, owner.id, first.id, base_url)
    _seed_calendar(session, owner.id)
    # After the calendar: its walk-in bookings cycle through the services there were.
    seed_billing_history(session, staff_id=owner.id, client_id=first.id, base_url=base_url)
    seed_demo_course(session, client_id=first.id)
    seed_demo_referrals(session, staff_id=owner.id, base_url=base_url)
    seed_demo_community(session, business=session.exec(select(Business)).first())
    return DemoCredentials(
        owner_email=DEMO_OWNER,
        owner_password=password,
        totp_secret=secret,
        totp_uri=enrolment_uri(owner, issuer="Harbor Wellness Studio"),
        client_email=DEMO_CLIENT,
    )


def _seed_schedule(session: Session, staff_id: int) -> None:
    """Two services and weekday hours, so there are free times to book."""
    services = [
        Service(name="Massage (60 min)", description="Relaxing full-body massage.",
                duration_minutes=60, price_minor=8000, currency="USD",
                location="12 Quay Street, Portland, ME", buffer_after_minutes=15,
                min_notice_minutes=120, horizon_days=60, change_window_hours=24),
        Service(name="Initial consultation", description="A first talk about your goals.",
                duration_minutes=30, price_minor=0, currency="USD",
                video_link="https://meet.example.com/harbor", needs_approval=True,
                min_notice_minutes=240, horizon_days=30, change_window_hours=24),
    ]
    for service in services:
        session.add(service)
    session.flush()
    for service in services:
        session.add(ServiceProvider(service_id=service.id, staff_id=staff_id))
    for weekday in range(5):
        session.add(WorkingHours(staff_id=staff_id, weekday=weekday, start_minute=9 * 60,
                                 end_minute=12 * 60))
        session.add(WorkingHours(staff_id=staff_id, weekday=weekday, start_minute=13 * 60,
                                 end_minute=17 * 60))
    session.flush()


def _seed_calendar(session: Session, staff_id: int) -> None:
    """A few confirmed bookings of a walk-in client (no portal account) over the next
    days, so Console → Calendar has something to show. (None waits for approval: the
    console's request lists stay as the journeys expect them.)"""
    from zoneinfo import ZoneInfo

    from models import Service
    from portal_app.services.errors import ServiceError
    from portal_app.services.scheduling.bookings import book_slot

    zone = ZoneInfo("America/New_York")
    walk_in = Client(full_name="Sam Rivera", email="sam.rivera@example.test",
                     timezone="America/New_York")
    session.add(walk_in)
    session.flush()
    services = session.exec(select(Service).order_by(Service.id)).all()
    today = datetime.now(UTC).astimezone(zone).date()
    made = 0
    for offset in range(1, 10):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or made >= 5:
            continue
        service = services[made % len(services)]
        start = datetime(day.year, day.month, day.day, 10 if made % 2 else 14, tzinfo=zone)
        try:
            book_slot(session, client_id=walk_in.id, service_id=service.id,
                      start_at=start.astimezone(UTC), now=datetime.now(UTC),
                      created_by="staff", by_staff_id=staff_id)
        except ServiceError:
            continue
        made += 1
    session.flush()


def _seed_billing(session: Session, staff_id: int, client_id: int) -> None:
    """An open invoice to pay and an estimate to answer (no emails are sent)."""
    today = datetime.now(UTC).date()
    invoice = save_draft(
        session, staff_id=staff_id, invoice_id=None,
        form={"client_id": client_id, "kind": "invoice", "due_date": str(today
                                                                        + timedelta(days=14)),
              "notes": "Thank you for visiting Harbor Wellness Studio."},
        lines=[{"description": "Massage (60 min)", "quantity": "1", "unit_price": "80.00"},
               {"description": "Aromatherapy add-on", "quantity": "1", "unit_price": "15.00"}])
    estimate = save_draft(
        session, staff_id=staff_id, invoice_id=None,
        form={"client_id": client_id, "kind": "estimate", "tax_rate": "5"},
        lines=[{"description": "Physiotherapy session", "quantity": "5",
                "unit_price": "70.00"}])
    for document in (invoice, estimate):
        document.status = InvoiceStatus.SENT
        document.sent_at = datetime.now(UTC)
        session.add(document)
    session.flush()


def _seed_forms(session: Session, staff_id: int, client_id: int, base_url: str) -> None:
    """The starter intake forms in a "New client" packet sent by hand, already sent
    to the first demo record, so its Forms page has something to fill in."""
    consent = create_template(session, staff_id=staff_id, title="Consent to treatment",
                              intro="Please read, then sign below.", fields=CONSENT_FORM)
    info = create_template(session, staff_id=staff_id, title="Client information",
                           intro="Tell us how to reach you. This updates your profile.",
                           fields=CLIENT_INFO_FORM)
    packet = create_packet(session, staff_id=staff_id, name="New client",
                           template_ids=[consent.id, info.id])
    send_packet(session, staff_id=staff_id, client_id=client_id, packet_id=packet.id,
                base_url=base_url, now=datetime.now(UTC))
