"""Console → Community → a group's gamification: on or off, the points each action
earns (0–100), and the levels (name, points threshold unique in the group, an
optional reward offer granted once when a member reaches it: points.py does
that). Every bad field is reported at once; every write is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from models import CommunityGroup, CommunityLevel, LevelReward, Offer, OfferStatus
from portal_app.services.audit import record_audit
from portal_app.services.community.groups_admin import FieldErrors, live_group, whole
from portal_app.services.errors import NotFound, parse_id

NO_LEVEL = "That level does not exist."
POINTS = "Enter a number from 0 to 100."
LEVEL_NAME = "Give the level a name of 1 to 40 characters."
THRESHOLD = "Enter the points needed: a whole number from 0 to 1,000,000."
TAKEN = "Another level of this group needs the same points."
NO_OFFER = "Choose an active offer, or no reward."
POINT_FIELDS = ("points_post", "points_comment", "points_reaction", "points_best_answer")
LEVEL_FIELDS = ("name", "threshold", "reward_offer_id")
LEVELS_MAX = 50
TOO_MANY = "A group has at most 50 levels."


def _flag(raw: object) -> bool:
    return raw is True or str(raw or "").strip().lower() in ("on", "true", "1", "yes")


def save_gamification(session: Session, *, staff_id: int, group_id: object, form: dict
                      ) -> CommunityGroup:
    """Gamification on or off and the points per post, comment, reaction received and
    best answer (each 0–100)."""
    group = live_group(session, group_id=group_id)
    errors: dict[str, str] = {}
    values: dict = {"gamification": _flag(form.get("gamification"))}
    for field in POINT_FIELDS:
        value = whole(form.get(field, ""), 0, 100)
        if value is None:
            errors[field] = POINTS
        values[field] = value
    if errors:
        raise FieldErrors(errors)
    changed = sorted(k for k, v in values.items() if getattr(group, k) != v)
    if changed:
        for key, value in values.items():
            setattr(group, key, value)
        session.add(group)
        session.flush()
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="community.gamification_saved", group=group.id, fields=changed,
                     on=group.gamification)
    return group


@dataclass(frozen=True)
class LevelRow:
    id: int
    name: str
    threshold: int
    reward_offer_id: int | None
    reward_name: str


def list_levels(session: Session, *, group_id: int) -> list[LevelRow]:
    """The group's levels by threshold with their reward offers' names (one statement)."""
    rows = session.exec(select(CommunityLevel, Offer.name)
                        .outerjoin(Offer, Offer.id == CommunityLevel.reward_offer_id)
                        .where(CommunityLevel.group_id == group_id)
                        .order_by(CommunityLevel.threshold, CommunityLevel.id)).all()
    return [LevelRow(id=lv.id, name=lv.name, threshold=lv.threshold,
                     reward_offer_id=lv.reward_offer_id, reward_name=name or "")
            for lv, name in rows]


def reward_choices(session: Session) -> list[tuple[int, str]]:
    """Active offers a level may grant."""
    return [(i, n) for i, n in session.exec(select(Offer.id, Offer.name).where(
        Offer.status == OfferStatus.ACTIVE).order_by(Offer.name, Offer.id)).all()]


def get_level(session: Session, *, group_id: int, level_id: object) -> CommunityLevel:
    level = session.get(CommunityLevel, parse_id(level_id, NO_LEVEL))
    if level is None or level.group_id != group_id:
        raise NotFound(NO_LEVEL)
    return level


def _reward(session: Session, raw: object, errors: dict[str, str]) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    offer = session.get(Offer, int(text)) if text.isdigit() and len(text) < 12 else None
    if offer is None or offer.status != OfferStatus.ACTIVE:
        errors["reward_offer_id"] = NO_OFFER
        return None
    return offer.id


def save_level(session: Session, *, staff_id: int, group_id: object, form: dict,
               level_id: object | None = None) -> CommunityLevel:
    """Add a level (level_id None) or change one of this group's."""
    group = live_group(session, group_id=group_id)
    level = None if level_id in (None, "") else get_level(session, group_id=group.id,
                                                          level_id=level_id)
    errors: dict[str, str] = {}
    name = " ".join(str(form.get("name") or "").split())
    if not 1 <= len(name) <= 40:
        errors["name"] = LEVEL_NAME
    threshold = whole(form.get("threshold", ""), 0, 1_000_000)
    if threshold is None:
        errors["threshold"] = THRESHOLD
    reward = _reward(session, form.get("reward_offer_id"), errors)
    others = [lv for lv in session.exec(select(CommunityLevel).where(
        CommunityLevel.group_id == group.id)).all() if level is None or lv.id != level.id]
    if threshold is not None and any(lv.threshold == threshold for lv in others):
        errors["threshold"] = TAKEN
    if level is None and len(others) >= LEVELS_MAX:
        errors.setdefault("name", TOO_MANY)
    if errors:
        raise FieldErrors(errors)
    action = "community.level_changed" if level else "community.level_added"
    level = level or CommunityLevel(group_id=group.id, name=name, threshold=threshold)
    level.name, level.threshold, level.reward_offer_id = name, threshold, reward
    session.add(level)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action=action,
                 group=group.id, level=level.id, name=name, threshold=threshold,
                 reward_offer=reward)
    return level


def delete_level(session: Session, *, staff_id: int, group_id: object, level_id: object
                 ) -> None:
    """Delete a level; rewards already granted stay granted."""
    group = live_group(session, group_id=group_id)
    level = get_level(session, group_id=group.id, level_id=level_id)
    lid, name = level.id, level.name
    session.exec(delete(LevelReward).where(LevelReward.level_id == lid))
    session.delete(level)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="community.level_deleted", group=group.id, level=lid,
                 name=name)
