"""Reflex configuration: everything comes from portal_app.settings (no secrets here)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from portal_app.frontend_build import FrontendBuildPlugin
from portal_app.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="portal_app",
    db_url=_settings.database_url,
    redis_url=_settings.redis_url or None,
    state_manager_mode="redis" if _settings.redis_url else "disk",
    frontend_port=_settings.port,
    backend_port=_settings.port,
    api_url=_settings.base_url,
    deploy_url=_settings.base_url,
    backend_host="127.0.0.1",
    cors_allowed_origins=[_settings.base_url],
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium")),
             FrontendBuildPlugin()],
    disable_plugins=[SitemapPlugin],
)
