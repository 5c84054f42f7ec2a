"""Client documents (seed 001 "Documents"): files shared with the client,
newest first with a "new" badge until opened, and "Share a document" to
send files to the business (when the upload permission is on).

Downloads go through our authenticated route, never Reflex's public
/_upload. Uploads are checked on the server (size, count, type by content)
before anything is stored; a refusal says why and stores nothing.

Every handler is a `client_event` needing the documents permission
(state/guards.py), except `handle_upload`, which checks the client before
reading the files and again in the transaction that writes.
"""

import reflex as rx

from portal_app import i18n, live, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.providers import select as providers
from portal_app.services import documents as document_service
from portal_app.services.documents import IncomingFile
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.guards import client_event, client_refusal, refusal
from state.session import ClientState

UNAVAILABLE = "Documents are not available to you. Please contact us."
UPLOAD_ID = "client-upload"


def document_row(doc, lang: str, zone: str) -> dict[str, str]:
    shared = doc.direction == "shared"
    return {
        "id": str(doc.id), "title": doc.title, "filename": doc.filename,
        "size": document_service.format_size(doc.size_bytes, lang),
        "date": formats.when_short(doc.created_at, zone, lang),
        "from": i18n.gettext(lang, "From us" if shared else "Sent by you"),
        "new": "yes" if shared and doc.first_viewed_at is None else "",
        "message": doc.message,
        "url": f"{routes.API_DOCUMENT_DOWNLOAD}?id={doc.id}",
    }


class DocumentsState(ClientState):
    rows: list[dict[str, str]] = []
    upload_open: bool = False
    upload_title: str = ""
    upload_message: str = ""
    upload_error: str = ""
    busy: bool = False

    def _fill(self, session, ctx) -> None:
        self.rows = [document_row(d, self._lang, self._tz) for d in
                     document_service.list_client_documents(session, client_id=ctx.client_id)]

    @client_event(feature="documents", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        self.upload_error = ""
        self._fill(session, ctx)
        if self.router.url.query_parameters.get("upload") == "1" and self.access.get("upload"):
            return DocumentsState.open_upload
        return None

    def _live_refresh(self):
        with session_scope() as session:
            ctx, leave = self._live_client(session, "documents", UNAVAILABLE)
            if ctx is not None:
                self._fill(session, ctx)
        if ctx is not None and self.upload_open and not ctx.access.upload:
            # Sending files was switched off while the dialog was open: say so now.
            self.upload_open = False
            return [rx.clear_selected_files(UPLOAD_ID), rx.toast.info(
                self._tr("Sending files is not available to you. Please contact us."))]
        return leave

    @rx.event
    def opened(self, document_id: str):
        """The download link was followed: the route recorded it; drop the badge here."""
        self.rows = [{**r, "new": ""} if r["id"] == str(document_id) else r for r in self.rows]

    @client_event(feature="documents", unavailable=UNAVAILABLE)
    def open_upload(self, session, ctx):
        if not self.access.get("upload"):
            return rx.toast.info(self._tr("Sending files is not available to you. Please contact us."))
        self.upload_title = self.upload_message = self.upload_error = ""
        self.upload_open = True
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def set_upload_open(self, value: bool):
        self.upload_open = bool(value)

    @rx.event
    def set_upload_title(self, value: str):
        self.upload_title = str(value)[:200]

    @rx.event
    def set_upload_message(self, value: str):
        self.upload_message = str(value)[:2000]

    def _upload_refused(self, exc: ServiceError) -> None:
        self.upload_error = self._tr(exc.message)

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile], fields: dict | None = None):
        """Submit: who is asking first, then every file checked; nothing is stored
        when anything is refused. The page sends the boxes' text along (`fields`:
        title, message)."""
        if isinstance(fields, dict):
            self.upload_title = str(fields.get("title", "") or "")[:200]
            self.upload_message = str(fields.get("message", "") or "")[:2000]
        settings = get_settings()
        self.upload_error = ""
        with session_scope() as session:
            ctx = self._client(session)
            refused = client_refusal(self, ctx, feature="documents", unavailable=UNAVAILABLE)
        if refused is not None:
            return refused
        if not ctx.access.upload:
            self.upload_error = self._tr("Sending files is not available to you.")
            return None
        incoming, total = [], 0
        for upload in files if isinstance(files, list) else []:
            if not hasattr(upload, "read"):
                continue
            data = await upload.read()
            total += len(data)
            if total > settings.upload_max_request_bytes:
                self.upload_error = (self._tr(f"These files add up to more than "
                                     f"{settings.upload_max_request_bytes // (1024 * 1024)} MB."))
                return None
            incoming.append(IncomingFile(filename=str(upload.name or "file"), data=data))
        try:
            with session_scope() as session:
                ctx = self._client(session)  # again, inside the transaction that writes
                refused = client_refusal(self, ctx, feature="documents", unavailable=UNAVAILABLE)
                if refused is None:  # then the upload permission, refused the same way
                    refused = client_refusal(self, ctx, feature="upload", unavailable=UNAVAILABLE)
                if refused is not None:
                    return refused
                stored = document_service.upload_documents(
                    session, client_id=ctx.client_id, files=incoming, title=self.upload_title,
                    message=self.upload_message, storage=providers.current().storage,
                    base_url=settings.base_url,
                    max_file_bytes=settings.upload_max_file_bytes,
                    max_request_bytes=settings.upload_max_request_bytes)
                self._fill(session, ctx)
        except ServiceError as exc:
            return refusal(self, exc, "_upload_refused")
        self.upload_open = False
        live.staff_changed(about=live.DOCUMENTS)
        count = len(stored)
        done = self._tr("Sent 1 file. Thank you!" if count == 1
                        else f"Sent {count} files. Thank you!")
        return [rx.clear_selected_files(UPLOAD_ID), rx.toast.success(done)]
