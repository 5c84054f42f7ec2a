"""Labels and money texts shared by the console's Referrals pages."""

from models import CommissionState, ReferrerStatus
from portal_app.services.money import format_money

STATE_LABELS = {CommissionState.PENDING: "Pending", CommissionState.APPROVED: "Approved",
                CommissionState.PAID: "Paid", CommissionState.REVERSED: "Reversed",
                CommissionState.REJECTED: "Rejected"}
REFERRER_LABELS = {ReferrerStatus.ACTIVE: "Active", ReferrerStatus.DISABLED: "Disabled"}


def amounts_text(by_currency: dict[str, int], lang: str) -> str:
    """"$12.00" or "$12.00 · €3.00"; "—" for nothing."""
    parts = [format_money(v, c, lang) for c, v in sorted(by_currency.items()) if v]
    return " · ".join(parts) or "—"
