"""Staff add a client: the one sequence behind every "New client" form in the console
(the clients list's dialog, the calendar's "New booking" dialog).

It lives apart from `clients` because it calls the forms hooks, which the client
services cannot import without a circle through notifications (see
services/forms/hooks.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Client
from portal_app.services import activation, clients
from portal_app.services.forms import hooks as form_hooks


def add_client(session: Session, *, staff_id: int, form: dict, base_url: str,
               now: datetime | None = None) -> Client:
    """Create a client from the console's form, in the caller's transaction:

    - the record, with the form's "Email OK" box (`email_ok`) and the practice's
      default permissions (`clients.create_client`);
    - its portal: activated when "Invite to the client portal" (`invite`) is ticked,
      or when the business activates on creation (`activation.activate_on_create`);
    - the packets set to go "when a client is created" (`forms.hooks`).

    Bad input raises ServiceError naming the field (full_name, email, mobile,
    timezone, notes, email_ok); since this runs before the commit, a refusal at any
    step leaves nothing created."""
    form = form if isinstance(form, dict) else {}
    client = clients.create_client(session, staff_id=staff_id, form=form,
                                   email_ok=bool(form.get("email_ok")))
    activation.activate_on_create(session, client_id=client.id, staff_id=staff_id,
                                  base_url=base_url, invite=bool(form.get("invite")))
    form_hooks.on_client_created(session, client_id=client.id, base_url=base_url, now=now)
    return client
