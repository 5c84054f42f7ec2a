"""A lesson's Markdown becomes HTML that is safe to put on a page: raw HTML is
escaped, script links are dropped, links open without the opener."""

import pytest

from portal_app.services.courses.markdown import render_markdown


def test_markdown_renders_headings_emphasis_lists_and_tables():
    html = render_markdown("# Breathe\n\n**slowly**, *deeply*\n\n- in\n- out\n\n|a|b|\n|-|-|\n|1|2|")
    for part in ("<h1>Breathe</h1>", "<strong>slowly</strong>", "<em>deeply</em>",
                 "<li>in</li>", "<td>1</td>"):
        assert part in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<iframe src='https://evil.example'></iframe>", "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox(1))", "<a href='javascript:x'>x</a>",
])
def test_raw_html_and_script_urls_never_reach_the_page(source):
    html = render_markdown(source).lower()
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert 'href="javascript' not in html and 'href="vbscript' not in html
    assert "<a " not in html


def test_links_open_without_the_opener():
    assert render_markdown("[site](https://example.com)") == (
        '<p><a href="https://example.com" rel="noopener noreferrer nofollow" '
        'target="_blank">site</a></p>\n')
    assert render_markdown("   ") == ""



@pytest.mark.parametrize("source", [
    '[x](https://e.example "a\\" onmouseover=alert(1) x=\\"")',
    "![x](javascript:alert(1))", "![x](data:text/html,<script>alert(1)</script>)",
    "|a|\n|-|\n|<b>1</b>|",
])
def test_only_allow_listed_tags_attributes_and_schemes_reach_the_page(source):
    from html.parser import HTMLParser

    seen: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append((tag, dict(attrs)))

    Tags().feed(render_markdown(source))
    for tag, attrs in seen:
        assert tag in ("p", "a", "table", "thead", "tbody", "tr", "th", "td"), tag
        assert set(attrs) <= {"href", "title", "rel", "target", "style"}, attrs
        assert not str(attrs.get("href", "https:")).lower().startswith(("javascript", "data"))
