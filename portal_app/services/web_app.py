"""The portal as an installable web app: manifest, service worker and offline page,
all built from the business's branding (name, accent colour, logo).

Everything here is public (the sign-in page needs it) and contains no client data.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models import Business
from portal_app import i18n, routes
from portal_app.services import app_icons, stored_images
from portal_app.services.contrast import parse_hex, to_hex
from portal_app.services.errors import ServiceError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "pwa"
DEFAULT_ACCENT = "#1F6FEB"
BACKGROUND = "#FFFFFF"
SHORT_NAME_MAX = 12
# Words that say what kind of company it is, not which one: dropped to fit a home screen.
_LEGAL_SUFFIXES = {"llc", "l.l.c.", "inc", "inc.", "ltd", "ltd.", "limited", "gmbh", "corp",
                   "corp.", "co", "co.", "pllc", "llp", "plc", "pc", "p.c.", "s.a.", "sa",
                   "s.l.", "sl", "bv", "b.v."}
_JOINERS = {"&", "and", "of", "the", "-", "–", "—", "+", "y", "de", "|", "·"}


def _words(name: str) -> list[str]:
    """The name's words without a leading "The" and trailing legal forms ("LLC")."""
    words = " ".join(str(name or "").split()).split(" ")
    words = [w for w in words if w]
    while len(words) > 1 and words[-1].lower().strip(",") in _LEGAL_SUFFIXES:
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(",")
    if len(words) > 1 and words[0].lower() == "the":
        words.pop(0)
    return words


def short_name(name: str) -> str:
    """A home-screen label of at most 12 characters.

    The whole name when it fits; else the name without "The" and legal forms; else
    as many whole leading words as fit; else the first word cut with an ellipsis.
    """
    full = " ".join(str(name or "").split()) or "Portal"
    if len(full) <= SHORT_NAME_MAX:
        return full
    words = _words(full)
    if len(" ".join(words)) <= SHORT_NAME_MAX:
        return " ".join(words)
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > SHORT_NAME_MAX:
            break
        kept.append(word)
    while kept and kept[-1].lower() in _JOINERS:
        kept.pop()
    if kept:
        return " ".join(kept).rstrip(",:;")
    return words[0][: SHORT_NAME_MAX - 1] + "…"


def initials(name: str) -> str:
    """One or two capital letters for a drawn icon: "Harbor Physio LLC" -> "HP"."""
    letters = [next((c for c in w if c.isalnum()), "") for w in _words(name)
               if w.lower() not in _JOINERS]
    letters = [c for c in letters if c]
    return "".join(letters[:2]).upper() or "•"


def accent_of(business: Business) -> str:
    """The stored accent as #RRGGBB (the default when the stored value is malformed)."""
    try:
        return to_hex(parse_hex(business.accent_color))
    except ServiceError:
        return DEFAULT_ACCENT


def brand_version(business: Business) -> str:
    """Changes whenever anything the icons or the offline page show changes."""
    key = "|".join((app_icons.RENDER_VERSION, business.logo_file or "", accent_of(business),
                    business.name))
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def icon_source(business: Business, *, brand_dir: Path) -> app_icons.IconSource:
    """The raster logo when there is one on disk, else the initials on the accent."""
    logo = business.logo_file
    path = None
    if logo and not logo.endswith(".svg"):  # local_copy refuses names not ours
        path = stored_images.local_copy(brand_dir, logo, stored_images.LOGO,
                                        stored_images.LOGO_KINDS)
    return app_icons.IconSource(logo_path=path, accent=parse_hex(accent_of(business)),
                                initials=initials(business.name))


def icon_urls(business: Business) -> dict[str, str]:
    version = brand_version(business)
    return {name: routes.app_icon(name, version) for name in app_icons.ICONS}


def web_manifest(business: Business) -> dict:
    """The web app manifest: opens at the client dashboard, standalone, in brand colours."""
    urls = icon_urls(business)
    icons = [{"src": urls[name], "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": purpose}
             for name, (size, purpose) in app_icons.ICONS.items()
             if purpose in (app_icons.ANY, app_icons.MASKABLE)]
    manifest = {
        "id": "/",
        "name": business.name,
        "short_name": short_name(business.name),
        "lang": business.language or "en",
        "start_url": routes.DASHBOARD,
        "scope": "/",
        "display": "standalone",
        "theme_color": accent_of(business),
        "background_color": BACKGROUND,
        "icons": icons,
    }
    if business.tagline:
        manifest["description"] = business.tagline
    return manifest


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
    )


@lru_cache(maxsize=1)
def _deploy_version() -> str:
    """Changes with the service worker or offline page code (a deploy that changes them)."""
    digest = hashlib.sha256(app_icons.RENDER_VERSION.encode())
    for name in ("sw.js", "offline.html"):
        digest.update((TEMPLATE_DIR / name).read_bytes())
    return digest.hexdigest()[:8]


def cache_name(business: Business) -> str:
    return f"portal-{_deploy_version()}-{brand_version(business)}"


def precache_urls(business: Business) -> list[str]:
    """Only the offline page and the icons: never pages, never data."""
    urls = icon_urls(business)
    return [routes.OFFLINE] + [urls[name] for name, (_s, purpose) in app_icons.ICONS.items()
                               if purpose != app_icons.APPLE]


def render_service_worker(business: Business) -> str:
    """sw.js. Its bytes change with a deploy or a branding change, which makes browsers
    install the new worker (fresh offline page and icons, old caches dropped)."""
    return _env().get_template("sw.js").render(
        cache_name=cache_name(business), offline_url=routes.OFFLINE,
        precache=precache_urls(business), bypass=["/_event", "/_upload", "/api"])


OFFLINE_TEXT = {"title": "You are offline",
                "body": "Check your internet connection, then try again.",
                "retry": "Retry"}


def render_offline_page(business: Business) -> str:
    """The branded page the service worker shows when a page cannot load offline."""
    # One cached page for every reader: it carries each language's text and shows the
    # one of the language cookie (or the browser's language) when it opens.
    texts = {code: {key: i18n.gettext(code, msgid) for key, msgid in OFFLINE_TEXT.items()}
             for code in i18n.LANGUAGES}
    return _env().get_template("offline.html").render(
        business_name=business.name, accent=accent_of(business),
        icon_url=icon_urls(business)["icon-192.png"], text=texts[i18n.DEFAULT],
        texts_json=json.dumps(texts, ensure_ascii=False), cookie=i18n.COOKIE)
