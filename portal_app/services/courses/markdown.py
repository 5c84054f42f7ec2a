"""A lesson's Markdown as safe HTML, rendered on the server (markdown-it, CommonMark
plus tables and strikethrough).

Raw HTML in the text is escaped, never passed through (`html: False`), and link
targets are checked by markdown-it (`javascript:`, `vbscript:`, `file:` and most
`data:` URLs are dropped); the result then passes nh3's allow-list of tags,
attributes and URL schemes, so it can be put on a page as it is. The text is
written by staff in the course editor; nothing a client types is rendered here. Links
open in a new tab without the opener. (Reflex's `rx.markdown` renders raw HTML by
default and needs frontend packages the build does not lock.)"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

MAX_CHARS = 100_000


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    default = md.renderer.rules.get("link_open")

    def link_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        token.attrSet("rel", "noopener noreferrer nofollow")
        token.attrSet("target", "_blank")
        if default is not None:
            return default(tokens, idx, options, env)
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_MD = _renderer()


# What the page may receive, whatever the renderer does: an allow-list applied by nh3
# (ammonia) to markdown-it's output, a second line of defence before `rx.html`.
ALLOWED_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s",
                "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
                "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel", "target"}, "img": {"src", "alt", "title"},
                      "ol": {"start"}, "th": {"style"}, "td": {"style"}, "code": {"class"}}


def render_markdown(text: object) -> str:
    """HTML for `text` (at most MAX_CHARS of it), allow-listed; "" for nothing."""
    source = str(text or "")[:MAX_CHARS]
    if not source.strip():
        return ""
    return _rendered(source)


@lru_cache(maxsize=128)
def _rendered(source: str) -> str:
    """The allow-listed HTML of a text (pure, so kept: a lesson page renders the same
    lesson on every visit; an edit is new text)."""
    return nh3.clean(_MD.render(source), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel=None,
                     filter_style_properties={"text-align"})
