"""Packets that send themselves: at a booking (made, confirmed or approved, or of a
chosen service) through booking_changes, each once per client; and sending a form
to a client without portal access activates it when the business activates at the
first share. Rules only, no Reflex."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import FormRequest, FormTriggerFiring, Invitation, PortalAccess, PortalActivation
from portal_app.services import clients, portal_settings
from portal_app.services.forms import hooks
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.sending import send_form
from portal_app.services.forms.templates import create_template
from portal_app.services.scheduling import booking_changes
from tests import factories
from tests.unit.forms_helpers import CONSENT_FIELDS, INTAKE_FIELDS, NOW

AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday after NOW
BASE = "https://portal.example.test"


def _setup(session, **service_fields):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    svc = factories.service(session, providers=[staff], duration_minutes=60, **service_fields)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    return staff, svc, intake, consent, factories.client(session)


def _book(session, client, svc, at=AT, **kw):
    return booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                            start_at=at, now=NOW, base_url=BASE, **kw)


def _sent(session, client) -> list[int]:
    return list(session.exec(select(FormRequest.template_id).where(
        FormRequest.client_id == client.id).order_by(FormRequest.id)).all())


def test_the_first_booking_sends_its_packet_once_and_a_service_packet_per_service(session):
    staff, svc, intake, consent, client = _setup(session)
    other = factories.service(session, providers=[staff], duration_minutes=60)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="first_booking_made")
    create_packet(session, staff_id=staff.id, name="Other", template_ids=[consent.id],
                  trigger="service_booked", trigger_service_id=other.id)

    _book(session, client, svc)
    assert _sent(session, client) == [intake.id]
    _book(session, client, svc, AT + timedelta(hours=2))
    assert _sent(session, client) == [intake.id]  # not the first booking: nothing more
    _book(session, client, other, AT + timedelta(hours=4))
    _book(session, client, other, AT + timedelta(hours=6))
    assert _sent(session, client) == [intake.id, consent.id]  # once for the service
    assert len(session.exec(select(FormTriggerFiring)).all()) == 2


def test_a_booking_waiting_for_approval_sends_the_confirmed_packet_when_approved(session):
    staff, svc, intake, consent, client = _setup(session, needs_approval=True)
    create_packet(session, staff_id=staff.id, name="Confirmed", template_ids=[consent.id],
                  trigger="first_booking_confirmed")

    booking = _book(session, client, svc)
    assert _sent(session, client) == []  # a request, not confirmed yet
    booking_changes.approve_with_notice(session, staff_id=staff.id, booking_id=booking.id,
                                        base_url=BASE)
    assert _sent(session, client) == [consent.id]
    second = _book(session, client, svc, AT + timedelta(hours=2), by_staff_id=staff.id)
    assert second.status == "confirmed"
    assert _sent(session, client) == [consent.id]  # once per client


def test_an_instant_booking_sends_the_confirmed_packet_at_once(session):
    staff, svc, _, consent, client = _setup(session)
    create_packet(session, staff_id=staff.id, name="Confirmed", template_ids=[consent.id],
                  trigger="first_booking_confirmed")
    _book(session, client, svc)
    assert _sent(session, client) == [consent.id]


def test_the_client_created_hook_sends_once(session):
    staff, _, intake, _, _ = _setup(session)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="client_created")
    client = clients.create_client(session, staff_id=staff.id, email_ok=True,
                                   form={"full_name": "Robin Park", "email": "robin@ex.test"})
    assert [r.template_id for r in hooks.on_client_created(
        session, client_id=client.id, base_url=BASE, now=NOW)] == [intake.id]
    assert hooks.on_client_created(session, client_id=client.id, base_url=BASE, now=NOW) == []


def test_sending_a_form_activates_the_portal_at_the_first_share(session):
    staff, _, intake, consent, _ = _setup(session)
    portal_settings.set_activation_mode(session, staff_id=staff.id,
                                        mode=PortalActivation.FIRST_SHARE)
    client = clients.create_client(session, staff_id=staff.id, email_ok=True,
                                   form={"full_name": "Robin Park", "email": "robin@ex.test"})
    assert client.portal_access == PortalAccess.NOT_INVITED

    send_form(session, staff_id=staff.id, client_id=client.id, template_id=intake.id,
              base_url=BASE, now=NOW)
    send_form(session, staff_id=staff.id, client_id=client.id, template_id=consent.id,
              base_url=BASE, now=NOW)

    session.refresh(client)
    assert client.portal_access == PortalAccess.INVITED
    assert len(session.exec(select(Invitation).where(
        Invitation.client_id == client.id)).all()) == 1
