"""Course certificates: issued once, frozen at issue, checkable by anyone.

A certificate is issued when the course has certificates on, every required
published lesson is complete and every published quiz is passed. What it says —
the client's name, the course's title, the day (the client's local date) — is
copied at issue, so renaming the course or the client later does not change it,
and `/verify/<code>` shows exactly what the PDF should say: an altered PDF can be
told apart. The code is 12 characters from an alphabet without look-alikes
(0/O, 1/I/L), unique, typed case-insensitively, grouped for reading.

Staff may revoke a certificate (console); the public check then says "revoked on
<date>". A revoked certificate is not issued again by itself.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import Certificate, Client, Course, Lesson, LessonKind
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.billing.paper import paper_size
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound
from portal_app.services.pdf_base import MUTED, PortalPdf, dejavu_fonts

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
NO_CERTIFICATE = "No certificate has this code."
TOO_MANY = "Too many checks from this address. Please try again in a few minutes."
CHECKS_PER_WINDOW = 30
CHECK_WINDOW = timedelta(minutes=10)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: object) -> str | None:
    """A code as typed or read ("abcd-efgh-jkmn") in its stored form, or None when it
    cannot be one (so a malformed code reads exactly like an unknown one)."""
    text = re.sub(r"[\s-]", "", str(raw or "")[:40]).upper()
    return text if _CODE.fullmatch(text) else None


def display_code(code: str) -> str:
    """"ABCD-EFGH-JKMN": easier to read aloud and to type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def earned(lessons: list[Lesson], completed: set[int]) -> bool:
    """Every required lesson complete and every quiz passed (a quiz lesson is complete
    only by passing it, or by staff)."""
    counted = [x for x in lessons if x.required or x.kind == LessonKind.QUIZ]
    if not any(x.required for x in lessons):  # none marked required: all of them count
        counted = list(lessons)
    return bool(counted) and all(x.id in completed for x in counted)


def certificate_of(session: Session, *, course_id: int, client_id: int) -> Certificate | None:
    return session.exec(select(Certificate).where(Certificate.course_id == course_id,
                                                  Certificate.client_id == client_id)
                        .order_by(Certificate.id).limit(1)).first()


def issue_if_earned(session: Session, *, course: Course, client_id: int, lessons: list[Lesson],
                    completed: set[int], zone: str, now: datetime | None = None
                    ) -> Certificate | None:
    """The client's certificate for `course`: the one already issued, a new one when
    just earned, or None (not earned, or the course gives none)."""
    existing = certificate_of(session, course_id=course.id, client_id=client_id)
    if existing is not None:
        return existing
    if not course.certificate or not earned(lessons, completed):
        return None
    now = now or utcnow()
    client = session.get(Client, client_id)
    if client is None:
        return None
    try:
        local_day = now.astimezone(ZoneInfo(zone or "UTC")).date()
    except (KeyError, ValueError):
        local_day = now.date()
    code = new_code()
    while session.exec(select(Certificate.id).where(Certificate.code == code)).first():
        code = new_code()  # 31^12 codes: a clash is all but impossible, still checked
    row = Certificate(code=code, course_id=course.id, client_id=client_id,
                      client_name=(client.full_name or "").strip()[:200],
                      course_title=course.title[:160], issued_on=local_day, issued_at=now)
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="system", actor_id=None, action="certificate.issued",
                 client_id=client_id, certificate=row.id, course=course.id)
    return row


def find_by_code(session: Session, *, code: object) -> Certificate | None:
    """The public check's lookup: None for an unknown or malformed code alike."""
    stored = normalize_code(code)
    if stored is None:
        return None
    return session.exec(select(Certificate).where(Certificate.code == stored)).first()


def check_code(session: Session, *, code: object, ip: str, now: datetime | None = None
               ) -> Certificate | None:
    """The public check (no sign-in): rate-limited per address like the other public
    doors, so codes cannot be tried in bulk; None for an unknown or malformed code."""
    now = now or utcnow()
    ratelimit.hit(session, bucket="certificate_check", key=ip or "unknown",
                  limit=CHECKS_PER_WINDOW, window=CHECK_WINDOW, now=now, message=TOO_MANY)
    return find_by_code(session, code=code)


def get_certificate_for(session: Session, *, client_id: int, code: object) -> Certificate:
    """The client's own certificate by its code; NotFound for anyone else's."""
    row = find_by_code(session, code=code)
    if row is None or row.client_id != client_id:
        raise NotFound(NO_CERTIFICATE)
    return row


def render_certificate(row: Certificate, *, business_name: str, accent: str, paper: str,
                       lang: str, verify_url: str) -> bytes:
    """The certificate's PDF: the frozen name, course and date, the code and where to
    check it. Text only (no user text is read as markup)."""
    lang = i18n.pick(lang)
    pdf = PortalPdf(paper=paper, lang=lang, accent_color=accent, brand_name=business_name,
                    title=i18n.gettext(lang, "Certificate of completion"), fonts=dejavu_fonts())
    _ = pdf._
    pdf.add_page()
    with pdf.local_context(fill_color=pdf.accent):
        pdf.rect(0, 0, pdf.w, 6, style="F")
    pdf.set_y(40)
    pdf.font(12, color=MUTED)
    pdf.cell(0, 8, pdf.t(business_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.font(26, bold=True, color=pdf.accent)
    pdf.multi_cell(0, 12, pdf.t(_("Certificate of completion")), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.font(12, color=MUTED)
    pdf.cell(0, 8, pdf.t(_("This certifies that")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.font(22, bold=True)
    pdf.multi_cell(0, 12, pdf.t(row.client_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.font(12, color=MUTED)
    pdf.cell(0, 8, pdf.t(_("completed the course")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.font(18, bold=True)
    pdf.multi_cell(0, 10, pdf.t(row.course_title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.font(12)
    pdf.cell(0, 8, pdf.t(_("on {date}", date=formats.date_text(row.issued_on, lang))),
             align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-60)
    pdf.font(10, color=MUTED)
    pdf.cell(0, 6, pdf.t(_("Certificate code: {code}", code=display_code(row.code))),
             align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, pdf.t(_("Check it at {url}", url=verify_url)), align="C",
             new_x="LMARGIN", new_y="NEXT", link=verify_url)
    return bytes(pdf.output())


def certificate_pdf_bytes(session: Session, *, row: Certificate, lang: str,
                          base_url: str) -> bytes:
    """The PDF of a certificate in `lang`, with the business's look and paper."""
    business = get_business(session)
    verify_url = base_url.rstrip("/") + routes.verify_certificate(row.code)
    return render_certificate(row, business_name=business.name, accent=business.accent_color,
                              paper=paper_size(business), lang=lang, verify_url=verify_url)
