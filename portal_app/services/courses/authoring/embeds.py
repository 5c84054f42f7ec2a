"""Embed URLs for video lessons: YouTube and Vimeo only, stored as the canonical
player address (YouTube's privacy-enhanced "nocookie" host). Anything else is
refused beside the field, so no other origin is ever framed."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from portal_app.services.errors import ServiceError

REFUSED = ("Paste a YouTube or Vimeo link (youtube.com/watch?v=…, youtu.be/…, "
           "vimeo.com/…).")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}\Z")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}\Z")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}


def youtube(video_id: str) -> str:
    return f"https://www.youtube-nocookie.com/embed/{video_id}"


def vimeo(video_id: str) -> str:
    return f"https://player.vimeo.com/video/{video_id}"


def _video_id(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return None
    try:
        if parts.port is not None:
            return None
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS:
        if parts.path in ("/watch", "/watch/"):
            ids = parse_qs(parts.query).get("v", [])
            return youtube(ids[0]) if len(ids) == 1 and _YOUTUBE_ID.match(ids[0]) else None
        if len(segments) == 2 and segments[0] == "embed" and _YOUTUBE_ID.match(segments[1]):
            return youtube(segments[1])
        return None
    if host == "youtu.be":
        ok = len(segments) == 1 and _YOUTUBE_ID.match(segments[0])
        return youtube(segments[0]) if ok else None
    if host in _VIMEO_HOSTS:
        ok = len(segments) == 1 and _VIMEO_ID.match(segments[0])
        return vimeo(segments[0]) if ok else None
    if host == "player.vimeo.com":
        ok = len(segments) == 2 and segments[0] == "video" and _VIMEO_ID.match(segments[1])
        return vimeo(segments[1]) if ok else None
    return None


def canonical_embed_url(raw: object) -> str:
    """"" for an empty box; the canonical player URL for an allowed link; else refused."""
    url = str(raw or "").strip()
    if not url:
        return ""
    if len(url) > 500 or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ServiceError(REFUSED, field="embed_url")
    if "://" not in url:
        url = "https://" + url
    canonical = _video_id(url)
    if canonical is None:
        raise ServiceError(REFUSED, field="embed_url")
    return canonical
