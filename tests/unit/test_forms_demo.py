"""The demo data ships two starter forms in a manual "New client" packet, and
they work: the consent form needs a signature, the information form fills the
client record."""

from datetime import UTC, datetime

from sqlmodel import select

from models import Client, FormPacket, FormTemplate, PortalAccount
from portal_app.services.demo import DEMO_CLIENT, seed_demo
from portal_app.services.forms.consent import current_consent
from portal_app.services.forms.sending import send_packet
from portal_app.services.forms.submit import submit_form

NOW = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


def test_demo_forms_are_sent_filled_in_and_fill_the_profile(session):
    seed_demo(session)
    (packet,) = session.exec(select(FormPacket)).all()
    titles = {t.id: t.title for t in session.exec(select(FormTemplate)).all()}
    assert (packet.name, packet.trigger) == ("New client", "manual")
    assert [titles[i] for i in packet.template_ids] == ["Consent to treatment",
                                                        "Client information"]
    account = session.exec(select(PortalAccount).where(PortalAccount.email == DEMO_CLIENT)).one()
    client = session.exec(select(Client).where(Client.account_id == account.id)).first()

    consent, info = send_packet(session, staff_id=None, client_id=client.id,
                                packet_id=packet.id, base_url="http://demo.test", now=NOW)
    facts = {"account_id": account.id, "email": account.email, "ip": "", "user_agent": "",
             "now": NOW}
    submit_form(session, client_id=client.id, request_id=consent.id,
                consent_version=current_consent(session).version,
                answers={"signature": {"mode": "typed", "text": "Jo"},
                         "signed_on": "2030-05-01"}, **facts)
    submit_form(session, client_id=client.id, request_id=info.id, consent_version=None,
                answers={"phone": "+1 212 736 5000", "date_of_birth": "1991-04-05",
                         "address": "1 Main St", "emergency_contact": "Sam, +1 212 736 5001",
                         "timezone": "Europe/Madrid", "conditions": "no"}, **facts)

    session.refresh(client)
    assert (client.mobile, client.date_of_birth.isoformat(), client.address,
            client.emergency_contact, client.timezone) == (
        "+1 212-736-5000", "1991-04-05", "1 Main St", "Sam, +1 212 736 5001", "Europe/Madrid")
