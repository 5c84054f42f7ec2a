"""Offers as services: the catalogue's rules, granting an offer, free claims, the
client's list, staff gifts and bookings of a linked service."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import BookingStatus, Entitlement, OfferItem, OfferPurchase, OfferStatus
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from portal_app.services.hub import entitlements, offer_grants, offer_purchases, offers
from portal_app.services.scheduling import bookings
from tests import factories
from tests.sql import statements_of
from tests.unit.helpers import NOW
from tests.unit.offers_helpers import course, offer, world


@pytest.fixture
def w(session):
    return world(session)


def _grants(session, client_id):
    session.expire_all()
    return session.exec(select(Entitlement).where(Entitlement.client_id == client_id)
                        .order_by(Entitlement.id)).all()


# --- the catalogue --------------------------------------------------------------------------


def test_save_offer_keeps_its_fields_and_items(session, w):
    row = offer(session, w, price="49.50", access_days="30", staff_only="on",
                description="  Eight weeks.  ",
                items=["app:courses", f"course:{w['calm'].id}", "app:courses"])
    assert (row.name, row.price_minor, row.currency, row.access_days, row.staff_only) == (
        "Calm Mind pack", 4950, "USD", 30, True)
    assert row.description == "Eight weeks."
    items = session.exec(select(OfferItem).where(OfferItem.offer_id == row.id)).all()
    assert sorted((i.kind, i.target_id) for i in items) == [("app", None),
                                                             ("course", w["calm"].id)]
    again = offers.save_offer(session, staff_id=w["staff"].id, offer_id=row.id, form={
        "name": "Renamed", "price": "", "status": "draft",
        "items": [f"course:{w['other'].id}"]})
    items = session.exec(select(OfferItem).where(OfferItem.offer_id == row.id)).all()
    assert again.id == row.id and again.price_minor == 0 and again.access_days is None
    assert [(i.kind, i.target_id) for i in items] == [("course", w["other"].id)]


@pytest.mark.parametrize("change, field", [
    ({"name": "x"}, "name"), ({"name": "y" * 121}, "name"),
    ({"price": "-5"}, "price"), ({"price": "12,50"}, "price"), ({"price": "abc"}, "price"),
    ({"access_days": "0"}, "access_days"), ({"access_days": "3651"}, "access_days"),
    ({"access_days": "2.5"}, "access_days"), ({"status": "sold"}, "status"),
    ({"items": []}, "items"), ({"items": ["course:99999"]}, "items"),
    ({"items": ["app:portal"]}, "items"), ({"service_id": "99999"}, "service_id"),
    ({"description": "d" * 5001}, "description"),
])
def test_bad_input_names_the_field_and_changes_nothing(session, w, change, field):
    form = {"name": "Pack", "price": "10", "status": "active",
            "items": [f"course:{w['calm'].id}"], **change}
    with pytest.raises(ServiceError) as caught:
        offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form=form)
    assert caught.value.field == field
    session.rollback()
    assert offers.list_offers(session) == []


def test_archive_and_the_list_with_buyers(session, w):
    free = offer(session, w, name="Free taster")
    paid = offer(session, w, name="Big pack", price="90")
    offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=free.id)
    offers.archive_offer(session, staff_id=w["staff"].id, offer_id=paid.id)
    listed = [(o.name, o.status, n) for o, n in offers.list_offers(session)]
    assert listed == [("Free taster", "active", 1), ("Big pack", "archived", 0)]
    with pytest.raises(NotFound):
        offers.archive_offer(session, staff_id=w["staff"].id, offer_id="nope")


# --- granting ----------------------------------------------------------------------------


def test_grant_offer_makes_one_grant_per_item_ending_after_access_days(session, w):
    row = offer(session, w, access_days="10",
                items=["app:courses", f"course:{w['calm'].id}"])
    at = datetime(2030, 1, 1, tzinfo=UTC)
    made = offer_grants.grant_offer(session, client_id=w["alice"].id, offer_id=row.id,
                                    source="staff", staff_id=w["staff"].id, now=at)
    assert len(made) == 2
    assert {(g.kind, g.source, g.offer_id, g.ends_at) for g in made} == {
        ("app", "staff", row.id, at + timedelta(days=10)),
        ("course", "staff", row.id, at + timedelta(days=10))}


def test_a_free_claim_grants_once_and_then_you_have_it(session, w):
    row = offer(session, w)
    first = offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=row.id)
    second = offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=row.id)
    session.commit()
    assert first.id == second.id and first.status == "free"
    [grant] = _grants(session, w["alice"].id)
    assert (grant.source, grant.purchase_id, grant.target_id) == ("offer", first.id,
                                                                  w["calm"].id)
    assert entitlements.has_content(session, client_id=w["alice"].id, kind="course",
                                    target_id=w["calm"].id, app_key="courses")
    # Another offer of the same course: already held in full.
    twin = offer(session, w, name="Same course")
    with pytest.raises(NotAllowed, match="You have this"):
        offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=twin.id)


def test_the_database_refuses_a_second_free_claim_of_one_offer(session, engine, w):
    """Two tabs press "Get it" at once: both may pass the "claimed before?" check; the
    unique index stops the second row (claim_free then hands back the first)."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    row = offer(session, w)
    session.commit()
    with Session(engine) as other:
        offer_purchases.claim_free(other, client_id=w["alice"].id, offer_id=row.id)
        other.commit()
    # The database refuses a second free claim row outright...
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(OfferPurchase(offer_id=row.id, client_id=w["alice"].id,
                                  status="free"))
        session.flush()
    session.rollback()
    assert len(_grants(session, w["alice"].id)) == 1


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"status": "archived"},
                                    {"staff_only": "on"}])
def test_a_client_cannot_claim_an_unlisted_offer(session, w, fields):
    row = offer(session, w, **fields)
    for attempt in (offer_purchases.claim_free, offer_purchases.buy_offer):
        with pytest.raises(NotFound, match="does not exist"):
            attempt(session, client_id=w["alice"].id, offer_id=row.id)
    with pytest.raises(NotFound):
        offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id="99999")
    assert _grants(session, w["alice"].id) == []


def test_paid_offers_are_bought_and_free_ones_claimed(session, w):
    paid, free = offer(session, w, price="20"), offer(session, w, name="Free")
    with pytest.raises(NotAllowed, match="not free"):
        offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=paid.id)
    with pytest.raises(NotAllowed, match="free"):
        offer_purchases.buy_offer(session, client_id=w["alice"].id, offer_id=free.id)


def test_the_clients_list_hides_what_they_hold_and_what_is_unlisted(session, w):
    calm = offer(session, w, name="Calm", price="10")
    both = offer(session, w, name="Both", items=[f"course:{w['calm'].id}",
                                                  f"course:{w['other'].id}"])
    offer(session, w, name="Hidden", staff_only="on")
    offer(session, w, name="Draft", status="draft")
    names = lambda: [r.offer.name for r in offer_purchases.client_offers(  # noqa: E731
        session, client_id=w["alice"].id)]
    assert names() == ["Both", "Calm"]
    offer_purchases.give_offer(session, staff_id=w["staff"].id, offer_id=calm.id,
                               client_id=w["alice"].id)
    assert names() == ["Both"]  # still misses "Sleep Well"
    offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=both.id)
    assert names() == []


def test_the_clients_list_is_four_statements_at_any_size(session, engine, w):
    for n in range(12):
        offer(session, w, name=f"Offer {n}", items=[f"course:{course(session, f'C{n}').id}"])
    session.commit()
    rows = []
    sent = statements_of(engine, lambda: rows.extend(offer_purchases.client_offers(
        session, client_id=w["alice"].id)))
    assert len(rows) == 12 and len(sent) == 4


def test_staff_give_checks_the_client_and_the_offer(session, w):
    row = offer(session, w, status="draft")
    made = offer_purchases.give_offer(session, staff_id=w["staff"].id, offer_id=row.id,
                                      client_id=w["bob"].id)
    assert [(g.source, g.granted_by_staff_id) for g in made] == [("staff", w["staff"].id)]
    with pytest.raises(NotAllowed, match="already has everything"):
        offer_purchases.give_offer(session, staff_id=w["staff"].id, offer_id=row.id,
                                   client_id=w["bob"].id)
    with pytest.raises(NotFound):
        offer_purchases.give_offer(session, staff_id=w["staff"].id, offer_id=row.id,
                                   client_id=99999)
    offers.archive_offer(session, staff_id=w["staff"].id, offer_id=row.id)
    with pytest.raises(NotAllowed):
        offer_purchases.give_offer(session, staff_id=w["staff"].id, offer_id=row.id,
                                   client_id=w["bob"].id)
    holders = offer_purchases.offer_holders(session, offer_id=row.id)
    assert [(h.client_id, h.status) for h in holders] == [(w["bob"].id, "staff")]


# --- bookings ----------------------------------------------------------------------------


AT = datetime(2030, 5, 6, 14, 0, tzinfo=UTC)  # a Monday, 10:00 in New York


def _service(session, **fields):
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    return factories.service(session, providers=[staff], **fields)


def test_a_confirmed_booking_of_a_linked_service_grants_once(session, w):
    svc = _service(session)
    row = offer(session, w, service_id=str(svc.id))
    offer(session, w, name="Unlinked")
    booking = bookings.book_slot(session, client_id=w["alice"].id, service_id=svc.id,
                                 start_at=AT, now=NOW)
    assert booking.status == BookingStatus.CONFIRMED
    [grant] = _grants(session, w["alice"].id)
    assert (grant.source, grant.booking_id, grant.offer_id) == ("booking", booking.id, row.id)
    offer_grants.grant_for_booking(session, booking=booking)  # again: nothing more
    assert len(_grants(session, w["alice"].id)) == 1


def test_a_booking_awaiting_approval_grants_when_approved(session, w):
    svc = _service(session, needs_approval=True)
    offer(session, w, service_id=str(svc.id))
    booking = bookings.book_slot(session, client_id=w["alice"].id, service_id=svc.id,
                                 start_at=AT, now=NOW)
    assert booking.status == BookingStatus.PENDING and _grants(session, w["alice"].id) == []
    bookings.approve_booking(session, staff_id=w["staff"].id, booking_id=booking.id)
    assert [g.source for g in _grants(session, w["alice"].id)] == ["booking"]


def test_an_archived_linked_offer_grants_nothing(session, w):
    svc = _service(session)
    row = offer(session, w, service_id=str(svc.id))
    offers.archive_offer(session, staff_id=w["staff"].id, offer_id=row.id)
    bookings.book_slot(session, client_id=w["alice"].id, service_id=svc.id, start_at=AT,
                       now=NOW)
    assert _grants(session, w["alice"].id) == []
    assert session.get(type(row), row.id).status == OfferStatus.ARCHIVED
    assert session.exec(select(OfferPurchase)).all() == []
