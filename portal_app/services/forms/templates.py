"""Form templates as staff build them, and their versions.

A template's content lives in versions. The latest version is edited in place
until a form of it is sent (`sent_at`); from then on it is frozen, and saving
the template makes the next version. A request keeps the version it was sent
with, so what a client fills in never changes under them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models import FormTemplate, FormTemplateVersion
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotFound, ServiceError, get_by_id
from portal_app.services.forms.fields import clean_fields

NO_TEMPLATE = "That form does not exist."
NO_VERSION = "That form version does not exist."
TITLE_MAX = 200
INTRO_MAX = 10_000


def _title(raw: object) -> str:
    title = " ".join(str(raw or "").split())
    if not title:
        raise ServiceError("Give the form a title.", field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"Keep the title under {TITLE_MAX} characters.", field="title")
    return title


def _intro(raw: object) -> str:
    text = raw if isinstance(raw, str) else ""
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32).strip()
    if len(text) > INTRO_MAX:
        raise ServiceError(f"Keep the introduction under {INTRO_MAX:,} characters.",
                           field="intro")
    return text


def get_template(session: Session, *, template_id: object) -> FormTemplate:
    """A template by id (staff side: every template belongs to the business)."""
    return get_by_id(session, FormTemplate, template_id, NO_TEMPLATE)


def get_version(session: Session, *, version_id: object) -> FormTemplateVersion:
    return get_by_id(session, FormTemplateVersion, version_id, NO_VERSION)


def latest_version(session: Session, *, template_id: int) -> FormTemplateVersion:
    """The newest version of a template (the one a new request gets)."""
    version = session.exec(
        select(FormTemplateVersion).where(FormTemplateVersion.template_id == template_id)
        .order_by(FormTemplateVersion.number.desc())).first()
    if version is None:
        raise NotFound(NO_VERSION)
    return version


def latest_versions(session: Session) -> dict[int, FormTemplateVersion]:
    """The newest version of every template (template id -> version), in one query."""
    newest = (select(FormTemplateVersion.template_id,
                     func.max(FormTemplateVersion.number).label("number"))
              .group_by(FormTemplateVersion.template_id).subquery())
    rows = session.exec(select(FormTemplateVersion).join(
        newest, (newest.c.template_id == FormTemplateVersion.template_id)
        & (newest.c.number == FormTemplateVersion.number))).all()
    return {v.template_id: v for v in rows}


def list_versions(session: Session, *, template_id: object) -> list[FormTemplateVersion]:
    template = get_template(session, template_id=template_id)
    return list(session.exec(
        select(FormTemplateVersion).where(FormTemplateVersion.template_id == template.id)
        .order_by(FormTemplateVersion.number)).all())


def list_templates(session: Session, *, include_archived: bool = False) -> list[FormTemplate]:
    """Templates by title (archived ones only when asked)."""
    query = select(FormTemplate)
    if not include_archived:
        query = query.where(FormTemplate.archived_at.is_(None))
    return list(session.exec(query.order_by(FormTemplate.title, FormTemplate.id)).all())


def create_template(session: Session, *, staff_id: int | None, title: object,
                    intro: object = "", fields: object = ()) -> FormTemplate:
    """A new template with its first version. Bad input raises and adds nothing."""
    clean_title, clean_intro = _title(title), _intro(intro)
    clean = clean_fields(list(fields))
    template = FormTemplate(title=clean_title, intro=clean_intro, created_by_staff_id=staff_id)
    session.add(template)
    session.flush()
    session.add(FormTemplateVersion(template_id=template.id, number=1, title=clean_title,
                                    intro=clean_intro, fields=clean))
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="form.template_created", template_id=template.id, title=clean_title)
    return template


def save_template(session: Session, *, staff_id: int | None, template_id: object,
                  title: object, intro: object, fields: object) -> FormTemplateVersion:
    """Save a template's title, introduction and fields. The latest version is
    changed in place while nothing of it was sent; once sent, a new version is
    made and the sent one stays as it was. Returns the version now current."""
    template = get_template(session, template_id=template_id)
    if template.archived_at is not None:
        raise ServiceError("This form is archived.")
    clean_title, clean_intro = _title(title), _intro(intro)
    clean = clean_fields(list(fields) if isinstance(fields, list | tuple) else fields)
    version = latest_version(session, template_id=template.id)
    if (version.title, version.intro, version.fields) == (clean_title, clean_intro, clean):
        return version
    if version.sent_at is not None:
        version = FormTemplateVersion(template_id=template.id, number=version.number + 1)
    version.title, version.intro, version.fields = clean_title, clean_intro, clean
    session.add(version)
    template.title, template.intro, template.updated_at = clean_title, clean_intro, utcnow()
    session.add(template)
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="form.template_saved", template_id=template.id,
                 version=version.number)
    return version


def archive_template(session: Session, *, staff_id: int, template_id: object) -> FormTemplate:
    """Hide a template from new sends; forms already sent carry on."""
    template = get_template(session, template_id=template_id)
    if template.archived_at is None:
        template.archived_at = utcnow()
        session.add(template)
        session.flush()
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="form.template_archived", template_id=template.id)
    return template


def freeze_version(session: Session, version: FormTemplateVersion, *, now: datetime) -> None:
    """Mark a version as sent: from now on it never changes."""
    if version.sent_at is None:
        version.sent_at = now
        session.add(version)
        session.flush()
