"""Staff grants on a client's page (console → client → "Apps & access"): what the
record holds (an app as a whole, one course or one community group), where it came from, when it
started and ends, and whether it is active, ended or revoked; "Give access" with
an optional last day; ending and restoring go through entitlements.revoke_grant /
restore_grant (audited there) with the grant checked to belong to the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import CommunityGroup, Course, Entitlement, GrantKind, GrantSource
from models.base import utcnow
from portal_app import apps
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.hub import entitlements

WHOLE_APP = "app"  # the form's value for "Courses as a whole"
WHOLE_COMMUNITY = "app:community"  # the form's value for "Community as a whole"
GROUP_PREFIX = "group:"  # "group:<id>": one community group
ALREADY = "This client already has that access."
NO_COURSE = "That course does not exist."
NO_GROUP = "That group does not exist."


class GrantState:
    ACTIVE = "active"
    SCHEDULED = "scheduled"  # starts later
    ENDED = "ended"
    REVOKED = "revoked"


@dataclass(frozen=True)
class GrantRow:
    id: int
    app_key: str
    kind: str
    what: str  # a course's title; "" for an app as a whole (the page names the app)
    source: str
    starts_at: datetime
    ends_at: datetime | None
    revoked_at: datetime | None
    reason: str
    state: str


def grant_state(row: Entitlement, now: datetime) -> str:
    if row.revoked_at is not None:
        return GrantState.REVOKED
    if row.ends_at is not None and row.ends_at <= now:
        return GrantState.ENDED
    if row.starts_at > now:
        return GrantState.SCHEDULED
    return GrantState.ACTIVE


def list_grant_rows(session: Session, *, client_id: int,
                    now: datetime | None = None) -> list[GrantRow]:
    """The record's grants, newest first, with course titles (two statements)."""
    now = now or utcnow()
    grants = entitlements.list_grants(session, client_id=client_id)
    course_ids = {g.target_id for g in grants if g.kind == GrantKind.COURSE and g.target_id}
    titles = dict(session.exec(select(Course.id, Course.title)
                               .where(Course.id.in_(course_ids))).all()) if course_ids else {}
    group_ids = {g.target_id for g in grants if g.kind == GrantKind.GROUP and g.target_id}
    names = dict(session.exec(select(CommunityGroup.id, CommunityGroup.name).where(
        CommunityGroup.id.in_(group_ids))).all()) if group_ids else {}
    return [GrantRow(id=g.id, app_key=g.app_key, kind=g.kind,
                     what=titles.get(g.target_id, f"#{g.target_id}")
                     if g.kind == GrantKind.COURSE else
                     names.get(g.target_id, f"#{g.target_id}")
                     if g.kind == GrantKind.GROUP else "",
                     source=g.source, starts_at=g.starts_at, ends_at=g.ends_at,
                     revoked_at=g.revoked_at, reason=g.revoke_reason,
                     state=grant_state(g, now)) for g in grants]


def list_course_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, title, status) of every course, for "Give access" (drafts included: staff
    may give access ahead of publishing)."""
    return [(c.id, c.title, c.status) for c in session.exec(
        select(Course).order_by(Course.position, Course.title, Course.id)).all()]


def list_group_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every community group that is not archived, for "Give access"."""
    return [(i, n) for i, n in session.exec(
        select(CommunityGroup.id, CommunityGroup.name).where(CommunityGroup.archived.is_(False))
        .order_by(CommunityGroup.position, CommunityGroup.name, CommunityGroup.id)).all()]


def _target(session: Session, value: str) -> tuple[str, str, int | None]:
    """(app key, kind, target id) of the form's choice."""
    if value == WHOLE_APP:
        return apps.COURSES, GrantKind.APP, None
    if value == WHOLE_COMMUNITY:
        return apps.COMMUNITY, GrantKind.APP, None
    if value.startswith(GROUP_PREFIX):
        try:
            group = session.get(CommunityGroup, parse_id(value[len(GROUP_PREFIX):], NO_GROUP))
        except ServiceError:
            group = None
        if group is None or group.archived:
            raise ServiceError(NO_GROUP, field="target")
        return apps.COMMUNITY, GrantKind.GROUP, group.id
    if not value:
        raise ServiceError("Choose what to give access to.", field="target")
    try:
        course = session.get(Course, parse_id(value, NO_COURSE))
    except ServiceError:
        course = None
    if course is None:
        raise ServiceError(NO_COURSE, field="target")
    return apps.COURSES, GrantKind.COURSE, course.id


def end_of_day(day: date, zone: str) -> datetime:
    """The moment `day` ends in `zone` (the next local midnight), in UTC."""
    try:
        tz = ZoneInfo(zone or "UTC")
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    return datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)


def parse_last_day(raw: object, zone: str, now: datetime) -> datetime | None:
    """An optional last day of access (YYYY-MM-DD from a date input): access ends when
    that day ends in `zone`. Empty: no end."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ServiceError("Enter the last day as a date.", field="ends") from None
    ends = end_of_day(day, zone)
    if ends <= now:
        raise ServiceError("The last day must be today or later.", field="ends")
    return ends


def give_access(session: Session, *, staff_id: int, client_id: int, target: object,
                last_day: object = "", zone: str = "UTC",
                now: datetime | None = None) -> Entitlement:
    """A staff grant: Courses as a whole (`target` "app"), one course ("<course id>"),
    Community as a whole ("app:community") or one group ("group:<id>", which makes the
    client a member at once), from now, until the end of `last_day` in `zone`."""
    now = now or utcnow()
    app_key, kind, target_id = _target(session, str(target or "").strip())
    ends_at = parse_last_day(last_day, zone, now)
    for g in entitlements.list_grants(session, client_id=client_id):
        if (g.app_key == app_key and g.kind == kind and g.target_id == target_id
                and grant_state(g, now) in (GrantState.ACTIVE, GrantState.SCHEDULED)):
            raise ServiceError(ALREADY, field="target")
    return entitlements.grant(session, client_id=client_id, kind=kind, app_key=app_key,
                              target_id=target_id, source=GrantSource.STAFF, starts_at=now,
                              ends_at=ends_at, staff_id=staff_id)
