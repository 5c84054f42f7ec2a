"""The Record payment dialog of /console/invoice (cash, bank transfer, check,
other). A mixin of InvoiceEditorState."""

import reflex as rx

from models import PaymentMethod
from portal_app import live
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import payments as payment_service
from portal_app.services.errors import ServiceError
from portal_app.services.money import decimal_text
from portal_app.settings import get_settings
from state.guards import staff_event
from state.staff_session import StaffState


class PaymentDialog(StaffState, mixin=True):
    payment_open: bool = False
    payment_defaults: dict[str, str] = {"amount": "", "method": PaymentMethod.CASH,
                                        "paid_on": "", "note": ""}
    payment_error: str = ""

    @staff_event
    def open_payment(self, session, ctx):
        """Record payment: the dialog, with the current balance as the amount."""
        self._refresh_view(session)
        if self.inv.get("can_pay") != "yes":
            raise ServiceError("Payments can be recorded only on a sent invoice "
                               "with a balance.")
        invoice = invoice_service.get_invoice(session, invoice_id=self._invoice_id)
        self.payment_defaults = {
            "amount": decimal_text(invoice.balance_minor, invoice.currency),
            "method": PaymentMethod.CASH, "paid_on": self._today(session).isoformat(),
            "note": ""}
        self.payment_error = ""
        self.payment_open = True

    @staff_event
    def set_payment_open(self, session, ctx, value: bool):
        """Open or close the dialog (open only while the invoice takes payments)."""
        self.payment_open = bool(value) and self.inv.get("can_pay") == "yes"
        self.payment_error = ""

    def _payment_refused(self, exc: ServiceError):
        """A bad field stays in the open dialog; any other refusal closes it."""
        if exc.field:
            self.payment_error = self._tr(exc.message)
            return None
        self.payment_open = False
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_payment_refused")
    def record_payment(self, session, ctx, form: dict):
        """Cash, bank transfer, check or other: at most the balance; a receipt is emailed."""
        self.payment_error = ""
        data = {key: str(form.get(key, "") or "")[:600]
                for key in ("amount", "method", "paid_on", "note")}
        if not self._invoice_id:
            return None
        payment = payment_service.record_offline_payment(
            session, staff_id=ctx.staff_id, invoice_id=self._invoice_id, form=data,
            base_url=get_settings().base_url)
        # The payer's tabs, and the referrer's who brought them (a new commission).
        self._client_changed(payment.client_id, about=live.BILLING)
        self._client_changed(*live.referrers_of(session, payment.client_id), about=live.REFERRALS)
        self._refresh_view(session)
        self.payment_open = False
        return rx.toast.success(self._tr(f"Payment recorded: receipt {payment.receipt_number}."))
