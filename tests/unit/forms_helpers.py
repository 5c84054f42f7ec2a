"""Builders shared by the forms unit tests (templates through the services)."""

from datetime import UTC, datetime

from portal_app.services.forms.sending import send_form
from portal_app.services.forms.templates import create_template
from tests import factories

NOW = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
BASE_URL = "http://portal.test"

INTAKE_FIELDS = [
    {"kind": "short_text", "key": "name", "label": "Full name", "required": True,
     "maps_to": "full_name"},
    {"kind": "phone", "key": "phone", "label": "Phone", "maps_to": "mobile"},
    {"kind": "date", "key": "dob", "label": "Date of birth", "maps_to": "date_of_birth"},
    {"kind": "yes_no", "key": "allergies", "label": "Any allergies?", "required": True},
    {"kind": "long_text", "key": "allergy_list", "label": "Which?", "required": True,
     "show_if": {"field": "allergies", "op": "is", "value": "yes"}},
    {"kind": "long_text", "key": "notes", "label": "Anything else?"},
]
CONSENT_FIELDS = [
    {"kind": "statement", "key": "policy", "label": "Consent",
     "help": "I consent to treatment."},
    {"kind": "signature", "key": "sig", "label": "Signature", "required": True},
    {"kind": "date", "key": "signed_on", "label": "Date", "required": True},
]


def setup(session, *, fields=INTAKE_FIELDS, names=("Alex",)):
    """A business, a staff member, a household and a template; returns them."""
    factories.business(session, country="US")
    staff = factories.staff(session)
    account, clients = factories.household(session, names=names, access="active")
    template = create_template(session, staff_id=staff.id, title="Intake", fields=fields)
    return staff, account, clients, template


def send(session, staff, client, template, now=NOW):
    return send_form(session, staff_id=staff.id, client_id=client.id, template_id=template.id,
                     base_url=BASE_URL, now=now)
