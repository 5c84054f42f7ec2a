"""The staff calendar: which bookings fall on which day, and where, in the business zone.

A view is a run of local dates in the business's zone: one day, a week (Monday
to Sunday), or a month (the whole weeks that hold it). Each booking is placed on
the local date(s) it covers, by wall-clock minutes from that date's midnight (a
booking across midnight is split into one piece per date), so a day with a
daylight-saving change still shows 09:00 at 09:00. Working hours and time off
are the same weekly hours and exceptions the slot picker uses
(`slots.day_intervals`), for one staff member or, for everyone, merged.

Statements per view are constant however many bookings it holds: the business,
the active staff, the bookings (joined with their service, staff member and
client), the weekly hours and the exceptions (five)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Client,
    Service,
    StaffUser,
)
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound, parse_id
from portal_app.services.scheduling.slots import _merge, day_intervals, load_hours, zone_of

VIEWS = ("day", "week", "month")
SHOWN = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CANCELLED)
DAY_MINUTES = 24 * 60
# A booking lasts its service's duration, at most 600 minutes (services.py): one that
# ends inside a view started less than this before it. Bounding the start both ways
# lets the database read the start-time index over the view's days only.
LONGEST_BOOKING = timedelta(days=2)
NO_BOOKING = "That booking does not exist."


def view_range(view: str, anchor: date) -> tuple[date, date]:
    """The first and last local date a view of `anchor` shows."""
    if view == "day":
        return anchor, anchor
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if view == "month":
        first_of_month = anchor.replace(day=1)
        next_month = (first_of_month + timedelta(days=32)).replace(day=1)
        last_of_month = next_month - timedelta(days=1)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        return first, last
    raise ValueError(view)


def shift(view: str, anchor: date, step: int) -> date:
    """The anchor one view earlier (-1) or later (+1)."""
    if view == "day":
        return anchor + timedelta(days=step)
    if view == "week":
        return anchor + timedelta(days=7 * step)
    month = anchor.month - 1 + step
    year = anchor.year + month // 12
    return date(year, month % 12 + 1, 1)


@dataclass(frozen=True)
class Entry:
    """One booking's piece on one local date."""

    id: int
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    staff_id: int
    staff_name: str
    status: str
    start_at: datetime
    end_at: datetime
    day: date
    start_minute: int  # wall-clock minutes from the date's midnight
    end_minute: int  # 1440 = runs past midnight
    lane: int = 0  # side by side with the bookings it overlaps on that date
    lanes: int = 1


@dataclass
class CalendarView:
    view: str
    zone: str
    first_day: date
    last_day: date
    staff: list[tuple[int, str]]
    entries: list[Entry]
    working: dict[date, list[tuple[int, int]]] = field(default_factory=dict)
    time_off: dict[date, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def days(self) -> list[date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]

    def on(self, day: date) -> list[Entry]:
        return [e for e in self.entries if e.day == day]


def _wall_minute(moment: datetime, tz: ZoneInfo, day: date) -> int:
    """Wall-clock minutes of `moment` from `day`'s midnight (clipped to the day)."""
    local = moment.astimezone(tz)
    if local.date() < day:
        return 0
    if local.date() > day:
        return DAY_MINUTES
    return local.hour * 60 + local.minute


def pieces(start_at: datetime, end_at: datetime, tz: ZoneInfo) -> list[tuple[date, int, int]]:
    """(local date, start minute, end minute) of each date a booking covers."""
    first = start_at.astimezone(tz).date()
    # A booking that ends exactly at midnight does not reach the next date.
    last = (end_at - timedelta(microseconds=1)).astimezone(tz).date()
    out = []
    day = first
    while day <= last:
        out.append((day, _wall_minute(start_at, tz, day), _wall_minute(end_at, tz, day)))
        day += timedelta(days=1)
    return out


def _lanes(items: list[tuple]) -> list[Entry]:
    """Overlapping pieces of one date side by side: a lane each, lanes per cluster.

    `items` are (booking row, date, start minute, end minute); each Entry is built
    once, with its lane (a busy week is hundreds of pieces)."""
    out: list[Entry] = []
    cluster: list[tuple[tuple, int]] = []
    cluster_day = None
    cluster_end = -1
    lane_ends: list[int] = []
    for item in sorted(items, key=lambda i: (i[1], i[2], i[3], i[0][0])):
        _row, day, start_minute, end_minute = item
        if cluster and (day != cluster_day or start_minute >= cluster_end):
            _flush(out, cluster)
            cluster, lane_ends = [], []
            cluster_end = -1
        cluster_day = day
        lane = next((i for i, end in enumerate(lane_ends) if end <= start_minute), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end_minute)
        else:
            lane_ends[lane] = end_minute
        cluster.append((item, lane))
        cluster_end = max(cluster_end, end_minute)
    if cluster:
        _flush(out, cluster)
    return out


def _flush(out: list[Entry], cluster: list[tuple[tuple, int]]) -> None:
    """A cluster of overlapping pieces: each keeps its lane; all share the lane count."""
    n = max(lane for _, lane in cluster) + 1
    out.extend(Entry(*row, day, start_minute, end_minute, lane, n)
               for (row, day, start_minute, end_minute), lane in cluster)


def calendar_view(session: Session, *, view: str, anchor: date,
                  staff_id: int | None = None) -> CalendarView:
    """The bookings, hours and time off of a view, for all active staff or one."""
    if view not in VIEWS:
        raise ValueError(view)
    business = get_business(session)
    zone = business.timezone or "UTC"
    tz = zone_of(zone)
    first_day, last_day = view_range(view, anchor)
    staff = [(s.id, s.full_name) for s in session.exec(
        select(StaffUser).where(StaffUser.active == True)  # noqa: E712
        .order_by(StaffUser.full_name, StaffUser.id))]
    staff_ids = [sid for sid, _ in staff if staff_id is None or sid == staff_id]
    # The window in UTC, a day wider each side: any offset is within it.
    lo = datetime.combine(first_day - timedelta(days=1), time(), tzinfo=tz)
    hi = datetime.combine(last_day + timedelta(days=2), time(), tzinfo=tz)
    # Plain columns, not entities: a busy week is hundreds of rows. The status is checked
    # here, not in SQL: SQLite would walk the status index (every booking ever held)
    # instead of the start-time range.
    query = (select(Booking.id, Booking.client_id, Client.full_name, Booking.service_id,
                    Service.name, Booking.staff_id, StaffUser.full_name, Booking.status,
                    Booking.start_at, Booking.end_at)
             .join(Service, Service.id == Booking.service_id)
             .join(StaffUser, StaffUser.id == Booking.staff_id)
             .join(Client, Client.id == Booking.client_id)
             .where(Booking.start_at < hi, Booking.start_at >= lo - LONGEST_BOOKING,
                    Booking.end_at > lo))
    if staff_id is not None:
        query = query.where(Booking.staff_id == staff_id)
    items = []
    for row in session.exec(query.order_by(Booking.start_at, Booking.id)):
        row = tuple(row)
        if row[7] not in SHOWN:
            continue
        start_at, end_at = row[8], row[9]
        local_start, local_end = start_at.astimezone(tz), end_at.astimezone(tz)
        day = local_start.date()
        if end_at > start_at and local_end.date() == day:  # within one date: most are
            on_days = [(day, local_start.hour * 60 + local_start.minute,
                        local_end.hour * 60 + local_end.minute)]
        else:
            on_days = pieces(start_at, end_at, tz)
        for day, start_minute, end_minute in on_days:
            if first_day <= day <= last_day:
                items.append((row, day, start_minute, max(end_minute, start_minute + 5)))
    result = CalendarView(view, zone, first_day, last_day, staff, _lanes(items))
    _shade(session, result, staff_ids)
    return result


def get_entry(session: Session, *, booking_id: object) -> Entry:
    """One booking as the calendar's details dialog shows it (any booking: staff see
    them all); NotFound for an id that does not exist."""
    row = session.exec(
        select(Booking, Service.name, StaffUser.full_name, Client.full_name)
        .join(Service, Service.id == Booking.service_id)
        .join(StaffUser, StaffUser.id == Booking.staff_id)
        .join(Client, Client.id == Booking.client_id)
        .where(Booking.id == parse_id(booking_id, NO_BOOKING))).first()
    if row is None:
        raise NotFound(NO_BOOKING)
    b, service_name, staff_name, client_name = row
    tz = zone_of(get_business(session).timezone)
    day, start_minute, end_minute = pieces(b.start_at, b.end_at, tz)[0]
    return Entry(b.id, b.client_id, client_name, b.service_id, service_name, b.staff_id,
                 staff_name, b.status, b.start_at, b.end_at, day, start_minute, end_minute)


def _shade(session: Session, result: CalendarView, staff_ids: list[int]) -> None:
    """Working hours and time off per date (merged over the staff shown)."""
    weekly, extras, offs = load_hours(session, staff_ids=staff_ids,
                                      first_day=result.first_day, last_day=result.last_day)
    for day in result.days:
        work: list[tuple[int, int]] = []
        off: list[tuple[int, int]] = []
        for sid in staff_ids:
            work += day_intervals(weekly.get((sid, day.weekday()), []),
                                  extras.get((sid, day), []), offs.get((sid, day), []))
            off += offs.get((sid, day), [])
        result.working[day] = _merge(work)
        result.time_off[day] = _merge(off)


def hour_range(cal: CalendarView, *, earliest: int = 8 * 60, latest: int = 18 * 60,
               days: list[date] | None = None) -> tuple[int, int]:
    """The wall-clock minutes a day or week grid shows: at least `earliest`..`latest`,
    widened to whole hours around every booking and working interval shown."""
    lo, hi = earliest, latest
    for day in days or cal.days:
        for s, e in cal.working.get(day, []):
            lo, hi = min(lo, s), max(hi, e)
    for e in cal.entries:
        if days is None or e.day in days:
            lo, hi = min(lo, e.start_minute), max(hi, e.end_minute)
    return lo - lo % 60, min(DAY_MINUTES, hi + (-hi) % 60)
