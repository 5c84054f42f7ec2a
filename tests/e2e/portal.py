"""The running portal a browser test talks to (`portal` fixture): its address, its
environment, and shortcuts that put data straight into its database (a household,
staff, a booking, an invoice) so a journey starts where it matters.

In the scale mode it also holds the two-node deployment (`cluster`,
tests/e2e/two_nodes.py): the nodes behind nginx and their worker processes."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path


class Portal:
    def __init__(self, base_url: str, data_dir: Path, env: dict, mode: str = "sqlite",
                 workers: list[int] | None = None, cluster=None):
        self.base_url = base_url
        self.data_dir = data_dir
        self.env = env
        self.mode = mode
        self.cluster = cluster  # the scale mode's two nodes and nginx (two_nodes.TwoNodes)
        self._workers = workers or []

    @property
    def workers(self) -> list[int]:
        """The server's worker process ids (every node's, in the scale mode)."""
        return self.cluster.workers if self.cluster else self._workers

    @property
    def redis_url(self) -> str:
        return self.env.get("REDIS_URL", "")

    @contextmanager
    def session(self):
        """A session on the portal's own database (a new engine, disposed after)."""
        from sqlmodel import Session

        from portal_app.db import make_engine

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()

    def url(self, path: str) -> str:
        return self.base_url + path

    def household(self, *names: str) -> str:
        """A new portal email holding one client record per name (invited); returns the email."""
        import uuid

        from tests import factories

        email = f"e2e-{uuid.uuid4().hex[:10]}@example.test"
        with self.session() as session:
            factories.household(session, email=email, names=names or ("Client",))
            session.commit()
        return email

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["PORTAL_MAIL_DIR"])

    def staff(self, role: str = "owner") -> dict:
        """A new staff member with a known password and authenticator secret."""
        import uuid

        import pyotp

        from tests import factories

        creds = {"email": f"staff-{uuid.uuid4().hex[:10]}@example.test",
                 "password": "e2e staff password 1", "secret": pyotp.random_base32()}
        with self.session() as session:
            factories.staff(session, email=creds["email"], password=creds["password"],
                            totp_secret=creds["secret"], role=role)
            session.commit()
        return creds

    def booking_soon(self, email: str, hours: float = 2) -> int:
        """A confirmed booking starting in `hours` (inside the 24-hour change window)."""
        from datetime import UTC, datetime, timedelta

        from sqlmodel import select

        from models import Booking, Client, PortalAccount, Service, StaffUser

        with self.session() as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email)).first()
            service = session.exec(select(Service).where(
                Service.name == "Massage (60 min)")).one()
            staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
            start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
            booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                              start_at=start, end_at=start + timedelta(minutes=60),
                              status="confirmed", created_by="staff")
            session.add(booking)
            session.commit()
            return booking.id

    def invoice(self, email: str, unit_price: str, description: str = "Coaching session",
                *, sent: bool = True) -> str:
        """A sent invoice (or a draft) of one line for the first record of `email`;
        returns its number."""
        from sqlmodel import select

        from models import Client, InvoiceStatus, PortalAccount, StaffUser
        from portal_app.services.billing.invoices import save_draft

        with self.session() as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email).order_by(Client.id)).first()
            staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
            invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                                 form={"client_id": client.id, "kind": "invoice"},
                                 lines=[{"description": description, "quantity": "1",
                                         "unit_price": unit_price}])
            if sent:
                invoice.status = InvoiceStatus.SENT
            session.add(invoice)
            session.commit()
            return invoice.number

    def checkout_session_of(self, invoice_number: str) -> str:
        """The provider session id of the newest checkout attempt for an invoice."""
        from sqlmodel import select

        from models import CheckoutAttempt, Invoice

        with self.session() as session:
            return session.exec(select(CheckoutAttempt.provider_session_id).join(
                Invoice, Invoice.id == CheckoutAttempt.invoice_id).where(
                Invoice.number == invoice_number).order_by(
                CheckoutAttempt.id.desc())).first()

    def client_id_of(self, email: str) -> int:
        """The first client record of a portal email."""
        from sqlmodel import select

        from models import Client, PortalAccount

        with self.session() as session:
            return session.exec(select(Client.id).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email).order_by(Client.id)).first()

    def plain_clients(self, prefix: str, count: int) -> list[str]:
        """Clients with an email but no portal access yet; returns their emails."""

        from models import Client

        emails = [f"{prefix.lower()}{i}@example.test" for i in range(count)]
        with self.session() as session:
            for i, email in enumerate(emails):
                session.add(Client(full_name=f"{prefix} {i}", email=email))
            session.commit()
        return emails

    def set_activation(self, mode: str) -> None:
        """The business's portal activation moment (PortalActivation), set directly."""
        from sqlalchemy import update

        from models import Business

        with self.session() as session:
            session.exec(update(Business).values(portal_activation=mode))
            session.commit()

    def demo_credentials(self) -> dict:
        text = (self.data_dir / "demo-credentials.txt").read_text()
        return {
            "password": re.search(r"password:\s+(\S+)", text).group(1),
            "totp_secret": re.search(r"TOTP secret:\s+(\S+)", text).group(1),
        }
