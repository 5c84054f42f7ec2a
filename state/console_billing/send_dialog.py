"""The Send / Send again dialog of /console/invoice. A mixin of InvoiceEditorState:
a draft is saved first, in the same transaction, then sent."""

import reflex as rx

from models import InvoiceKind
from portal_app import live, routes
from portal_app.services import clients
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing.numbering import upcoming_number
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_billing.common import title
from state.guards import staff_event
from state.staff_session import StaffState

EMAIL_HELD_BACK = ("Email OK is off for this client: no email is sent. The client sees it "
                   "in the portal only.")


class SendDialog(StaffState, mixin=True):
    send_open: bool = False
    send_email_note: str = ""  # seed 004: the email this send would not deliver
    # What is sent, by number: "Invoice INV-0007" (an unsaved draft: the number it will get)
    send_target: str = ""

    @staff_event
    def set_send_open(self, session, ctx, value: bool):
        """Open or close the dialog; opening says when the client's Email OK is off."""
        self.send_open = bool(value) and self.found
        self.errors = {**self.errors, "message": ""}
        chosen = self.draft.get("client_id", "") if self.editable else self._invoice_client
        self.send_email_note = ""
        self.send_target = self.inv.get("heading", "")
        if self.send_open and self.is_new:
            self.send_target = f"{title(self._kind)} {upcoming_number(session, self._kind)}"
        if self.send_open and chosen:
            try:
                held = clients.email_held_back(session, client_id=chosen)
            except ServiceError:
                held = False
            self.send_email_note = self._tr(EMAIL_HELD_BACK) if held else ""

    def _send_refused(self, exc: ServiceError):
        """A bad message stays in the open dialog; any other refusal closes it."""
        if exc.field != "message":
            self.send_open = False
        return self._show_field_error(exc)

    @staff_event(on_error="_send_refused")
    def send(self, session, ctx, form: dict):
        """Send to client (a draft is saved first, in the same transaction) or send again."""
        message = str(form.get("message", "") or "")[:2100]
        sending_draft = self.editable
        if not self.found:
            raise ServiceError(invoice_service.NO_INVOICE)
        if sending_draft:
            if not self._precheck():
                self.send_open = False
                return None
            invoice = self._save(session, ctx)
        else:
            invoice = invoice_service.get_invoice(session, invoice_id=self._invoice_id)
        invoice = invoice_service.send_invoice(session, staff_id=ctx.staff_id,
                                               invoice_id=invoice.id,
                                               base_url=get_settings().base_url, message=message)
        self._after_write(session, invoice)
        self._client_changed(invoice.client_id, about=live.BILLING)  # their open tabs show it (after the commit)
        self.send_open = False
        estimate = invoice.kind == InvoiceKind.ESTIMATE
        if sending_draft:
            text = ("The estimate was sent to the client." if estimate
                    else "The invoice was sent to the client.")
        else:
            text = "The estimate was sent again." if estimate else "The invoice was sent again."
        done = rx.toast.success(self._tr(text))
        if self.is_new:
            self._saved_new(invoice)
            return [rx.redirect(routes.console_invoice(invoice.id)), done]
        return done
