"""/console/invoices[?client=<id>]: the invoice list with filter tabs, search and paging."""

from models import InvoiceKind, InvoiceStatus
from portal_app import routes
from portal_app.services import clients
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from state.console_billing.common import PER_PAGE, staff_status_label, title
from state.guards import staff_event
from state.staff_session import StaffState


class InvoiceListState(StaffState):
    """/console/invoices[?client=<id>]: filter tabs, search, paging."""

    status: str = "all"
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    client_id: str = ""
    client_name: str = ""
    new_invoice_url: str = f"{routes.CONSOLE_INVOICE}?new=invoice"
    new_estimate_url: str = f"{routes.CONSOLE_INVOICE}?new=estimate"
    _client_id: int = 0

    def _fill(self, session) -> None:
        result, total = self._page_of(session)
        pages = max(1, -(-total // PER_PAGE))
        if self.page > pages:
            self.page = pages
            result, total = self._page_of(session)
        self.total, self.pages = total, pages
        flagged = invoice_service.flagged_invoice_ids(session, [inv.id for inv, _ in result])
        self.rows = [
            {"id": str(inv.id), "number": inv.number, "kind": title(inv.kind),
             "url": routes.console_invoice(inv.id), "client": name,
             "client_url": routes.console_client(inv.client_id),
             "issue": inv.issue_date.isoformat(),
             "due": inv.due_date.isoformat() if inv.due_date else "",
             "total": format_money(inv.total_minor, inv.currency),
             "balance": (format_money(inv.balance_minor, inv.currency)
                         if inv.kind == InvoiceKind.INVOICE and inv.status not in (
                             InvoiceStatus.DRAFT, InvoiceStatus.VOID) else ""),
             "status": inv.status, "status_label": staff_status_label(inv),
             "flagged": "yes" if inv.id in flagged else ""}
            for inv, name in result
        ]

    def _page_of(self, session):
        return invoice_service.list_invoices(
            session, status=self.status, search=self.search,
            client_id=self._client_id or None, page=self.page, per_page=PER_PAGE)

    def _fill_page(self, session) -> None:
        """On load: the client filter comes from the URL (?client=<id>)."""
        self._client_id = 0
        self.client_id = self.client_name = ""
        raw = self.router.url.query_parameters.get("client", "")
        if raw:
            try:
                client = clients.get_client(session, client_id=raw)
            except ServiceError:
                client = None
            if client is not None:
                self._client_id = client.id
                self.client_id, self.client_name = str(client.id), client.full_name
        suffix = f"&client={self._client_id}" if self._client_id else ""
        self.new_invoice_url = f"{routes.CONSOLE_INVOICE}?new=invoice{suffix}"
        self.new_estimate_url = f"{routes.CONSOLE_INVOICE}?new=estimate{suffix}"
        self._fill(session)

    @staff_event
    def load(self, session, ctx):
        """on_load: the first page of the current filter, for the client in the URL."""
        self.page = 1
        self._fill_page(session)

    @staff_event
    def show(self, session, ctx, status: str):
        """A filter tab: all, draft, open, paid, void or estimates."""
        self.status = str(status) if status in invoice_service.STAFF_FILTERS else "all"
        self.page = 1
        self._fill(session)

    @staff_event
    def apply_search(self, session, ctx, form: dict):
        """Search by client name or document number."""
        self.search = " ".join(str(form.get("search", "") or "").split())[:100]
        self.page = 1
        self._fill(session)

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        """The pager: page `page` of the current filter (clamped to the pages there are)."""
        try:
            self.page = min(max(1, int(page)), self.pages)
        except (TypeError, ValueError):
            self.page = 1
        self._fill(session)
