"""The console's Referrals pages hold on the server: staff only; the program form
shows each bad field beside it and saves nothing; saving "any client may join"
opens the app (and is pushed to every client); the referrer list and invitations;
bulk approve / reject with the reason dialog, and the ones skipped listed."""

from datetime import UTC, datetime, timedelta

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

import state.console_referrals  # noqa: F401  (registers the states before the app does)
from models import Commission, Entitlement
from portal_app import apps, i18n, live
from portal_app.services import staff_prefs
from portal_app.services.business import get_business
from portal_app.services.referrals import referrers
from portal_app.services.referrals.attribution import get_attribution
from portal_app.services.referrals.program import get_program
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_referrals import (
    ConsoleCommissionsState as C,
)
from state.console_referrals import (
    ConsoleProgramState as P,
)
from state.console_referrals import (
    ConsoleReferrersState as R,
)
from state.console_referrals.common import STATE_LABELS
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    _quick_receipts,
    bring,
    invoice,
    pay_cash,
    world,
)

GOOD = {"join_rule": "any", "rate_kind": "percent", "rate": "10", "fixed_amount": "",
        "duration": "every", "duration_months": "12", "window_days": "60",
        "attribution_rule": "first", "hold_days": "0", "min_payout": "0", "coupons": "on",
        "terms": ""}


def tab(token, url: str = "/console/referrals"):
    root = new_tab(token)
    data = {**root.router_data, "pathname": url, "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


@pytest.fixture
def w(engine, session):
    data = world(session, rate_bp=1000, hold_days=0, join_rule="invitation")
    data["token"] = staff_token(session, data["staff"])
    return data


@pytest.mark.parametrize("cls,name,args", [
    (P, "save_program", (GOOD,)), (P, "delete_rate", ("1",)),
    (R, "invite", ("1",)), (R, "disable_referrer", ("1",)),
    (C, "approve_selected", ()), (C, "reject_selected", ({"reason": "nope"},)),
])
def test_clients_and_strangers_are_sent_to_the_console_sign_in(w, session, cls, name, args):
    token, _client = signed_in_client(session, "Mallory")
    before = get_program(session).join_rule
    for who in (None, token):
        root = tab(who)
        if cls is C:
            substate(root, C).selected = ["1"]
        result = call(root, cls, name, *args)
        assert "/console/login" in repr(result)
    session.expire_all()
    assert get_program(session).join_rule == before
    assert get_business(session).apps_open == []


def test_bad_fields_are_shown_beside_them_and_nothing_is_saved(w, session):
    root = tab(w["token"], "/console/referrals/program")
    call(root, P, "load")
    state = substate(root, P)
    assert state.values["rate"] == "10" and state.values["join_rule"] == "invitation"
    assert state.app_on is False  # the page says the app is off in Portal settings
    get_business(session).apps_enabled = [apps.REFERRALS]
    session.commit()
    call(root, P, "load")
    assert state.app_on is True
    call(root, P, "save_program", {**GOOD, "window_days": "0", "rate": "abc",
                                   "terms": "x" * 4001})
    assert state.errors["window_days"] and state.errors["rate"] and state.errors["terms"]
    assert state.errors["hold_days"] == ""
    session.expire_all()
    assert get_program(session).window_days == 60


def test_any_client_may_join_opens_the_app_and_tells_every_client(w, session, monkeypatch):
    pushed = []
    monkeypatch.setattr(live, "everyone_changed", lambda **kw: pushed.append("everyone"))
    root = tab(w["token"], "/console/referrals/program")
    call(root, P, "save_program", GOOD)
    session.expire_all()
    assert apps.REFERRALS in get_business(session).apps_open
    assert pushed == ["everyone"]
    call(root, P, "save_program", GOOD)  # no change to the app: nothing pushed
    assert pushed == ["everyone"]
    call(root, P, "save_program", {**GOOD, "join_rule": "invitation"})
    session.expire_all()
    assert apps.REFERRALS not in get_business(session).apps_open and len(pushed) == 2


def test_the_referrer_list_and_an_invitation(w, session):
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    _acc, (nina,) = factories.household(session, names=("Nina",))
    session.commit()
    root = tab(w["token"])
    call(root, R, "load")
    state = substate(root, R)
    assert state.by_invitation  # the program is by invitation: the panel shows
    (row,) = state.rows
    assert row["name"].startswith("Rita") and (row["clicks"], row["signups"]) == ("1", "1")
    assert row["pending"] == "$10.00" and row["paid"] == "—"
    call(root, R, "find_clients", {"query": "Nina"})
    assert [c["id"] for c in state.client_hits] == [str(nina.id)]
    call(root, R, "invite", str(nina.id))
    grants = session.exec(select(Entitlement).where(Entitlement.client_id == nina.id)).all()
    assert [(g.app_key, g.source) for g in grants] == [("referrals", "invitation")]
    call(root, R, "disable_referrer", row["id"])
    assert state.rows[0]["status"] == "disabled"


def _two_commissions(session, w):
    bring(session, w)
    for total in (10000, 20000):
        pay_cash(session, w, invoice(session, w["customer"], total), f"{total // 100}.00")
    session.expire_all()
    return [c.id for c in session.exec(select(Commission).order_by(Commission.id))]


def _states(session):
    session.expire_all()
    return [(c.state, c.reason) for c in session.exec(select(Commission).order_by(Commission.id))]


def test_bulk_approve_then_reject_with_a_reason_lists_the_skipped(w, session):
    a, b = _two_commissions(session, w)
    root = tab(w["token"], "/console/referrals/commissions")
    call(root, C, "load")
    state = substate(root, C)
    assert [r["id"] for r in state.rows] == [str(b), str(a)]  # newest first
    call(root, C, "toggle_row", str(a), True)
    call(root, C, "approve_selected")
    assert _states(session) == [("approved", ""), ("pending", "")]
    assert state.selected == [] and state.skipped == []
    call(root, C, "toggle_page", True)
    assert sorted(state.selected) == sorted([str(a), str(b)])
    call(root, C, "open_reject")
    assert state.reject_open
    call(root, C, "reject_selected", {"reason": ""})  # the reason is asked for
    assert state.reject_error and state.reject_open
    assert _states(session)[1] == ("pending", "")
    call(root, C, "reject_selected", {"reason": "Duplicate order"})
    assert not state.reject_open
    assert _states(session) == [("rejected", "Duplicate order"), ("rejected", "Duplicate order")]
    call(root, C, "toggle_page", True)
    assert state.selected == []  # decided ones cannot be ticked
    call(root, C, "reject_one", str(a))
    call(root, C, "reject_selected", {"reason": "Again"})
    assert state.skipped == [f"#{a}: it is rejected"]


def test_filters_and_the_skipped_reasons_in_spanish(w, session):
    a, _b = _two_commissions(session, w)
    commission = session.get(Commission, a)
    commission.hold_until = datetime.now(UTC) + timedelta(days=5)
    session.commit()
    root = tab(w["token"], "/console/referrals/commissions")
    call(root, C, "load")
    state = substate(root, C)
    call(root, C, "apply_filters", {"state": "pending", "referrer_id": str(w["referrer"].id)})
    assert len(state.rows) == 2 and state.rows[1]["hold_until"]
    staff_prefs.set_staff_language(session, staff_id=w["staff"].id, language="es")
    session.commit()
    call(root, C, "approve_one", str(a))
    assert state.skipped == [f"n.º {a}: aún en su periodo de retención"]
    call(root, C, "apply_filters", {"state": "approved", "referrer_id": ""})
    assert (state.rows, state.total) == ([], 0)


def test_the_labels_have_spanish():
    for label in STATE_LABELS.values():
        assert i18n.translate("es", label) != label


def test_move_a_customer_needs_the_customer_and_a_reason(w, session):
    bring(session, w)
    _acc, (olga,) = factories.household(session, names=("Olga",))
    session.commit()
    other = referrers.join_program(session, client_id=olga.id)
    session.commit()
    root = tab(w["token"])
    call(root, R, "open_move")
    state = substate(root, R)
    assert len(state.referrer_options) == 2 and state.move_open
    call(root, R, "move_customer", {"referrer_id": str(other.id), "reason": "Asked by phone"})
    assert state.move_errors["client"]
    call(root, R, "find_customers", {"query": w["customer"].full_name})
    call(root, R, "choose_customer", str(w["customer"].id))
    call(root, R, "move_customer", {"referrer_id": str(other.id), "reason": ""})
    assert state.move_errors["reason"] and state.move_open
    call(root, R, "move_customer", {"referrer_id": str(other.id), "reason": "Asked by phone"})
    assert not state.move_open
    session.expire_all()
    assert get_attribution(session, client_id=w["customer"].id).referrer_id == other.id


def test_a_rate_for_an_unknown_offer_is_refused_beside_the_field(w, session):
    root = tab(w["token"], "/console/referrals/program")
    call(root, P, "load")
    state = substate(root, P)
    call(root, P, "save_rate", {"target": "offer:999", "rate_kind": "percent", "rate": "5"})
    assert state.rate_errors["target"] and state.rates == []
    svc = factories.service(session, providers=[w["staff"]], name="Massage")
    session.commit()
    call(root, P, "load")
    assert f"service:{svc.id}" in [o["value"] for o in state.targets]
    call(root, P, "save_rate", {"target": f"service:{svc.id}", "rate_kind": "percent",
                                "rate": "15"})
    assert [(r["name"], r["rate"]) for r in state.rates] == [("Massage", "15 %")]
    call(root, P, "delete_rate", state.rates[0]["id"])
    assert state.rates == []
