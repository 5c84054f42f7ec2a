"""/forms: the record's forms still to complete (new, in progress, overdue)
and the completed ones with their signed PDF in Documents."""

from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services.dashboard import clock
from portal_app.services.forms.client_forms import RowStatus, list_forms_for_client
from state.guards import client_event
from state.session import ClientState

STATUS_TEXT = {RowStatus.NEW: "New", RowStatus.IN_PROGRESS: "Continue where you left off",
               RowStatus.OVERDUE: "Overdue", RowStatus.COMPLETED: "Completed"}


class FormsListState(ClientState):
    """The record's forms, in packet order."""

    outstanding: list[dict[str, str]] = []
    completed: list[dict[str, str]] = []

    def _fill(self, session, ctx) -> None:
        rows = list_forms_for_client(session, client_id=ctx.client_id, now=clock())
        lang = self._lang

        def line(row) -> dict[str, str]:
            return {
                "id": str(row.request_id), "title": row.title, "status": row.status,
                "status_text": self._tr(STATUS_TEXT[row.status]),
                "due": (i18n.gettext(lang, "Due {date}",
                                     date=formats.when_short(row.due_at, self._tz, lang))
                        if row.due_at else ""),
                "done": formats.when_short(row.completed_at, self._tz, lang)
                if row.completed_at else "",
                "progress": (i18n.gettext(lang, "Form {position} of {size}", position=row.position,
                                          size=row.packet_size)
                             if row.packet_size > 1 else ""),
                "href": routes.form_page(row.request_id),
                "pdf_url": (f"{routes.API_DOCUMENT_DOWNLOAD}?id={row.pdf_document_id}"
                            if row.pdf_document_id else ""),
            }

        self.outstanding = [line(r) for r in rows if r.status != RowStatus.COMPLETED]
        self.completed = [line(r) for r in rows if r.status == RowStatus.COMPLETED]

    @client_event(page=True)
    def load(self, session, ctx):
        self._fill(session, ctx)

    def _live_refresh(self):
        with session_scope() as session:
            ctx, leave = self._live_client(session)
            if ctx is not None and ctx.client_id is not None:
                self._fill(session, ctx)
        return leave
