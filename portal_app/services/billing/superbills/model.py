"""What a superbill holds, computed from the database each time it is shown (nothing
copied): the provider and patient blocks, one line per attended booking, totals per
currency, and the problems that stop it from being issued."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal_app import i18n
from portal_app.i18n import formats


@dataclass(frozen=True)
class Provider:
    legal_name: str
    npi_individual: str
    npi_organisation: str
    tax_id: str  # an EIN in full, an SSN masked to its last four
    tax_id_kind: str  # ein | ssn
    license_number: str
    license_state: str
    taxonomy_code: str
    address: str
    phone: str
    signature_file: str | None


@dataclass(frozen=True)
class Patient:
    client_id: int
    name: str
    date_of_birth: date | None
    address: str
    member_id: str


@dataclass(frozen=True)
class Diagnosis:
    code: str
    description: str


class PaidState:
    PAID = "paid"  # paid in full
    PARTIAL = "partial"  # part paid: the amount is shown as it is
    UNPAID = "unpaid"


@dataclass(frozen=True)
class SuperbillLine:
    booking_id: int
    day: date  # date of service, on the client's calendar
    service_id: int
    service_name: str
    pos: str
    cpt: str
    modifiers: str  # "95" or "95,GT"
    units: int
    diagnoses: tuple[Diagnosis, ...]  # valid on `day`, primary first
    fee_minor: int
    paid_minor: int
    currency: str
    invoice_id: int | None
    invoice_number: str

    @property
    def paid_state(self) -> str:
        if self.fee_minor > 0 and self.paid_minor >= self.fee_minor:
            return PaidState.PAID
        if self.paid_minor > 0:
            return PaidState.PARTIAL
        return PaidState.PAID if self.fee_minor == 0 else PaidState.UNPAID

    @property
    def balance_minor(self) -> int:
        return max(self.fee_minor - self.paid_minor, 0)


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    fees_minor: int
    paid_minor: int

    @property
    def balance_minor(self) -> int:
        return max(self.fees_minor - self.paid_minor, 0)


@dataclass(frozen=True)
class Problem:
    """One thing missing, as a msgid and its parameters (worded in the reader's
    language by `text`), with the console page where it is fixed."""

    message: str
    params: dict = field(default_factory=dict)
    link: str = ""

    def text(self, lang: str = i18n.DEFAULT) -> str:
        params = {k: formats.month_text(v, lang) if isinstance(v, date) else v
                  for k, v in self.params.items()}
        return i18n.gettext(lang, self.message, **params)


@dataclass(frozen=True)
class SuperbillDoc:
    client_id: int
    start: date
    end: date
    zone: str  # the client's zone: the calendar of the dates of service
    provider: Provider
    patient: Patient
    lines: tuple[SuperbillLine, ...]
    totals: tuple[CurrencyTotal, ...]
    problems: tuple[Problem, ...]

    @property
    def ready(self) -> bool:
        return not self.problems
