"""A lesson's Markdown as safe HTML, rendered on the server (markdown-it, CommonMark
plus tables and strikethrough).

Raw HTML in the text is escaped, never passed through (`html: False`), and link
targets are checked by markdown-it (`javascript:`, `vbscript:`, `file:` and most
`data:` URLs are dropped), so the result can be put on a page as it is. Links
open in a new tab without the opener. (Reflex's `rx.markdown` renders raw HTML by
default and needs frontend packages the build does not lock.)"""

from __future__ import annotations

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


def render_markdown(text: object) -> str:
    """HTML for `text` (at most MAX_CHARS of it); "" for nothing."""
    source = str(text or "")[:MAX_CHARS]
    return _MD.render(source) if source.strip() else ""
