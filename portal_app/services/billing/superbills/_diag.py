"""The client's diagnoses over a range (a private stand-in).

To be replaced by `superbills/diagnoses.py` (`diagnoses_on`, `valid_on`) on merge:
same names, same results, so only the import changes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, select

from models import ClientDiagnosis


def diagnoses_on(session: Session, client_ids: list[int], day_from: date,
                 day_to: date) -> dict[int, list[ClientDiagnosis]]:
    """Every diagnosis of these clients valid on some day of the range, by client
    (one query)."""
    out: dict[int, list[ClientDiagnosis]] = defaultdict(list)
    if not client_ids:
        return out
    rows = session.exec(
        select(ClientDiagnosis)
        .where(ClientDiagnosis.client_id.in_(list(client_ids)),
               ClientDiagnosis.from_date <= day_to,
               (ClientDiagnosis.until_date.is_(None)) | (ClientDiagnosis.until_date >= day_from))
        .order_by(ClientDiagnosis.position, ClientDiagnosis.from_date, ClientDiagnosis.id)
    ).all()
    for row in rows:
        out[row.client_id].append(row)
    return out


def valid_on(diagnoses: list[ClientDiagnosis], day: date) -> list[ClientDiagnosis]:
    """The diagnoses valid on `day`, primary first."""
    found = [d for d in diagnoses
             if d.from_date <= day and (d.until_date is None or d.until_date >= day)]
    return sorted(found, key=lambda d: (d.position, d.from_date, d.id or 0))
