"""One counter that moves whenever something the slot search reads changes (a
booking's held units, weekly hours, an exception, a service, who provides it, a
staff member switched on or off, the business's zone), and the database triggers
that move it (installed by migration 0021 and by `create_all`; built by
models/generation_triggers.py, as the access generation's are). Every writer moves
it — this process, another worker, the CLI, raw SQL — so the search's per-process
cache (portal_app/services/scheduling/slot_reads.py) compares one small read per
search with the generation its entries were filled at.

The `booking` table itself is not watched: the search reads only its lock rows,
and every booking made, moved or cancelled writes or deletes those.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, event
from sqlmodel import Field, SQLModel

from models.generation_triggers import Counter, Watched


class ScheduleGeneration(SQLModel, table=True):
    __tablename__ = "schedule_generation"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


# table -> (columns whose UPDATE moves it (None: any), INSERT moves it, DELETE moves it)
WATCHED: Watched = {
    "booking_lock": (None, True, True),
    "working_hours": (None, True, True),
    "availability_exception": (None, True, True),
    "service": (None, True, True),
    "service_provider": (None, True, True),
    "staff_user": (("active",), True, True),
    "business": (("timezone",), True, True),
}

COUNTER = Counter("schedule_generation", "schedule_gen", WATCHED)


@event.listens_for(SQLModel.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    """`create_all`: the counter and the triggers of the watched tables that exist."""
    COUNTER.after_create(connection)
