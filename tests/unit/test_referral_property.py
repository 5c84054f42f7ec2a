"""Property test of the referral money rules (a seeded random loop; hypothesis is not a
test dependency). For random sequences of clicks, sign-ups through the cookie (and
coupon) path, offline payments, test-mode checkouts with replays of their event,
partial and full refunds (by staff, or made at the provider and failing afterwards),
approvals as time passes the hold, rejections, referrers disabled and enabled, and
payouts by bank transfer, cash and account credit, all through the real services,
after every step:

- every commission row is what the independent model (tests/unit/referral_model.py)
  says, and per referrer and currency: the net sum of the commissions (non-rejected
  amounts + adjustments) = pending + approved + paid − reversed (after payout),
  computed from the rows, and equal to the model's;
- no commission or adjustment is in two payouts, every paid commission is in exactly
  one, and each payout's total is the sum of its items (account credit: what is
  left plus what was applied);
- a replayed provider event (a checkout paid, a refund made at the provider) changes
  nothing;
- every amount is an integer number of minor units.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import (
    Client,
    Commission,
    Invoice,
    Payment,
    PayoutItem,
    Referrer,
    Refund,
)
from portal_app.providers.payments import TestModeGateway
from portal_app.services.billing import payments, refunds
from portal_app.services.billing.checkout import checkout_request, open_checkout, prepare_checkout
from portal_app.services.billing.checkout_test_mode import finish_test_checkout
from portal_app.services.billing.events import DuplicateEvent, handle_event
from portal_app.services.errors import ServiceError
from portal_app.services.referrals import attribution, commissions, payouts, referrers
from portal_app.services.referrals.program import get_program
from tests import factories
from tests.unit.referral_helpers import _quick_receipts, invoice  # noqa: F401 (fixture)
from tests.unit.referral_model import Model
from tests.unit.referral_property_checks import check, snapshot

SEEDS = 40
STEPS = 45
BASE = "http://portal.test"
SECRET = "p" * 40
GATEWAY = TestModeGateway(BASE)
CURRENCIES = ("USD", "USD", "EUR")


class Run:
    """One random sequence: the world, the model, and the test's clock."""

    def __init__(self, session, rng: random.Random):
        self.s, self.rng = session, rng
        factories.business(session, name="Studio Nine", timezone="UTC")
        self.staff = factories.staff(session)
        program = get_program(session)
        program.rate_bp = rng.choice((1000, 333, 2500, 1000, 7))
        program.hold_days = rng.choice((0, 3, 14))
        program.window_days = rng.choice((7, 60))
        program.min_payout_minor = rng.choice((0, 0, 500))
        program.duration = rng.choice(("every", "every", "first"))
        session.add(program)
        self.model = Model(rate_bp=program.rate_bp, hold_days=program.hold_days,
                           window_days=program.window_days, min_payout=program.min_payout_minor,
                           first_only=program.duration == "first")
        # Whole seconds, half an hour past: cookie times and hold ends never straddle.
        self.start = datetime.now(UTC).replace(microsecond=0)
        self.offset = timedelta(minutes=30)
        self.referrers: list[Referrer] = []
        for i in range(2):
            _acc, (client,) = factories.household(session, names=(f"Referrer{i}",))
            row = referrers.join_program(session, client_id=client.id)
            referrers.set_coupon(session, client_id=client.id, coupon=f"SAVE-{i}{rng.randrange(99)}")
            self.referrers.append(row)
            self.model.active[row.id] = True
            self.model.household[row.id] = {client.id}
            self.model.emails[row.id] = client.email
        self.customers: list[Client] = []
        self.cookies: list[tuple[int, str, datetime]] = []  # referrer id, cookie, click time
        self.payment_ids: list[int] = []
        session.commit()

    @property
    def now(self) -> datetime:
        return self.start + self.offset

    # --- steps -----------------------------------------------------------------------------

    def click(self) -> None:
        ref = self.rng.choice(self.referrers)
        click = attribution.record_click(self.s, referrer=ref,
                                         visitor=f"v{self.rng.randrange(5)}", now=self.now)
        self.cookies.append((ref.id, attribution.make_cookie(
            SECRET, click_id=click.id, code=ref.code, now=click.created_at), click.created_at))

    def sign_up(self) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:  # a new record in a referrer's own household
            ref = rng.choice(self.referrers)
            mine = self.s.get(Client, ref.client_id)
            client = Client(full_name="Housemate", email=mine.email, account_id=mine.account_id)
            self.s.add(client)
            self.s.flush()
            self.model.household[ref.id].add(client.id)
        elif roll < 0.3 and self.customers:  # an existing record signs up again
            client = rng.choice(self.customers)
        else:
            client = factories.client(self.s)
        if client not in self.customers:
            self.customers.append(client)
        link_ref, age, touch = None, None, None
        if self.cookies and rng.random() < 0.8:
            ref_id, raw, at = rng.choice(self.cookies)
            touch = attribution.read_cookie(SECRET, raw, window_days=self.model.window_days,
                                            now=self.now)
            link_ref, age = ref_id, (self.now - at) / timedelta(days=1)
        coupon, coupon_ref = None, None
        if rng.random() < 0.25:
            ref = rng.choice(self.referrers)
            coupon, coupon_ref = ref.coupon_code, ref.id
            if rng.random() < 0.3:
                coupon, coupon_ref = "NOT-A-CODE", None
        expected = self.model.attribute(client_id=client.id, email=client.email,
                                        coupon_ref=coupon_ref, link_ref=link_ref,
                                        link_age_days=age)
        row = attribution.attribute(self.s, client_id=client.id, event="signup", touch=touch,
                                    coupon=coupon, now=self.now)
        assert (row.referrer_id if row else None) == expected

    def _customer(self) -> Client:
        """A customer, more often one a referrer brought."""
        brought = [c for c in self.customers if c.id in self.model.attributed]
        return self.rng.choice(brought if brought and self.rng.random() < 0.75
                               else self.customers)

    def _new_invoice(self, client: Client) -> Invoice:
        return invoice(self.s, client, self.rng.randrange(60, 40_000),
                       self.rng.choice(CURRENCIES))

    def _paid(self, payment: Payment, before: datetime, method: str) -> None:
        hold = timedelta(days=self.model.hold_days)
        self.model.pay(payment_id=payment.id, client_id=payment.client_id,
                       amount=payment.amount_minor, currency=payment.currency, method=method,
                       hold_from=before + hold - timedelta(seconds=1),
                       hold_to=datetime.now(UTC) + hold + timedelta(seconds=1))
        self.payment_ids.append(payment.id)

    def pay_offline(self) -> None:
        if not self.customers:
            return
        inv = self._new_invoice(self._customer())
        amount = self.rng.randrange(1, inv.total_minor + 1)
        before = datetime.now(UTC)
        payment = payments.record_offline_payment(
            self.s, staff_id=self.staff.id, invoice_id=inv.id,
            form={"amount": f"{amount // 100}.{amount % 100:02d}",
                  "method": self.rng.choice(("cash", "bank_transfer", "check"))}, base_url=BASE)
        assert payment.amount_minor == amount
        self._paid(payment, before, payment.method)

    def pay_test_mode(self) -> None:
        if not self.customers:
            return
        client = self._customer()
        inv = self._new_invoice(client)
        attempt = prepare_checkout(self.s, client_id=client.id, invoice_id=inv.id,
                                   amount_text=None, provider=GATEWAY.name, tab_token="")
        opened = GATEWAY.create_checkout(checkout_request(self.s, attempt=attempt,
                                                          customer_email="", base_url=BASE))
        open_checkout(self.s, attempt_id=attempt.id, provider_session_id=opened.id,
                      url=opened.url)
        self.s.commit()
        before = datetime.now(UTC)
        finish_test_checkout(self.s, gateway=GATEWAY, client_id=client.id,
                             provider_session_id=opened.id, paid=True, base_url=BASE)
        self.s.commit()
        payment = self.s.exec(select(Payment).where(Payment.provider_ref == opened.id)).one()
        assert payment.amount_minor == inv.total_minor
        self._paid(payment, before, "card")
        self.replay(client, attempt, opened.id)

    def replay(self, client: Client, attempt, session_id: str) -> None:
        """The same event again, the same checkout under another event, a second press."""
        before = snapshot(self.s)
        event = GATEWAY.completed_event(session_id=session_id, attempt_id=attempt.id,
                                        invoice_id=attempt.invoice_id, client_id=client.id,
                                        amount_minor=attempt.amount_minor,
                                        currency=attempt.currency, paid=True)
        with pytest.raises(DuplicateEvent):
            handle_event(self.s, provider=GATEWAY.name, event=event, base_url=BASE)
        self.s.rollback()
        again = {**event, "id": f"{event['id']}-again",
                 "type": "checkout.session.async_payment_succeeded"}
        assert handle_event(self.s, provider=GATEWAY.name, event=again, base_url=BASE) == "recorded"
        finish_test_checkout(self.s, gateway=GATEWAY, client_id=client.id,
                             provider_session_id=session_id, paid=True, base_url=BASE)
        self.s.commit()
        assert snapshot(self.s) == before

    def refund(self) -> None:
        live = [pid for pid in self.payment_ids
                if self.model.payments[pid].amount > self.model.payments[pid].refunded]
        if not live:
            return
        paid = [p for p in live if p in self.model.commissions
                and self.model.commissions[p].state == "paid"]
        pid = self.rng.choice(paid if paid and self.rng.random() < 0.6 else live)
        left = self.model.payments[pid].amount - self.model.payments[pid].refunded
        amount = left if self.rng.random() < 0.4 else self.rng.randrange(1, left + 1)
        payment = self.s.get(Payment, pid)
        if payment.provider == "test" and self.rng.random() < 0.4:
            self.provider_refund(payment, amount)
        else:
            row = refunds.prepare_refund(self.s, staff_id=self.staff.id, payment_id=pid,
                                         form={"amount": f"{amount // 100}.{amount % 100:02d}"})
            self.s.commit()
            provider_id = f"re_{row.id}" if payment.provider == "test" else None
            refunds.finish_refund(self.s, refund_id=row.id, provider_refund_id=provider_id,
                                  staff_id=self.staff.id)
        self.model.refund(payment_id=pid, amount=amount)

    def provider_refund(self, payment: Payment, amount: int) -> None:
        """A refund made at the provider (its dashboard), then its events replayed."""
        n = len(self.payment_ids) * 1000 + self.rng.randrange(1000)
        obj = {"id": f"re_dash_{payment.id}_{n}", "object": "refund", "status": "succeeded",
               "amount": amount, "payment_intent": payment.payment_intent_id}
        event = {"id": f"evt_re_{payment.id}_{n}", "type": "refund.created",
                 "data": {"object": obj}}
        assert handle_event(self.s, provider=GATEWAY.name, event=event,
                            base_url=BASE) == "recorded"
        self.s.commit()
        before = snapshot(self.s)
        with pytest.raises(DuplicateEvent):
            handle_event(self.s, provider=GATEWAY.name, event=event, base_url=BASE)
        self.s.rollback()
        again = {**event, "id": f"{event['id']}-again", "type": "refund.updated"}
        assert handle_event(self.s, provider=GATEWAY.name, event=again, base_url=BASE) == "known"
        self.s.commit()
        assert snapshot(self.s) == before

    def refund_fails(self) -> None:
        """A refund made at the provider fails afterwards: the money stayed with us."""
        made = [r for r in self.s.exec(select(Refund).where(
            Refund.provider_refund_id.like("re_dash_%"), Refund.status == "succeeded"))]
        if not made:
            return
        row = self.rng.choice(made)
        event = {"id": f"evt_fail_{row.id}", "type": "refund.failed", "data": {"object": {
            "id": row.provider_refund_id, "object": "refund", "status": "failed",
            "amount": row.amount_minor}}}
        assert handle_event(self.s, provider=GATEWAY.name, event=event,
                            base_url=BASE) == "recorded"
        self.model.refund(payment_id=row.payment_id, amount=-row.amount_minor)

    def pass_time(self) -> None:
        self.offset += timedelta(days=self.rng.choice((1, 2, 5, 10, 20)))

    def _some_commissions(self, state: str = "") -> list[int]:
        pids = list(self.model.commissions)
        if state and self.rng.random() < 0.8:  # mostly the ones the step is for
            pids = [p for p in pids if self.model.commissions[p].state == state] or pids
        return self.rng.sample(pids, self.rng.randrange(1, min(len(pids), 4) + 1)) if pids else []

    def _ids(self, pids: list[int]) -> list[int]:
        return [self.s.exec(select(Commission.id).where(Commission.payment_id == p)).one()
                for p in pids]

    def approve(self) -> None:
        pids = self._some_commissions("pending")
        if pids:
            done, _ = commissions.decide(self.s, staff_id=self.staff.id,
                                         commission_ids=self._ids(pids), approve=True,
                                         now=self.now)
            assert done == self.model.approve(pids, self.now)

    def reject(self) -> None:
        pids = self._some_commissions()
        if pids:
            done, _ = commissions.decide(self.s, staff_id=self.staff.id,
                                         commission_ids=self._ids(pids), approve=False,
                                         reason="Not a real customer", now=self.now)
            assert done == self.model.reject(pids)

    def toggle_referrer(self) -> None:
        ref = self.rng.choice(self.referrers)
        active = not self.model.active[ref.id] if self.rng.random() < 0.5 else True
        referrers.set_referrer_status(self.s, staff_id=self.staff.id, referrer_id=ref.id,
                                      active=active)
        self.model.active[ref.id] = active

    def referrer_invoice(self) -> None:
        """An open invoice of a referrer's own, for account credit to pay."""
        ref = self.rng.choice(self.referrers)
        self._new_invoice(self.s.get(Client, ref.client_id))

    def pay_out(self) -> None:
        groups = defaultdict(list)  # (referrer id, currency) -> approved commissions
        for c in self.model.commissions.values():
            if c.state == "approved":
                groups[(c.referrer, c.currency)].append(c.payment_id)
        if self.rng.random() < 0.15 and self.model.commissions:  # anything, even paid ones
            pids = self._some_commissions()
            ref_id = self.rng.choice(self.referrers).id
        elif groups:
            owing = [g for g in sorted(groups) if self.model.open_adjustments(*g)]
            ref_id, currency = self.rng.choice(owing if owing and self.rng.random() < 0.7
                                               else sorted(groups))
            approved = groups[(ref_id, currency)]
            pids = self.rng.sample(approved, self.rng.randrange(1, len(approved) + 1))
        else:
            return
        expected = self.model.payout(referrer=ref_id, payment_ids=pids)
        method = self.rng.choice(("bank_transfer", "cash", "account_credit"))
        try:
            payout = payouts.pay_out(self.s, staff_id=self.staff.id, referrer_id=ref_id,
                                     commission_ids=self._ids(pids), method=method,
                                     base_url=BASE)
        except ServiceError:
            self.s.rollback()
            assert expected is None
            return
        assert expected is not None and payout.amount_minor == expected

    STEPS = ((click, 2), (sign_up, 3), (pay_offline, 4), (pay_test_mode, 2), (refund, 3),
             (pass_time, 3), (approve, 3), (reject, 1), (pay_out, 4), (toggle_referrer, 1),
             (refund_fails, 2), (referrer_invoice, 1))


@pytest.mark.parametrize("seed", range(SEEDS))
def test_referral_money_adds_up_whatever_happens(session, seed):
    rng = random.Random(20261206 + seed)
    run = Run(session, rng)
    steps, weights = zip(*Run.STEPS, strict=True)
    for _ in range(STEPS):
        step = rng.choices(steps, weights)[0]
        step(run)
        session.commit()
        check(session, run)
    paid = session.exec(select(PayoutItem).where(PayoutItem.commission_id.is_not(None))).first()
    if paid is not None:  # the database itself refuses a second payout of a commission
        session.add(PayoutItem(payout_id=paid.payout_id, commission_id=paid.commission_id,
                               amount_minor=1))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
