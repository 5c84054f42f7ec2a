"""The console's unread count (every console event and every live refresh of a console
tab asks it) reads the conversations with unread messages only, through the partial
index ix_conversation_staff_unread, not every conversation (a full scan: ~2 ms at the
large business's 20,000 conversations, per console tab per push)."""

from sqlalchemy import event, update

from models import Conversation
from portal_app.services import messaging
from tests import factories


def _statements_of(engine, fn):
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def test_the_console_unread_count_reads_only_unread_conversations(engine, session):
    factories.business(session)
    clients = [factories.client(session, first_name=f"C{n}") for n in range(3)]
    for n, client in enumerate(clients):
        session.add(Conversation(client_id=client.id, subject=f"s{n}", staff_unread=n))
    session.commit()
    session.exec(update(Conversation).where(Conversation.subject == "s2").values(staff_unread=5))
    session.commit()

    total, seen = _statements_of(engine, lambda: messaging.unread_for_staff(session))
    assert total == 0 + 1 + 5
    [(sql, params)] = seen
    plan = " ".join(str(row[-1]) for row in
                    session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "ix_conversation_staff_unread" in plan, plan
    assert "SCAN conversation" not in plan, plan
