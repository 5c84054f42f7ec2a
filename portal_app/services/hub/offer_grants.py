"""What an offer does to a client's grants: granting it, the payment that makes a
pending purchase paid, the refund that ends it, and the booking that grants it.

The billing and scheduling services call the small hooks here
(`fulfil_paid_invoice`, `after_refund`, `keep_on_refund`, `refund_abandoned`,
`grant_for_booking`) inside their own transaction, so a grant is made in the
payment's transaction and undone with it. This module imports no billing or
scheduling code (they import it).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Entitlement,
    GrantKind,
    GrantSource,
    Invoice,
    InvoiceStatus,
    Offer,
    OfferItem,
    OfferPurchase,
    OfferStatus,
    Payment,
    PurchaseStatus,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotAllowed, NotFound, parse_id
from portal_app.services.hub import entitlements
from portal_app.services.hub.grant_window import active_clause

log = logging.getLogger("portal.offers")

REFUNDED = "Refunded"
NO_PURCHASE = "That purchase does not exist."


def grant_offer(session: Session, *, client_id: int, offer_id: int, source: str,
                staff_id: int | None = None, purchase: OfferPurchase | None = None,
                booking_id: int | None = None, now: datetime | None = None
                ) -> list[Entitlement]:
    """One grant per item of the offer, ending `access_days` after now (or never).
    Flushes; the caller's transaction commits it with whatever caused it."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("That offer does not exist.")
    items = session.exec(select(OfferItem).where(OfferItem.offer_id == offer.id)
                         .order_by(OfferItem.id)).all()
    now = now or utcnow()
    ends = now + timedelta(days=offer.access_days) if offer.access_days else None
    return [entitlements.grant(
        session, client_id=client_id, kind=item.kind, app_key=item.app_key,
        target_id=item.target_id, source=source, starts_at=now, ends_at=ends,
        offer_id=offer.id, purchase_id=purchase.id if purchase else None,
        booking_id=booking_id, staff_id=staff_id) for item in items]


def missing_items(session: Session, *, client_id: int, items: list[OfferItem],
                  now: datetime | None = None) -> list[OfferItem]:
    """The items this client does not hold an active grant to (one query). A whole-app
    grant covers the app's courses; a group needs a grant to that group."""
    rows = session.exec(select(Entitlement.app_key, Entitlement.kind, Entitlement.target_id)
                        .where(Entitlement.client_id == client_id,
                               *active_clause(now or utcnow()))).all()
    whole = {a for a, k, _ in rows if k == GrantKind.APP}
    held = {(k, t) for _, k, t in rows if t is not None}

    def covered(item: OfferItem) -> bool:
        if item.kind == GrantKind.APP:
            return item.app_key in whole
        if item.kind == GrantKind.COURSE and apps.COURSES in whole:
            return True
        return (item.kind, item.target_id) in held

    return [i for i in items if not covered(i)]


# --- payments ------------------------------------------------------------------------------


def purchase_of_invoice(session: Session, invoice_id: int) -> OfferPurchase | None:
    return session.exec(select(OfferPurchase).where(OfferPurchase.invoice_id == invoice_id)
                        ).first()


def paid_offer_name(session: Session, *, invoice_id: int) -> str:
    """The name of the offer a paid purchase on this invoice holds ("" when none): the
    refund dialog offers "keep access" then."""
    purchase = purchase_of_invoice(session, invoice_id)
    if purchase is None or purchase.status != PurchaseStatus.PAID:
        return ""
    offer = session.get(Offer, purchase.offer_id)
    return offer.name if offer else ""


def fulfil_paid_invoice(session: Session, invoice: Invoice) -> OfferPurchase | None:
    """The hook of a recorded payment: when `invoice` is now paid and an offer's
    pending purchase rides on it, the purchase becomes paid and its grants are
    made, in the payment's transaction. A second call (a replayed event, the
    second of Stripe's two events) finds the purchase paid and does nothing."""
    if invoice.status != InvoiceStatus.PAID:
        return None
    purchase = purchase_of_invoice(session, invoice.id)
    if purchase is None or purchase.status != PurchaseStatus.PENDING:
        return None
    purchase.status = PurchaseStatus.PAID
    purchase.paid_at = utcnow()
    session.add(purchase)
    session.flush()
    grant_offer(session, client_id=purchase.client_id, offer_id=purchase.offer_id,
                source=GrantSource.PURCHASE, purchase=purchase)
    record_audit(session, actor_kind="client", actor_id=purchase.client_id,
                 action="offer.purchased", client_id=purchase.client_id,
                 offer=purchase.offer_id, purchase=purchase.id, invoice=invoice.number)
    return purchase


def _purchase_grants(session: Session, purchase_id: int) -> list[Entitlement]:
    return list(session.exec(select(Entitlement).where(Entitlement.purchase_id == purchase_id)
                             .order_by(Entitlement.id)).all())


def _end_grants(session: Session, purchase: OfferPurchase, staff_id: int | None) -> None:
    for row in _purchase_grants(session, purchase.id):
        if row.revoked_at is None:
            entitlements.revoke_grant(session, grant_id=row.id, staff_id=staff_id,
                                      reason=REFUNDED)


def _restore_grants(session: Session, purchase: OfferPurchase, staff_id: int | None) -> None:
    for row in _purchase_grants(session, purchase.id):
        if row.revoked_at is not None and row.revoke_reason == REFUNDED:
            entitlements.restore_grant(session, grant_id=row.id, staff_id=staff_id)


def after_refund(session: Session, *, payment: Payment, invoice: Invoice) -> None:
    """The hook of an applied refund (by staff or made at the provider): once none
    of the offer's price stays paid, its grants end (reason "Refunded") and the
    purchase is refunded — unless staff chose to keep the access (status kept).
    A partial refund keeps access. A refund that failed after all (negative)
    gives the access back."""
    purchase = purchase_of_invoice(session, invoice.id)
    if purchase is None or purchase.status not in (
            PurchaseStatus.PAID, PurchaseStatus.KEPT, PurchaseStatus.REFUNDED):
        return
    _close_or_reopen(session, invoice)
    if purchase.status == PurchaseStatus.PAID and invoice.paid_minor <= 0:
        _end_grants(session, purchase, None)
        purchase.status = PurchaseStatus.REFUNDED
    elif (purchase.status == PurchaseStatus.REFUNDED
          and invoice.paid_minor >= invoice.total_minor):
        _restore_grants(session, purchase, None)
        purchase.status = PurchaseStatus.PAID
    else:
        session.flush()
        return
    session.add(purchase)
    session.flush()
    record_audit(session, actor_kind="system", actor_id=None,
                 action=f"offer.{purchase.status}", client_id=purchase.client_id,
                 offer=purchase.offer_id, purchase=purchase.id, payment=payment.id)


def _close_or_reopen(session: Session, invoice: Invoice) -> None:
    """An offer's invoice whose whole payment went back is not owed (the offer ended,
    or staff kept it as a gift): it is void, so the client is never asked to pay
    again for a purchase that no longer grants anything. A refund that failed after
    all makes it paid again."""
    if invoice.paid_minor <= 0 and invoice.status != InvoiceStatus.VOID:
        invoice.status = InvoiceStatus.VOID
        invoice.voided_at = invoice.updated_at = utcnow()
    elif invoice.paid_minor > 0 and invoice.status == InvoiceStatus.VOID:
        invoice.status = (InvoiceStatus.PAID if invoice.paid_minor >= invoice.total_minor
                          else InvoiceStatus.PARTIALLY_PAID)
        invoice.voided_at, invoice.updated_at = None, utcnow()
        invoice.paid_at = invoice.paid_at or invoice.updated_at
    session.add(invoice)


def keep_on_refund(session: Session, *, payment: Payment, amount_minor: int,
                   staff_id: int) -> bool:
    """Staff ticked "keep access" on a refund that returns all of the offer's
    price: the purchase is marked kept before the provider is asked, so the
    refund (whichever of our step or the provider's event applies it) leaves the
    grants alone. True when it applied."""
    invoice = session.get(Invoice, payment.invoice_id)
    purchase = purchase_of_invoice(session, payment.invoice_id)
    if (purchase is None or purchase.status != PurchaseStatus.PAID
            or invoice.paid_minor - amount_minor > 0):
        return False
    purchase.status = PurchaseStatus.KEPT
    session.add(purchase)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="offer.kept",
                 client_id=purchase.client_id, offer=purchase.offer_id, purchase=purchase.id)
    return True


def refund_abandoned(session: Session, *, payment: Payment) -> None:
    """The provider refused the refund: a purchase marked kept for it is paid again."""
    invoice = session.get(Invoice, payment.invoice_id)
    purchase = purchase_of_invoice(session, payment.invoice_id)
    if purchase is not None and purchase.status == PurchaseStatus.KEPT \
            and invoice.paid_minor > 0:
        purchase.status = PurchaseStatus.PAID
        session.add(purchase)
        session.flush()


def keep_access(session: Session, *, staff_id: int, purchase_id: object) -> OfferPurchase:
    """The console's "Keep access" on a refunded purchase: its grants come back
    (progress kept) and it is marked kept."""
    purchase = session.get(OfferPurchase, parse_id(purchase_id, NO_PURCHASE))
    if purchase is None:
        raise NotFound(NO_PURCHASE)
    if purchase.status != PurchaseStatus.REFUNDED:
        raise NotAllowed("Only a refunded purchase can keep its access.")
    _restore_grants(session, purchase, staff_id)
    purchase.status = PurchaseStatus.KEPT
    session.add(purchase)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="offer.kept",
                 client_id=purchase.client_id, offer=purchase.offer_id, purchase=purchase.id)
    return purchase


def cancel_for_void(session: Session, *, invoice: Invoice) -> None:
    """The invoice of a pending purchase was voided: the purchase is cancelled."""
    purchase = purchase_of_invoice(session, invoice.id)
    if purchase is not None and purchase.status == PurchaseStatus.PENDING:
        purchase.status = PurchaseStatus.CANCELLED
        session.add(purchase)
        session.flush()


# --- bookings ------------------------------------------------------------------------------


def grant_for_booking(session: Session, *, booking: Booking) -> list[Entitlement]:
    """The hook of a confirmed booking: each active offer linked to its service is
    granted (source booking), once per booking and offer."""
    if booking.status != BookingStatus.CONFIRMED:
        return []
    offer_ids = session.exec(select(Offer.id).where(Offer.service_id == booking.service_id,
                                                    Offer.status == OfferStatus.ACTIVE)).all()
    if not offer_ids:
        return []
    done = set(session.exec(select(Entitlement.offer_id).where(
        Entitlement.booking_id == booking.id, Entitlement.offer_id.in_(offer_ids))).all())
    made: list[Entitlement] = []
    for offer_id in offer_ids:
        if offer_id not in done:
            made += grant_offer(session, client_id=booking.client_id, offer_id=offer_id,
                                source=GrantSource.BOOKING, booking_id=booking.id)
    return made
