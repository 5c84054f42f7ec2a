"""A Reflex plugin that shapes the production build for phones (see README, Performance).

1. Fewer JavaScript files. Left alone, Vite (rolldown) splits the shared libraries
   into ~60 small files per page (a Radix component or a helper of a few hundred
   bytes each), all fetched before the page can hydrate: over HTTP/1.1 and a mobile
   connection, ~10 round trips in a row. One chunk for the libraries (React, React
   Router, Radix, Emotion, Socket.IO…) trades a little unused code for far fewer
   requests, and its hashed name keeps it in the browser's cache across pages and
   visits. The icons (lucide) stay split: the build holds ~1,600 of them, a page
   loads its few. (`add_modify_task` on the `vite.config.js` Reflex writes at every
   compile: Reflex 0.10's supported way to change a generated file.)
2. The first paint before the scripts. Every page is prerendered HTML that can be
   painted as soon as it and its stylesheet arrive; the ~250 KB of JavaScript that
   hydrates it is preloaded at the same (high) priority and, on a slow connection,
   shares the bandwidth the stylesheet needs. The preloads are marked
   `fetchpriority="low"` after the build (`post_build`, with the pages'
   precompressed copies rewritten): the browser still fetches them at once, behind
   the page and its stylesheet.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import reflex as rx

MARK = 'name: "reflex-env",\n            },'
GROUPS = """
            {
              // Every library but the icons: one cached file instead of dozens.
              test: /[\\\\/]node_modules[\\\\/](?!lucide-react[\\\\/])/,
              name: "vendor",
              priority: -1,
            },"""
MODULEPRELOAD = re.compile(r'<link rel="modulepreload"(?![^>]*fetchpriority)', re.IGNORECASE)
LOW = '<link rel="modulepreload" fetchpriority="low"'


def add_vendor_group(config_js: str) -> str:
    """The vite config with the vendor chunk group after Reflex's own group (the
    config unchanged if Reflex's layout moved: the build then keeps its default)."""
    if 'name: "vendor"' in config_js or MARK not in config_js:
        return config_js
    return config_js.replace(MARK, MARK + GROUPS, 1)


def lower_preload_priority(html: str) -> str:
    return MODULEPRELOAD.sub(LOW, html)


def rewrite_pages(static_dir: Path) -> int:
    """Each built page with its module preloads at low priority; its `.gz` copy
    rewritten to match (a copy in another encoding that would now differ is
    removed: the static mount then serves the page itself or its gzip copy)."""
    changed = 0
    for page in static_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = lower_preload_priority(text)
        if new == text:
            continue
        page.write_text(new, encoding="utf-8")
        changed += 1
        raw = new.encode("utf-8")
        for sidecar in page.parent.glob(page.name + ".*"):
            if sidecar.suffix == ".gz":
                sidecar.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
            else:
                sidecar.unlink()
    return changed


class FrontendBuildPlugin(rx.plugins.Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"]("vite.config.js", add_vendor_group)

    def post_build(self, **context) -> None:
        rewrite_pages(Path(context["static_dir"]))
