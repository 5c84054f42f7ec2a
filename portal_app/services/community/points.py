"""Gamification points. Filled in by the gamification work (issue 23): see
/work/brief/core.md for the contract."""

from __future__ import annotations

from sqlmodel import Session

from models import CommunityGroup


def award(session: Session, *, group: CommunityGroup, client_id: int, reason: str,
          source: str) -> None:
    """One award for one thing (`source` like "post:12"), only when the group has
    gamification on; a second call with the same source changes nothing."""
    return None


def take_back(session: Session, *, source: str) -> None:
    """Remove the points of `source` (its post or comment deleted or removed)."""
    return None
