"""Public branding shown on every page (no private data)."""

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.business import get_business


class BrandState(rx.State):
    business_name: str = "Client Portal"
    tagline: str = ""
    accent: str = "#1F6FEB"
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    self_signup: bool = False
    portal_enabled: bool = True
    loaded: bool = False
    logo_url: str = ""

    @rx.event
    def load(self):
        """Refresh branding; public by design (the sign-in page needs it)."""
        with session_scope() as session:
            b = get_business(session)
            self.business_name = b.name
            self.tagline = b.tagline
            self.accent = b.accent_color
            self.contact_email = b.contact_email
            self.contact_phone = b.contact_phone
            self.address = b.address
            self.self_signup = b.allow_self_signup
            self.portal_enabled = b.portal_enabled
            # The file name changes with each upload, so caches never show an old logo.
            self.logo_url = f"{routes.API_BRAND_LOGO}?v={b.logo_file}" if b.logo_file else ""
            self.loaded = True
