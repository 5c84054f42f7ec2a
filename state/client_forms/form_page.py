"""/forms/form?id=<request>: one form, filled in on a phone first.

Every change is saved on the server as a draft as the client types (the page
debounces text; choices save at once): services/forms/drafts.py writes only the
field that changed, per field the last write by server time wins, and the
service limits the size and the rate. Show-if rules are applied from the
answers the server holds, so what shows is what submit will check.

Submit is two transactions: the submission (services/forms/submit.py), then
the signed PDF filed in Documents (signed_pdf.file_signed_pdf, once per
submission). A PDF that fails to render loses nothing: the submission is
committed, and the reminder pass files the PDFs still missing
(`file_missing_pdfs`). Other tabs of the record are pushed (live.py), so a
second tab on this form turns read-only.
"""

import logging

import reflex as rx

from models import FieldKind, FormStatus
from models.base import utcnow
from portal_app import i18n, live, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.providers import select as providers
from portal_app.services.documents import IncomingFile
from portal_app.services.documents import sharing as document_sharing
from portal_app.services.errors import ServiceError
from portal_app.services.forms import client_forms, drafts, requests, signed_pdf, submit
from portal_app.services.forms.client_forms import packet_place
from portal_app.services.forms.consent import current_consent
from portal_app.services.forms.fields import FieldErrors
from portal_app.services.forms.signature import DATA_URL_PREFIX
from portal_app.settings import get_settings
from state.client_forms.rows import FieldRow, build_rows, refresh_visibility
from state.guards import client_event, client_refusal, refusal
from state.session import ClientState

log = logging.getLogger("portal.forms")
CHECK_FIELDS = "Some answers need your attention; see the messages beside them."


def _light(value: object) -> object:
    """An answer as the tab keeps it: a drawn signature (a data URL of up to a few
    hundred KB) only as "there is one", so the tab's state stays small."""
    if isinstance(value, str) and value.startswith(DATA_URL_PREFIX):
        return DATA_URL_PREFIX
    if isinstance(value, dict):
        return {k: _light(v) for k, v in value.items()}
    return value


def _slot_key(rows: list[FieldRow], kind_of: tuple, slot: object) -> str | None:
    slot = str(slot)
    return next((r.key for r in rows if r.kind in kind_of and r.slot == slot and slot), None)


# A form's push: its page and lists, and its file answers or signed PDF among documents.
FORM_TOPICS = (live.FORMS, live.DOCUMENTS)


class FormState(ClientState):
    """One form of the selected record."""

    found: bool = False
    notice: str = ""
    title: str = ""
    intro: str = ""
    progress: str = ""  # "2 of 4" in a packet, else ""
    read_only: bool = False
    completed_text: str = ""
    pdf_url: str = ""
    rows: list[FieldRow] = []
    saved_text: str = ""
    needs_consent: bool = False
    consent_text: str = ""
    consent_checked: bool = False
    consent_error: str = ""
    form_error: str = ""
    busy: bool = False
    _request_id: int = 0
    _fields: list = []
    _version_id: int = 0
    _answers: dict = {}
    _consent_version: int = 0

    # --- loading -------------------------------------------------------------------

    def _show(self, session, ctx, errors: dict | None = None) -> None:
        view = drafts.load_form(session, client_id=ctx.client_id, request_id=self._request_id)
        place = packet_place(session, request=view.request)
        lang = self._lang
        self.found, self.notice = True, ""
        self.title, self.intro = view.version.title, view.version.intro
        self.progress = (i18n.gettext(lang, "Form {position} of {size}", position=place.position,
                                      size=place.size) if place.size > 1 else "")
        self.read_only = view.read_only
        self._fields, self._version_id = list(view.version.fields), view.version.id
        self._answers = {key: _light(value) for key, value in view.answers.items()}
        file_ids = [v for f in self._fields if f["kind"] == FieldKind.FILE
                    for v in [self._answers.get(f["key"])] if isinstance(v, int)]
        titles = client_forms.document_titles(session, client_id=ctx.client_id,
                                                  document_ids=file_ids)
        self.rows = build_rows(self._fields, self._answers, file_titles=titles,
                               errors=errors)
        self.needs_consent = any(f["kind"] in FieldKind.SIGNED for f in self._fields)
        self.completed_text = self.pdf_url = ""
        if view.request.status == FormStatus.CANCELLED:
            self.completed_text = self._tr(drafts.CANCELLED)
        elif view.request.status == FormStatus.COMPLETED:
            sub = submit.get_submission_for(session, client_id=ctx.client_id,
                                            request_id=view.request.id)
            self.completed_text = i18n.gettext(
                lang, "Submitted {when}", when=formats.when_short(sub.submitted_at, self._tz,
                                                                  lang))
            if sub.pdf_document_id:
                self.pdf_url = f"{routes.API_DOCUMENT_DOWNLOAD}?id={sub.pdf_document_id}"
        elif self.needs_consent:
            consent = current_consent(session)
            self._consent_version, self.consent_text = consent.version, consent.text

    def _not_found(self, exc: ServiceError) -> None:
        """Not this record's form (or none): nothing of it stays on the page."""
        self.found, self.rows, self.title, self.intro = False, [], "", ""
        self._request_id, self._fields, self._answers, self._version_id = 0, [], {}, 0
        self.notice = self._tr(exc.message)

    @client_event(on_error="_not_found", page=True)
    def load(self, session, ctx):
        """on_load: ?id=<request id>. Opening a form marks it opened (once)."""
        raw = self.router.url.query_parameters.get("id", "")
        request = requests.mark_opened(session, client_id=ctx.client_id, request_id=raw,
                                       now=drafts_now())
        self._request_id = request.id
        self.saved_text = self.consent_error = self.form_error = ""
        self.consent_checked = self.busy = False
        self._show(session, ctx)

    def _live_refresh(self):
        """Pushed: reloaded when the form was submitted elsewhere or withdrawn (it
        turns read-only). Any other push leaves the fields alone, so a staff action
        elsewhere never resets the answer being typed."""
        with session_scope() as session:
            ctx, leave = self._live_client(session)
            if ctx is not None and ctx.client_id is not None and self._request_id:
                try:
                    request = requests.get_request_for(session, client_id=ctx.client_id,
                                                       request_id=self._request_id)
                    if (request.status not in FormStatus.OUTSTANDING) != self.read_only:
                        self._show(session, ctx)
                except ServiceError as exc:
                    self._not_found(exc)
        return leave

    # --- autosave ------------------------------------------------------------------

    def _save(self, session, ctx, answers: dict):
        """Save these answers as the draft; the rows follow (value, message, rules)."""
        keys = set(answers)
        try:
            saved = drafts.save_draft(session, client_id=ctx.client_id,
                                      request_id=self._request_id, answers=answers,
                                      now=drafts_now(),
                                      limit=get_settings().form_saves_per_minute,
                                      shown=drafts.ShownVersion(self._version_id, self._fields)
                                      if self._version_id else None)
        except FieldErrors as exc:
            for row in self.rows:
                if row.key in exc.errors:
                    row.error = self._tr(exc.errors[row.key])
            self.rows = list(self.rows)
            self.saved_text = ""
            return None
        except ServiceError as exc:
            if exc.message in (drafts.SUBMITTED, drafts.CANCELLED):
                self._show(session, ctx)  # another tab submitted it: read-only now
            self.saved_text = ""
            return rx.toast.error(self._tr(exc.message))
        stored = drafts.draft_answers(session, request_id=self._request_id) \
            if saved.kept else {}
        # The plain values (not Reflex's change-tracking proxies: every read through
        # one costs more than the save's SQL); both vars are assigned afterwards.
        fields, known = self.get_value("_fields"), dict(self.get_value("_answers"))
        for key in keys:
            if key in saved.saved:
                known[key] = _light(answers[key])
            elif key in stored:  # a newer answer from another tab stays
                known[key] = _light(stored[key][0])
        self._answers = known
        rows = self.get_value("rows")
        fresh = {r.key: r for r in build_rows([f for f in fields if f["key"] in keys], known)}
        for row in rows:
            if row.key in keys:  # what was saved, or the newer answer that was kept
                new = fresh[row.key]
                row.value, row.picked, row.typed, row.drawn = (
                    new.value, new.picked, new.typed, new.drawn)
                row.error = ""
        refresh_visibility(rows, fields, known)
        self.rows = list(rows)
        self.saved_text = i18n.gettext(self._lang, "Saved {when}",
                                       when=formats.time_text(saved.at, self._tz, self._lang))
        return None

    @client_event
    def save_field(self, session, ctx, key: str, value: str):
        """A text, date, number, single choice or yes/no answer changed."""
        return self._save(session, ctx, {str(key): value})

    @client_event
    def toggle_choice(self, session, ctx, key: str, option: str, checked: bool):
        """A box of a multiple-choice field was ticked or cleared."""
        current = self._answers.get(str(key))
        picked = [v for v in (current if isinstance(current, list) else []) if v != option]
        if checked is True:
            picked.append(option)
        return self._save(session, ctx, {str(key): picked})

    @client_event
    def sign_drawn(self, session, ctx, slot: str, data_url: str):
        """A stroke ended on signature pad `slot` (its PNG data URL; "" after Clear)."""
        key = _slot_key(self.rows, FieldKind.SIGNED, slot)
        if key is None:
            return None
        return self._save(session, ctx, {key: data_url or None})

    @client_event
    def sign_typed(self, session, ctx, key: str, name: str):
        """A typed signature or initials (sent when the field loses focus)."""
        if not any(r.key == key and r.kind in FieldKind.SIGNED for r in self.rows):
            return None
        text = name.strip() if isinstance(name, str) else ""
        return self._save(session, ctx, {key: {"text": text} if text else None})

    @rx.event
    def set_consent(self, checked: bool):
        self.consent_checked = checked is True
        self.consent_error = ""

    # --- file answers --------------------------------------------------------------

    async def _upload(self, slot: str, files: list):
        key = _slot_key(self.rows, (FieldKind.FILE,), slot)
        settings = get_settings()
        incoming = []  # one file; its size and type are checked by the document rules
        for upload in (files if isinstance(files, list) else [])[:1]:
            if hasattr(upload, "read"):
                incoming.append(IncomingFile(filename=str(upload.name or "file"),
                                             data=await upload.read()))
        try:
            with session_scope() as session:
                ctx = self._client(session)
                refused = client_refusal(self, ctx)
                if refused is not None:
                    return refused
                if key is None or not self._request_id:
                    return None
                drafts.check_open(requests.get_request_for(
                    session, client_id=ctx.client_id, request_id=self._request_id))
                (doc,) = document_sharing.upload_documents(
                    session, client_id=ctx.client_id, files=incoming,
                    storage=providers.current().storage, base_url=settings.base_url,
                    max_file_bytes=settings.upload_max_file_bytes,
                    max_request_bytes=settings.upload_max_request_bytes)
                event = self._save(session, ctx, {key: doc.id})
                for row in self.rows:
                    if row.key == key:
                        row.value = doc.title
                self.rows = list(self.rows)
        except ServiceError as exc:
            for row in self.rows:
                if row.key == key:
                    row.error = self._tr(exc.message)
            self.rows = list(self.rows)
            return None
        live.staff_changed(about=FORM_TOPICS)
        return event

    @rx.event
    async def upload_file(self, slot: str, files: list[rx.UploadFile]):
        """A file answer: stored by the document rules (size, type by content,
        private storage) as the record's upload, its id saved as the answer."""
        return await self._upload(slot, files)

    # --- submit --------------------------------------------------------------------

    def _submit_refused(self, exc: ServiceError) -> None:
        if isinstance(exc, FieldErrors):
            for row in self.rows:
                row.error = self._tr(exc.errors.get(row.key, ""))
            self.rows = list(self.rows)
            self.form_error = self._tr(CHECK_FIELDS)
        elif exc.field == "consent":
            self.consent_error = self._tr(exc.message)
        else:
            self.form_error = self._tr(exc.message)

    @rx.event
    def submit(self):
        """Check everything on the server, sign, file the PDF, go on."""
        self.form_error = self.consent_error = ""
        try:
            with session_scope() as session:
                ctx = self._client(session)
                refused = client_refusal(self, ctx)
                if refused is not None:
                    return refused
                sub = submit.submit_form(
                    session, client_id=ctx.client_id, request_id=self._request_id,
                    account_id=ctx.account_id, email=ctx.email, ip=self._ip(),
                    user_agent=self._user_agent(),
                    consent_version=self._consent_version if self.consent_checked else None,
                    now=drafts_now())
                submission_id, client_id = sub.id, ctx.client_id
                place = packet_place(session, request=requests.get_request_for(
                    session, client_id=client_id, request_id=self._request_id))
        except ServiceError as exc:
            return refusal(self, exc, "_submit_refused")
        file_pdf(submission_id)
        live.client_changed(client_id, exclude=self.router.session.client_token,
                            about=FORM_TOPICS)
        live.staff_changed(about=FORM_TOPICS)
        done = rx.toast.success(self._tr("Thank you. Your form was submitted and signed."))
        if place.next_request_id:
            return [rx.redirect(routes.form_page(place.next_request_id)), done]
        return [rx.redirect(routes.FORMS), done]


def drafts_now():
    """The server's clock (tests replace it)."""
    return utcnow()


def file_pdf(submission_id: int) -> bool:
    """File the signed PDF in its own transaction; a failure is logged and left
    to `file_missing_pdfs` (the submission is already safe)."""
    settings = get_settings()
    try:
        with session_scope() as session:
            signed_pdf.file_signed_pdf(session, submission_id=submission_id,
                                       base_url=settings.base_url,
                                       storage=providers.current().storage,
                                       data_dir=settings.data_dir)
        return True
    except Exception:  # noqa: BLE001 - whatever broke, the submission stands
        log.exception("filing the PDF of form submission %s failed; retried later",
                      submission_id)
        return False
