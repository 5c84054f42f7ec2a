"""Console: portal settings (switch, branding, logo, URL, features, buttons, defaults)."""

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import portal_settings
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.invitations import portal_url
from portal_app.services.permissions import FEATURE_KEYS, PERMISSION_KEYS
from portal_app.settings import get_settings
from state.session import StaffState


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

    def _save(self, action, error_attr: str, done: str, on_result=None):
        """Staff check, one transaction, refresh; errors go next to their section."""
        setattr(self, error_attr, "")
        event, result = self._as_staff(lambda session, ctx: action(session, ctx.staff_id),
                                       refresh=self._fill)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            setattr(self, error_attr, result.message)
            return None
        if on_result is not None:
            on_result(result)
        return rx.toast.success(done)

    @rx.event
    def load(self):
        self.branding_error = self.branding_note = self.logo_error = ""
        self.features_error = self.defaults_error = self.cta_error = ""
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
            self._fill(session)
        return None

    @rx.event
    def set_portal_enabled(self, enabled: bool):
        """Practice-wide switch; off signs every client out now."""
        return self._save(lambda s, sid: portal_settings.set_portal_enabled(
            s, staff_id=sid, enabled=bool(enabled)), "features_error",
            "The portal is on." if enabled else "The portal is off; clients were signed out.")

    @rx.event
    def save_branding(self, form: dict):
        self.branding_note = ""

        def keep_note(saved):
            self.branding_note = saved.note

        return self._save(lambda s, sid: portal_settings.update_branding(
            s, staff_id=sid, form=form), "branding_error", "Branding saved.", keep_note)

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        """Logo upload: type by content, size limited, stored under a random name."""
        self.logo_error = ""
        with session_scope() as session:
            if self._staff(session) is None:
                return rx.redirect(routes.CONSOLE_LOGIN)
        if not isinstance(files, list) or len(files) != 1:
            self.logo_error = "Choose one image file."
            return None
        data = await files[0].read(portal_settings.LOGO_MAX_BYTES + 1)
        brand_dir = get_settings().data_dir / "brand"
        return self._save(lambda s, sid: portal_settings.save_logo(
            s, staff_id=sid, data=data, brand_dir=brand_dir), "logo_error", "Logo saved.")

    @rx.event
    def remove_logo(self):
        return self._save(lambda s, sid: portal_settings.remove_logo(s, staff_id=sid),
                          "logo_error", "Logo removed.")

    @rx.event
    def save_features(self, form: dict):
        data = {k: form.get(k) for k in FEATURE_KEYS}
        data.update(self_signup=form.get("self_signup"), portal_slug=form.get("portal_slug", ""),
                    invite_ttl_days=form.get("invite_ttl_days", 7))
        return self._save(lambda s, sid: portal_settings.update_features(
            s, staff_id=sid, form=data), "features_error", "Features saved.")

    @rx.event
    def save_defaults(self, form: dict):
        data = {k: bool(form.get(k)) for k in PERMISSION_KEYS}
        return self._save(lambda s, sid: portal_settings.update_default_permissions(
            s, staff_id=sid, form=data), "defaults_error", "Default permissions saved.")

    @rx.event
    def save_buttons(self, form: dict):
        """Labels and visibility from the form, in the order shown."""
        ctas = [{"key": c["key"], "label": form.get(f"label-{c['key']}", c["label"]),
                 "enabled": bool(form.get(f"enabled-{c['key']}"))} for c in self.ctas]
        return self._save(lambda s, sid: portal_settings.update_ctas(
            s, staff_id=sid, ctas=ctas), "cta_error", "Buttons saved.")

    @rx.event
    def move_button(self, key: str, step: int):
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
        return self._save(lambda s, sid: portal_settings.update_ctas(
            s, staff_id=sid, ctas=ctas), "cta_error", "Order saved.")
