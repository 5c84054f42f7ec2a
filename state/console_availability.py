"""Console availability editor: a staff member's weekly hours as rows of intervals
(a draft kept here until saved), exceptions, and a preview of the bookable times.

Who may edit whose hours: any signed-in staff member (owner or staff) may edit any
staff member's hours and exceptions, as before this editor. The rules (the checks,
the slots) are the services' (`scheduling.availability`, `scheduling.slots`)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.scheduling import availability
from portal_app.services.scheduling import services as service_catalog
from state.guards import staff_event
from state.staff_session import StaffState

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
KIND_LABELS = {"off": "Time off", "extra": "Extra hours"}
PREVIEW_DAYS = 7


def _hhmm(minute: int) -> str:
    """A time input's value; midnight at the day's end is "00:00" (see parse_hhmm)."""
    return availability.format_hhmm(minute % availability.DAY_MINUTES)


class AvailabilityState(StaffState):
    staff_options: list[dict[str, str]] = []
    staff_id: str = ""
    business_zone: str = ""
    zone_label: str = ""  # "America/New_York (EST)"
    # The draft: per weekday, its rows {"key", "n", "start", "end", "error"}.
    week: list[list[dict[str, str]]] = [[] for _ in WEEKDAYS]
    hours_error: str = ""
    hours_dirty: bool = False
    exceptions: list[dict[str, str]] = []
    exception_errors: dict[str, str] = {}
    exception_kind: str = "off"
    exception_all_day: bool = True
    service_options: list[dict[str, str]] = []
    service_id: str = ""
    # [{"heading": "Tuesday, May 7", "times": ["9:00 AM", ...]}]
    preview: list[dict] = []
    preview_note: str = ""
    _next_key: int = 0

    # --- the draft ------------------------------------------------------------------------

    def _row(self, start: str, end: str) -> dict[str, str]:
        self._next_key += 1
        return {"key": f"r{self._next_key}", "n": "", "start": start, "end": end, "error": ""}

    def _rows(self) -> list[dict]:
        """The draft as the service's rows, in order (the index is the row's place)."""
        return [{"weekday": d, "start": r["start"], "end": r["end"]}
                for d, rows in enumerate(self.week) for r in rows]

    def _check(self) -> availability.WeekCheck:
        """Check the draft and put each row's message beside it."""
        check = availability.check_week(self._rows())
        self._mark(check.errors)
        return check

    def _mark(self, errors: dict[int, str]) -> None:
        index, week = 0, []
        for rows in self.week:
            day = []
            for n, r in enumerate(rows, start=1):
                day.append({**r, "n": str(n), "error": self._tr(errors.get(index, ""))})
                index += 1
            week.append(day)
        self.week = week
        if not errors:
            self.hours_error = ""

    def _load_hours(self, session, staff_id: int) -> None:
        week: list[list[dict[str, str]]] = [[] for _ in WEEKDAYS]
        for item in availability.weekly_hours(session, staff_id=staff_id):
            end = "00:00" if item["end"] == "24:00" else item["end"]  # a time input's midnight
            week[int(item["weekday"])].append(self._row(item["start"], end))
        self.week = week
        self.hours_error = ""
        self.hours_dirty = False
        self._mark({})

    def _edited(self, session) -> None:
        """After a change to the draft: check it, and preview it when it is valid."""
        self.hours_dirty = True
        check = self._check()
        if check.errors:
            self.preview_note = self._tr("Fix the marked intervals to update the preview.")
            return
        self._preview(session, check.intervals)

    def _refresh_preview(self, session) -> None:
        if self.hours_dirty:
            self._edited(session)
        else:
            self._preview(session)

    # --- what the page shows ----------------------------------------------------------------

    def _sid(self) -> int:
        return parse_id(self.staff_id, "That staff member does not exist.")

    def _fill_exceptions(self, session) -> None:
        zone = self.business_zone
        today = datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
        rows = []
        for e in availability.list_exceptions(session, staff_id=self._sid(), from_day=today):
            if (e.start_minute, e.end_minute) == (0, availability.DAY_MINUTES):
                times = self._tr("All day")
            else:
                times = f"{self._clock(e.day, e.start_minute)} – {self._clock(e.day, e.end_minute)}"
            day = formats.date_text(e.day, self._lang)
            kind = self._tr(KIND_LABELS.get(e.kind, e.kind))
            rows.append({"id": str(e.id), "day": day, "kind": kind, "times": times,
                         "note": e.note,
                         "label": i18n.gettext(self._lang, "Remove {kind} on {day}",
                                               kind=kind.lower(), day=day)})
        self.exceptions = rows

    def _clock(self, day: date, minute: int) -> str:
        """A wall time of `day` in the business zone, with the zone's abbreviation then."""
        moment = (datetime.combine(day, time(), tzinfo=ZoneInfo(self.business_zone))
                  + timedelta(minutes=minute))
        return (f"{formats.time_text(moment, self.business_zone, self._lang)} "
                f"{formats.zone_abbrev(moment, self.business_zone)}")

    def _preview(self, session, draft=None) -> None:
        """The next PREVIEW_DAYS days of bookable times for the chosen service."""
        self.preview, self.preview_note = [], ""
        if not self.service_id:
            self.preview_note = self._tr("This staff member provides no service yet: choose "
                                         "who provides each service on the Services page.")
            return
        zone = self.business_zone
        now = datetime.now(UTC)
        first = now.astimezone(ZoneInfo(zone)).date()
        moments = availability.preview_slots(session, staff_id=self._sid(),
                                             service_id=self.service_id, now=now,
                                             start_day=first, days=PREVIEW_DAYS, draft=draft)
        by_day: dict[str, list[str]] = {}
        for heading, text, _long in formats.slot_labels(moments, zone, self._lang):
            by_day.setdefault(heading, []).append(text)
        self.preview = []
        for offset in range(PREVIEW_DAYS):
            heading = formats.day_text(first + timedelta(days=offset), self._lang)
            self.preview.append({"heading": heading, "times": by_day.get(heading, [])})
        if self.hours_dirty:
            self.preview_note = self._tr("Showing the hours above, not saved yet.")

    def _fill(self, session, ctx) -> None:
        self.staff_options = [{"id": str(s.id), "name": s.full_name}
                              for s in service_catalog.list_active_staff(session)]
        ids = [o["id"] for o in self.staff_options]
        if self.staff_id not in ids:
            self.staff_id = str(ctx.staff_id) if str(ctx.staff_id) in ids else next(iter(ids), "")
        self.business_zone = availability.zone_name(session)
        now = datetime.now(UTC)
        self.zone_label = (f"{self.business_zone} "
                           f"({formats.zone_abbrev(now, self.business_zone)})")
        if not self.staff_id:
            return
        self._load_hours(session, self._sid())
        self._fill_exceptions(session)
        self.service_options = [{"id": str(s.id), "name": s.name}
                                for s in availability.services_of(session, staff_id=self._sid())]
        if self.service_id not in [o["id"] for o in self.service_options]:
            self.service_id = next(iter(o["id"] for o in self.service_options), "")
        self._preview(session)

    # --- handlers -----------------------------------------------------------------------------

    def _hours_refused(self, exc: ServiceError) -> None:
        self.hours_error = self._tr(exc.message)
        if isinstance(exc, availability.HoursInvalid):
            self._mark(exc.row_errors)

    def _exception_refused(self, exc: ServiceError) -> None:
        self.exception_errors = {exc.field or "day": self._tr(exc.message)}

    @staff_event
    def load(self, session, ctx):
        self.exception_errors = {}
        self._fill(session, ctx)

    @staff_event
    def pick_staff(self, session, ctx, staff_id: str):
        """Show another staff member's hours (an unsaved draft is dropped)."""
        self.staff_id = str(parse_id(staff_id, "That staff member does not exist."))
        self.exception_errors = {}
        self._fill(session, ctx)

    @staff_event
    def pick_service(self, session, ctx, service_id: str):
        self.service_id = str(service_id)
        if self.service_id not in [o["id"] for o in self.service_options]:
            self.service_id = ""
        self._refresh_preview(session)

    @staff_event
    def set_time(self, session, ctx, key: str, which: str, value: str):
        """A time input changed: `which` is "start" or "end" of the row `key`."""
        if which not in ("start", "end"):
            return
        self.week = [[{**r, which: str(value or "")} if r["key"] == key else r for r in rows]
                     for rows in self.week]
        self._edited(session)

    @staff_event
    def add_interval(self, session, ctx, weekday: int):
        """A new interval on a day: an hour after its last one, or 09:00-17:00."""
        try:
            day = int(weekday)
        except (TypeError, ValueError):
            return
        if not 0 <= day <= 6:
            return
        rows = self.week[day]
        start, end = "09:00", "17:00"
        if rows:
            try:
                last = availability.parse_hhmm(rows[-1]["end"], field="end",
                                               allow_midnight_end=True)
            except ServiceError:
                last = 17 * 60
            first = min(last, availability.DAY_MINUTES - 60)
            start, end = _hhmm(first), _hhmm(first + 60)
        self.week = [[*r, self._row(start, end)] if d == day else r
                     for d, r in enumerate(self.week)]
        self._edited(session)

    @staff_event
    def remove_interval(self, session, ctx, key: str):
        self.week = [[r for r in rows if r["key"] != key] for rows in self.week]
        self._edited(session)

    @staff_event
    def copy_monday(self, session, ctx):
        """Monday's intervals onto Tuesday to Friday (their own intervals replaced)."""
        monday = self.week[0]
        self.week = [monday, *[[self._row(r["start"], r["end"]) for r in monday]
                               for _ in range(4)], *self.week[5:]]
        self._edited(session)

    @staff_event
    def discard_changes(self, session, ctx):
        self._fill(session, ctx)

    @staff_event(on_error="_hours_refused")
    def save_hours(self, session, ctx, form: dict):
        """Save the draft, with the time inputs' values as posted (all or nothing)."""
        self.week = [[{**r, "start": str(form.get(f"start-{r['key']}", r["start"])),
                       "end": str(form.get(f"end-{r['key']}", r["end"]))} for r in rows]
                     for rows in self.week]
        availability.set_weekly_hours(session, staff_id_actor=ctx.staff_id,
                                      staff_id=self.staff_id, hours=self._rows())
        self._load_hours(session, self._sid())
        self._preview(session)
        return rx.toast.success(self._tr("Working hours saved."))

    @rx.event
    def set_exception_kind(self, kind: str):
        self.exception_kind = "extra" if kind == "extra" else "off"
        if self.exception_kind == "extra":
            self.exception_all_day = False

    @rx.event
    def set_exception_all_day(self, checked: bool):
        self.exception_all_day = bool(checked)

    @staff_event(on_error="_exception_refused")
    def add_exception(self, session, ctx, form: dict):
        self.exception_errors = {}
        all_day = self.exception_all_day and self.exception_kind == "off"
        availability.add_exception(
            session, staff_id_actor=ctx.staff_id, staff_id=self.staff_id,
            day=str(form.get("day", "")), kind=str(form.get("kind", "off")),
            start="" if all_day else str(form.get("start", "")),
            end="" if all_day else str(form.get("end", "")),
            note=str(form.get("note", "")), all_day=all_day)
        self._fill_exceptions(session)
        self._refresh_preview(session)
        return rx.toast.success(self._tr("Exception added."))

    @staff_event
    def remove_exception(self, session, ctx, exception_id: str):
        availability.delete_exception(session, exception_id=exception_id,
                                      staff_id_actor=ctx.staff_id)
        self._fill_exceptions(session)
        self._refresh_preview(session)
