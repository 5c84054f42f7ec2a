"""A course's progress table as CSV (the console's "Download CSV").

One row per student: their name, one column per published lesson (locked / open /
complete, in the reader's language), % complete, the next unlock as ISO 8601 in the
student's own zone (with its offset) and the zone's name, the certificate's code.

A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return) as a
formula, so such a cell is written with a leading apostrophe: a client's name or a
lesson title cannot become a formula on staff's computer.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from portal_app import i18n
from portal_app.services.courses.drip import COMPLETE, LOCKED, OPEN
from portal_app.services.courses.roster import course_roster

STATE_LABELS = {LOCKED: "Locked", OPEN: "Unlocked", COMPLETE: "Complete"}
HEADERS = ("Student", "% complete", "Next unlock", "Time zone", "Certificate")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def local_iso(moment: datetime | None, zone: str) -> str:
    """ISO 8601 on the zone's clock with its offset ("2026-03-15T08:00:00-04:00")."""
    if moment is None:
        return ""
    try:
        tz = ZoneInfo(zone or "UTC")
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def file_name(title: str, course_id: int) -> str:
    """An ASCII file name: "progress-calm-mind-4.csv"."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "course"
    return f"progress-{slug}-{course_id}.csv"


def progress_csv(session: Session, *, course_id: object, lang: str = i18n.DEFAULT,
                 now: datetime | None = None) -> tuple[str, str]:
    """(file name, CSV text) of the course's progress table; NotFound for no course."""
    roster = course_roster(session, course_id=course_id, now=now)

    def tr(text: str) -> str:
        return i18n.gettext(lang, text)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in (
        tr(HEADERS[0]), *[lesson.title for lesson in roster.lessons], *map(tr, HEADERS[1:]))])
    for student in roster.students:
        cert = student.certificate
        code = "" if cert is None else (
            cert.code if cert.revoked_at is None
            else i18n.gettext(lang, "{code} (revoked)", code=cert.code))
        writer.writerow([safe_cell(v) for v in (
            student.name,
            *[tr(STATE_LABELS[student.states[lesson.id].status]) for lesson in roster.lessons],
            str(student.percent), local_iso(student.next_unlock, student.zone), student.zone,
            code)])
    return file_name(roster.course.title, roster.course.id), out.getvalue()
