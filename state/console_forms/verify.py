"""Console → Forms → Verify a signed form: paste the SHA-256 of a document, or
upload the PDF, and learn whether it is a form signed here (who, when, which
form and version) or "not a document we hold, or it has been altered"."""

import hashlib

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.errors import ServiceError
from portal_app.services.forms.submit import verify_hash
from portal_app.settings import get_settings
from state.console_format import console_zone, when
from state.guards import refusal, staff_event
from state.staff_session import StaffState

VERIFY_UPLOAD_ID = "console-verify-upload"
NOT_OURS = "Not a document we hold, or it has been altered."
CHOOSE_FILE = "Choose the PDF to check."


class FormVerifyState(StaffState):
    verdict: str = ""  # "ok" | "bad" | ""
    verdict_text: str = ""
    verify_error: str = ""

    def _verify_refused(self, exc: ServiceError) -> None:
        self.verdict, self.verdict_text = "", ""
        self.verify_error = self._tr(exc.message)

    def _check(self, session, digest: str) -> None:
        found = verify_hash(session, sha256=digest)
        self.verify_error = ""
        if found is None or not found.intact:
            self.verdict, self.verdict_text = "bad", self._tr(NOT_OURS)
            return
        zone = console_zone(session)
        signed = when(found.submission.submitted_at, zone)
        self.verdict = "ok"
        self.verdict_text = self._tr(
            f"This is the document signed by {found.client_name} on {signed} "
            f"({found.title}, version {found.version}).")

    @staff_event
    def load(self, session, ctx):
        self.verdict = self.verdict_text = self.verify_error = ""

    @staff_event(on_error="_verify_refused")
    def verify(self, session, ctx, form: dict):
        """Check a pasted SHA-256 (of the signed document or of its PDF file)."""
        digest = str((form or {}).get("sha256", "") if isinstance(form, dict) else "")
        self._check(session, digest[:200])

    async def verify_upload(self, files: list[rx.UploadFile]):
        """Check an uploaded PDF by the SHA-256 of its bytes (staff only, checked
        before a byte is read)."""
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
        limit = get_settings().upload_max_file_bytes
        uploads = files if isinstance(files, list) else []
        read = getattr(uploads[0], "read", None) if len(uploads) == 1 else None
        if read is None:
            return self._verify_refused(ServiceError(CHOOSE_FILE))
        data = await read()
        if len(data) > limit:
            self.verdict, self.verdict_text = "bad", self._tr(NOT_OURS)
            return rx.clear_selected_files(VERIFY_UPLOAD_ID)
        digest = hashlib.sha256(data).hexdigest()
        event, result = self._as_staff(lambda s, c: self._check(s, digest))
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_verify_refused")
        return rx.clear_selected_files(VERIFY_UPLOAD_ID)
