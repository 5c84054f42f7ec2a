"""Console: one client's documents, on the client page (/console/client?id=<id>):
what we shared (with when the client first opened it) and what the client
uploaded, the storage they use, "Share files", "Replace" and "Delete".

The client is a backend var set by `load` from the page's `id`. The
document services look documents up by id alone, so every id that comes
from the browser is first checked to be a live document of that client
(`get_document_for_client`). Files are checked on the server (size, count,
type by content) before anything is stored; a refusal stores nothing.

Every handler is a `staff_event` (state/guards.py), except the two upload
handlers, which check the staff session before reading the files and again in
the transaction that writes. Live pushes to other tabs are scheduled tasks:
they run after the event's transaction has committed.
"""

import reflex as rx

from models import DocumentDirection
from portal_app import live, routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services import activation, clients
from portal_app.services import documents as document_service
from portal_app.services.documents import IncomingFile, format_size
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import console_zone, tr, when
from state.guards import refusal, staff_event
from state.staff_session import StaffState

SHARE_UPLOAD_ID = "console-share-upload"
REPLACE_UPLOAD_ID = "console-replace-upload"
NO_CLIENT = "Open a client first."
SHARE_PORTAL_NOTES = {
    activation.INVITED: "This client will get access to the client portal when you share "
                        "(an invitation, or this record added to their existing sign-in).",
    activation.NO_EMAIL_YET: "This client has no email address, so sharing cannot give them "
                             "portal access yet.",
    activation.EMAIL_NOT_OK: "Email OK is off for this client: they are not emailed about "
                             "these files, and sharing does not give them portal access.",
}
SHARE_EMAIL_NOTE = ("Email OK is off: the client is not emailed about these files; they see "
                    "them in the portal only.")


def document_row(row: document_service.DocumentRow, zone: str) -> dict[str, str]:
    shared = row.direction == DocumentDirection.SHARED
    if shared:
        viewed = (tr("Viewed on {when}", when=when(row.first_viewed_at, zone))
                  if row.first_viewed_at else tr("Not opened yet"))
    else:
        viewed = "" if row.first_viewed_at else tr("New")
    return {
        "id": str(row.id), "title": row.title, "filename": row.filename,
        "size": row.size_label, "date": when(row.created_at, zone), "viewed": viewed,
        "opened": "yes" if row.first_viewed_at else "",
        "shared_by": row.shared_by, "message": row.message,
        "url": f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={row.id}",
    }


class ClientDocumentsState(StaffState):
    """The documents section of the client page; `load` reads the page's `?id=`."""

    shared_rows: list[dict[str, str]] = []
    uploaded_rows: list[dict[str, str]] = []
    storage_total: str = ""
    share_open: bool = False
    share_title: str = ""
    share_message: str = ""
    share_error: str = ""
    # Banners of the share dialog (seed 004): portal access that sharing grants, and
    # an email that will not go out (Email OK off).
    share_portal_note: str = ""
    share_email_note: str = ""
    replace_open: bool = False
    replace_info: dict[str, str] = {}
    replace_error: str = ""
    _client_id: int = 0
    _replace_id: int = 0

    # --- loading ----------------------------------------------------------------------

    def _clear(self) -> None:
        self._client_id = self._replace_id = 0
        self.shared_rows, self.uploaded_rows = [], []
        self.storage_total = ""
        self.share_open = self.replace_open = False
        self.share_title = self.share_message = self.share_error = ""
        self.share_portal_note = self.share_email_note = ""
        self.replace_info, self.replace_error = {}, ""

    def _fill(self, session) -> None:
        rows = document_service.client_document_rows(session, client_id=self._client_id)
        zone = console_zone(session)
        self.shared_rows = [document_row(r, zone) for r in rows
                            if r.direction == DocumentDirection.SHARED]
        self.uploaded_rows = [document_row(r, zone) for r in rows
                              if r.direction != DocumentDirection.SHARED]
        total = document_service.storage_totals(session, client_ids=[self._client_id])
        self.storage_total = format_size(total.get(self._client_id, 0))

    def _refill(self, session) -> None:
        if self._client_id:
            self._fill(session)

    @staff_event(on_error="_no_client")
    def load(self, session, ctx):
        """on_load of the client page: that client's documents (the page's `id`)."""
        self._clear()
        raw = self.router.url.query_parameters.get("id", "")
        self._client_id = clients.get_client(session, client_id=raw).id
        self._fill(session)

    def _no_client(self, exc: ServiceError) -> None:
        """`load` for a client that does not exist: the client page itself says so."""
        self._clear()

    def _live_refresh(self) -> None:
        """Pushed from outside (the client uploaded or opened a file): reload."""
        self._as_staff(lambda s, c: self._refill(s))

    def _own_document(self, session, document_id: object):
        """A live document of this page's client; any other id is NotFound."""
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        return document_service.get_document_for_client(
            session, client_id=self._client_id, document_id=document_id)

    def _changed(self) -> None:
        """Tell the client's open tabs (and other console tabs) to reload."""
        live.client_changed(self._client_id, about=live.DOCUMENTS)
        live.staff_changed(exclude=self.router.session.client_token, about=live.DOCUMENTS)

    # --- share ------------------------------------------------------------------------

    @staff_event
    def open_share(self, session, ctx):
        """Share files: an empty dialog."""
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        self.share_title = self.share_message = self.share_error = ""
        outcome = activation.share_outcome(session, client_id=self._client_id)
        self.share_portal_note = self._tr(SHARE_PORTAL_NOTES.get(outcome, ""))
        # One banner when the portal note already says Email OK is off.
        self.share_email_note = (self._tr(SHARE_EMAIL_NOTE) if outcome != activation.EMAIL_NOT_OK
                                 and clients.email_held_back(session, client_id=self._client_id)
                                 else "")
        self.share_open = True
        return rx.clear_selected_files(SHARE_UPLOAD_ID)

    @staff_event
    def set_share_open(self, session, ctx, value: bool):
        self.share_open = bool(value) and self._client_id != 0
        self.share_error = ""

    @staff_event
    def set_share_title(self, session, ctx, value: str):
        self.share_title = str(value or "")[:document_service.MAX_TITLE + 50]

    @staff_event
    def set_share_message(self, session, ctx, value: str):
        self.share_message = str(value or "")[:document_service.MAX_MESSAGE + 100]

    def _signed_in_staff(self) -> bool:
        """The staff check before an upload's bytes are read."""
        with session_scope() as session:
            return self._staff(session) is not None

    async def _read(self, files) -> list[IncomingFile] | str:
        """The uploaded files as IncomingFile, or why they are refused.

        Reading stops once the request is over the limit (the ASGI guard on
        /_upload stops far bigger bodies before they get here).
        """
        settings = get_settings()
        incoming, total = [], 0
        for upload in files if isinstance(files, list) else []:
            read = getattr(upload, "read", None)
            if read is None:
                return "Choose a file."
            data = await read()
            total += len(data)
            if total > settings.upload_max_request_bytes:
                return (f"These files add up to more than "
                        f"{settings.upload_max_request_bytes // (1024 * 1024)} MB.")
            incoming.append(IncomingFile(filename=str(getattr(upload, "name", "") or "file"),
                                         data=bytes(data)))
        return incoming

    def _share_refused(self, exc: ServiceError) -> None:
        self.share_error = self._tr(exc.message)

    @rx.event
    async def share(self, files: list[rx.UploadFile], fields: dict | None = None):
        """Submit in "Share files": all files are checked first, then stored; the
        client gets a notification and (if they want it) one email with a link.
        The dialog sends its boxes' text along with the upload (`fields`: title,
        message)."""
        if not self._signed_in_staff():
            return rx.redirect(routes.CONSOLE_LOGIN)
        if isinstance(fields, dict):
            self.share_title = str(fields.get("title", "") or "")[:document_service.MAX_TITLE + 50]
            self.share_message = str(fields.get("message", "") or "")[
                :document_service.MAX_MESSAGE + 100]
        self.share_error = ""
        if not self._client_id:
            self.share_error = self._tr(NO_CLIENT)
            return None
        incoming = await self._read(files)
        if isinstance(incoming, str):
            self.share_error = self._tr(incoming)
            return None
        settings = get_settings()

        def action(s, c):
            stored = document_service.share_documents(
                s, staff_id=c.staff_id, client_id=self._client_id, files=incoming,
                title=self.share_title, message=self.share_message,
                storage=providers.current().storage, base_url=settings.base_url,
                max_file_bytes=settings.upload_max_file_bytes,
                max_request_bytes=settings.upload_max_request_bytes)
            self._fill(s)
            return len(stored)

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_share_refused")
        self.share_open = False
        self.share_title = self.share_message = ""
        self._changed()
        return [rx.clear_selected_files(SHARE_UPLOAD_ID),
                rx.toast.success(self._tr("Shared 1 file." if result == 1
                                          else f"Shared {result} files."))]

    # --- replace ----------------------------------------------------------------------

    @staff_event
    def open_replace(self, session, ctx, document_id: str):
        """Replace: a one-file dialog for a document we shared with this client."""
        doc = self._own_document(session, document_id)
        if doc.direction != DocumentDirection.SHARED:
            raise ServiceError("Only documents shared with the client can be replaced.")
        self._replace_id = doc.id
        self.replace_info = {"title": doc.title, "filename": doc.filename}
        self.replace_error = ""
        self.replace_open = True
        return rx.clear_selected_files(REPLACE_UPLOAD_ID)

    @staff_event
    def set_replace_open(self, session, ctx, value: bool):
        self.replace_open = bool(value) and self._replace_id != 0
        self.replace_error = ""

    def _replace_refused(self, exc: ServiceError) -> None:
        self.replace_error = self._tr(exc.message)

    @rx.event
    async def replace(self, files: list[rx.UploadFile]):
        """Submit in "Replace": the new file takes the old one's place and title; the
        client is told it was updated."""
        if not self._signed_in_staff():
            return rx.redirect(routes.CONSOLE_LOGIN)
        self.replace_error = ""
        if not self._client_id or not self._replace_id:
            self.replace_error = self._tr("Choose a document to replace.")
            return None
        if not isinstance(files, list) or len(files) != 1:
            self.replace_error = self._tr("Choose one file.")
            return None
        incoming = await self._read(files)
        if isinstance(incoming, str):
            self.replace_error = self._tr(incoming)
            return None
        settings = get_settings()

        def action(s, c):
            old = self._own_document(s, self._replace_id)
            new = document_service.replace_document(
                s, staff_id=c.staff_id, document_id=old.id, file=incoming[0],
                storage=providers.current().storage, base_url=settings.base_url,
                max_file_bytes=settings.upload_max_file_bytes,
                max_request_bytes=settings.upload_max_request_bytes)
            self._fill(s)
            return new

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_replace_refused")
        self.replace_open = False
        self._replace_id = 0
        self._changed()
        return [rx.clear_selected_files(REPLACE_UPLOAD_ID),
                rx.toast.success(self._tr(f"“{result.title}” was replaced."))]

    # --- delete -----------------------------------------------------------------------

    @staff_event
    def delete_document(self, session, ctx, document_id: str):
        """Delete (after the confirm dialog): hidden from both sides, file removed."""
        doc = self._own_document(session, document_id)
        deleted = document_service.delete_document(
            session, staff_id=ctx.staff_id, document_id=doc.id,
            storage=providers.current().storage)
        self._fill(session)
        self._changed()
        return rx.toast.success(self._tr(f"“{deleted.title}” was deleted."))
