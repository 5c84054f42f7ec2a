"""A client's dated diagnoses: valid_on's boundaries, diagnoses_on in one query,
ordering primary first, and another client's diagnosis refused by every write."""

from datetime import date

import pytest
from sqlmodel import select

from models import AuditEvent, ClientDiagnosis
from portal_app.services.billing.superbills import diagnoses as dx
from portal_app.services.billing.superbills.setup import FormErrors
from portal_app.services.errors import NotFound, ServiceError
from tests import factories
from tests.sql import statements_of


@pytest.fixture
def world(session):
    factories.business(session)
    staff = factories.staff(session)
    return staff, factories.client(session), factories.client(session)


def add(session, staff, client, code, start, until="", description=""):
    return dx.add_diagnosis(session, staff_id=staff.id, client_id=client.id,
                            form={"code": code, "description": description,
                                  "from_date": start, "until_date": until})


def test_valid_on_includes_both_ends_and_orders_primary_first(session, world):
    staff, ana, _ = world
    anxiety = add(session, staff, ana, "f411", "2026-03-01", "2026-03-31", "Anxiety")
    depression = add(session, staff, ana, "F32.1", "2026-03-15")
    rows = dx.list_diagnoses(session, client_id=ana.id)
    assert [d.code for d in rows] == ["F41.1", "F32.1"]
    assert dx.valid_on(rows, date(2026, 2, 28)) == []
    assert dx.valid_on(rows, date(2026, 3, 1)) == [anxiety]
    assert dx.valid_on(rows, date(2026, 3, 15)) == [anxiety, depression]
    assert dx.valid_on(rows, date(2026, 3, 31)) == [anxiety, depression]
    assert dx.valid_on(rows, date(2026, 4, 1)) == [depression]
    dx.move_diagnosis(session, staff_id=staff.id, client_id=ana.id, diagnosis_id=depression.id,
                      step=-1)
    assert dx.valid_on(rows, date(2026, 3, 20)) == [depression, anxiety]
    assert (depression.position, anxiety.position) == (0, 1)


def test_diagnoses_on_loads_many_clients_in_one_query(session, world, engine):
    staff, ana, ben = world
    add(session, staff, ana, "F41.1", "2026-01-01", "2026-01-31")  # ended before the range
    a2 = add(session, staff, ana, "F43.10", "2026-02-10")
    b1 = add(session, staff, ben, "Z63.0", "2026-02-28", "2026-03-05")
    add(session, staff, ben, "F32.9", "2026-03-01")  # starts after the range
    session.commit()
    out = {}
    sent = statements_of(engine, lambda: out.update(found=dx.diagnoses_on(
        session, [ana.id, ben.id, 999999], date(2026, 2, 1), date(2026, 2, 28))))
    found = out["found"]
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) == 1
    assert {k: [d.id for d in v] for k, v in found.items()} == {ana.id: [a2.id], ben.id: [b1.id]}
    assert dx.diagnoses_on(session, [], date(2026, 2, 1), date(2026, 2, 28)) == {}


def test_bad_fields_each_named_and_nothing_added(session, world):
    staff, ana, _ = world
    with pytest.raises(FormErrors) as err:
        dx.add_diagnosis(session, staff_id=staff.id, client_id=ana.id,
                         form={"code": "U07", "from_date": "", "until_date": "soon"})
    assert err.value.errors == {"code": "Enter an ICD-10 code such as F41.1.",
                                "from_date": "Enter the date it applies from.",
                                "until_date": "Enter a date."}
    with pytest.raises(ServiceError) as err:
        add(session, staff, ana, "F41.1", "2026-03-10", "2026-03-09")
    assert (err.value.field, err.value.message) == (
        "until_date", "The end date must be on or after the start date.")
    assert session.exec(select(ClientDiagnosis)).all() == []


def test_edit_end_and_remove_are_audited(session, world):
    staff, ana, _ = world
    row = add(session, staff, ana, "F41.1", "2026-03-01")
    dx.update_diagnosis(session, staff_id=staff.id, client_id=ana.id, diagnosis_id=row.id,
                        form={"code": "F41.9", "description": "Unspecified",
                              "from_date": "2026-03-02", "until_date": ""})
    assert (row.code, row.description, row.from_date) == ("F41.9", "Unspecified",
                                                          date(2026, 3, 2))
    with pytest.raises(ServiceError) as err:
        dx.end_diagnosis(session, staff_id=staff.id, client_id=ana.id, diagnosis_id=row.id,
                         until="2026-03-01")
    assert err.value.field == "until_date"
    dx.end_diagnosis(session, staff_id=staff.id, client_id=ana.id, diagnosis_id=row.id,
                     until="2026-04-30")
    assert row.until_date == date(2026, 4, 30)
    dx.remove_diagnosis(session, staff_id=staff.id, client_id=ana.id, diagnosis_id=row.id)
    assert dx.list_diagnoses(session, client_id=ana.id) == []
    actions = session.exec(select(AuditEvent.action).where(
        AuditEvent.client_id == ana.id)).all()
    assert actions == ["client.diagnosis_added", "client.diagnosis_changed",
                       "client.diagnosis_changed", "client.diagnosis_removed"]


def test_another_clients_diagnosis_is_refused_by_every_write(session, world):
    staff, ana, ben = world
    bens = add(session, staff, ben, "F41.1", "2026-03-01")
    form = {"code": "F99", "from_date": "2026-01-01"}
    for write in (
        lambda: dx.update_diagnosis(session, staff_id=staff.id, client_id=ana.id,
                                    diagnosis_id=bens.id, form=form),
        lambda: dx.end_diagnosis(session, staff_id=staff.id, client_id=ana.id,
                                 diagnosis_id=bens.id, until="2026-05-01"),
        lambda: dx.remove_diagnosis(session, staff_id=staff.id, client_id=ana.id,
                                    diagnosis_id=bens.id),
        lambda: dx.move_diagnosis(session, staff_id=staff.id, client_id=ana.id,
                                  diagnosis_id=bens.id, step=-1),
        lambda: dx.get_diagnosis_for(session, client_id=ana.id, diagnosis_id="nonsense"),
    ):
        with pytest.raises(NotFound):
            write()
    assert (bens.code, bens.until_date, bens.client_id) == ("F41.1", None, ben.id)
    with pytest.raises(NotFound):
        dx.add_diagnosis(session, staff_id=staff.id, client_id=999999, form=form)
