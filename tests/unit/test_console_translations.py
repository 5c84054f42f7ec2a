"""The console speaks the staff member's language: every text a console page or
component shows goes through t() (whose msgids the catalogue test checks against
the Spanish catalogue), and the finder that enforces it can fail."""

from tests.console_texts import CONSOLE_FILES, all_untranslated, untranslated


def test_every_console_text_goes_through_t():
    assert len(CONSOLE_FILES) >= 15
    assert all_untranslated() == []


def test_the_finder_reports_a_text_left_in_english(tmp_path):
    page = tmp_path / "console_x.py"
    page.write_text(
        'import reflex as rx\n'
        'from components.i18n import t\n'
        'def p(name):\n'
        '    return rx.vstack(rx.button("Save"), rx.text(t("Saved")), rx.icon("house"),\n'
        '                     rx.input(placeholder="Search names", name="query"),\n'
        '                     rx.link("x", aria_label="Open " + name, href="/console"),\n'
        '                     rx.box(color_scheme="red", width="100%"))\n')
    assert [text for *_, text in untranslated(page)] == ["Save", "Search names", "Open "]
