"""Console → Community: groups as staff manage them (create, settings, moderation
rules, archive / restore, the list with its counts) and the Community app switch.

Every write is audited (actor staff) in the caller's transaction. A form's bad
fields are all reported at once (`FieldErrors`, one message per field) and
nothing is changed. A new group gets its two channels, "Feed" (clients post)
and "Announcements" (staff only).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    ContentReport,
    ContentStatus,
    GroupMember,
    GroupVisibility,
    LinkRule,
    MemberStatus,
    Post,
    PostComment,
    ReportStatus,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.community import rules
from portal_app.services.errors import NotFound, ServiceError, parse_id

NO_GROUP = "That group does not exist."
NAME_SIZE = "Give the group a name of 2 to 120 characters."
DESCRIPTION_SIZE = "Keep the description under 2,000 characters."
VISIBILITY = "Choose open, private or entitlement-only."
HOLD_FIRST = "Enter a number from 0 to 50."
THRESHOLD = "Enter a number from 1 to 100."
LINK_RULE = "Choose allow, hold or block."
LANDING_ON = "Community is the landing app: choose another one in Portal settings first."
ARCHIVED = "This group is archived: restore it first."
DESCRIPTION_MAX = 2000
GROUP_FIELDS = ("name", "description", "visibility")
MODERATION_FIELDS = ("hold_first_posts", "report_threshold", "held_words", "link_rule")


class FieldErrors(ServiceError):
    """Several bad fields at once: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def whole(raw: object, low: int, high: int) -> int | None:
    """A whole number from a form in [low, high], else None."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or len(text) > 9:
        return None
    value = int(text)
    return value if low <= value <= high else None


def clean_group(form: dict, errors: dict[str, str]) -> dict:
    """Name, description and visibility (problems added to `errors`)."""
    name = " ".join(str(form.get("name") or "").split())
    if not 2 <= len(name) <= 120:
        errors["name"] = NAME_SIZE
    description = str(form.get("description") or "").replace("\r\n", "\n").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = DESCRIPTION_SIZE
    visibility = str(form.get("visibility") or GroupVisibility.OPEN)
    if visibility not in GroupVisibility.ALL:
        errors["visibility"] = VISIBILITY
    return {"name": name, "description": description, "visibility": visibility}


def clean_moderation(form: dict, errors: dict[str, str]) -> dict:
    """First posts held, report threshold, held words, link rule."""
    values: dict = {}
    hold = whole(form.get("hold_first_posts", "0"), 0, 50)
    if hold is None:
        errors["hold_first_posts"] = HOLD_FIRST
    values["hold_first_posts"] = hold
    threshold = whole(form.get("report_threshold", "3"), 1, 100)
    if threshold is None:
        errors["report_threshold"] = THRESHOLD
    values["report_threshold"] = threshold
    try:
        values["held_words"] = rules.clean_words(form.get("held_words", ""))
    except ServiceError as exc:
        errors["held_words"] = exc.message
    link_rule = str(form.get("link_rule") or LinkRule.ALLOW)
    if link_rule not in LinkRule.ALL:
        errors["link_rule"] = LINK_RULE
    values["link_rule"] = link_rule
    return values


def get_group(session: Session, *, group_id: object) -> CommunityGroup:
    """A group by an id from the browser (archived ones too: staff see them)."""
    group = session.get(CommunityGroup, parse_id(group_id, NO_GROUP))
    if group is None:
        raise NotFound(NO_GROUP)
    return group


def live_group(session: Session, *, group_id: object) -> CommunityGroup:
    """A group that is not archived (changes to its members, channels, levels)."""
    group = get_group(session, group_id=group_id)
    if group.archived:
        raise ServiceError(ARCHIVED)
    return group


def create_group(session: Session, *, staff_id: int, form: dict) -> CommunityGroup:
    """A new group with its "Feed" and "Announcements" channels."""
    errors: dict[str, str] = {}
    values = clean_group(form, errors)
    if errors:
        raise FieldErrors(errors)
    now = utcnow()
    last = session.exec(select(func.max(CommunityGroup.position))).one()
    group = CommunityGroup(**values, position=int(last or 0) + 1, created_at=now,
                           updated_at=now)
    session.add(group)
    session.flush()
    for position, (name, kind) in enumerate((("Feed", ChannelKind.FEED),
                                             ("Announcements", ChannelKind.ANNOUNCEMENTS))):
        session.add(CommunityChannel(group_id=group.id, name=name, kind=kind,
                                     position=position, created_at=now))
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="community.group_created", group=group.id, name=group.name,
                 visibility=group.visibility)
    return group


def _as_form(group: CommunityGroup) -> dict:
    return {"name": group.name, "description": group.description,
            "visibility": group.visibility, "hold_first_posts": str(group.hold_first_posts),
            "report_threshold": str(group.report_threshold),
            "held_words": ", ".join(group.held_words or []), "link_rule": group.link_rule}


def update_group(session: Session, *, staff_id: int, group_id: object, form: dict
                 ) -> CommunityGroup:
    """Save a group's settings: name, description, visibility and its moderation rules
    (every bad field reported at once; nothing saved then)."""
    group = get_group(session, group_id=group_id)
    form = {**_as_form(group), **form}  # a field not sent keeps its value
    errors: dict[str, str] = {}
    values = clean_group(form, errors)
    values.update(clean_moderation(form, errors))
    if errors:
        raise FieldErrors(errors)
    changed = sorted(k for k, v in values.items() if getattr(group, k) != v)
    for key, value in values.items():
        setattr(group, key, value)
    if changed:
        group.updated_at = utcnow()
        session.add(group)
        session.flush()
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="community.group_updated", group=group.id, fields=changed)
    return group


def set_archived(session: Session, *, staff_id: int, group_id: object, archived: bool
                 ) -> CommunityGroup:
    """Archive (no client sees it; nothing is deleted) or restore a group."""
    group = get_group(session, group_id=group_id)
    if group.archived != archived:
        group.archived = archived
        group.updated_at = utcnow()
        session.add(group)
        session.flush()
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="community.group_archived" if archived
                     else "community.group_restored", group=group.id)
    return group


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    visibility: str
    archived: bool
    members: int  # active
    requests: int  # waiting for a decision
    waiting: int  # held posts and comments, open reports


def _counts(session: Session, statement) -> dict[int, int]:
    return {int(g): int(n) for g, n in session.exec(statement).all()}


def list_groups(session: Session) -> list[GroupRow]:
    """Every group (archived last) with its counts: five statements whatever the size."""
    groups = session.exec(select(CommunityGroup).order_by(
        CommunityGroup.archived, CommunityGroup.position, CommunityGroup.id)).all()
    members: dict[tuple[int, str], int] = {
        (int(g), s): int(n) for g, s, n in session.exec(
            select(GroupMember.group_id, GroupMember.status, func.count(GroupMember.id))
            .where(GroupMember.status.in_((MemberStatus.ACTIVE, MemberStatus.REQUESTED)))
            .group_by(GroupMember.group_id, GroupMember.status)).all()}
    held_posts = _counts(session, select(Post.group_id, func.count(Post.id)).where(
        Post.status == ContentStatus.HELD).group_by(Post.group_id))
    held_comments = _counts(session, select(PostComment.group_id, func.count(PostComment.id))
                            .where(PostComment.status == ContentStatus.HELD)
                            .group_by(PostComment.group_id))
    reports = _counts(session, select(ContentReport.group_id, func.count(ContentReport.id))
                      .where(ContentReport.status == ReportStatus.OPEN)
                      .group_by(ContentReport.group_id))
    return [GroupRow(
        id=g.id, name=g.name, visibility=g.visibility, archived=g.archived,
        members=members.get((g.id, MemberStatus.ACTIVE), 0),
        requests=members.get((g.id, MemberStatus.REQUESTED), 0),
        waiting=held_posts.get(g.id, 0) + held_comments.get(g.id, 0) + reports.get(g.id, 0))
        for g in groups]


# --- the Community app switch --------------------------------------------------------------


def app_switch(session: Session) -> tuple[bool, bool]:
    """(the business has Community on, every client may use it without a grant)."""
    business = get_business(session)
    return (apps.COMMUNITY in (business.apps_enabled or []),
            apps.COMMUNITY in (business.apps_open or []))


def set_app(session: Session, *, staff_id: int, on: bool, open_to_all: bool) -> bool:
    """Turn the Community app on or off for the business, and open it to every client
    (or only to clients with a grant). Returns whether anything changed (every
    client's app switcher changes: the caller pushes that after the commit)."""
    business = get_business(session)
    enabled = list(business.apps_enabled or [])
    opened = list(business.apps_open or [])
    was_on, was_open = apps.COMMUNITY in enabled, apps.COMMUNITY in opened
    if not on and was_on and business.landing_app == apps.COMMUNITY:
        raise ServiceError(LANDING_ON, field="app_on")
    if on != was_on:
        # New lists (not changed in place), so the JSON columns are written.
        business.apps_enabled = ([*enabled, apps.COMMUNITY] if on
                                 else [k for k in enabled if k != apps.COMMUNITY])
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="community.app_on" if on else "community.app_off")
    if open_to_all != was_open:
        business.apps_open = ([*opened, apps.COMMUNITY] if open_to_all
                              else [k for k in opened if k != apps.COMMUNITY])
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="community.app_opened" if open_to_all
                     else "community.app_closed")
    if (on, open_to_all) == (was_on, was_open):
        return False
    session.add(business)
    session.flush()
    return True
