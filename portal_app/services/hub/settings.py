"""The hub's business settings (console → Portal settings): which optional apps
are on, the app a client lands on after sign-in, and whether self sign-up with an
email that already has an account adds a record to that account's household.

`landing_path` is where a signed-in client goes: the landing app when they may
use it now, else the dashboard (a client whose grant ended is not sent to a page
that would refuse them)."""

from __future__ import annotations

from sqlmodel import Session

from models import Business
from portal_app import apps, routes
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub.entitlements import client_apps, enabled_apps
from portal_app.services.sessions import list_eligible_records

LANDING_OFF = "Turn that app on first, or choose another landing app."


def update_hub_settings(session: Session, *, staff_id: int, form: dict) -> Business:
    """Save the apps turned on (`app_<key>` checkboxes), the landing app and "allow
    several client records per email". A landing app that is off is refused."""
    on = [key for key in apps.OPTIONAL_APP_KEYS if form.get(f"app_{key}")]
    landing = str(form.get("landing_app", "") or apps.PORTAL).strip()
    if landing not in apps.APP_KEYS:
        raise ServiceError("Choose a landing app.", field="landing_app")
    if landing != apps.PORTAL and landing not in on:
        raise ServiceError(LANDING_OFF, field="landing_app")
    several = bool(form.get("allow_several_records_per_email"))
    business = get_business(session)
    before = (list(business.apps_enabled or []), business.landing_app,
              business.allow_several_records_per_email)
    business.apps_enabled = on
    business.landing_app = landing
    business.allow_several_records_per_email = several
    session.add(business)
    session.flush()
    if before != (on, landing, several):
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="business.hub_settings", apps=",".join(on), landing=landing,
                     several_records=several)
    return business


def landing_app_key(business: Business) -> str:
    """The landing app, when it is still on (else the portal)."""
    key = business.landing_app or apps.PORTAL
    return key if key in enabled_apps(business) else apps.PORTAL


def landing_path(session: Session, *, business: Business | None = None,
                 client_id: int | None) -> str:
    """Where this record lands after sign-in: the landing app's page when the client
    may use it now, else the dashboard (no record chosen yet: the dashboard, which
    asks for one)."""
    business = business or get_business(session)
    key = landing_app_key(business)
    if key == apps.PORTAL or client_id is None:
        return routes.DASHBOARD
    if key not in client_apps(session, business=business, client_id=client_id):
        return routes.DASHBOARD
    return apps.get_app(key).route


def after_sign_in(session: Session, *, account_id: int, record_count: int) -> str:
    """Where a sign-in goes: the record picker when the email has several records,
    else that record's landing (see `landing_path`)."""
    if record_count != 1:
        return routes.SELECT_ACCOUNT
    records = list_eligible_records(session, account_id=account_id)
    if len(records) != 1:
        return routes.SELECT_ACCOUNT
    return landing_path(session, client_id=records[0].id)
