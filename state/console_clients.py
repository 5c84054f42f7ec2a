"""Console: the client list (search, filters, paging, bulk invite, create)."""

import secrets

import reflex as rx

from models import PortalAccess
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.services import client_intake, clients, invitations
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import console_zone, status_label, when
from state.console_zones import ZoneChoiceVars
from state.guards import staff_event
from state.selection import toggled
from state.staff_session import StaffState


class ClientListState(ZoneChoiceVars, StaffState):
    search: str = ""
    status: str = "all"
    signed_in: str = "any"
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    selected: list[str] = []
    error: str = ""
    create_open: bool = False
    bulk_message: str = ""
    preview_subject: str = ""
    preview_text: str = ""
    # The business's activation moment (PortalActivation): the create dialog's note.
    activation: str = "manual"

    def _reload(self, session) -> None:
        result = clients.list_clients(session, search=self.search,
                                      status="" if self.status == "all" else self.status,
                                      signed_in="" if self.signed_in == "any" else self.signed_in,
                                      page=self.page)
        self.page, self.pages, self.total = result.page, result.pages, result.total
        business = get_business(session)
        self.activation = business.portal_activation
        now = utcnow()
        zone = console_zone(session)
        self.rows = [
            {"id": str(r.id), "name": r.full_name, "email": r.portal_email or r.email,
             "status": r.status, "status_label": status_label(r.status),
             "last_sign_in": when(r.last_sign_in_at, zone),
             "invited": when(r.invited_at, zone),
             "age": (clients.invitation_age(r.invited_at, now=now,
                                            ttl_days=business.invite_ttl_days)
                     if r.status == PortalAccess.INVITED else ""),
             "upload": "yes" if r.perm_upload else "",
             "email_ok": "yes" if r.email_ok else ""}
            for r in result.rows
        ]

    @staff_event
    def load(self, session, ctx):
        self.error = ""
        self.bulk_message = ""
        self._reload(session)
        self._fill_zones()

    @staff_event
    def apply_filters(self, session, ctx, form: dict):
        self.search = str(form.get("search", ""))[:100]
        self.status = str(form.get("status", "all"))
        self.signed_in = str(form.get("signed_in", "any"))
        self.page = 1
        self.selected = []
        self._reload(session)

    @staff_event
    def set_status_filter(self, session, ctx, value: str):
        self.status = str(value)
        self.page = 1
        self._reload(session)

    @staff_event
    def set_signed_in_filter(self, session, ctx, value: str):
        self.signed_in = str(value)
        self.page = 1
        self._reload(session)

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        try:
            self.page = int(page)
        except (TypeError, ValueError):
            self.page = 1
        self._reload(session)

    @rx.event
    def toggle_row(self, client_id: str, checked: bool):
        self.selected = toggled(self.selected, client_id, checked)

    @rx.event
    def toggle_page(self, checked: bool):
        self.selected = [r["id"] for r in self.rows] if checked else []

    @rx.event
    def open_create(self, value: bool = True):
        self.create_open = bool(value)
        self.error = ""

    def _create_refused(self, exc: ServiceError) -> None:
        self.error = self._tr(exc.message)

    @staff_event(on_error="_create_refused")
    def create_client(self, session, ctx, form: dict):
        """Create a client with their Email OK. "Invite to the client portal" (ticked by
        default when activation is manual), or the business's "when the client is
        created" setting, activates the portal (services/activation.py); packets set to
        go "when a client is created" are sent (services/forms/hooks.py); all three
        steps in `client_intake.add_client`, shared with the calendar's dialog."""
        self.error = ""
        client = client_intake.add_client(session, staff_id=ctx.staff_id, form=form,
                                          base_url=get_settings().base_url)
        self.create_open = False
        return rx.redirect(routes.console_client(client.id))

    @staff_event
    def toggle_upload(self, session, ctx, client_id: str):
        """The paper-clip: turn this client's upload permission on or off."""
        row = next((r for r in self.rows if r["id"] == str(client_id)), None)
        if row is None:
            raise ServiceError("That client is not on this page.")
        allowed = not row["upload"]
        clients.set_upload_permission(session, staff_id=ctx.staff_id, client_id=row["id"],
                                      allowed=allowed)
        self._client_changed(int(row["id"]))
        self._reload(session)
        done = "Uploads allowed for {name}." if allowed else "Uploads turned off for {name}."
        return rx.toast.success(i18n.gettext(self._lang, done, name=row["name"]))

    @staff_event
    def preview_bulk(self, session, ctx):
        if not self.selected:
            return rx.toast.error(self._tr("Select at least one client."))
        self.preview_subject, self.preview_text = invitations.preview_invitation(
            session, client_id=self.selected[0], base_url=get_settings().base_url)
        return None

    @rx.event
    def close_preview(self):
        self.preview_subject = ""
        self.preview_text = ""

    @staff_event
    def bulk_invite(self, session, ctx):
        """Bulk action "Send portal invite": one transaction, each client once."""
        self.preview_subject = ""
        self.preview_text = ""
        result = invitations.invite_clients(
            session, staff_id=ctx.staff_id, client_ids=list(self.selected),
            base_url=get_settings().base_url, request_key=secrets.token_hex(8))
        self._reload(session)
        self.selected = []
        skipped = len(result.skipped)
        self.bulk_message = (
            i18n.gettext(self._lang, "Invitations sent to {count} client(s).",
                         count=result.invited)
            + (i18n.gettext(self._lang, " {count} skipped (already active, no email or "
                                        "Email OK off).", count=skipped) if skipped else ""))
        return rx.toast.success(self.bulk_message)
