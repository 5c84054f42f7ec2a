"""Staff save the referral program: every field is checked (all problems reported at
once, nothing saved), the join rule opens or closes the app to every client
(`Business.apps_open`, audited), and per-offer / per-service overrides change the
rate a payment earns."""

import pytest
from sqlmodel import select

from models import AuditEvent, Invoice, Offer, OfferPurchase, ReferralRate
from portal_app import apps, i18n
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound
from portal_app.services.hub import entitlements
from portal_app.services.referrals import program_settings as ps
from portal_app.services.referrals.program import get_program, rate_for
from tests import factories
from tests.msgids import normalize, server_msgids
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    _quick_receipts,
    invoice,
    world,
)

GOOD = {"join_rule": "any", "rate_kind": "percent", "rate": "12.5", "fixed_amount": "",
        "duration": "months", "duration_months": "6", "window_days": "60",
        "attribution_rule": "last", "hold_days": "30", "min_payout": "25.00",
        "coupons": "on", "terms": "Be nice."}


def _errors(session, w, **changes):
    with pytest.raises(ps.ProgramErrors) as caught:
        ps.save_program(session, staff_id=w["staff"].id, form={**GOOD, **changes})
    session.rollback()
    return caught.value.errors


def test_a_good_form_is_saved_in_basis_points_and_minor_units(session):
    w = world(session)
    _program, app_changed = ps.save_program(session, staff_id=w["staff"].id, form=GOOD)
    session.commit()
    assert app_changed
    session.expire_all()
    program = get_program(session)
    assert (program.join_rule, program.rate_kind, program.rate_bp) == ("any", "percent", 1250)
    assert (program.duration, program.duration_months, program.window_days) == ("months", 6, 60)
    assert (program.attribution_rule, program.hold_days) == ("last", 30)
    assert (program.min_payout_minor, program.coupons, program.terms) == (2500, True, "Be nice.")
    ps.save_program(session, staff_id=w["staff"].id,
                    form={**GOOD, "rate_kind": "fixed", "fixed_amount": "5", "coupons": ""})
    session.commit()
    assert (program.rate_kind, program.fixed_minor, program.coupons) == ("fixed", 500, False)
    assert program.rate_bp == 1250  # the percentage is kept for when it is chosen again


@pytest.mark.parametrize("field,value,where", [
    ("join_rule", "everyone", "join_rule"),
    ("rate_kind", "both", "rate_kind"),
    ("rate", "ten", "rate"),
    ("rate", "0", "rate"),
    ("rate", "100.5", "rate"),
    ("rate", "12.555", "rate"),
    ("duration", "forever", "duration"),
    ("duration_months", "0", "duration_months"),
    ("duration_months", "121", "duration_months"),
    ("window_days", "0", "window_days"),
    ("window_days", "366", "window_days"),
    ("window_days", "6.5", "window_days"),
    ("attribution_rule", "middle", "attribution_rule"),
    ("hold_days", "-1", "hold_days"),
    ("hold_days", "366", "hold_days"),
    ("min_payout", "12,5", "min_payout"),
    ("min_payout", "-3", "min_payout"),
    ("terms", "x" * 4001, "terms"),
])
def test_each_bad_field_is_named_with_its_own_message(session, field, value, where):
    w = world(session)
    errors = _errors(session, w, **{field: value})
    assert list(errors) == [where] and errors[where]
    assert i18n.translate("es", errors[where]) != errors[where]  # the page shows it in Spanish


def test_a_fixed_amount_is_checked_in_the_program_currency(session):
    w = world(session)
    assert list(_errors(session, w, rate_kind="fixed", fixed_amount="")) == ["fixed_amount"]
    assert list(_errors(session, w, rate_kind="fixed", fixed_amount="1.234")) == ["fixed_amount"]
    # a percentage is not read when a fixed amount is chosen, and months only with "months"
    ps.save_program(session, staff_id=w["staff"].id,
                    form={**GOOD, "rate_kind": "fixed", "fixed_amount": "3.50", "rate": "x",
                          "duration": "every", "duration_months": "999"})


def test_all_problems_come_back_together_and_nothing_is_saved(session):
    w = world(session)
    before = get_program(session).window_days
    errors = _errors(session, w, window_days="0", hold_days="x", rate="", terms="y" * 5000)
    assert list(errors) == ["rate", "window_days", "hold_days", "terms"]
    session.expire_all()
    assert get_program(session).window_days == before


def _opened(session):
    session.expire_all()
    return apps.REFERRALS in (get_business(session).apps_open or [])


def _audits(session, action):
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_apps_open_follows_the_join_rule_and_is_audited(session):
    w = world(session)
    _acc, (client,) = factories.household(session, names=("Nina",))
    get_business(session).apps_enabled = [apps.REFERRALS]
    session.commit()
    ps.save_program(session, staff_id=w["staff"].id, form={**GOOD, "join_rule": "any"})
    session.commit()
    assert _opened(session)
    assert apps.REFERRALS in entitlements.client_apps(
        session, business=get_business(session), client_id=client.id)
    _program, app_changed = ps.save_program(session, staff_id=w["staff"].id, form=GOOD)
    session.commit()  # again: no change, no second audit
    assert not app_changed
    assert len(_audits(session, "referrals.app_opened")) == 1
    for rule in ("invitation", "offer"):
        ps.save_program(session, staff_id=w["staff"].id, form={**GOOD, "join_rule": rule})
        session.commit()
        assert not _opened(session)
        assert apps.REFERRALS not in entitlements.client_apps(
            session, business=get_business(session), client_id=client.id)
    assert len(_audits(session, "referrals.app_closed")) == 1
    assert _audits(session, "referrals.program_saved")


def test_other_open_apps_are_kept(session):
    w = world(session)
    business = get_business(session)
    business.apps_open = ["courses"]
    session.commit()
    ps.save_program(session, staff_id=w["staff"].id, form=GOOD)
    session.commit()
    session.expire_all()
    assert get_business(session).apps_open == ["courses", apps.REFERRALS]
    ps.save_program(session, staff_id=w["staff"].id, form={**GOOD, "join_rule": "invitation"})
    session.commit()
    session.expire_all()
    assert get_business(session).apps_open == ["courses"]


def _offer_invoice(session, w, offer):
    inv = invoice(session, w["customer"], 10000)
    session.add(OfferPurchase(offer_id=offer.id, client_id=w["customer"].id, invoice_id=inv.id))
    session.commit()
    return inv


def test_an_override_changes_rate_for_and_deleting_it_restores_the_program(session):
    w = world(session, rate_bp=1000)
    offer = Offer(name="Pack", price_minor=10000, status="active")
    session.add(offer)
    session.commit()
    inv = _offer_invoice(session, w, offer)
    program = get_program(session)
    assert rate_for(session, program=program, invoice=inv).rate_bp == 1000
    ps.save_rate(session, staff_id=w["staff"].id,
                 form={"target": f"offer:{offer.id}", "rate_kind": "percent", "rate": "25"})
    session.commit()
    assert rate_for(session, program=program, invoice=inv).rate_bp == 2500
    row = ps.save_rate(session, staff_id=w["staff"].id,  # the same offer: updated, not added
                       form={"target": f"offer:{offer.id}", "rate_kind": "fixed",
                             "fixed_amount": "7"})
    session.commit()
    assert len(session.exec(select(ReferralRate)).all()) == 1
    rate = rate_for(session, program=program, invoice=inv)
    assert (rate.kind, rate.fixed_minor) == ("fixed", 700)
    (listed,) = ps.list_rates(session)
    assert (listed.name, listed.target, listed.fixed_minor) == ("Pack", f"offer:{offer.id}", 700)
    ps.delete_rate(session, staff_id=w["staff"].id, rate_id=row.id)
    session.commit()
    assert rate_for(session, program=program,
                    invoice=session.get(Invoice, inv.id)).rate_bp == 1000
    assert ps.list_rates(session) == []


def test_an_override_needs_an_existing_offer_or_service_and_a_good_rate(session):
    w = world(session)
    svc = factories.service(session, providers=[w["staff"]], name="Massage")
    session.commit()
    for target in ("offer:999", "service:999", "course:1", "", "offer:x"):
        with pytest.raises(ps.ProgramErrors) as caught:
            ps.save_rate(session, staff_id=w["staff"].id,
                         form={"target": target, "rate_kind": "percent", "rate": "5"})
        assert list(caught.value.errors) == ["target"]
    with pytest.raises(ps.ProgramErrors) as caught:
        ps.save_rate(session, staff_id=w["staff"].id,
                     form={"target": f"service:{svc.id}", "rate_kind": "percent", "rate": "0"})
    assert list(caught.value.errors) == ["rate"]
    ps.save_rate(session, staff_id=w["staff"].id,
                 form={"target": f"service:{svc.id}", "rate_kind": "percent", "rate": "5"})
    assert [r.name for r in ps.list_rates(session)] == ["Massage"]
    with pytest.raises(NotFound):
        ps.delete_rate(session, staff_id=w["staff"].id, rate_id="999")


def test_every_message_of_these_services_has_a_spanish_translation():
    known = {normalize(k) for k in i18n.CATALOGS["es"]}
    found = server_msgids([], ["portal_app/services/referrals/program_settings.py",
                               "portal_app/services/referrals/referrer_admin.py",
                               "portal_app/services/referrals/commissions_admin.py"], {})
    assert len(found) > 5
    assert sorted(t for t in found if t not in known) == []
