"""The "Skip to content" link of both shells, and the head script that makes it work.

Reflex renders an `<a href="#main">` as a React Router link, which pushes a new
URL instead of moving to the anchor: focus stays in the header. So one listener,
in the capture phase before React's, takes the click (or Enter) on the skip link
and moves focus to the main region itself (which has tabindex="-1").
"""

import reflex as rx

MAIN_ID = "main"

SKIP_LINK_SCRIPT = """
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.skip-link") : null;
  if (!link) { return; }
  var main = document.getElementById("__MAIN__");
  if (!main) { return; }
  event.preventDefault();
  main.focus();
  main.scrollIntoView({ block: "start" });
}, true);
""".replace("__MAIN__", MAIN_ID)

SKIP_LINK_STYLE = {
    ".skip-link": {
        "position": "absolute",
        "left": "-9999px",
        "top": "0.5em",
        "padding": "0.75em 1em",
        "background": "var(--color-panel-solid)",
        "border_radius": "6px",
        "box_shadow": "var(--shadow-3)",
        "z_index": "100",
    },
    ".skip-link:focus": {"left": "0.5em", "outline": "2px solid var(--focus-8)",
                         "outline_offset": "2px"},
}


def skip_link(label="Skip to content") -> rx.Component:
    return rx.el.a(label, href=f"#{MAIN_ID}", class_name="skip-link")


def skip_link_script() -> rx.Component:
    return rx.el.script(SKIP_LINK_SCRIPT)
