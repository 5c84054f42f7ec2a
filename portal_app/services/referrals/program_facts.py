"""The program as a client reads it before joining: what they earn and on which
payments, how long a link counts, the hold before a commission is approved, the
minimum payout, and the business's own terms (plain text)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from models import RateDuration, RateKind, ReferralProgram
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.money import format_money
from portal_app.services.referrals.program import get_program

EARN_EVERY = "You earn {rate} of every payment of each customer you bring."
EARN_FIRST = "You earn {rate} of the first payment of each customer you bring."
EARN_MONTHS = ("You earn {rate} of the payments of each customer you bring, "
               "for their first {months} months.")
FIXED_EVERY = "You earn {amount} for every payment of each customer you bring."
FIXED_FIRST = "You earn {amount} for the first payment of each customer you bring."
FIXED_MONTHS = ("You earn {amount} for each payment of a customer you bring, "
                "for their first {months} months.")
WINDOW = ("A customer is yours when they sign up, book or buy within {days} days of "
          "following your link.")
COUPON = "They can also give your personal coupon code when they sign up."
HOLD = ("Each commission waits {days} days (the refund window) before it can be "
        "approved, so a refunded payment earns nothing.")
MINIMUM = "Payouts start once your approved commissions reach {amount}."
NO_MINIMUM = "There is no minimum payout."
OWN_HOUSEHOLD = "You cannot refer yourself or anyone in your own household."


@dataclass(frozen=True)
class ProgramFacts:
    facts: list[str]
    terms: str
    coupons: bool


def _earn(program: ReferralProgram, lang: str) -> str:
    months = program.duration_months
    if program.rate_kind == RateKind.FIXED:
        amount = format_money(program.fixed_minor, program.currency, lang)
        text = {RateDuration.FIRST: FIXED_FIRST, RateDuration.MONTHS: FIXED_MONTHS}.get(
            program.duration, FIXED_EVERY)
        return i18n.gettext(lang, text, amount=amount, months=months)
    rate = f"{formats.number(Decimal(program.rate_bp).scaleb(-2), lang)} %"
    text = {RateDuration.FIRST: EARN_FIRST, RateDuration.MONTHS: EARN_MONTHS}.get(
        program.duration, EARN_EVERY)
    return i18n.gettext(lang, text, rate=rate, months=months)


def get_program_facts(session: Session, *, lang: str) -> ProgramFacts:
    """The join card's sentences, in `lang`."""
    program = get_program(session)
    facts = [_earn(program, lang), i18n.gettext(lang, WINDOW, days=program.window_days)]
    if program.coupons:
        facts.append(i18n.gettext(lang, COUPON))
    facts.append(i18n.gettext(lang, HOLD, days=program.hold_days))
    if program.min_payout_minor > 0:
        facts.append(i18n.gettext(lang, MINIMUM, amount=format_money(
            program.min_payout_minor, program.currency, lang)))
    else:
        facts.append(i18n.gettext(lang, NO_MINIMUM))
    facts.append(i18n.gettext(lang, OWN_HOUSEHOLD))
    return ProgramFacts(facts=facts, terms=program.terms.strip(), coupons=program.coupons)
