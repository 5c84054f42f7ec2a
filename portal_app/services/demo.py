"""Demo data for a first run: a branded business, an owner, a two-record household."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
from sqlmodel import Session, select

from models import Business, Client, PortalAccess, PortalAccount, StaffRole
from portal_app.services.staff_auth import create_staff, enrolment_uri

DEMO_OWNER = "owner@demo.test"
DEMO_CLIENT = "client@demo.test"


@dataclass(frozen=True)
class DemoCredentials:
    owner_email: str
    owner_password: str
    totp_secret: str
    totp_uri: str
    client_email: str


def is_seeded(session: Session) -> bool:
    return session.exec(select(Business.id).limit(1)).first() is not None


def seed_demo(session: Session) -> DemoCredentials | None:
    """Create the demo business once; None if the database already has a business."""
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
    return DemoCredentials(
        owner_email=DEMO_OWNER,
        owner_password=password,
        totp_secret=secret,
        totp_uri=enrolment_uri(owner, issuer="Harbor Wellness Studio"),
        client_email=DEMO_CLIENT,
    )
