"""Shared set-up of the console Community tests: a business with Community on,
staff, three clients, a group; audit and notification lookups."""

from sqlmodel import select

from models import AuditEvent, GroupMember, MemberStatus
from portal_app import apps
from portal_app.services import notification_texts
from portal_app.services.community import groups_admin
from tests import factories


def world(session, *, visibility="open"):
    factories.business(session, name="Studio Nine", timezone="America/New_York",
                       apps_enabled=[apps.COMMUNITY])
    staff = factories.staff(session)
    _a, (alice,) = factories.household(session, names=("Alice",))
    _b, (bob,) = factories.household(session, names=("Bob",))
    _c, (carol,) = factories.household(session, names=("Carol",))
    group = groups_admin.create_group(session, staff_id=staff.id, form={
        "name": "Morning Circle", "description": "", "visibility": visibility})
    session.commit()
    return {"staff": staff, "alice": alice, "bob": bob, "carol": carol, "group": group}


def member(session, group, client, status=MemberStatus.ACTIVE, note=""):
    row = GroupMember(group_id=group.id, client_id=client.id, status=status,
                      request_note=note)
    session.add(row)
    session.commit()
    return row


def actions(session, prefix="community.") -> list[str]:
    return [a for a in session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
            if a.startswith(prefix)]


def community_renderer(monkeypatch):
    """A line for kind "community" until the notices helper's own is merged."""
    if "community" not in notification_texts.RENDERERS:
        monkeypatch.setitem(notification_texts.RENDERERS, "community",
                            lambda p, lang, zone: f"Your request to join {p['group']} was "
                                                  "approved")
