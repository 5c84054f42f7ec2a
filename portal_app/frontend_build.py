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
   painted as soon as it and its stylesheet arrive, but React Router's bootstrap
   preloads the ~250 KB of JavaScript that hydrates it from the head, where it
   shares the connection with the stylesheet and, on a slow phone, holds up the
   first paint (Lighthouse's mobile profile counted ~3 s of it). After the build
   (`post_build`), each page's bootstrap waits for the first frame: the module
   preloads and React Router's inline module script are kept verbatim in a
   `<script type="text/x-portal-boot">` (inert) and a small classic script adds
   them to the page from a `requestAnimationFrame` callback's next task, so the
   scripts are fetched (in parallel, as before) once the page has painted. The
   inline script's text is unchanged, so its CSP hash (page_policy) still allows it.
   The pages' precompressed `.gz` copies are rewritten to match.
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
PRELOAD = re.compile(r'<link rel="modulepreload" href="(/[^"]+)"/>')
BOOT = re.compile(r'<script type="module" async="">(import [^<]*?import\("[^"]+"\);)</script>')
BOOT_TYPE = "text/x-portal-boot"
# Runs where React Router's bootstrap stood (the end of the body). The first frame is
# painted once the stylesheet is in; the rAF callback runs just before it, and the
# timeout it sets, just after. A tab opened in the background paints no frame, so
# it starts when shown; the 3 s fallback covers a browser that never calls it.
LOADER = """(function () {
  var boot = document.getElementById("portal-boot");
  var started = false;
  function start() {
    if (started || !boot) { return; }
    started = true;
    (boot.getAttribute("data-preload") || "").split(" ").forEach(function (href) {
      if (!href) { return; }
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = href;
      document.head.appendChild(link);
    });
    var script = document.createElement("script");
    script.type = "module";
    script.textContent = boot.textContent;
    document.body.appendChild(script);
  }
  requestAnimationFrame(function () { setTimeout(start, 0); });
  setTimeout(start, 3000);
})();"""


def add_vendor_group(config_js: str) -> str:
    """The vite config with the vendor chunk group after Reflex's own group (the
    config unchanged if Reflex's layout moved: the build then keeps its default)."""
    if 'name: "vendor"' in config_js or MARK not in config_js:
        return config_js
    return config_js.replace(MARK, MARK + GROUPS, 1)


def defer_scripts(html: str) -> str:
    """The page with its module preloads and React Router's bootstrap started after
    the first paint (the page unchanged if it has no such bootstrap, or has it twice)."""
    boots = BOOT.findall(html)
    if len(boots) != 1:
        return html
    preloads = PRELOAD.findall(html)
    html = PRELOAD.sub("", html)
    deferred = (f'<script type="{BOOT_TYPE}" id="portal-boot" data-preload="{" ".join(preloads)}">'
                f"{boots[0]}</script><script>{LOADER}</script>")
    return BOOT.sub(lambda _m: deferred, html, count=1)


def rewrite_pages(static_dir: Path) -> int:
    """Each built page with its scripts started after its first paint; its `.gz` copy
    rewritten to match (a copy in another encoding that would now differ is
    removed: the static mount then serves the page itself or its gzip copy)."""
    changed = 0
    for page in static_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = defer_scripts(text)
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
        # A painted page answers only once hydrated: the browser suite waits for that
        # (components/hydration_mark.py, tests/e2e/hydration.py).
        rewrite_pages(Path(context["static_dir"]))
