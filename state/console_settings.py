"""Console: portal settings (switch, branding, logo, URL, features, buttons, defaults)."""

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import portal_settings
from portal_app.services.billing import paper
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.invitations import portal_url
from portal_app.services.permissions import (
    FEATURE_KEYS,
    FEATURES,
    PAY_NEEDS_BILLING,
    PERMISSION_KEYS,
    PERMISSIONS,
)
from portal_app.services.portal_settings import ACTIVATION_CHOICES, LOGO_MAX_BYTES
from portal_app.settings import get_settings
from state.guards import refusal, staff_event
from state.staff_session import StaffState

# What the page shows, from the services (pages import state, not services).
__all__ = ["ACTIVATION_CHOICES", "COUNTRY_CHOICES", "FEATURES", "LOGO_MAX_BYTES", "PAY_NEEDS_BILLING", "PERMISSIONS",
           "PortalSettingsState"]
# (ISO code, name) for the printouts' country select, built once at compile time.
COUNTRY_CHOICES = list(paper.country_names().items())


class PortalSettingsState(StaffState):
    portal_enabled: bool = True
    name: str = ""
    tagline: str = ""
    accent_color: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    has_logo: bool = False
    logo_version: str = ""
    portal_url: str = ""
    portal_slug: str = ""
    invite_ttl_days: int = 7
    self_signup: bool = False
    features: dict[str, bool] = {k: True for k in FEATURE_KEYS}
    defaults: dict[str, bool] = {k: True for k in PERMISSION_KEYS}
    ctas: list[dict[str, str]] = []
    branding_error: str = ""
    branding_note: str = ""
    logo_error: str = ""
    features_error: str = ""
    defaults_error: str = ""
    cta_error: str = ""
    country: str = ""  # "" = from the time zone
    country_note: str = ""
    country_error: str = ""
    activation: str = "manual"
    activation_error: str = ""

    def _fill(self, session) -> None:
        b = get_business(session)
        self.portal_enabled = b.portal_enabled
        self.name, self.tagline, self.accent_color = b.name, b.tagline, b.accent_color
        self.contact_email, self.contact_phone, self.address = (b.contact_email, b.contact_phone,
                                                                b.address)
        self.has_logo = bool(b.logo_file)
        self.logo_version = b.logo_file or ""
        self.portal_url = portal_url(get_settings().base_url, b.portal_slug)
        self.portal_slug = b.portal_slug
        self.invite_ttl_days = b.invite_ttl_days
        self.self_signup = b.allow_self_signup
        self.features = {k: bool(getattr(b, f"feature_{k}")) for k in FEATURE_KEYS}
        self.defaults = {k: bool(getattr(b, f"default_perm_{k}")) for k in PERMISSION_KEYS}
        self.ctas = [{"key": c["key"], "label": c["label"],
                      "enabled": "yes" if c.get("enabled") else ""} for c in b.cta_config]
        self.country = b.country
        self.country_note = self._tr(paper.paper_note(b))
        self.activation = b.portal_activation

    def _branding_refused(self, exc: ServiceError) -> None:
        self.branding_error = self._tr(exc.message)

    def _logo_refused(self, exc: ServiceError) -> None:
        self.logo_error = self._tr(exc.message)

    def _features_refused(self, exc: ServiceError) -> None:
        self.features_error = self._tr(exc.message)

    def _defaults_refused(self, exc: ServiceError) -> None:
        self.defaults_error = self._tr(exc.message)

    def _cta_refused(self, exc: ServiceError) -> None:
        self.cta_error = self._tr(exc.message)

    def _country_refused(self, exc: ServiceError) -> None:
        self.country_error = self._tr(exc.message)

    def _activation_refused(self, exc: ServiceError) -> None:
        self.activation_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.branding_error = self.branding_note = self.logo_error = ""
        self.features_error = self.defaults_error = self.cta_error = ""
        self.country_error = self.activation_error = ""
        self._fill(session)

    @staff_event(on_error="_features_refused")
    def set_portal_enabled(self, session, ctx, enabled: bool):
        """Practice-wide switch; off signs every client out now."""
        self.features_error = ""
        portal_settings.set_portal_enabled(session, staff_id=ctx.staff_id, enabled=bool(enabled))
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr(
            "The portal is on." if enabled else "The portal is off; clients were signed out."))

    @staff_event(on_error="_branding_refused")
    def save_branding(self, session, ctx, form: dict):
        self.branding_note = ""
        self.branding_error = ""
        saved = portal_settings.update_branding(session, staff_id=ctx.staff_id, form=form)
        self._everyone_changed()
        self._fill(session)
        self.branding_note = saved.note
        return rx.toast.success(self._tr("Branding saved."))

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        """Logo upload: type by content, size limited, stored under a random name.
        Two steps: the staff check and reading the file, then one checked transaction."""
        self.logo_error = ""
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
        if not isinstance(files, list) or len(files) != 1:
            self.logo_error = self._tr("Choose one image file.")
            return None
        data = await files[0].read(portal_settings.LOGO_MAX_BYTES + 1)
        brand_dir = get_settings().data_dir / "brand"

        def store(session, ctx):
            portal_settings.save_logo(session, staff_id=ctx.staff_id, data=data,
                                      brand_dir=brand_dir)
            self._everyone_changed()
            self._fill(session)

        event, result = self._as_staff(store)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_logo_refused")
        return rx.toast.success(self._tr("Logo saved."))

    @staff_event(on_error="_logo_refused")
    def remove_logo(self, session, ctx):
        self.logo_error = ""
        portal_settings.remove_logo(session, staff_id=ctx.staff_id)
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr("Logo removed."))

    @staff_event(on_error="_country_refused")
    def save_country(self, session, ctx, form: dict):
        """The business's country: Letter or A4 for invoice and receipt PDFs."""
        self.country_error = ""
        paper.set_country(session, staff_id=ctx.staff_id, country=form.get("country", ""))
        self._fill(session)
        return rx.toast.success(self._tr("Country saved."))

    @staff_event(on_error="_activation_refused")
    def save_activation(self, session, ctx, form: dict):
        """When a client's portal is activated: manually, on creation, at the first
        booking or at the first shared document."""
        self.activation_error = ""
        portal_settings.set_activation_mode(session, staff_id=ctx.staff_id,
                                            mode=form.get("portal_activation", ""))
        self._fill(session)
        return rx.toast.success(self._tr("Activation saved."))

    @staff_event(on_error="_features_refused")
    def save_features(self, session, ctx, form: dict):
        self.features_error = ""
        data = {k: form.get(k) for k in FEATURE_KEYS}
        data.update(self_signup=form.get("self_signup"), portal_slug=form.get("portal_slug", ""),
                    invite_ttl_days=form.get("invite_ttl_days", 7))
        portal_settings.update_features(session, staff_id=ctx.staff_id, form=data)
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr("Features saved."))

    @staff_event(on_error="_defaults_refused")
    def save_defaults(self, session, ctx, form: dict):
        self.defaults_error = ""
        data = {k: bool(form.get(k)) for k in PERMISSION_KEYS}
        portal_settings.update_default_permissions(session, staff_id=ctx.staff_id, form=data)
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr("Default permissions saved."))

    def _save_ctas(self, session, ctx, ctas: list[dict], done: str):
        self.cta_error = ""
        portal_settings.update_ctas(session, staff_id=ctx.staff_id, ctas=ctas)
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr(done))

    @staff_event(on_error="_cta_refused")
    def save_buttons(self, session, ctx, form: dict):
        """Labels and visibility from the form, in the order shown."""
        ctas = [{"key": c["key"], "label": form.get(f"label-{c['key']}", c["label"]),
                 "enabled": bool(form.get(f"enabled-{c['key']}"))} for c in self.ctas]
        return self._save_ctas(session, ctx, ctas, "Buttons saved.")  # translated there

    @staff_event(on_error="_cta_refused")
    def move_button(self, session, ctx, key: str, step: int):
        """Move a button up (-1) or down (+1) and save the new order."""
        order = [dict(c) for c in self.ctas]
        keys = [c["key"] for c in order]
        if key not in keys:
            return None
        i = keys.index(key)
        j = i + (1 if int(step or 0) > 0 else -1)
        if not 0 <= j < len(order):
            return None
        order[i], order[j] = order[j], order[i]
        ctas = [{"key": c["key"], "label": c["label"], "enabled": bool(c["enabled"])}
                for c in order]
        return self._save_ctas(session, ctx, ctas, "Order saved.")
