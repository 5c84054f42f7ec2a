"""The console speaks the staff member's language: every text a console page or
component shows goes through t() (whose msgids the catalogue test checks against
the Spanish catalogue), and the finder that enforces it can fail."""

from tests.console_texts import CONSOLE_FILES, all_untranslated, untranslated

# Services whose refusals only staff see (the console shows them beside the field).
STAFF_SERVICES = ["portal_app/services/scheduling/availability.py",
                  "portal_app/services/scheduling/services.py",
                  "portal_app/services/portal_settings.py", "portal_app/services/contrast.py",
                  "portal_app/services/billing/refunds.py", "portal_app/services/staff_prefs.py",
                  "portal_app/services/billing/paper.py",
                  "portal_app/services/billing/superbills/codes.py",
                  "portal_app/services/billing/superbills/setup.py",
                  "portal_app/services/billing/superbills/diagnoses.py",
                  "portal_app/services/billing/statement_sends.py",
                  "portal_app/services/billing/superbills/preflight.py",
                  "portal_app/services/hub/offers.py", "portal_app/services/hub/offer_grants.py",
                  "portal_app/services/courses/roster.py",
                  "portal_app/services/courses/overrides.py",
                  "portal_app/services/hub/settings.py", "portal_app/services/hub/staff_grants.py",
                  # Course authoring (issue 22): building courses and their media.
                  "portal_app/services/courses/authoring/common.py",
                  "portal_app/services/courses/authoring/courses.py",
                  "portal_app/services/courses/authoring/modules.py",
                  "portal_app/services/courses/authoring/lessons.py",
                  "portal_app/services/courses/authoring/quiz.py",
                  "portal_app/services/courses/authoring/drip_rules.py",
                  "portal_app/services/courses/authoring/embeds.py",
                  "portal_app/services/courses/media.py",
                  # Community in the console (issue 23): groups, channels, members, levels.
                  "portal_app/services/community/groups_admin.py",
                  "portal_app/services/community/channels_admin.py",
                  "portal_app/services/community/members_admin.py",
                  "portal_app/services/community/requests.py",
                  "portal_app/services/community/levels_admin.py"]


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
        '                     rx.text("to"), text_field(t("Name"), "full_name"),\n'
        '                     rx.text(f"Up to {name} KB."),\n'
        '                     *[rx.table.cell(h) for h in ("Status", t("Total"), "")],\n'
        '                     rx.box(color_scheme="red", width="100%"))\n')
    assert [text for *_, text in untranslated(page)] == [
        "Save", "Search names", "Open ", "to", "Up to  KB.", "Status"]


def test_every_console_server_message_has_a_spanish_translation():
    """Toasts and messages the console states make, their label tables, and the
    activity sentences (services/activity.py) are in the Spanish catalogue."""
    import glob

    from portal_app import i18n
    from portal_app.services import activity
    from tests.msgids import normalize, server_msgids

    catalog = i18n.CATALOGS["es"]
    known = {normalize(key) for key in catalog}
    found = server_msgids(sorted(glob.glob("state/console*.py") + glob.glob("state/console_*/*.py")),
                          STAFF_SERVICES,
                          {"state/console_format.py": ["STATUS_LABELS"],
                           "state/console_availability.py": ["KIND_LABELS"],
                           "state/console_search.py": ["GROUP_LABELS"],
                           "state/console_superbills.py": ["SOURCE_LABELS"],
                           "state/console_client_apps.py": ["SOURCE_LABELS", "STATE_LABELS"],
                           "state/console_community/common.py": [
                               "VISIBILITY_LABELS", "KIND_LABELS", "LINK_LABELS",
                               "MEMBER_LABELS"],
                           "state/console_community/group.py": ["OFFER_STATUS"],
                           "state/console_community/group_members.py": ["ACTION_TITLES"]})
    assert len(found) > 40
    missing = sorted(f"{where}: {text}" for text, where in found.items() if text not in known)
    words = [*activity.TEMPLATES.values(), *activity.SOMEONE.values(), activity.ONE_FILE,
             activity.FILES]
    missing += [f"services/activity.py: {text}" for text in words if text not in catalog]
    assert missing == []


def test_activity_sentences_follow_the_staff_language(session):
    from datetime import UTC, datetime

    from models import AuditEvent
    from portal_app.services.activity import describe
    from tests import factories

    factories.business(session)
    staff = factories.staff(session, full_name="Olivia Owner")
    ana = factories.client(session, full_name="Ana Ruiz")
    row = AuditEvent(at=datetime(2026, 12, 5, 15, tzinfo=UTC), actor_kind="staff",
                     actor_id=staff.id, action="invoice.sent", client_id=ana.id,
                     detail={"invoice": "INV-0012"})
    odd = AuditEvent(at=datetime(2026, 12, 5, 15, tzinfo=UTC), actor_kind="system",
                     action="document.shared", client_id=ana.id, detail={"titles": ["a", "b"]})
    session.add_all([row, odd])
    session.flush()
    english = [line.text for line in describe(session, [row, odd], zone="UTC")]
    spanish = [line.text for line in describe(session, [row, odd], zone="UTC", lang="es")]
    assert english == ["Olivia Owner sent INV-0012 to Ana Ruiz",
                       "The portal shared 2 files with Ana Ruiz"]
    assert spanish == ["Olivia Owner envió INV-0012 a Ana Ruiz",
                       "El portal compartió 2 archivos con Ana Ruiz"]
