"""Templates are versioned (a sent version never changes), sending is idempotent
and announced once, each trigger fires once per client and packet, staff can
cancel, and the outstanding list."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import (
    AuditEvent,
    Booking,
    FormRequest,
    FormTemplateVersion,
    FormTriggerFiring,
    Notification,
    OutboxMessage,
)
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.forms.packets import claim_firing, create_packet
from portal_app.services.forms.requests import (
    cancel_request,
    count_outstanding,
    list_outstanding,
    mark_opened,
)
from portal_app.services.forms.sending import fire_trigger, send_packet
from portal_app.services.forms.templates import latest_version, save_template
from tests import factories
from tests.unit.forms_helpers import BASE_URL, CONSENT_FIELDS, INTAKE_FIELDS, NOW, send, setup
from tests.unit.helpers import count


def rows(session, model, **where):
    query = select(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return list(session.exec(query).all())


# --- versioning ----------------------------------------------------------------------------


def test_editing_an_unsent_template_changes_its_version_in_place(session):
    staff, _, _, template = setup(session)

    version = save_template(session, staff_id=staff.id, template_id=template.id,
                            title="Intake v2", intro="", fields=INTAKE_FIELDS[:2])

    assert version.number == 1
    assert count(session, FormTemplateVersion) == 1


def test_editing_a_sent_template_makes_a_new_version_and_the_sent_form_keeps_its_own(session):
    staff, _, (alex,), template = setup(session)
    request = send(session, staff, alex, template)
    sent_version = session.get(FormTemplateVersion, request.version_id)

    new = save_template(session, staff_id=staff.id, template_id=template.id,
                        title="Intake (new)", intro="Hi", fields=INTAKE_FIELDS[:2])

    assert (new.number, new.id != sent_version.id) == (2, True)
    session.refresh(sent_version)
    assert sent_version.title == "Intake" and len(sent_version.fields) == len(INTAKE_FIELDS)
    assert session.get(FormRequest, request.id).version_id == sent_version.id
    assert latest_version(session, template_id=template.id).id == new.id


def test_saving_unchanged_content_makes_no_new_version(session):
    staff, _, (alex,), template = setup(session)
    send(session, staff, alex, template)
    version = latest_version(session, template_id=template.id)

    same = save_template(session, staff_id=staff.id, template_id=template.id, title="Intake",
                         intro="", fields=version.fields)

    assert same.id == version.id


# --- sending -------------------------------------------------------------------------------


def test_sending_announces_once_under_the_bell_and_by_email_and_is_idempotent(session):
    staff, account, (alex,), template = setup(session)

    first = send(session, staff, alex, template)
    again = send(session, staff, alex, template)

    assert first.id == again.id and first.status == "sent"
    (note,) = rows(session, Notification, client_id=alex.id)
    assert (note.kind, note.link, note.params) == ("form", "/forms",
                                                   {"count": 1, "title": "Intake"})
    assert note.title == "New form to complete: Intake"
    (mail,) = rows(session, OutboxMessage, to=account.email)
    assert "Intake" in mail.subject and "http://portal.test/forms" in mail.body_text
    (audit,) = rows(session, AuditEvent, action="form.sent")
    assert audit.detail["request_ids"] == [first.id]


def test_send_packet_makes_one_request_per_template_in_order_with_a_due_date(session):
    staff, _, (alex,), intake = setup(session)
    from portal_app.services.forms.templates import create_template

    consent = create_template(session, staff_id=staff.id, title="Consent", fields=CONSENT_FIELDS)
    packet = create_packet(session, staff_id=staff.id, name="New client",
                           template_ids=[consent.id, intake.id], due_rule="days_after_sent",
                           due_amount=3)

    requests = send_packet(session, staff_id=staff.id, client_id=alex.id, packet_id=packet.id,
                           base_url=BASE_URL, now=NOW)

    assert [(r.template_id, r.position) for r in requests] == [(consent.id, 0), (intake.id, 1)]
    assert all(r.due_at == NOW + timedelta(days=3) and r.packet_id == packet.id
               for r in requests)
    (note,) = rows(session, Notification, client_id=alex.id)
    assert note.title == "2 new forms to complete"


def test_due_hours_before_the_first_appointment(session):
    staff, _, (alex,), intake = setup(session)
    svc = factories.service(session, providers=[staff])
    start = NOW + timedelta(days=2)
    session.add(Booking(client_id=alex.id, service_id=svc.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1)))
    packet = create_packet(session, staff_id=staff.id, name="P", template_ids=[intake.id],
                           due_rule="hours_before_first_appointment", due_amount=24)

    (request,) = send_packet(session, staff_id=staff.id, client_id=alex.id,
                             packet_id=packet.id, base_url=BASE_URL, now=NOW)

    assert request.due_at == start - timedelta(hours=24)


def test_a_packet_needs_known_templates_and_a_sane_due_rule(session):
    staff, _, _, intake = setup(session)
    with pytest.raises(NotFound):
        create_packet(session, staff_id=staff.id, name="P", template_ids=[999])
    with pytest.raises(ServiceError):
        create_packet(session, staff_id=staff.id, name="P", template_ids=[intake.id],
                      due_rule="days_after_sent", due_amount=0)
    with pytest.raises(ServiceError):
        create_packet(session, staff_id=staff.id, name="P", template_ids=[intake.id],
                      trigger="on_a_whim")


# --- triggers ------------------------------------------------------------------------------


def test_client_created_trigger_fires_once_per_client_and_packet(session):
    staff, _, (alex, sam), intake = setup(session, names=("Alex", "Sam"))
    packet = create_packet(session, staff_id=staff.id, name="New client",
                           template_ids=[intake.id], trigger="client_created")

    first = fire_trigger(session, client_id=alex.id, event="client_created", base_url=BASE_URL,
                         now=NOW)
    cancel_request(session, staff_id=staff.id, request_id=first[0].id, now=NOW)
    again = fire_trigger(session, client_id=alex.id, event="client_created", base_url=BASE_URL,
                         now=NOW)
    other = fire_trigger(session, client_id=sam.id, event="client_created", base_url=BASE_URL,
                         now=NOW)

    assert len(first) == 1 and again == [] and len(other) == 1
    assert len(rows(session, FormTriggerFiring, packet_id=packet.id)) == 2
    assert first[0].trigger == "client_created" and first[0].sent_by_staff_id is None


def test_a_second_firing_for_the_same_client_and_packet_is_skipped_not_an_error(session):
    staff, _, (alex,), intake = setup(session)
    packet = create_packet(session, staff_id=staff.id, name="P", template_ids=[intake.id],
                           trigger="client_created")
    assert claim_firing(session, packet=packet, client_id=alex.id, now=NOW) is True
    assert claim_firing(session, packet=packet, client_id=alex.id, now=NOW) is False
    assert len(rows(session, FormTriggerFiring, packet_id=packet.id)) == 1
    # the constraint itself still holds against a plain insert
    session.add(FormTriggerFiring(packet_id=packet.id, client_id=alex.id, trigger="x",
                                  fired_at=NOW))
    with pytest.raises(IntegrityError):
        session.flush()


def test_first_booking_trigger_skips_a_client_with_earlier_bookings_and_service_trigger_matches(
        session):
    staff, _, (alex, sam), intake = setup(session, names=("Alex", "Sam"))
    massage = factories.service(session, providers=[staff])
    other = factories.service(session, providers=[staff])
    create_packet(session, staff_id=staff.id, name="First", template_ids=[intake.id],
                  trigger="first_booking_made")
    from portal_app.services.forms.templates import create_template

    consent = create_template(session, staff_id=staff.id, title="Consent", fields=CONSENT_FIELDS)
    create_packet(session, staff_id=staff.id, name="Massage", template_ids=[consent.id],
                  trigger="service_booked", trigger_service_id=massage.id)

    def book(client, service):
        b = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                    start_at=NOW + timedelta(days=1), end_at=NOW + timedelta(days=1, hours=1))
        session.add(b)
        session.flush()
        return fire_trigger(session, client_id=client.id, event="booking_made",
                            service_id=service.id, booking_id=b.id, base_url=BASE_URL, now=NOW)

    assert [r.template_id for r in book(alex, other)] == [intake.id]
    assert [r.template_id for r in book(alex, massage)] == [consent.id]  # not the first again
    assert book(alex, massage) == []
    session.add(Booking(client_id=sam.id, service_id=other.id, staff_id=staff.id,
                        start_at=NOW, end_at=NOW + timedelta(hours=1)))
    assert book(sam, other) == []  # an earlier booking: this is not the first


def test_a_manual_packet_never_fires_by_itself(session):
    staff, _, (alex,), intake = setup(session)
    create_packet(session, staff_id=staff.id, name="Manual", template_ids=[intake.id])
    assert fire_trigger(session, client_id=alex.id, event="client_created", base_url=BASE_URL,
                        now=NOW) == []


# --- requests ------------------------------------------------------------------------------


def test_cancel_is_audited_and_only_for_open_forms(session):
    staff, _, (alex,), intake = setup(session)
    request = send(session, staff, alex, intake)

    cancel_request(session, staff_id=staff.id, request_id=request.id, now=NOW)

    assert session.get(FormRequest, request.id).status == "cancelled"
    assert rows(session, AuditEvent, action="form.cancelled")[0].client_id == alex.id
    with pytest.raises(ServiceError):
        cancel_request(session, staff_id=staff.id, request_id=request.id, now=NOW)
    assert count_outstanding(session, client_id=alex.id) == 0


def test_list_outstanding_filters_by_status_client_and_overdue(session):
    staff, _, (alex, sam), intake = setup(session, names=("Alex", "Sam"))
    late = send(session, staff, alex, intake)
    late.due_at = NOW - timedelta(hours=1)
    session.add(late)
    fresh = send(session, staff, sam, intake)
    mark_opened(session, client_id=sam.id, request_id=fresh.id, now=NOW)

    everything = list_outstanding(session, now=NOW)
    assert [(r.request.id, r.client_name, r.title, r.overdue) for r in everything] == [
        (late.id, alex.full_name, "Intake", True), (fresh.id, sam.full_name, "Intake", False)]
    assert [r.request.id for r in list_outstanding(session, now=NOW, overdue_only=True)] == \
        [late.id]
    assert [r.request.id for r in list_outstanding(session, now=NOW, status="opened")] == \
        [fresh.id]
    assert [r.request.id for r in list_outstanding(session, now=NOW, client_id=sam.id)] == \
        [fresh.id]


def test_two_workers_firing_the_same_trigger_at_once_send_the_packet_once(pg_url):
    """On PostgreSQL the second worker's mark waits for the first transaction and then
    skips: one set of requests, and the second worker's own transaction still commits."""
    import threading

    from sqlmodel import Session, SQLModel

    from portal_app.db import make_engine

    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as setup_session:
        staff, _, (alex,), intake = setup(setup_session)
        create_packet(setup_session, staff_id=staff.id, name="P", template_ids=[intake.id],
                      trigger="client_created")
        setup_session.commit()
        alex_id = alex.id
    first, second = Session(engine), Session(engine)
    results = {}
    try:
        results["first"] = fire_trigger(first, client_id=alex_id, event="client_created",
                                        base_url=BASE_URL, now=NOW)

        def other_worker():
            results["second"] = fire_trigger(second, client_id=alex_id, event="client_created",
                                             base_url=BASE_URL, now=NOW)
            second.commit()

        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting on the first worker's mark
        first.commit()
        worker.join(10)
        assert not worker.is_alive()
    finally:
        first.close()
        second.close()
    with Session(engine) as check:
        assert len(results["first"]) == 1 and results["second"] == []
        assert len(check.exec(select(FormRequest)).all()) == 1
        assert len(check.exec(select(FormTriggerFiring)).all()) == 1
    engine.dispose()
