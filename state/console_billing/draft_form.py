"""The draft form of /console/invoice: its fields and line items, the live
totals preview, Save and Delete draft. A mixin of InvoiceEditorState (which
owns `editable`, `is_new`, `_invoice_id`, `_kind`, `_currency` and `_fill`).

Nothing is written until Save; the preview comes from the texts as typed,
computed by the same service rules the save uses.
"""

import reflex as rx

from models import InvoiceStatus
from portal_app import routes
from portal_app.services import clients
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing.lines import MAX_LINES, preview_draft
from portal_app.services.errors import ServiceError
from state.console_billing.common import (
    CLIENT_CHOICES,
    DRAFT_FIELDS,
    ERROR_KEYS,
    LINE_FIELDS,
    clip,
    no_errors,
)
from state.guards import staff_event
from state.staff_session import StaffState


class DraftForm(StaffState, mixin=True):
    draft: dict[str, str] = {name: "" for name in DRAFT_FIELDS}
    lines: list[dict[str, str]] = []
    preview: dict[str, str] = {"subtotal": "", "discount": "", "tax_label": "", "tax": "",
                               "total": ""}
    client_options: list[dict[str, str]] = []
    errors: dict[str, str] = no_errors()
    _next_key: int = 0

    def _line(self, description: str = "", quantity: str = "1", unit_price: str = ""
              ) -> dict[str, str]:
        self._next_key += 1
        return {"key": str(self._next_key), "n": "", "description": description,
                "quantity": quantity, "unit_price": unit_price, "amount": "", "error": ""}

    def _load_clients(self, session, search: str = "") -> None:
        """The client picker's choices: the first 200 by name (matching `search`),
        plus the chosen client."""
        page = clients.list_clients(session, search=search, page=1, per_page=CLIENT_CHOICES)
        options = [{"id": str(r.id), "name": r.full_name} for r in page.rows]
        chosen = self.draft.get("client_id", "")
        if chosen and all(o["id"] != chosen for o in options):
            client = clients.get_client(session, client_id=chosen)
            options.insert(0, {"id": str(client.id), "name": client.full_name})
        self.client_options = options

    def _recompute(self) -> None:
        """Line amounts and the totals preview, from the form as typed (no database)."""
        preview = preview_draft(self.lines, tax_rate=self.draft.get("tax_rate"),
                                discount=self.draft.get("discount"), currency=self._currency)
        self.lines = [{**line, "n": str(n), "error": shown.error, "amount": shown.amount}
                      for n, (line, shown) in enumerate(zip(self.lines, preview.lines,
                                                            strict=True), start=1)]
        self.preview = {**preview.totals, "tax_label": self._tr(preview.totals["tax_label"])}

    @staff_event
    def set_field(self, session, ctx, field: str, value: str):
        """A draft field changed (client, dates, tax rate, discount, notes)."""
        if not self.editable or field not in DRAFT_FIELDS:
            return
        self.draft = {**self.draft, field: clip(field, value)}
        self.errors = {**self.errors, field: ""}
        if field in ("tax_rate", "discount"):
            self._recompute()

    @staff_event
    def set_line(self, session, ctx, key: str, field: str, value: str):
        """A line's description, quantity or unit price changed: recompute the preview."""
        if not self.editable or field not in LINE_FIELDS:
            return
        self.lines = [{**ln, field: clip(field, value)} if ln["key"] == str(key) else ln
                      for ln in self.lines]
        self.errors = {**self.errors, "lines": ""}
        self._recompute()

    @staff_event
    def find_clients(self, session, ctx, form: dict):
        """Narrow the client picker to names or emails matching the search."""
        if self.editable:
            self._load_clients(session, " ".join(str(form.get("client_search", "") or "")
                                                 .split())[:100])

    @staff_event
    def add_line(self, session, ctx):
        """Add line (up to the most a document holds)."""
        if self.editable and len(self.lines) < MAX_LINES:
            self.lines = [*self.lines, self._line()]
            self._recompute()

    @staff_event
    def remove_line(self, session, ctx, key: str):
        """Remove a line (the last one is replaced by an empty one)."""
        if not self.editable:
            return
        self.lines = [ln for ln in self.lines if ln["key"] != str(key)] or [self._line()]
        self._recompute()

    def _save(self, session, ctx):
        form = {**{name: self.draft.get(name, "") for name in DRAFT_FIELDS}, "kind": self._kind}
        lines = [{name: ln[name] for name in LINE_FIELDS} for ln in self.lines]
        if not self.is_new:
            form.pop("kind")
        return invoice_service.save_draft(session, staff_id=ctx.staff_id,
                                          invoice_id=None if self.is_new else self._invoice_id,
                                          form=form, lines=lines)

    def _show_field_error(self, exc: ServiceError):
        """A field's refusal goes next to the field; any other as a toast."""
        if exc.field in ERROR_KEYS:
            self.errors = {**self.errors, exc.field: self._tr(exc.message)}
            return None
        return rx.toast.error(self._tr(exc.message))

    def _precheck(self) -> bool:
        """What the page can say before the database is asked (the service checks again)."""
        self.errors = no_errors()
        if not self.draft.get("client_id"):
            self.errors = {**self.errors, "client_id": self._tr("Choose a client.")}
            return False
        return True

    @staff_event(on_error="_show_field_error")
    def save(self, session, ctx):
        """Save draft: create it (a new one gets its number and its own URL) or change it."""
        if not self.editable:
            raise ServiceError("Only drafts can be changed.")
        if not self._precheck():
            return None
        invoice = self._save(session, ctx)
        self._after_write(session, invoice)
        if self.is_new:
            self._saved_new(invoice)
            return [rx.redirect(routes.console_invoice(invoice.id)),
                    rx.toast.success(self._tr(f"Draft {invoice.number} saved."))]
        return rx.toast.success(self._tr("Draft saved."))

    def _saved_new(self, invoice) -> None:
        """A new document now exists: a second click before the redirect lands must
        change it, not create another one."""
        self._invoice_id = invoice.id
        self.is_new = False
        self.editable = invoice.status == InvoiceStatus.DRAFT

    def _after_write(self, session, invoice) -> None:
        """Show what was stored (a new document is shown after the redirect to its URL)."""
        if not self.is_new:
            self.version += 1
            self._fill(session)

    @staff_event
    def delete_draft(self, session, ctx):
        """Delete draft (a new, unsaved one is simply dropped)."""
        if not self.is_new and self._invoice_id:
            invoice_service.delete_draft(session, staff_id=ctx.staff_id,
                                         invoice_id=self._invoice_id)
        self._reset()
        return [rx.redirect(routes.CONSOLE_INVOICES), rx.toast.success(self._tr("Draft deleted."))]
