"""When a grant is active: not revoked, started, not ended (one SQL condition that
entitlements and the apps reading grants directly share)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_

from models import Entitlement


def active_clause(now: datetime):
    """The SQL condition of an active grant at `now`."""
    return (Entitlement.revoked_at.is_(None), Entitlement.starts_at <= now,
            or_(Entitlement.ends_at.is_(None), Entitlement.ends_at > now))
