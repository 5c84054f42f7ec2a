"""Test data built through the services (or, for records the console will create
in a later issue, through the models with the same fields)."""

import itertools

from sqlmodel import Session

from models import Business, Client, PortalAccess, PortalAccount
from portal_app.services.staff_auth import create_staff

_seq = itertools.count(1)
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def business(session: Session, **overrides) -> Business:
    fields = {"name": "Test Studio", "contact_email": "hello@studio.test",
              "allow_self_signup": True, **overrides}
    b = Business(**fields)
    session.add(b)
    session.flush()
    return b


def household(session: Session, *, email: str | None = None, names=("Alex",), mobile: str = "",
              access: str = PortalAccess.INVITED, password_hash: str | None = None):
    """A portal account with one client record per name."""
    n = next(_seq)
    email = email or f"client{n}@example.test"
    account = PortalAccount(email=email, password_hash=password_hash)
    session.add(account)
    session.flush()
    clients = []
    for name in names:
        c = Client(full_name=f"{name} {n}", email=email, mobile=mobile, account_id=account.id,
                   portal_access=access)
        session.add(c)
        clients.append(c)
    session.flush()
    return account, clients


def staff(session: Session, *, email: str | None = None, password: str = "correct horse battery",
          totp_secret: str | None = None, role: str = "staff", full_name: str | None = None,
          active: bool = True):
    """A staff member through the service (bcrypt at the suite's low cost, see conftest)."""
    n = next(_seq)
    member = create_staff(session, email=email or f"staff{n}@example.test",
                          full_name=full_name or f"Staff {n}", password=password, role=role,
                          totp_secret=totp_secret)
    if not active:
        member.active = False
        session.add(member)
        session.flush()
    return member


# --- scheduling ----------------------------------------------------------------------------


def service(session: Session, *, providers, **overrides):
    """A bookable service provided by `providers` (StaffUser rows or ids)."""
    from models import Service, ServiceProvider

    fields = {"name": f"Service {next(_seq)}", "duration_minutes": 60, "min_notice_minutes": 0,
              "horizon_days": 365, "change_window_hours": 24, **overrides}
    svc = Service(**fields)
    session.add(svc)
    session.flush()
    for p in providers:
        session.add(ServiceProvider(service_id=svc.id, staff_id=getattr(p, "id", p)))
    session.flush()
    return svc


def working_hours(session: Session, staff_user, *intervals):
    """Weekly hours for one staff member: (weekday, "09:00", "17:00") tuples."""
    from models import WorkingHours

    for weekday, start, end in intervals:
        sh, sm = map(int, start.split(":"))
        eh, em = map(int, end.split(":"))
        session.add(WorkingHours(staff_id=getattr(staff_user, "id", staff_user), weekday=weekday,
                                 start_minute=sh * 60 + sm, end_minute=eh * 60 + em))
    session.flush()


def client(session: Session, **overrides):
    """A plain client record (no portal account)."""
    n = next(_seq)
    c = Client(**{"full_name": f"Client {n}", "email": f"c{n}@example.test", **overrides})
    session.add(c)
    session.flush()
    return c
