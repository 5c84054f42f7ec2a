"""Console: one client's page: details, portal access, permissions, household,
timeline; and "View as client" (a read-only preview of the client's shell)."""

import reflex as rx

from models import PortalAccess, ProfileField
from portal_app import routes
from portal_app.i18n import formats
from portal_app.services import clients, invitations, profile
from portal_app.services.activity import recent_activity
from portal_app.services.billing.invoices import total_due
from portal_app.services.booking_notices import client_zone
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub.entitlements import client_apps
from portal_app.services.money import format_money
from portal_app.services.permissions import (
    PAY_NEEDS_BILLING,
    PERMISSION_KEYS,
    PERMISSIONS,
    client_permissions,
    effective_access,
    visible_actions,
)
from portal_app.settings import get_settings
from state.console_format import console_zone, status_label, when
from state.console_forms.labels import PROFILE_LABELS
from state.console_zones import ZoneChoiceVars
from state.guards import staff_event
from state.session import ClientShellVars, app_links
from state.staff_session import StaffState
from state.upcoming import upcoming_cards

# What the page shows, from the services (pages import state, not services).
__all__ = ["PAY_NEEDS_BILLING", "PERMISSIONS", "ClientDetailState", "ClientPreviewState"]


class ClientDetailState(ZoneChoiceVars, StaffState):
    client_id: str = ""
    full_name: str = ""
    email: str = ""
    mobile: str = ""
    timezone: str = ""
    notes: str = ""
    # The profile fields only forms fill (date of birth, address, emergency
    # contact), shown read-only when set: label, value.
    profile: list[dict[str, str]] = []
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
    email_ok: bool = True
    _id: int = 0

    def _fill(self, session, client_id) -> None:
        client = clients.get_client(session, client_id=client_id)
        self._id = client.id
        self.client_id = str(client.id)
        self.full_name, self.email, self.mobile = client.full_name, client.email, client.mobile
        self.timezone, self.notes = client.timezone, client.notes
        self.email_ok = client.email_ok
        born = client.date_of_birth
        self.profile = [{"label": self._tr(PROFILE_LABELS[key]), "value": value} for key, value in (
            (ProfileField.DATE_OF_BIRTH, formats.date_text(born, self._lang) if born else ""),
            (ProfileField.ADDRESS, client.address),
            (ProfileField.EMERGENCY_CONTACT, client.emergency_contact)) if value]
        self.portal_email = clients.portal_email_of(session, client)
        self.status, self.status_text = client.portal_access, status_label(client.portal_access)
        zone = console_zone(session)
        self.invited_at = when(client.invited_at, zone)
        self.first_sign_in = when(client.first_sign_in_at, zone)
        self.last_sign_in = when(client.last_sign_in_at, zone)
        self.last_seen = when(clients.last_seen(session, client_id=client.id), zone)
        self.perms = client_permissions(client)
        self.closure_requested_on = when(client.closure_requested_at, zone)
        self.closure_reason = client.closure_reason
        self.members = [{"id": str(m.id), "name": m.full_name, "status": status_label(m.portal_access)}
                        for m in clients.household(session, client_id=client.id)]
        self.events = [{"at": when(e.at, zone), "label": e.text,
                        "actor": "client" if e.actor_kind == "client" else "staff"}
                       for e in recent_activity(session, client_id=client.id, limit=50,
                                                 lang=self._lang, zone=zone)]
        self.portal_link = invitations.portal_url(get_settings().base_url,
                                                  get_business(session).portal_slug)

    def _details_error(self, exc: ServiceError) -> None:
        self.error = self._tr(exc.message)

    def _email_error(self, exc: ServiceError) -> None:
        self.email_error = self._tr(exc.message)

    def _perm_error(self, exc: ServiceError) -> None:
        self.perm_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.error = self.perm_error = self.email_error = ""
        self.preview_subject = self.preview_text = ""
        self._fill_zones()
        try:
            self._fill(session, self.router.url.query_parameters.get("id", ""))
        except ServiceError:
            return [rx.redirect(routes.CONSOLE_CLIENTS),
                    rx.toast.error(self._tr("That client does not exist."))]
        return None

    @staff_event(on_error="_details_error")
    def save_details(self, session, ctx, form: dict):
        self.error = ""
        clients.update_client(session, staff_id=ctx.staff_id, client_id=self._id, form=form)
        clients.set_email_consent(session, staff_id=ctx.staff_id, client_id=self._id,
                                  email_ok=bool(form.get("email_ok")))
        self._client_changed(self._id)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Details saved."))

    @staff_event
    def send_invitation(self, session, ctx, form: dict):
        invitations.invite_client(session, staff_id=ctx.staff_id, client_id=self._id,
                                  base_url=get_settings().base_url,
                                  message=str(form.get("message", "")))
        self._fill(session, self._id)
        return rx.toast.success(self._tr(f"Invitation sent to {self.portal_email}."))

    @staff_event
    def preview_invitation(self, session, ctx, form: dict):
        self.preview_subject, self.preview_text = invitations.preview_invitation(
            session, client_id=self._id, base_url=get_settings().base_url,
            message=str(form.get("message", "")))

    @rx.event
    def close_preview(self):
        self.preview_subject = self.preview_text = ""

    @staff_event
    def copy_portal_link(self, session, ctx):
        return [rx.set_clipboard(self.portal_link), rx.toast.success(self._tr("Portal link copied."))]

    @staff_event(on_error="_email_error")
    def change_portal_email(self, session, ctx, form: dict):
        self.email_error = ""
        invitations.change_portal_email(
            session, staff_id=ctx.staff_id, client_id=self._id,
            new_email=str(form.get("new_email", "")),
            also_primary=str(form.get("scope", "portal")) == "both",
            base_url=get_settings().base_url)
        self._client_changed(self._id)  # its sessions may have ended
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Portal email changed; a new invitation was sent."))

    @staff_event(on_error="_perm_error")
    def save_permissions(self, session, ctx, form: dict):
        self.perm_error = ""
        perms = {k: bool(form.get(k)) for k in PERMISSION_KEYS}
        clients.set_permissions(session, staff_id=ctx.staff_id, client_id=self._id, perms=perms)
        self._client_changed(self._id)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Permissions saved. The client's open pages follow at once."))

    @staff_event
    def disable_access(self, session, ctx):
        clients.disable_access(session, staff_id=ctx.staff_id, client_id=self._id)
        self._client_changed(self._id)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Portal access disabled."))

    @staff_event
    def dismiss_closure(self, session, ctx):
        """Clear the client's request to close the account (audited); access stays."""
        profile.dismiss_closure(session, staff_id=ctx.staff_id, client_id=self._id)
        self._client_changed(self._id)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Closure request dismissed."))

    @staff_event
    def add_member(self, session, ctx, form: dict):
        clients.add_household_member(session, staff_id=ctx.staff_id, client_id=self._id,
                                     full_name=str(form.get("full_name", "")))
        self._client_changed(self._id)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Household member added."))

    @staff_event
    def remove_member(self, session, ctx, member_id: str):
        """Detach a record of this household (checked to belong to it)."""
        ids = {m.id for m in clients.household(session, client_id=self._id)}
        try:
            target = int(member_id)
        except (TypeError, ValueError):
            target = 0
        if target not in ids:
            raise ServiceError("That client is not in this household.")
        clients.remove_household_member(session, staff_id=ctx.staff_id, client_id=target)
        self._client_changed(self._id, target)
        self._fill(session, self._id)
        return rx.toast.success(self._tr("Removed from the household."))


class ClientPreviewState(ClientShellVars, StaffState):
    """"View as client": the client's shell with their name, access and buttons."""

    preview: bool = True
    client_id: str = ""
    can_sign_in: bool = False

    @staff_event
    def load(self, session, ctx):
        try:
            client = clients.get_client(
                session, client_id=self.router.url.query_parameters.get("id", ""))
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
        # The app switcher as the client sees it now (its links do nothing here).
        self.app_links = app_links(client_apps(session, business=business,
                                               client_id=client.id), self._tr)
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
