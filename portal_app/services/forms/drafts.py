"""Draft answers, saved on the server as the client types (autosave).

Each field's answer is its own row with the server time of its last write, so
two tabs (or two devices) editing the same form never lose each other's
answers: a save writes only the fields it carries, and per field the last write
by server time wins. A save is refused once the form is submitted or cancelled,
is size-checked per field (nothing is stored when any answer is refused) and is
rate-limited per client record.

The autosave runs at every pause in typing, so its usual case is one checked
statement besides the rate limit's: the page says which version (a sent version
never changes) and fields it shows, and one UPDATE writes the field's row where the
request is still this client's, on that version, in progress and noted active in the
last minute. Anything else (the first answer to a field, a newer answer from another
tab, the request's activity to note, a form submitted or withdrawn meanwhile) finds
nothing to update and takes the full path, which reads the request and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Integer, String, bindparam, exists, update
from sqlmodel import Session, select

from models import (
    Client,
    FormDraftAnswer,
    FormRequest,
    FormStatus,
    FormSubmission,
    FormTemplateVersion,
)
from portal_app.services import ratelimit, reads
from portal_app.services.errors import ServiceError
from portal_app.services.forms.profile_map import prefill
from portal_app.services.forms.requests import (
    get_request_for,
    get_request_with_version,
    version_of,
)
from portal_app.services.forms.rules import check_draft

DRAFT_LIMIT = 120  # saves per client record per minute: a debounced form makes far fewer
DRAFT_WINDOW = timedelta(minutes=1)
ACTIVITY_STEP = timedelta(minutes=1)  # how stale a request's last activity may get while typing
SLOW_DOWN = "Too many saves in a short time. Wait a moment, then keep typing."
SUBMITTED = "This form has been submitted; it can no longer be changed."
CANCELLED = "This form was withdrawn; it can no longer be changed."


def check_open(request: FormRequest) -> None:
    """Refuse a change to a submitted or cancelled form."""
    if request.status == FormStatus.COMPLETED:
        raise ServiceError(SUBMITTED)
    if request.status == FormStatus.CANCELLED:
        raise ServiceError(CANCELLED)


@dataclass(frozen=True)
class DraftSaved:
    saved: list[str]  # keys written
    kept: list[str]  # keys whose stored answer is newer than this save (left as they were)
    at: datetime


@dataclass(frozen=True)
class ShownVersion:
    """What the form's page holds since it loaded the request: its version's id and
    fields (a sent version never changes, so the page's copy is the version's)."""

    version_id: int
    fields: list


@cache
def _write_in_place():
    """One field's stored answer overwritten, only while its request is the client's,
    on the version the page shows, in progress, and noted active since `stale`."""
    request_id = bindparam("request", type_=Integer)
    stamp = FormDraftAnswer.__table__.c.saved_at.type
    return (update(FormDraftAnswer)
            .where(FormDraftAnswer.request_id == request_id,
                   FormDraftAnswer.field_key == bindparam("key", type_=String),
                   FormDraftAnswer.saved_at <= bindparam("now", type_=stamp),
                   exists().where(
                       FormRequest.id == request_id,
                       FormRequest.client_id == bindparam("client", type_=Integer),
                       FormRequest.version_id == bindparam("version", type_=Integer),
                       FormRequest.status == FormStatus.IN_PROGRESS,
                       FormRequest.last_activity_at > bindparam("stale", type_=stamp)))
            .values(value=bindparam("answer", type_=FormDraftAnswer.__table__.c.value.type),
                    saved_at=bindparam("now", type_=stamp)))


def _one_clean_answer(shown: ShownVersion, answers: dict) -> tuple[str, object] | None:
    """The one answer of a usual autosave, checked against the page's fields; None
    for anything else (several answers, or one the fields refuse: the full path
    reports a closed or foreign form before the fields' messages)."""
    if len(answers) != 1:
        return None
    try:
        clean = check_draft(shown.fields, answers)
    except ServiceError:
        return None
    return next(iter(clean.items())) if len(clean) == 1 else None


def save_draft(session: Session, *, client_id: int, request_id: object, answers: dict,
               now: datetime, limit: int | None = None,
               shown: ShownVersion | None = None) -> DraftSaved:
    """Save the fields in `answers` (only those the client changed) for the
    client's own form. Per field, the answer written last by server time wins;
    the other fields' answers are kept; an answer equal to the stored one is not
    written again. Raises FieldErrors (per field) for an answer too large or of the
    wrong shape, storing nothing. `shown`: the version the page shows (the usual
    save is then one statement besides the rate limit's, see the module)."""
    limit = DRAFT_LIMIT if limit is None else limit
    one = _one_clean_answer(shown, answers) \
        if shown is not None and isinstance(request_id, int) else None
    if one is not None:
        # Counted first: a refused save must write nothing, and the caller may
        # commit after a refusal (the toast).
        ratelimit.take(session, bucket="form_draft", key=str(client_id), limit=limit,
                      window=DRAFT_WINDOW, now=now, message=SLOW_DOWN)
        key, value = one
        written = reads.run(session, _write_in_place(), request=request_id, key=key,
                            now=now, client=int(client_id), version=shown.version_id,
                            stale=now - ACTIVITY_STEP, answer={"v": value}).rowcount
        if written == 1:
            return DraftSaved(saved=[key], kept=[], at=now)
    request, version = get_request_with_version(session, client_id=client_id,
                                                request_id=request_id)
    check_open(request)
    clean = check_draft(version.fields, answers)
    if one is None:  # (counted above when the one UPDATE was tried)
        ratelimit.take(session, bucket="form_draft", key=str(client_id), limit=limit,
                      window=DRAFT_WINDOW, now=now, message=SLOW_DOWN)
    existing = {row.field_key: row for row in session.exec(
        select(FormDraftAnswer).where(FormDraftAnswer.request_id == request.id,
                                      FormDraftAnswer.field_key.in_(list(clean)))).all()} \
        if clean else {}
    saved, kept = [], []
    for key, value in clean.items():
        row = existing.get(key)
        if row is None:
            row = FormDraftAnswer(request_id=request.id, field_key=key)
        elif row.saved_at > now:
            kept.append(key)
            continue
        saved.append(key)
        if row.id is not None and row.value == {"v": value}:
            continue  # unchanged: nothing to write
        row.value, row.saved_at = {"v": value}, now
        session.add(row)
    if request.status in (FormStatus.SENT, FormStatus.OPENED):
        request.status = FormStatus.IN_PROGRESS
        request.opened_at = request.opened_at or now
        request.last_activity_at = now
    elif request.last_activity_at is None or now - request.last_activity_at >= ACTIVITY_STEP:
        # Staff see the last activity to the minute; a write per keystroke pause is waste.
        request.last_activity_at = now
    session.add(request)
    session.flush()
    return DraftSaved(saved=saved, kept=kept, at=now)


def draft_answers(session: Session, *, request_id: int) -> dict[str, tuple[object, datetime]]:
    """key -> (value, saved_at) of every saved draft answer of a request."""
    return {row.field_key: (row.value.get("v"), row.saved_at) for row in session.exec(
        select(FormDraftAnswer).where(FormDraftAnswer.request_id == request_id)).all()}


@dataclass
class FormView:
    """What the form page shows: the version, the answers so far (the record
    pre-fills mapped fields not answered yet) and whether it can still change."""

    request: FormRequest
    version: FormTemplateVersion
    answers: dict
    saved_at: dict[str, datetime] = field(default_factory=dict)
    read_only: bool = False


def load_form(session: Session, *, client_id: int, request_id: object) -> FormView:
    """The client's own form with its draft ("continue where you left off")."""
    request = get_request_for(session, client_id=client_id, request_id=request_id)
    version = version_of(session, request)
    drafts = draft_answers(session, request_id=request.id)
    if request.status == FormStatus.COMPLETED:
        submission = session.exec(select(FormSubmission).where(
            FormSubmission.request_id == request.id)).one()
        answers = dict(submission.answers)
    else:
        answers = prefill(session.get(Client, client_id), version.fields)
        answers.update({key: value for key, (value, _) in drafts.items()})
    return FormView(request=request, version=version, answers=answers,
                    saved_at={key: at for key, (_, at) in drafts.items()},
                    read_only=request.status not in FormStatus.OUTSTANDING)
