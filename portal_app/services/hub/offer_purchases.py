"""A client getting an offer: the list they see, claiming a free one, buying a
paid one (an invoice, a pending purchase and the checkout that exists), and
staff giving one.

A paid offer is bought through an ordinary invoice (one line, the offer's
name, sent, issued today in the business zone), so the webhook path, its
idempotency, the receipt and refunds are the invoice's; the grants are made by
`offer_grants.fulfil_paid_invoice` in the transaction that records the payment.
Every offer id from a client is checked: only an active offer that is not
staff-only can be claimed or bought (NotFound otherwise, whatever the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    AttributionEvent,
    Client,
    Entitlement,
    GrantSource,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Offer,
    OfferItem,
    OfferPurchase,
    OfferStatus,
    PurchaseStatus,
)
from models.base import utcnow
from portal_app import routes
from portal_app.providers.payments import CheckoutRequest, CheckoutSession, PaymentGateway
from portal_app.services.audit import record_audit
from portal_app.services.billing.checkout import checkout_request, prepare_checkout, run_checkout
from portal_app.services.billing.dates import business_today
from portal_app.services.billing.invoices import next_number, write_lines
from portal_app.services.billing.lines import CleanLine
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed, NotFound, parse_id
from portal_app.services.hub import offers as catalogue
from portal_app.services.hub.offer_grants import grant_offer, missing_items
from portal_app.services.referrals.visits import ReferralCookie, attribute_visit

HAVE_IT = "You have this."
NO_CLIENT = "That client does not exist."


def listed_offer(session: Session, *, offer_id: object) -> Offer:
    """An offer a client may claim or buy: active and not staff-only; NotFound else."""
    offer = session.get(Offer, parse_id(offer_id, catalogue.NO_OFFER))
    if offer is None or offer.status != OfferStatus.ACTIVE or offer.staff_only:
        raise NotFound(catalogue.NO_OFFER)
    return offer


def _items(session: Session, offer_id: int) -> list[OfferItem]:
    return list(session.exec(select(OfferItem).where(OfferItem.offer_id == offer_id)).all())


def _purchase(session: Session, *, client_id: int, offer_id: int, statuses: tuple[str, ...]
              ) -> OfferPurchase | None:
    return session.exec(select(OfferPurchase).where(
        OfferPurchase.client_id == client_id, OfferPurchase.offer_id == offer_id,
        OfferPurchase.status.in_(statuses)).order_by(OfferPurchase.id.desc())).first()


@dataclass(frozen=True)
class ClientOffer:
    offer: Offer
    items: list[OfferItem]
    pending_invoice_id: int | None  # a purchase waiting for its payment


def client_offers(session: Session, *, client_id: int, now: datetime | None = None
                  ) -> list[ClientOffer]:
    """Active, listed offers this client does not fully hold yet (a free one once
    claimed is not listed again). Four statements at any size."""
    offers = list(session.exec(select(Offer).where(
        Offer.status == OfferStatus.ACTIVE, Offer.staff_only.is_(False))
        .order_by(Offer.price_minor, Offer.name, Offer.id)).all())
    if not offers:
        return []
    items = catalogue.offer_items(session, offer_ids=[o.id for o in offers])
    purchases = session.exec(select(OfferPurchase).where(
        OfferPurchase.client_id == client_id,
        OfferPurchase.offer_id.in_([o.id for o in offers]),
        OfferPurchase.status.in_((PurchaseStatus.FREE, PurchaseStatus.PENDING)))).all()
    claimed = {p.offer_id for p in purchases if p.status == PurchaseStatus.FREE}
    pending = {p.offer_id: p.invoice_id for p in purchases if p.status == PurchaseStatus.PENDING}
    # One query for what the client holds: missing_items over all items at once.
    every = [i for o in offers for i in items[o.id]]
    missing = {i.id for i in missing_items(session, client_id=client_id, items=every, now=now)}
    return [ClientOffer(o, items[o.id], pending.get(o.id)) for o in offers
            if o.id not in claimed and any(i.id in missing for i in items[o.id])]


def claim_free(session: Session, *, client_id: int, offer_id: object) -> OfferPurchase:
    """"Get it" on a free offer: a purchase (free) and its grants, once. A second
    claim returns the first; a client already holding every item is told so."""
    offer = listed_offer(session, offer_id=offer_id)
    if offer.price_minor > 0:
        raise NotAllowed("This offer is not free.")
    earlier = _purchase(session, client_id=client_id, offer_id=offer.id,
                        statuses=(PurchaseStatus.FREE,))
    if earlier is not None:
        return earlier
    if not missing_items(session, client_id=client_id, items=_items(session, offer.id)):
        raise NotAllowed(HAVE_IT)
    purchase = OfferPurchase(offer_id=offer.id, client_id=client_id,
                             status=PurchaseStatus.FREE, paid_at=utcnow())
    try:
        with session.begin_nested():  # a second tab claiming at the same moment
            session.add(purchase)
            session.flush()
    except IntegrityError:
        return _purchase(session, client_id=client_id, offer_id=offer.id,
                         statuses=(PurchaseStatus.FREE,))
    grant_offer(session, client_id=client_id, offer_id=offer.id, source=GrantSource.OFFER,
                purchase=purchase)
    record_audit(session, actor_kind="client", actor_id=client_id, action="offer.claimed",
                 client_id=client_id, offer=offer.id, purchase=purchase.id)
    return purchase


def _offer_invoice(session: Session, *, client_id: int, offer: Offer) -> Invoice:
    """The invoice of a purchase: one line, the offer's name, sent, due today."""
    business = get_business(session)
    today = business_today(business)
    invoice = Invoice(kind=InvoiceKind.INVOICE, number=next_number(session, "invoice"),
                      client_id=client_id, currency=offer.currency, issue_date=today,
                      due_date=today, status=InvoiceStatus.SENT, sent_at=utcnow())
    session.add(invoice)
    session.flush()
    write_lines(session, invoice, [CleanLine(offer.name[:300], 100, offer.price_minor,
                                             offer.price_minor)])
    session.add(invoice)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=client_id, action="invoice.created",
                 client_id=client_id, invoice=invoice.number, offer=offer.id)
    return invoice


def buy_offer(session: Session, *, client_id: int, offer_id: object) -> OfferPurchase:
    """"Buy": the client's pending purchase of a paid offer with its open invoice
    (made now, or the one from an earlier Buy that was not paid yet)."""
    offer = listed_offer(session, offer_id=offer_id)
    if offer.price_minor <= 0:
        raise NotAllowed("This offer is free: choose Get it.")
    pending = _purchase(session, client_id=client_id, offer_id=offer.id,
                        statuses=(PurchaseStatus.PENDING,))
    if pending is not None:
        invoice = session.get(Invoice, pending.invoice_id)
        if invoice is not None and invoice.status in InvoiceStatus.OPEN:
            return pending
        pending.status = PurchaseStatus.CANCELLED  # its invoice was voided
        session.add(pending)
    if not missing_items(session, client_id=client_id, items=_items(session, offer.id)):
        raise NotAllowed(HAVE_IT)
    invoice = _offer_invoice(session, client_id=client_id, offer=offer)
    purchase = OfferPurchase(offer_id=offer.id, client_id=client_id, invoice_id=invoice.id,
                             status=PurchaseStatus.PENDING)
    session.add(purchase)
    session.flush()
    return purchase


async def start_offer_checkout(gateway: PaymentGateway | None, *, client_id: int,
                               customer_email: str, offer_id: object, tab_token: str,
                               base_url: str, referral: ReferralCookie | None = None
                               ) -> CheckoutSession:
    """Buy for $X: the purchase and its invoice, then the checkout saga that exists
    on that invoice (test mode or Stripe). The payer comes back to the Offers page.
    The caller has checked that `client_id` is the signed-in payer allowed to pay.
    `referral`: the browser's referral cookie, bound with the purchase."""

    def prepare(session: Session) -> CheckoutRequest:
        purchase = buy_offer(session, client_id=client_id, offer_id=offer_id)
        attribute_visit(session, client_id=client_id, event=AttributionEvent.PURCHASE,
                        cookie=referral)
        attempt = prepare_checkout(session, client_id=client_id, invoice_id=purchase.invoice_id,
                                   amount_text=None, provider=gateway.name, tab_token=tab_token)
        request = checkout_request(session, attempt=attempt, customer_email=customer_email,
                                   base_url=base_url)
        offer = session.get(Offer, purchase.offer_id)
        return replace(request, description=f"{offer.name} — {get_business(session).name}",
                       success_url=f"{base_url}{routes.offers_page(bought=offer.id)}",
                       cancel_url=f"{base_url}{routes.OFFERS}?cancelled=1")

    return await run_checkout(gateway, prepare)


def landing_for_invoice(session: Session, *, invoice_id: int) -> int | None:
    """The offer bought through this invoice, if any (where test mode goes back to)."""
    return session.exec(select(OfferPurchase.offer_id).where(
        OfferPurchase.invoice_id == invoice_id)).first()


def bought_offer(session: Session, *, client_id: int, offer_id: object) -> tuple[Offer, str]:
    """The offer the client just paid for, and how it stands ("paid", "pending"):
    the Offers page's "it worked" line. NotFound when the client never bought it."""
    offer = session.get(Offer, parse_id(offer_id, catalogue.NO_OFFER))
    purchase = None if offer is None else _purchase(
        session, client_id=client_id, offer_id=offer.id,
        statuses=(PurchaseStatus.PAID, PurchaseStatus.PENDING, PurchaseStatus.FREE))
    if purchase is None:
        raise NotFound(catalogue.NO_OFFER)
    return offer, purchase.status


# --- staff ---------------------------------------------------------------------------------


def give_offer(session: Session, *, staff_id: int, offer_id: object, client_id: object
               ) -> list[Entitlement]:
    """"Give to a client" in the console: the offer's grants, source staff."""
    offer = catalogue.get_offer(session, offer_id=offer_id)
    if offer.status == OfferStatus.ARCHIVED:
        raise NotAllowed("An archived offer cannot be given.")
    client = session.get(Client, parse_id(client_id, NO_CLIENT))
    if client is None:
        raise NotFound(NO_CLIENT)
    if not missing_items(session, client_id=client.id, items=_items(session, offer.id)):
        raise NotAllowed("This client already has everything in this offer.")
    return grant_offer(session, client_id=client.id, offer_id=offer.id,
                       source=GrantSource.STAFF, staff_id=staff_id)


@dataclass(frozen=True)
class OfferHolder:
    client_id: int
    client_name: str
    status: str  # a PurchaseStatus, or "staff" / "booking"
    at: datetime
    purchase_id: int | None


def offer_holders(session: Session, *, offer_id: int, limit: int = 300) -> list[OfferHolder]:
    """An offer's purchases and the grants staff or bookings made of it, newest
    first: two statements."""
    rows = [OfferHolder(p.client_id, name, p.status, p.created_at, p.id)
            for p, name in session.exec(
                select(OfferPurchase, Client.full_name)
                .join(Client, Client.id == OfferPurchase.client_id)
                .where(OfferPurchase.offer_id == offer_id)
                .order_by(OfferPurchase.id.desc()).limit(limit)).all()]
    seen: set[tuple[int, str, object]] = set()
    for grant, name in session.exec(
            select(Entitlement, Client.full_name).join(Client, Client.id == Entitlement.client_id)
            .where(Entitlement.offer_id == offer_id,
                   Entitlement.source.in_((GrantSource.STAFF, GrantSource.BOOKING)))
            .order_by(Entitlement.id.desc()).limit(limit)).all():
        key = (grant.client_id, grant.source, grant.booking_id or grant.created_at)
        if key not in seen:  # one row per gift, not per item
            seen.add(key)
            rows.append(OfferHolder(grant.client_id, name, grant.source, grant.created_at, None))
    return sorted(rows, key=lambda r: r.at, reverse=True)
