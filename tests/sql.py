"""What SQL a piece of work sends: for tests that count statements."""

from sqlalchemy import event


def statements_of(engine, work) -> list[str]:
    """Run `work()` and return every statement it sent through `engine`."""
    sent: list[str] = []

    def listener(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return sent
