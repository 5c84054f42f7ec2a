"""The Refund / Record refund dialog of /console/invoice. A mixin of
InvoiceEditorState.

The refund itself is the refunds service's saga (reserve, ask the provider
outside any transaction, then apply or release); this dialog keeps the
payment being refunded (a backend var set when the dialog opens), the
messages and the refreshed view.
"""

import functools

import reflex as rx

from portal_app import live
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.billing import refunds as refund_service
from portal_app.services.errors import ServiceError
from portal_app.services.hub import offer_grants
from portal_app.services.money import decimal_text, format_money
from state.guards import refusal, staff_event
from state.staff_session import StaffState


class RefundDialog(StaffState, mixin=True):
    refund_open: bool = False
    refund_info: dict[str, str] = {}
    refund_error: str = ""
    _refund_payment_id: int = 0
    _invoice_client: int = 0  # the document's client (set by the editor's _fill): whose tabs reload

    @staff_event
    def open_refund(self, session, ctx, payment_id: str):
        """The refund dialog for one payment of this invoice: at most what is refundable."""
        payment, left = refund_service.refundable_payment(session, invoice_id=self._invoice_id,
                                                          payment_id=payment_id)
        offline = payment.provider == "offline"
        self._refund_payment_id = payment.id
        self.refund_info = {
            "receipt": payment.receipt_number, "amount": decimal_text(left, payment.currency),
            "left": format_money(left, payment.currency, self._lang),
            "currency": payment.currency,
            "offline": "yes" if offline else "",
            "button": self._tr("Record refund" if offline else "Refund"),
            # An offer bought through this invoice: a whole refund ends its access
            # unless staff tick "keep access".
            "offer": offer_grants.paid_offer_name(session, invoice_id=self._invoice_id),
        }
        self.refund_error = ""
        self.refund_open = True

    @staff_event
    def set_refund_open(self, session, ctx, value: bool):
        """Open or close the dialog (open only for the payment chosen by open_refund)."""
        self.refund_open = bool(value) and self._refund_payment_id != 0
        self.refund_error = ""

    def _refund_refused(self, exc: ServiceError):
        """A bad amount stays in the open dialog; any other refusal closes it."""
        if exc.field:
            self.refund_error = self._tr(exc.message)
            return None
        self.refund_open = False
        return rx.toast.error(self._tr(exc.message))

    def _reserve_refund(self, session, ctx, *, form: dict, gateway):
        return refund_service.reserve_refund(
            session, staff_id=ctx.staff_id, invoice_id=self._invoice_id,
            payment_id=self._refund_payment_id, form=form, gateway=gateway)

    def _refreshed(self) -> list[int]:
        """The view after the refund's own transactions (already staff-checked in step 1);
        returns the referrers of the invoice's client, whose commission it may have cut."""
        with session_scope() as session:
            self._refresh_view(session)
            return live.referrers_of(session, self._invoice_client)

    @rx.event
    async def refund(self, form: dict):
        """Refund: the amount is reserved in the staff-checked transaction, then the
        provider (Stripe or test mode) is asked outside any transaction and the
        refund applied; an offline payment's refund is only recorded (staff
        returned the money themselves)."""
        self.refund_error = ""
        data = {"amount": str(form.get("amount", "") or "")[:40],
                "reason": str(form.get("reason", "") or "")[:300],
                "keep_access": str(form.get("keep_access", "") or "")[:10]}
        gateway = providers.current().gateway
        event, reserved = self._as_staff(functools.partial(self._reserve_refund, form=data,
                                                           gateway=gateway))
        if event is not None:
            return event
        if isinstance(reserved, ServiceError):
            return refusal(self, reserved, "_refund_refused")
        try:
            await refund_service.complete_refund(reserved, gateway=gateway)
        except ServiceError as exc:
            self._refreshed()
            self.refund_error = self._tr(exc.message)
            return rx.toast.error(self._tr(exc.message))
        referrers = self._refreshed()
        for client_id in (self._invoice_client, *referrers):  # committed: their tabs show it
            live.client_changed(client_id, about=live.BILLING)
        self.refund_open = False
        self._refund_payment_id = 0
        return rx.toast.success(self._tr("Refunded." if reserved.online else "Refund recorded."))
