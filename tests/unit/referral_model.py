"""An independent model of the referral money rules, for the property test.

It knows nothing of the services: it is told what happened (a payment, a refund, a
decision, a payout) and works out, from the program's documented rules, what every
commission, adjustment and payout should be:

- a payment by an attributed customer of an active referrer earns
  floor(paid × rate), unless that is 0 (no row then); with the "first payment only"
  duration, only while the customer has no commission yet;
- a refund keeps the commission's share of what is kept of the payment:
  floor(earned × kept / paid) (the service's `_keep_net`); before payout the
  commission's amount becomes that (0: reversed), a rejected one keeps its state;
  after payout the difference is a new adjustment, settled by the next payout;
- approval needs a pending commission whose hold has ended; rejection a pending or
  approved one;
- a payout pays the chosen approved commissions plus every open adjustment of its
  referrer and currency; refused when that is not above 0 or below the minimum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class MCommission:
    payment_id: int
    referrer: int  # Referrer.id
    currency: str
    base: int
    earned: int
    amount: int
    hold_from: datetime  # the hold ends between hold_from and hold_to (wall clock)
    hold_to: datetime
    state: str = "pending"
    paid_amount: int | None = None  # what its payout paid
    adjustments: list[int] = field(default_factory=list)

    def due(self, kept: int) -> int:
        return self.earned * kept // self.base


@dataclass
class MAdjustment:
    referrer: int
    currency: str
    amount: int
    settled: bool = False


@dataclass
class MPayment:
    client_id: int
    amount: int
    currency: str
    refunded: int = 0


class Model:
    def __init__(self, *, rate_bp: int, hold_days: int, window_days: int, min_payout: int,
                 first_only: bool = False, program_currency: str = "USD"):
        self.rate_bp, self.hold_days, self.window_days = rate_bp, hold_days, window_days
        self.first_only = first_only  # the customer's first commissionable payment only
        self.min_payout, self.program_currency = min_payout, program_currency
        self.active: dict[int, bool] = {}  # referrer id -> active
        self.household: dict[int, set[int]] = {}  # referrer id -> its household's client ids
        self.emails: dict[int, str] = {}  # referrer id -> its email
        self.attributed: dict[int, int] = {}  # client id -> referrer id
        self.paid_clients: set[int] = set()
        self.payments: dict[int, MPayment] = {}
        self.commissions: dict[int, MCommission] = {}  # by payment id
        self.adjustments: list[MAdjustment] = []
        self.payout_totals: list[int] = []

    # --- attribution ---------------------------------------------------------------------

    def attribute(self, *, client_id: int, email: str, coupon_ref: int | None,
                  link_ref: int | None, link_age_days: int | None) -> int | None:
        """Who binds the new record (None: nobody)."""
        if client_id in self.attributed:
            return None
        referrer = coupon_ref if coupon_ref is not None and self.active[coupon_ref] else None
        if (referrer is None and link_ref is not None and self.active[link_ref]
                and link_age_days is not None and link_age_days <= self.window_days):
            referrer = link_ref
        if referrer is None:
            return None
        if client_id in self.household[referrer] or (
                email and email.lower() == self.emails[referrer].lower()):
            return None
        if client_id in self.paid_clients:
            return None  # a customer before the click is not brought by it
        self.attributed[client_id] = referrer
        return referrer

    # --- money -----------------------------------------------------------------------------

    def pay(self, *, payment_id: int, client_id: int, amount: int, currency: str,
            method: str, hold_from: datetime, hold_to: datetime) -> None:
        self.payments[payment_id] = MPayment(client_id, amount, currency)
        self.paid_clients.add(client_id)
        referrer = self.attributed.get(client_id)
        if method == "account_credit" or referrer is None or not self.active[referrer]:
            return
        if self.first_only and any(self.payments[c.payment_id].client_id == client_id
                                   for c in self.commissions.values()):
            return
        earned = amount * self.rate_bp // 10000
        if earned > 0:
            self.commissions[payment_id] = MCommission(payment_id, referrer, currency, amount,
                                                       earned, earned, hold_from, hold_to)

    def refund(self, *, payment_id: int, amount: int) -> None:
        """Money given back (negative: a refund that failed after all)."""
        payment = self.payments[payment_id]
        payment.refunded += amount
        c = self.commissions.get(payment_id)
        if c is None:
            return
        due = c.due(payment.amount - payment.refunded)
        if c.state == "paid":
            delta = due - (c.paid_amount + sum(c.adjustments))
            if delta:
                c.adjustments.append(delta)
                self.adjustments.append(MAdjustment(c.referrer, c.currency, delta))
            return
        c.amount = due
        if c.state != "rejected" and due == 0:
            c.state = "reversed"
        elif c.state == "reversed" and due > 0:  # a refund that failed after all
            c.state = "pending"

    def approve(self, payment_ids: list[int], now: datetime) -> int:
        done = 0
        for pid in payment_ids:
            c = self.commissions[pid]
            assert not (c.hold_from < now < c.hold_to), "the test clock must not straddle a hold"
            if c.state == "pending" and c.hold_to <= now:
                c.state, done = "approved", done + 1
        return done

    def reject(self, payment_ids: list[int]) -> int:
        done = 0
        for pid in payment_ids:
            c = self.commissions[pid]
            if c.state in ("pending", "approved"):
                c.state, done = "rejected", done + 1
        return done

    def open_adjustments(self, referrer: int, currency: str) -> list[MAdjustment]:
        return [a for a in self.adjustments
                if a.referrer == referrer and a.currency == currency and not a.settled]

    def payout(self, *, referrer: int, payment_ids: list[int]) -> int | None:
        """The payout's amount, or None when it must be refused."""
        rows = [self.commissions[pid] for pid in payment_ids]
        if not rows or any(c.state != "approved" or c.referrer != referrer for c in rows):
            return None
        if len({c.currency for c in rows}) != 1:
            return None
        currency = rows[0].currency
        adjustments = self.open_adjustments(referrer, currency)
        total = sum(c.amount for c in rows) + sum(a.amount for a in adjustments)
        if total <= 0 or (currency == self.program_currency and total < self.min_payout):
            return None
        for c in rows:
            c.state, c.paid_amount = "paid", c.amount
        for a in adjustments:
            a.settled = True
        self.payout_totals.append(total)
        return total

    # --- what the rows should add up to ---------------------------------------------------

    def buckets(self) -> dict[tuple[int, str], dict[str, int]]:
        """Per referrer and currency: pending, approved, paid (what payouts paid),
        reversed (what refunds took back after payout, as a positive number) and
        the net sum of the commissions (non-rejected amounts + adjustments)."""
        out: dict[tuple[int, str], dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(("pending", "approved", "paid", "reversed", "net"), 0))
        for c in self.commissions.values():
            if c.state == "rejected":
                continue
            b = out[(c.referrer, c.currency)]
            if c.state in ("pending", "approved"):
                b[c.state] += c.amount
            elif c.state == "paid":
                b["paid"] += c.paid_amount
                b["reversed"] -= sum(c.adjustments)
            b["net"] += c.due(self.payments[c.payment_id].amount
                              - self.payments[c.payment_id].refunded)
        return dict(out)
