"""/community's "Your community profile" card: the display name other members see
and the avatar (upload a PNG, JPEG or WEBP of at most 2 MB, or remove it).

Handlers are `client_event(app=apps.COMMUNITY)`, except the upload: it checks the
client before reading the file and again in the transaction that writes (a
transaction never stays open across an upload), as the documents page does. The
services (services/community/avatars.py) judge the image by its bytes and keep it
in the private storage; the page shows it through the authenticated avatar route.
"""

from __future__ import annotations

import reflex as rx

from portal_app import apps
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.community import avatars
from portal_app.services.documents.file_checks import IncomingFile
from portal_app.services.errors import ServiceError
from state.guards import beside_field, client_event, client_refusal
from state.session import ClientState

AVATAR_UPLOAD = "community-avatar"
NAME_SAVED = "Display name saved."
AVATAR_SAVED = "Picture saved."
AVATAR_REMOVED = "Picture removed."
FIELDS = ("display_name", "avatar")


class CommunityProfileState(ClientState):
    display_name: str = ""
    initials: str = ""
    avatar_url: str = ""
    errors: dict[str, str] = {"display_name": "", "avatar": ""}

    def _show(self, session, client_id: int) -> None:
        profile = avatars.get_profile(session, client_id=client_id)
        self.display_name, self.initials = profile.display_name, profile.initials
        self.avatar_url = profile.avatar_url

    def _refused(self, exc: ServiceError):
        """A refused name or picture: said beside its field; anything else as a toast."""
        return beside_field(self, exc, FIELDS)

    @client_event(app=apps.COMMUNITY)
    def load(self, session, ctx):
        """on_load: the record's display name and avatar."""
        self.errors = dict.fromkeys(FIELDS, "")
        self._show(session, ctx.client_id)

    @client_event(app=apps.COMMUNITY, on_error="_refused")
    def save_name(self, session, ctx, form: dict):
        """Change the display name (the form's "display_name")."""
        self.errors = dict.fromkeys(FIELDS, "")
        raw = str((form or {}).get("display_name", "") or "")[:200]
        avatars.set_display_name(session, client_id=ctx.client_id, display_name=raw,
                                 account_id=ctx.account_id)
        self._show(session, ctx.client_id)
        return rx.toast.success(self._tr(NAME_SAVED))

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):
        """Upload a new picture: who is asking first, then the file read (only the
        first, at most one byte past the limit), then the checked transaction."""
        self.errors = dict.fromkeys(FIELDS, "")
        with session_scope() as session:
            ctx = self._client(session)
            refused = client_refusal(self, ctx, app=apps.COMMUNITY)
        if refused is not None:
            return refused
        upload = next((f for f in files if hasattr(f, "read")), None) if isinstance(
            files, list) else None
        data = await upload.read(avatars.MAX_AVATAR_BYTES + 1) if upload is not None else b""
        incoming = IncomingFile(filename=str(getattr(upload, "name", "") or "avatar"),
                                data=bytes(data or b""))
        try:
            with session_scope() as session:
                ctx = self._client(session)  # again, inside the transaction that writes
                refused = client_refusal(self, ctx, app=apps.COMMUNITY)
                if refused is not None:
                    return refused
                avatars.set_avatar(session, client_id=ctx.client_id, file=incoming,
                                   storage=providers.current().storage,
                                   account_id=ctx.account_id)
                self._show(session, ctx.client_id)
        except ServiceError as exc:
            shown = self._refused(exc)  # beside the picture, or a toast
            return [rx.clear_selected_files(AVATAR_UPLOAD), *([shown] if shown else [])]
        return [rx.clear_selected_files(AVATAR_UPLOAD), rx.toast.success(self._tr(AVATAR_SAVED))]

    @client_event(app=apps.COMMUNITY)
    def remove_avatar(self, session, ctx):
        """Remove the picture (initials show instead)."""
        self.errors = dict.fromkeys(FIELDS, "")
        avatars.remove_avatar(session, client_id=ctx.client_id,
                              storage=providers.current().storage, account_id=ctx.account_id)
        self._show(session, ctx.client_id)
        return rx.toast.success(self._tr(AVATAR_REMOVED))
