"""Offers and staff grants accept community groups: "group:<id>" (an existing group
that is not archived) and "app:community"; claiming, buying or being given such an
offer makes the client a member at once; a staff grant to a group likewise."""

import asyncio

import pytest
from sqlmodel import select

from models import CheckoutAttempt, GrantKind, GroupMember, MemberStatus, OfferItem
from portal_app.providers.payments import TestModeGateway
from portal_app.services.billing import events
from portal_app.services.community import access, groups_admin
from portal_app.services.errors import NotAllowed, ServiceError
from portal_app.services.hub import offer_grants, offer_purchases, offers, staff_grants
from tests.unit.community_admin_helpers import world

BASE = "http://portal.test"


@pytest.fixture
def w(session):
    return world(session, visibility="entitled")


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr("portal_app.services.billing.printouts.receipt_pdf_bytes",
                        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


def _offer(session, w, *, price="", items=None):
    row = offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form={
        "name": "Circle pass", "price": price, "status": "active",
        "items": items or [f"group:{w['group'].id}"]})
    session.commit()
    return row


def _member(session, w, client):
    session.expire_all()
    return session.exec(select(GroupMember).where(GroupMember.group_id == w["group"].id,
                                                  GroupMember.client_id == client.id)).first()


def test_offer_keeps_group_and_community_items_with_their_labels(session, w):
    row = _offer(session, w, items=[f"group:{w['group'].id}", "app:community"])
    items = session.exec(select(OfferItem).where(OfferItem.offer_id == row.id)
                         .order_by(OfferItem.id)).all()
    assert [(i.kind, i.app_key, i.target_id) for i in items] == [
        (GrantKind.GROUP, "community", w["group"].id), (GrantKind.APP, "community", None)]
    assert offers.item_labels(session, items) == ["Morning Circle", "All community groups"]
    assert [o.id for o in offers.offers_including(session, kind=GrantKind.GROUP,
                                                  target_id=w["group"].id)] == [row.id]
    assert offers.group_choices(session) == [(w["group"].id, "Morning Circle")]


@pytest.mark.parametrize("item", ["group:99999", "group:abc", "app:chat"])
def test_offer_refuses_an_unknown_group_item(session, w, item):
    with pytest.raises(ServiceError) as err:
        _offer(session, w, items=[item])
    assert err.value.field == "items"


def test_offer_refuses_an_archived_group(session, w):
    groups_admin.set_archived(session, staff_id=w["staff"].id, group_id=w["group"].id,
                              archived=True)
    with pytest.raises(ServiceError) as err:
        _offer(session, w)
    assert err.value.message == offers.NO_GROUP


def test_claiming_a_free_offer_with_a_group_makes_a_member_at_once(session, w):
    row = _offer(session, w)
    assert _member(session, w, w["alice"]) is None
    offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=row.id)
    session.commit()
    assert _member(session, w, w["alice"]).status == MemberStatus.ACTIVE
    assert access.member_context(session, client_id=w["alice"].id, group_id=w["group"].id)
    items = session.exec(select(OfferItem).where(OfferItem.offer_id == row.id)).all()
    assert offer_grants.missing_items(session, client_id=w["alice"].id, items=items) == []
    assert len(offer_grants.missing_items(session, client_id=w["bob"].id, items=items)) == 1


def test_a_client_holding_the_group_is_told_they_have_it(session, w):
    row = _offer(session, w)
    staff_grants.give_access(session, staff_id=w["staff"].id, client_id=w["alice"].id,
                             target=f"group:{w['group'].id}")
    with pytest.raises(NotAllowed):
        offer_purchases.claim_free(session, client_id=w["alice"].id, offer_id=row.id)


def test_paying_for_an_offer_with_a_group_makes_a_member_at_once(session, w):
    row = _offer(session, w, price="20.00")
    gateway = TestModeGateway(BASE)
    asyncio.run(offer_purchases.start_offer_checkout(
        gateway, client_id=w["bob"].id, customer_email=w["bob"].email, offer_id=row.id,
        tab_token="tab-1", base_url=BASE))
    assert _member(session, w, w["bob"]) is None
    attempt = session.exec(select(CheckoutAttempt).order_by(CheckoutAttempt.id.desc())).first()
    event = gateway.completed_event(
        session_id=attempt.provider_session_id, attempt_id=attempt.id,
        invoice_id=attempt.invoice_id, client_id=attempt.client_id,
        amount_minor=attempt.amount_minor, currency=attempt.currency, paid=True)
    events.handle_event(session, provider="test", event=event, base_url=BASE)
    session.commit()
    assert _member(session, w, w["bob"]).status == MemberStatus.ACTIVE


def test_staff_grant_to_a_group_or_to_community_is_listed_by_name(session, w):
    staff_grants.give_access(session, staff_id=w["staff"].id, client_id=w["carol"].id,
                             target=f"group:{w['group'].id}")
    staff_grants.give_access(session, staff_id=w["staff"].id, client_id=w["carol"].id,
                             target="app:community")
    assert _member(session, w, w["carol"]).status == MemberStatus.ACTIVE
    rows = staff_grants.list_grant_rows(session, client_id=w["carol"].id)
    assert sorted((r.kind, r.what) for r in rows) == [("app", ""), ("group", "Morning Circle")]
    with pytest.raises(ServiceError) as err:
        staff_grants.give_access(session, staff_id=w["staff"].id, client_id=w["carol"].id,
                                 target=f"group:{w['group'].id}")
    assert err.value.message == staff_grants.ALREADY
    with pytest.raises(ServiceError) as err:
        staff_grants.give_access(session, staff_id=w["staff"].id, client_id=w["carol"].id,
                                 target="group:99999")
    assert err.value.field == "target"


def test_booking_the_service_linked_to_a_group_offer_makes_a_member(session, w):
    from datetime import UTC, datetime

    from portal_app.services.scheduling import bookings
    from tests import factories
    from tests.unit.helpers import NOW

    provider = factories.staff(session)
    factories.working_hours(session, provider, (0, "09:00", "17:00"))
    svc = factories.service(session, providers=[provider])
    offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form={
        "name": "Circle with a session", "status": "active", "service_id": str(svc.id),
        "items": [f"group:{w['group'].id}"]})
    bookings.book_slot(session, client_id=w["alice"].id, service_id=svc.id,
                       start_at=datetime(2030, 5, 6, 14, 0, tzinfo=UTC), now=NOW)
    assert _member(session, w, w["alice"]).status == MemberStatus.ACTIVE
