"""Offers (seed 002): named bundles of grants, free or with a one-off price, or
given by staff. This module is the catalogue: create, edit and archive an offer
with its items, and read them. What an offer does for a client (grants, claims,
purchases, refunds, bookings) is in `offer_grants` and `offer_purchases`.

An item is the Courses app as a whole ("app:courses"), one course
("course:<id>", checked to exist), the Community app as a whole
("app:community") or one community group ("group:<id>", an existing group
that is not archived: its holders become members at once). Prices are in the business currency, in
minor units.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, select

from models import (
    CommunityGroup,
    Course,
    GrantKind,
    Offer,
    OfferItem,
    OfferPurchase,
    OfferStatus,
    PurchaseStatus,
    Service,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound, ServiceError, parse_id
from portal_app.services.money import parse_amount

NO_OFFER = "That offer does not exist."
NO_GROUP = "That group does not exist."
# What an item for a whole app reads as (the pages translate these).
WHOLE_APP_LABELS = {apps.COURSES: "All courses", apps.COMMUNITY: "All community groups"}
MAX_DAYS = 3650
MAX_DESCRIPTION = 5000
MAX_PRICE = 1_000_000_00  # minor units: a sanity ceiling
# Purchases that hold (or held) the offer: "buyers" in the console's list.
BOUGHT = (PurchaseStatus.PAID, PurchaseStatus.FREE, PurchaseStatus.KEPT,
          PurchaseStatus.REFUNDED)


@dataclass(frozen=True)
class ItemSpec:
    """One grant an offer makes (the OfferItem's fields)."""

    kind: str
    app_key: str
    target_id: int | None

    @property
    def key(self) -> str:
        return f"app:{self.app_key}" if self.kind == GrantKind.APP else f"{self.kind}:{self.target_id}"


def _items(session: Session, raw: object) -> list[ItemSpec]:
    """The form's items ("app:courses", "course:<id>") checked; at least one."""
    values = raw if isinstance(raw, list | tuple) else [raw] if raw else []
    specs: dict[str, ItemSpec] = {}
    course_ids: set[int] = set()
    group_ids: set[int] = set()
    for value in values[:200]:
        kind, _, rest = str(value or "").partition(":")
        if kind == GrantKind.APP and rest in WHOLE_APP_LABELS:
            spec = ItemSpec(GrantKind.APP, rest, None)
        elif kind == GrantKind.COURSE and rest.isdigit() and len(rest) < 12:
            spec = ItemSpec(GrantKind.COURSE, apps.COURSES, int(rest))
            course_ids.add(int(rest))
        elif kind == GrantKind.GROUP and rest.isdigit() and len(rest) < 12:
            spec = ItemSpec(GrantKind.GROUP, apps.COMMUNITY, int(rest))
            group_ids.add(int(rest))
        else:
            raise ServiceError("Choose what the offer gives access to.", field="items")
        specs[spec.key] = spec
    if not specs:
        raise ServiceError("Choose at least one thing the offer gives access to.",
                           field="items")
    if course_ids:
        found = set(session.exec(select(Course.id).where(Course.id.in_(course_ids))).all())
        if found != course_ids:
            raise ServiceError("That course does not exist.", field="items")
    if group_ids:
        found = set(session.exec(select(CommunityGroup.id).where(
            CommunityGroup.id.in_(group_ids), CommunityGroup.archived.is_(False))).all())
        if found != group_ids:
            raise ServiceError(NO_GROUP, field="items")
    return list(specs.values())


def _access_days(raw: object) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise ServiceError(f"Enter a number of days from 1 to {MAX_DAYS}, or leave it empty "
                           "for access without an end.", field="access_days")
    return int(text)


def _service_id(session: Session, raw: object) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    service = session.get(Service, parse_id(text, "That service does not exist."))
    if service is None:
        raise ServiceError("That service does not exist.", field="service_id")
    return service.id


def _flag(raw: object) -> bool:
    return raw is True or str(raw or "").strip().lower() in ("on", "true", "1", "yes")


def save_offer(session: Session, *, staff_id: int, offer_id: object | None, form: dict
               ) -> Offer:
    """Create an offer (offer_id None) or change one. `form`: name, description,
    price, status, staff_only, access_days, service_id, items. A bad field raises
    ServiceError naming it; nothing is changed then."""
    name = " ".join(str(form.get("name") or "").split())
    if not 2 <= len(name) <= 120:
        raise ServiceError("Give the offer a name of 2 to 120 characters.", field="name")
    description = str(form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ServiceError("Keep the description under 5,000 characters.", field="description")
    currency = get_business(session).currency
    price = parse_amount(form.get("price"), currency, field="price", what="a price")
    if price > MAX_PRICE:
        raise ServiceError("That price is too high.", field="price")
    status = str(form.get("status") or OfferStatus.DRAFT)
    if status not in OfferStatus.ALL:
        raise ServiceError("Choose draft, active or archived.", field="status")
    access_days = _access_days(form.get("access_days"))
    service_id = _service_id(session, form.get("service_id"))
    items = _items(session, form.get("items"))
    if offer_id in (None, ""):
        offer = Offer(name=name)
        action = "offer.created"
    else:
        offer = get_offer(session, offer_id=offer_id)
        action = "offer.updated"
    offer.name, offer.description, offer.price_minor = name, description, price
    offer.currency, offer.status, offer.staff_only = currency, status, _flag(form.get("staff_only"))
    offer.access_days, offer.service_id, offer.updated_at = access_days, service_id, utcnow()
    session.add(offer)
    session.flush()
    session.exec(delete(OfferItem).where(OfferItem.offer_id == offer.id))
    for spec in items:
        session.add(OfferItem(offer_id=offer.id, kind=spec.kind, app_key=spec.app_key,
                              target_id=spec.target_id))
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action=action,
                 offer=offer.id, name=name, price=price, status=status)
    return offer


def archive_offer(session: Session, *, staff_id: int, offer_id: object) -> Offer:
    """Archived: no longer listed or claimable; grants already made stay."""
    offer = get_offer(session, offer_id=offer_id)
    if offer.status != OfferStatus.ARCHIVED:
        offer.status = OfferStatus.ARCHIVED
        offer.updated_at = utcnow()
        session.add(offer)
        session.flush()
        record_audit(session, actor_kind="staff", actor_id=staff_id, action="offer.archived",
                     offer=offer.id)
    return offer


# --- reads ---------------------------------------------------------------------------------


def get_offer(session: Session, *, offer_id: object) -> Offer:
    offer = session.get(Offer, parse_id(offer_id, NO_OFFER))
    if offer is None:
        raise NotFound(NO_OFFER)
    return offer


def offer_items(session: Session, *, offer_ids: list[int]) -> dict[int, list[OfferItem]]:
    """The items of these offers, in one query."""
    found: dict[int, list[OfferItem]] = {i: [] for i in offer_ids}
    if offer_ids:
        for item in session.exec(select(OfferItem).where(OfferItem.offer_id.in_(offer_ids))
                                 .order_by(OfferItem.id)).all():
            found[item.offer_id].append(item)
    return found


def item_specs(items: list[OfferItem]) -> list[ItemSpec]:
    return [ItemSpec(i.kind, i.app_key, i.target_id) for i in items]


def item_labels(session: Session, items: list[OfferItem]) -> list[str]:
    """What each item opens, in English (the pages translate WHOLE_APP_LABELS)."""
    ids = [i.target_id for i in items if i.kind == GrantKind.COURSE and i.target_id]
    titles = dict(session.exec(select(Course.id, Course.title).where(Course.id.in_(ids))
                               ).all()) if ids else {}
    group_ids = [i.target_id for i in items if i.kind == GrantKind.GROUP and i.target_id]
    names = dict(session.exec(select(CommunityGroup.id, CommunityGroup.name).where(
        CommunityGroup.id.in_(group_ids))).all()) if group_ids else {}
    return [WHOLE_APP_LABELS.get(i.app_key, i.app_key) if i.kind == GrantKind.APP
            else names.get(i.target_id, "A group") if i.kind == GrantKind.GROUP
            else titles.get(i.target_id, "A course") for i in items]


def list_offers(session: Session) -> list[tuple[Offer, int]]:
    """Every offer (archived last) with its buyers count: two statements."""
    offers = list(session.exec(select(Offer).order_by(
        (Offer.status == OfferStatus.ARCHIVED), Offer.name, Offer.id)).all())
    counts = dict(session.exec(select(OfferPurchase.offer_id, func.count(OfferPurchase.id))
                               .where(OfferPurchase.status.in_(BOUGHT))
                               .group_by(OfferPurchase.offer_id)).all())
    return [(o, int(counts.get(o.id, 0))) for o in offers]


def any_listed(session: Session) -> bool:
    """Is any offer shown to clients (the nav's "Offers" link)? One cheap query."""
    return session.exec(select(Offer.id).where(Offer.status == OfferStatus.ACTIVE,
                                               Offer.staff_only.is_(False)).limit(1)
                        ).first() is not None


def course_choices(session: Session) -> list[tuple[int, str]]:
    """Courses an offer may include (the console form)."""
    return [(i, t) for i, t in session.exec(select(Course.id, Course.title)
                                            .order_by(Course.title, Course.id)).all()]


def service_choices(session: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in session.exec(select(Service.id, Service.name)
                                            .order_by(Service.name, Service.id)).all()]


def group_choices(session: Session) -> list[tuple[int, str]]:
    """Community groups an offer may include (not archived)."""
    return [(i, n) for i, n in session.exec(select(CommunityGroup.id, CommunityGroup.name)
                                            .where(CommunityGroup.archived.is_(False))
                                            .order_by(CommunityGroup.name, CommunityGroup.id)
                                            ).all()]


def offers_including(session: Session, *, kind: str, target_id: int) -> list[Offer]:
    """Offers with an item for this content (a group's page lists them): one statement."""
    ids = select(OfferItem.offer_id).where(OfferItem.kind == kind,
                                           OfferItem.target_id == target_id)
    return list(session.exec(select(Offer).where(Offer.id.in_(ids)).order_by(
        (Offer.status == OfferStatus.ARCHIVED), Offer.name, Offer.id)).all())
