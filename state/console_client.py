"""Console: one client's page: details, portal access, permissions, household,
timeline; and "View as client" (a read-only preview of the client's shell)."""

import reflex as rx

from models import PortalAccess
from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import clients, invitations, profile
from portal_app.services.billing.invoices import total_due
from portal_app.services.booking_notices import client_zone
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.permissions import (
    PERMISSION_KEYS,
    client_permissions,
    effective_access,
    visible_actions,
)
from portal_app.settings import get_settings
from state.console_format import status_label, when
from state.session import NO_ACCESS, StaffState
from state.upcoming import upcoming_cards


class ClientDetailState(StaffState):
    client_id: str = ""
    full_name: str = ""
    email: str = ""
    mobile: str = ""
    timezone: str = ""
    notes: str = ""
    portal_email: str = ""
    status: str = ""
    status_text: str = ""
    invited_at: str = ""
    first_sign_in: str = ""
    last_sign_in: str = ""
    last_seen: str = ""
    perms: dict[str, bool] = {k: False for k in PERMISSION_KEYS}
    members: list[dict[str, str]] = []
    events: list[dict[str, str]] = []
    portal_link: str = ""
    error: str = ""
    perm_error: str = ""
    email_error: str = ""
    preview_subject: str = ""
    preview_text: str = ""
    closure_requested_on: str = ""
    closure_reason: str = ""
    _id: int = 0

    def _fill(self, session, client_id) -> None:
        client = clients.get_client(session, client_id=client_id)
        self._id = client.id
        self.client_id = str(client.id)
        self.full_name, self.email, self.mobile = client.full_name, client.email, client.mobile
        self.timezone, self.notes = client.timezone, client.notes
        self.portal_email = clients.portal_email_of(session, client)
        self.status, self.status_text = client.portal_access, status_label(client.portal_access)
        self.invited_at = when(client.invited_at)
        self.first_sign_in = when(client.first_sign_in_at)
        self.last_sign_in = when(client.last_sign_in_at)
        self.last_seen = when(clients.last_seen(session, client_id=client.id))
        self.perms = client_permissions(client)
        self.closure_requested_on = when(client.closure_requested_at)
        self.closure_reason = client.closure_reason
        self.members = [{"id": str(m.id), "name": m.full_name, "status": status_label(m.portal_access)}
                        for m in clients.household(session, client_id=client.id)]
        self.events = [{"at": when(e.at), "label": e.label, "actor": e.actor}
                       for e in clients.timeline(session, client_id=client.id)]
        self.portal_link = invitations.portal_url(get_settings().base_url,
                                                  get_business(session).portal_slug)

    def _act(self, action):
        """Run `action(session, staff_ctx)` for the loaded client, then refresh."""
        return self._as_staff(action, refresh=lambda session: self._fill(session, self._id))

    @rx.event
    def load(self):
        self.error = self.perm_error = self.email_error = ""
        self.preview_subject = self.preview_text = ""
        raw = self.router.url.query_parameters.get("id", "")
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
            try:
                self._fill(session, raw)
            except ServiceError:
                return [rx.redirect(routes.CONSOLE_CLIENTS),
                        rx.toast.error("That client does not exist.")]
        return None

    @rx.event
    def save_details(self, form: dict):
        self.error = ""
        redirect, result = self._act(lambda s, c: clients.update_client(
            s, staff_id=c.staff_id, client_id=self._id, form=form))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            self.error = result.message
            return None
        return rx.toast.success("Details saved.")

    @rx.event
    def send_invitation(self, form: dict):
        redirect, result = self._act(lambda s, c: invitations.invite_client(
            s, staff_id=c.staff_id, client_id=self._id, base_url=get_settings().base_url,
            message=str(form.get("message", ""))))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            return rx.toast.error(result.message)
        return rx.toast.success(f"Invitation sent to {self.portal_email}.")

    @rx.event
    def preview_invitation(self, form: dict):
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
            self.preview_subject, self.preview_text = invitations.preview_invitation(
                session, client_id=self._id, base_url=get_settings().base_url,
                message=str(form.get("message", "")))
        return None

    @rx.event
    def close_preview(self):
        self.preview_subject = self.preview_text = ""

    @rx.event
    def copy_portal_link(self):
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
        return [rx.set_clipboard(self.portal_link), rx.toast.success("Portal link copied.")]

    @rx.event
    def change_portal_email(self, form: dict):
        self.email_error = ""
        also_primary = str(form.get("scope", "portal")) == "both"
        redirect, result = self._act(lambda s, c: invitations.change_portal_email(
            s, staff_id=c.staff_id, client_id=self._id, new_email=str(form.get("new_email", "")),
            also_primary=also_primary, base_url=get_settings().base_url))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            self.email_error = result.message
            return None
        return rx.toast.success("Portal email changed; a new invitation was sent.")

    @rx.event
    def save_permissions(self, form: dict):
        self.perm_error = ""
        perms = {k: bool(form.get(k)) for k in PERMISSION_KEYS}
        redirect, result = self._act(lambda s, c: clients.set_permissions(
            s, staff_id=c.staff_id, client_id=self._id, perms=perms))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            self.perm_error = result.message
            return None
        return rx.toast.success("Permissions saved. They apply on the client's next action.")

    @rx.event
    def disable_access(self):
        redirect, result = self._act(lambda s, c: clients.disable_access(
            s, staff_id=c.staff_id, client_id=self._id))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            return rx.toast.error(result.message)
        return rx.toast.success("Portal access disabled.")

    @rx.event
    def dismiss_closure(self):
        """Clear the client's request to close the account (audited); access stays."""
        redirect, result = self._act(lambda s, c: profile.dismiss_closure(
            s, staff_id=c.staff_id, client_id=self._id))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            return rx.toast.error(result.message)
        return rx.toast.success("Closure request dismissed.")

    @rx.event
    def add_member(self, form: dict):
        redirect, result = self._act(lambda s, c: clients.add_household_member(
            s, staff_id=c.staff_id, client_id=self._id, full_name=str(form.get("full_name", ""))))
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            return rx.toast.error(result.message)
        return rx.toast.success("Household member added.")

    @rx.event
    def remove_member(self, member_id: str):
        """Detach a record of this household (checked to belong to it)."""
        def action(s, c):
            ids = {m.id for m in clients.household(s, client_id=self._id)}
            try:
                target = int(member_id)
            except (TypeError, ValueError):
                target = 0
            if target not in ids:
                raise ServiceError("That client is not in this household.")
            return clients.remove_household_member(s, staff_id=c.staff_id, client_id=target)

        redirect, result = self._act(action)
        if redirect:
            return redirect
        if isinstance(result, ServiceError):
            return rx.toast.error(result.message)
        return rx.toast.success("Removed from the household.")


class ClientPreviewState(StaffState):
    """"View as client": the client's shell with their name, access and buttons."""

    client_name: str = ""
    record_options: list[dict[str, str]] = []
    selected_record: str = ""
    access: dict[str, bool] = NO_ACCESS
    actions: list[dict[str, str]] = []
    upcoming: list[dict[str, str]] = []
    total_due: str = ""
    new_documents: int = 0
    bell_count: int = 0
    bell_items: list[dict[str, str]] = []
    unread_messages: int = 0
    preview: bool = True
    client_id: str = ""
    can_sign_in: bool = False

    @rx.event
    def load(self):
        raw = self.router.url.query_parameters.get("id", "")
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
            try:
                client = clients.get_client(session, client_id=raw)
            except ServiceError:
                return rx.redirect(routes.CONSOLE_CLIENTS)
            business = get_business(session)
            access = effective_access(business, client_permissions(client))
            self.client_id = str(client.id)
            self.client_name = client.full_name
            self.record_options = [{"id": str(m.id), "name": m.full_name}
                                   for m in clients.household(session, client_id=client.id)
                                   if m.portal_access in PortalAccess.CAN_SIGN_IN]
            self.selected_record = str(client.id)
            self.access = access.as_dict()
            self.actions = visible_actions(business.cta_config, access)
            self.upcoming = upcoming_cards(session, client_id=client.id, zone=client_zone(
                client, business)) if access.bookings else []
            due = total_due(session, client_id=client.id) if access.billing else 0
            self.total_due = format_money(due, business.currency) if due > 0 else ""
            self.can_sign_in = (business.portal_enabled
                                and client.portal_access in PortalAccess.CAN_SIGN_IN)
        return None

    @rx.event
    def logout(self):
        """Read-only preview: nothing happens."""
        return None

    @rx.event
    def open_bell(self):
        """Read-only preview: nothing happens."""
        return None

    @rx.event
    def open_notification(self, notification_id: str):
        """Read-only preview: nothing happens."""
        return None

    @rx.event
    def mark_all_read(self):
        """Read-only preview: nothing happens."""
        return None

    @rx.event
    def switch_record(self, client_id: str):
        """Read-only preview: nothing happens."""
        return None
