"""/complete-profile?app=<key>&next=<path>: the fields a hub app asks for that the
selected record lacks, asked once (services/hub/profile_completion.py). The app
comes from the URL but is checked like any app page (on for the business and
granted to this client); `next` goes through `safe_next` (a path of ours only)."""

import reflex as rx

from portal_app import apps
from portal_app.services.errors import ServiceError
from portal_app.services.hub import profile_completion as completion
from portal_app.services.profile import ProfileErrors
from state.guards import UNAVAILABLE, client_event, client_refusal
from state.session import ClientState


class ProfileCompletionState(ClientState):
    app_label: str = ""
    # key, label, hint, type: the fields asked for, in the app's order
    fields: list[dict[str, str]] = []
    errors: dict[str, str] = {}  # per field key ("" when fine); every asked key present
    error: str = ""  # a refusal not tied to a field
    _app: str = ""
    _next: str = ""

    def _refused(self, exc: ServiceError) -> None:
        found = exc.errors if isinstance(exc, ProfileErrors) else {exc.field or "": exc.message}
        asked = {f["key"] for f in self.fields}
        self.errors = {k: self._tr(found.get(k, "")) if found.get(k) else "" for k in asked}
        self.error = " ".join(self._tr(v) for k, v in found.items() if k not in asked)

    def _clear(self) -> None:
        self.errors = {f["key"]: "" for f in self.fields}
        self.error = ""

    def _where_next(self) -> str:
        spec = apps.get_app(self._app)
        return completion.safe_next(self._next, fallback=spec.route if spec else "/dashboard")

    def _app_refusal(self, ctx):
        spec = apps.get_app(self._app)
        if spec is None:
            return client_refusal(self, ctx, app=None) or [
                rx.redirect("/dashboard"), rx.toast.info(self._tr(UNAVAILABLE))]
        return client_refusal(self, ctx, app=spec.key)

    @client_event(page=True)
    def load(self, session, ctx):
        """Ask for what is missing; nothing missing: straight on to `next`."""
        query = self.router.url.query_parameters
        self._app = str(query.get("app", ""))
        self._next = str(query.get("next", ""))
        self.fields = []
        self._clear()
        refused = self._app_refusal(ctx)
        if refused is not None:
            return refused
        missing = completion.missing_for_app(session, client_id=ctx.client_id,
                                             app_key=self._app)
        if not missing:
            return rx.redirect(self._where_next())
        spec = apps.get_app(self._app)
        self.app_label = self._tr(spec.label)
        self.fields = [{"key": f, "label": self._tr(completion.FIELDS[f].label),
                        "hint": self._tr(completion.FIELDS[f].hint),
                        "type": completion.FIELDS[f].input_type} for f in missing]
        self._clear()
        return None

    @client_event(on_error="_refused")
    def save(self, session, ctx, form: dict):
        """Check and save the missing fields together, then on to `next`."""
        self._clear()
        refused = self._app_refusal(ctx)
        if refused is not None:
            return refused
        completion.complete_profile(session, client_id=ctx.client_id, app_key=self._app,
                                    form=form if isinstance(form, dict) else {},
                                    account_id=ctx.account_id)
        return rx.redirect(self._where_next())
