"""Shared set-up of the offers tests: a business, staff, two clients, courses."""

from models import Course
from portal_app.services.hub import offers
from tests import factories

BASE = "http://portal.test"


def course(session, title="Calm Mind"):
    row = Course(title=title)
    session.add(row)
    session.flush()
    return row


def world(session):
    factories.business(session, name="Studio Nine", timezone="America/New_York")
    staff = factories.staff(session)
    _acc, (alice,) = factories.household(session, names=("Alice",))
    _acc, (bob,) = factories.household(session, names=("Bob",))
    calm, other = course(session), course(session, "Sleep Well")
    session.commit()
    return {"staff": staff, "alice": alice, "bob": bob, "calm": calm, "other": other}


def offer(session, w, *, price="", items=None, **fields):
    form = {"name": "Calm Mind pack", "price": price, "status": "active",
            "items": items or [f"course:{w['calm'].id}"], **fields}
    row = offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form=form)
    session.commit()
    return row
