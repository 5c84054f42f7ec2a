"""Head tags that make the portal an installable web app ("Add to Home Screen").

The document head is compiled once into static HTML, while the branding lives in the
database: the tags carry neutral defaults and a small inline script copies the business's
colour and short name from the manifest (built per request) into them.
"""

import reflex as rx

from portal_app import routes

# What a search result or a shared link shows under the page's title. The head is compiled
# once, in the pages' language (English, `<html lang="en">`).
DESCRIPTION = ("Your client portal: book and manage appointments, pay invoices, share documents "
               "and message us.")

# Runs as soon as the head is parsed (an rx.script that waits for `load` never fires).
_SCRIPT = """
(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("__SW__", { scope: "/" }).catch(function () {});
  }
  // React (19) adopts a server-rendered head tag only while its content still matches
  // the compiled one; if ours was changed first, it adds a fresh copy with the default.
  // So every tag of these names is kept at the brand value, and the served one dropped
  // when React made its own.
  var names = ["theme-color", "apple-mobile-web-app-title"];
  var served = {};
  var brand = {};
  names.forEach(function (name) {
    served[name] = document.querySelector('meta[name="' + name + '"]');
  });
  function applyBrand() {
    names.forEach(function (name) {
      if (!brand[name]) { return; }
      var tags = document.querySelectorAll('meta[name="' + name + '"]');
      tags.forEach(function (tag) {
        if (tag === served[name] && tags.length !== 1) { tag.remove(); return; }
        if (tag.getAttribute("content") !== brand[name]) {
          tag.setAttribute("content", brand[name]);
        }
      });
    });
  }
  fetch("__MANIFEST__").then(function (r) { return r.ok ? r.json() : null; })
    .then(function (m) {
      if (!m) { return; }
      brand["theme-color"] = m.theme_color;
      brand["apple-mobile-web-app-title"] = m.short_name;
      applyBrand();
      new MutationObserver(applyBrand).observe(document.head, { childList: true });
    }).catch(function () {});
  // Links that open a new tab. A home-screen app has no tabs: on iOS such a link leaves
  // the app for Safari, whose cookies are not the app's, so a portal page opened that way
  // is signed out (or the tap seems to do nothing). In standalone mode a same-origin link
  // therefore opens in the app's own window; links to other sites keep their target and
  // open in the system browser, where they belong. Done here, once, rather than per link,
  // so a link added later cannot miss it, and browser tabs keep their usual behaviour.
  var standalone = window.matchMedia("(display-mode: standalone)").matches
    || window.navigator.standalone === true;
  if (!standalone) { return; }
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) { return; }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target !== "_blank" || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) { return; }
    event.preventDefault();
    window.location.assign(url.href);
  }, true);
})();
""".replace("__SW__", routes.SERVICE_WORKER).replace("__MANIFEST__", routes.WEB_MANIFEST)


def app_head() -> list[rx.Component]:
    """Manifest, theme colour, iOS home-screen tags and the service worker registration."""
    return [
        rx.el.meta(name="description", content=DESCRIPTION),
        rx.el.link(rel="manifest", href=routes.WEB_MANIFEST),
        rx.el.meta(name="theme-color", content="#1F6FEB"),
        rx.el.link(rel="apple-touch-icon", href=routes.APPLE_TOUCH_ICON, sizes="180x180"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-status-bar-style", content="default"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Client Portal"),
        rx.el.script(_SCRIPT),
    ]
