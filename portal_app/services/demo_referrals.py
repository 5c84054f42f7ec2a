"""Demo data for the Referrals app (issue 24): the app on and open to every client, a
program, and one referrer whose customers' commissions are in every state, so the
console's Referrals pages and the referrer's own page show something at once.

The referrer is a second demo client, Morgan Lee (portal sign-in referrer@demo.test),
with a coupon code and payout details. The main demo client is not a referrer: the
journey has them join. Everything money-related goes through the real services
(attribution through the cookie and coupon paths, invoices sent, payments recorded,
a refund, approval, a payout by bank transfer); as in `demo_billing_history`, each
step's rows are then dated to the day it happened and the emails it queued dropped.

The story, counted back from today (T):
  T-65  Casey Novak arrives through Morgan's link and signs up;
  T-60  Casey pays 240.00: commission 24.00, approved after the 14-day hold, paid in
        payout PO-… by bank transfer at T-40; 40.00 refunded at T-8, after the payout:
        a −4.00 adjustment the next payout deducts;
  T-30  Casey pays 300.00: commission 30.00, approved at T-15, waiting for a payout;
  T-20  Drew Park signs up with Morgan's coupon code;
  T-14  Drew pays 95.00, refunded in full at T-12: the commission is reversed;
  T-3   Drew pays 120.00: commission 12.00, pending (in its hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from models import (
    AttributionRule,
    Client,
    Commission,
    CommissionAdjustment,
    Invoice,
    JoinRule,
    Payment,
    PayoutMethod,
    PortalAccess,
    PortalAccount,
    Referrer,
    Refund,
)
from portal_app import apps
from portal_app.services.billing.dates import business_zone
from portal_app.services.billing.invoices import save_draft, send_invoice
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.billing.refunds import finish_refund, prepare_refund
from portal_app.services.business import get_business
from portal_app.services.demo_billing_history import _Clock, _stamp, _Step
from portal_app.services.referrals import attribution, commissions, payouts, referrers
from portal_app.services.referrals.program import get_program

REFERRER_EMAIL = "referrer@demo.test"
COUPON = "MORGAN10"
TERMS = ("Earn 10% of every payment by a client you bring, for as long as they stay with us. "
         "A commission is approved 14 days after the payment (our refund window) and paid once "
         "you are owed at least 20.00, by bank transfer, cash or credit on your own invoices. "
         "You cannot refer yourself or anyone in your household.")
_COOKIE_KEY = "demo-referrals"  # the demo's click cookie never leaves this module


@dataclass(frozen=True)
class DemoReferrals:
    """What was made, for the tests and anyone reading the demo."""

    referrer_id: int
    pending_id: int
    approved_id: int
    paid_id: int
    reversed_id: int
    payout_id: int


def seed_demo_referrals(session: Session, *, staff_id: int, base_url: str = "",
                        now: datetime | None = None) -> DemoReferrals | None:
    """The Referrals demo (see the module); None when it is there already."""
    if session.exec(select(Client.id).where(Client.email == REFERRER_EMAIL)).first():
        return None
    business = get_business(session)
    business.apps_enabled = [*business.apps_enabled, apps.REFERRALS]
    business.apps_open = [*business.apps_open, apps.REFERRALS]  # join rule "any"
    session.add(business)
    program = get_program(session)
    program.join_rule, program.rate_bp, program.window_days = JoinRule.ANY, 1000, 60
    program.attribution_rule, program.hold_days = AttributionRule.FIRST_CLICK, 14
    program.min_payout_minor, program.coupons, program.terms = 2000, True, TERMS
    program.currency = business.currency
    session.add(program)
    session.flush()
    story = _Story(session, _Clock(business_zone(business), now or datetime.now(UTC)),
                   staff_id, base_url)
    referrer = story.referrer()

    casey = story.customer("Casey Novak", "casey.novak@example.test")
    story.arrive_by_link(referrer, casey, story.clock.weekday_back(65))
    first = story.pay(casey, "Massage (60 min)", "3", "80.00", story.clock.weekday_back(60))
    story.approve(first, story.clock.weekday_back(45))
    payout = story.pay_out(referrer, [first], story.clock.weekday_back(40))
    second = story.pay(casey, "Physiotherapy session", "2", "150.00",
                       story.clock.weekday_back(30))
    story.approve(second, story.clock.weekday_back(15))

    drew = story.customer("Drew Park", "drew.park@example.test")
    story.arrive_by_coupon(drew, story.clock.weekday_back(20))
    refunded = story.pay(drew, "Massage (60 min)", "1", "95.00", story.clock.weekday_back(14))
    story.refund(refunded, "95.00", story.clock.weekday_back(12), "Session cancelled")
    story.refund(first, "40.00", story.clock.weekday_back(8), "Part of a package unused")
    pending = story.pay(drew, "Massage (60 min)", "1", "120.00", story.clock.weekday_back(3))
    return DemoReferrals(referrer_id=referrer.id, pending_id=pending.id,
                         approved_id=second.id, paid_id=first.id, reversed_id=refunded.id,
                         payout_id=payout)


class _Story:
    """The steps of the story, each through the services and then dated."""

    def __init__(self, session: Session, clock: _Clock, staff_id: int, base_url: str):
        self.session, self.clock, self.staff_id, self.base_url = (session, clock, staff_id,
                                                                  base_url)

    def referrer(self) -> Referrer:
        s = self.session
        joined = self.clock.at(self.clock.weekday_back(70), 18)
        account = PortalAccount(email=REFERRER_EMAIL)
        s.add(account)
        s.flush()
        client = Client(full_name="Morgan Lee", email=REFERRER_EMAIL, account_id=account.id,
                        timezone="America/New_York", portal_access=PortalAccess.INVITED,
                        payout_details="Bank transfer: Harbor Credit Union, account ending 4821")
        s.add(client)
        s.flush()
        step = _Step(s)
        row = referrers.join_program(s, client_id=client.id, account_id=account.id)
        referrers.set_coupon(s, client_id=client.id, coupon=COUPON, account_id=account.id)
        referrers.set_payout_method(s, client_id=client.id, method=PayoutMethod.BANK_TRANSFER)
        _stamp(s, row, joined_at=joined)
        step.done(joined)
        return row

    def customer(self, name: str, email: str) -> Client:
        client = Client(full_name=name, email=email, timezone="America/New_York")
        self.session.add(client)
        self.session.flush()
        return client

    def arrive_by_link(self, referrer: Referrer, client: Client, day: date) -> None:
        at = self.clock.at(day, 19, 12)
        step = _Step(self.session)
        click = attribution.record_click(self.session, referrer=referrer, visitor="demo-1",
                                         now=at)
        cookie = attribution.make_cookie(_COOKIE_KEY, click_id=click.id, code=referrer.code,
                                         now=at)
        touch = attribution.read_cookie(_COOKIE_KEY, cookie, window_days=60, now=at)
        attribution.attribute(self.session, client_id=client.id, event="signup", touch=touch,
                              now=at + timedelta(minutes=6))
        step.done(at)

    def arrive_by_coupon(self, client: Client, day: date) -> None:
        at = self.clock.at(day, 12, 40)
        step = _Step(self.session)
        attribution.attribute(self.session, client_id=client.id, event="signup",
                              coupon=COUPON.lower(), now=at)
        step.done(at)

    def pay(self, client: Client, what: str, quantity: str, price: str, day: date
            ) -> Commission:
        """An invoice sent on `day` and paid by bank transfer the same day; its commission."""
        s = self.session
        sent = self.clock.at(day, 10)
        step = _Step(s)
        invoice = save_draft(s, staff_id=self.staff_id, invoice_id=None,
                             form={"client_id": client.id, "kind": "invoice",
                                   "issue_date": day.isoformat()},
                             lines=[{"description": what, "quantity": quantity,
                                     "unit_price": price}])
        send_invoice(s, staff_id=self.staff_id, invoice_id=invoice.id, base_url=self.base_url)
        _stamp(s, invoice, issue_date=day, due_date=day + timedelta(days=14), sent_at=sent,
               created_at=sent, updated_at=sent)
        payment = record_offline_payment(
            s, staff_id=self.staff_id, invoice_id=invoice.id,
            form={"amount": f"{invoice.balance_minor // 100}.{invoice.balance_minor % 100:02d}",
                  "method": "bank_transfer", "paid_on": day.isoformat()},
            base_url=self.base_url)
        _stamp(s, payment, created_at=payment.paid_at)
        _stamp(s, invoice, paid_at=payment.paid_at, updated_at=payment.paid_at)
        row = s.exec(select(Commission).where(Commission.payment_id == payment.id)).one()
        hold = timedelta(days=get_program(s).hold_days)
        _stamp(s, row, created_at=payment.paid_at, hold_until=payment.paid_at + hold)
        step.done(payment.paid_at)
        return row

    def approve(self, row: Commission, day: date) -> None:
        at = self.clock.at(day, 9, 30)
        step = _Step(self.session)
        commissions.decide(self.session, staff_id=self.staff_id, commission_ids=[row.id],
                           approve=True, now=at)
        step.done(at)

    def pay_out(self, referrer: Referrer, rows: list[Commission], day: date) -> int:
        at = self.clock.at(day, 15)
        step = _Step(self.session)
        payout = payouts.pay_out(self.session, staff_id=self.staff_id,
                                 referrer_id=referrer.id, commission_ids=[r.id for r in rows],
                                 method=PayoutMethod.BANK_TRANSFER, reference="HCU-20417",
                                 base_url=self.base_url)
        _stamp(self.session, payout, created_at=at)
        step.done(at)
        return payout.id

    def refund(self, row: Commission, amount: str, day: date, reason: str) -> None:
        s = self.session
        at = self.clock.at(day, 11, 15)
        step = _Step(s)
        refund = prepare_refund(s, staff_id=self.staff_id, payment_id=row.payment_id,
                                form={"amount": amount, "reason": reason})
        finish_refund(s, refund_id=refund.id, provider_refund_id=None, staff_id=self.staff_id)
        _stamp(s, s.get(Refund, refund.id), created_at=at)
        invoice = s.get(Invoice, s.get(Payment, row.payment_id).invoice_id)
        _stamp(s, invoice, updated_at=at)
        for adjustment in s.exec(select(CommissionAdjustment).where(
                CommissionAdjustment.commission_id == row.id)):
            if adjustment.created_at > at:
                _stamp(s, adjustment, created_at=at)
        step.done(at)
