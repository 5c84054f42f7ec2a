"""The pre-flight of a superbill: exactly what is missing, each with the console page
where it is fixed. Nothing is dropped: a line without a code stays on the superbill
and is named here, and a superbill with any problem is never issued."""

from __future__ import annotations

from collections import Counter
from datetime import date

from portal_app import routes
from portal_app.services.billing.superbills.model import Patient, Problem, Provider, SuperbillLine

NO_SESSIONS = "There are no attended sessions in this range."
NO_DIAGNOSIS_ONE = "1 session in {month} has no diagnosis dated on or before it"
NO_DIAGNOSIS_MANY = "{count} sessions in {month} have no diagnosis dated on or before them"
NO_CPT = "Service '{service}' has no CPT code"
NO_POS = "Service '{service}' has no place of service"
# (Business attribute on Provider, message)
PROVIDER_NEEDS = (
    ("legal_name", "The business has no legal name"),
    ("npi_individual", "The business has no individual NPI"),
    ("tax_id", "The business has no tax ID"),
    ("license_number", "The business has no licence number"),
    ("license_state", "The business has no licence state"),
    ("address", "The business has no address"),
    ("phone", "The business has no phone number"),
)
PATIENT_NEEDS = (
    ("date_of_birth", "The client has no date of birth"),
    ("member_id", "The client has no insurance member ID"),
    ("address", "The client has no address"),
)


def preflight(*, provider: Provider, patient: Patient, lines: tuple[SuperbillLine, ...],
              start: date, end: date) -> list[Problem]:
    """Every problem, in a stable order: the business, the client, the services, the
    sessions without a diagnosis (counted by month)."""
    problems: list[Problem] = []
    for attr, message in PROVIDER_NEEDS:
        if not getattr(provider, attr):
            problems.append(Problem(message, link=routes.CONSOLE_SETTINGS))
    client_page = routes.console_client(patient.client_id)
    for attr, message in PATIENT_NEEDS:
        if not getattr(patient, attr):
            problems.append(Problem(message, link=client_page))
    if not lines:
        problems.append(Problem(NO_SESSIONS))
        return problems
    services: dict[int, str] = {}
    for line in lines:
        services.setdefault(line.service_id, line.service_name)
    for service_id, name in services.items():
        mine = [ln for ln in lines if ln.service_id == service_id]
        link = f"{routes.CONSOLE_SERVICES}?id={service_id}"
        if any(not ln.cpt for ln in mine):
            problems.append(Problem(NO_CPT, {"service": name}, link))
        if any(not ln.pos for ln in mine):
            problems.append(Problem(NO_POS, {"service": name}, link))
    undiagnosed = Counter(ln.day.replace(day=1) for ln in lines if not ln.diagnoses)
    for month in sorted(undiagnosed):
        count = undiagnosed[month]
        problems.append(Problem(NO_DIAGNOSIS_ONE if count == 1 else NO_DIAGNOSIS_MANY,
                                {"count": count, "month": month}, client_page))
    return problems
