"""The client's own profile: validation that changes nothing on bad input, the
one-time browser time zone, language, and the request to close the account."""

import pytest
from sqlmodel import select

from models import AuditEvent, Client, OutboxMessage
from portal_app.services.errors import ServiceError
from portal_app.services.profile import (
    ProfileErrors,
    dismiss_closure,
    needs_timezone,
    request_closure,
    set_language,
    store_detected_timezone,
    update_profile,
)
from tests import factories

BASE_URL = "https://portal.studio.test"
GOOD = {"full_name": "Ana  Gómez", "mobile": "+34 600 111 222", "timezone": "Europe/Madrid",
        "language": "es"}


@pytest.fixture
def alex(session):
    factories.business(session, contact_email="owner@studio.test", timezone="America/Chicago")
    account, (client,) = factories.household(session, names=("Alex",), access="active")
    session.commit()
    return account, client


def audits(session, action):
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id)).all())


def snapshot(session, client_id):
    session.expire_all()
    c = session.get(Client, client_id)
    return (c.full_name, c.mobile, c.timezone, c.language, c.timezone_detected_at)


# --- editing ---------------------------------------------------------------------------------


def test_update_profile_saves_every_field_and_audits_the_changed_ones(session, alex):
    account, client = alex

    changed = update_profile(session, account_id=account.id, client_id=client.id,
                             form=dict(GOOD), ip="198.51.100.7")

    assert changed == ["full_name", "mobile", "timezone", "language"]
    saved = session.get(Client, client.id)
    assert (saved.full_name, saved.mobile, saved.timezone, saved.language) == (
        "Ana Gómez", "+34 600 111 222", "Europe/Madrid", "es")
    assert saved.timezone_detected_at is not None  # chosen counts as set
    (row,) = audits(session, "client.profile_updated")
    assert row.actor_kind == "client" and row.actor_id == account.id
    assert row.client_id == client.id and row.ip == "198.51.100.7"
    assert row.detail == {"fields": changed}


def test_update_profile_with_nothing_changed_writes_no_audit(session, alex):
    account, client = alex
    update_profile(session, account_id=account.id, client_id=client.id, form=dict(GOOD))

    assert update_profile(session, account_id=account.id, client_id=client.id,
                          form=dict(GOOD)) == []
    assert len(audits(session, "client.profile_updated")) == 1


@pytest.mark.parametrize("field,value,message", [
    ("full_name", "   ", "Enter your full name."),
    ("full_name", "x" * 201, "Use at most 200 characters."),
    ("mobile", "call me", "Enter a mobile number with country code, e.g. +1 555 010 0200."),
    ("mobile", "+1 23", "Enter a mobile number with country code, e.g. +1 555 010 0200."),
    ("timezone", "Mars/Olympus_Mons", "Choose a time zone from the list, e.g. America/New_York."),
    ("timezone", "", "Choose a time zone from the list, e.g. America/New_York."),
    ("timezone", ["Europe/Madrid"], "Choose a time zone from the list, e.g. America/New_York."),
    ("language", "fr", "Choose a language from the list."),
    ("language", "", "Choose a language from the list."),
])
def test_bad_field_is_named_and_changes_nothing(session, alex, field, value, message):
    account, client = alex
    before = snapshot(session, client.id)

    with pytest.raises(ProfileErrors) as info:
        update_profile(session, account_id=account.id, client_id=client.id,
                       form={**GOOD, field: value})

    assert info.value.errors == {field: message}
    assert info.value.field == field and info.value.message == message
    assert snapshot(session, client.id) == before
    assert audits(session, "client.profile_updated") == []


def test_every_bad_field_is_reported_at_once(session, alex):
    account, client = alex
    with pytest.raises(ProfileErrors) as info:
        update_profile(session, account_id=account.id, client_id=client.id,
                       form={"full_name": "", "mobile": "abc", "timezone": "Nowhere",
                             "language": "xx"})
    assert set(info.value.errors) == {"full_name", "mobile", "timezone", "language"}


def test_an_empty_mobile_is_allowed(session, alex):
    account, client = alex
    update_profile(session, account_id=account.id, client_id=client.id,
                   form={**GOOD, "mobile": ""})
    assert session.get(Client, client.id).mobile == ""


def test_set_language_saves_a_known_language_only(session, alex):
    account, client = alex
    assert set_language(session, account_id=account.id, client_id=client.id,
                        language="es") == "es"
    assert session.get(Client, client.id).language == "es"
    with pytest.raises(ServiceError):
        set_language(session, account_id=account.id, client_id=client.id, language="de")
    assert session.get(Client, client.id).language == "es"
    assert [a.detail for a in audits(session, "client.profile_updated")] == [
        {"fields": ["language"]}]


# --- the list of zones -----------------------------------------------------------------------


def test_an_old_alias_is_saved_as_its_zone_and_a_bad_zone_is_refused(session, alex):
    account, client = alex
    update_profile(session, account_id=account.id, client_id=client.id,
                   form={**GOOD, "timezone": "Asia/Calcutta"})
    assert session.get(Client, client.id).timezone == "Asia/Kolkata"
    for bad in ("Etc/GMT+5", "Mars/Base", ""):
        with pytest.raises(ProfileErrors) as refused:
            update_profile(session, account_id=account.id, client_id=client.id,
                           form={**GOOD, "timezone": bad})
        assert list(refused.value.errors) == ["timezone"]
    assert session.get(Client, client.id).timezone == "Asia/Kolkata"


def test_a_detected_old_alias_is_stored_as_its_zone(session, alex):
    account, client = alex
    assert store_detected_timezone(session, account_id=account.id, client_id=client.id,
                                   zone="Asia/Saigon")
    session.expire_all()
    assert session.get(Client, client.id).timezone == "Asia/Ho_Chi_Minh"


# --- the browser's time zone, once --------------------------------------------------------


def test_detected_zone_is_stored_once(session, alex):
    account, client = alex
    assert needs_timezone(session, client_id=client.id)

    assert store_detected_timezone(session, account_id=account.id, client_id=client.id,
                                   zone="Asia/Tokyo")
    session.commit()
    assert not store_detected_timezone(session, account_id=account.id, client_id=client.id,
                                       zone="Europe/Paris")

    session.expire_all()
    saved = session.get(Client, client.id)
    assert saved.timezone == "Asia/Tokyo" and saved.timezone_detected_at is not None
    assert not needs_timezone(session, client_id=client.id)
    (row,) = audits(session, "client.timezone_detected")
    assert row.detail == {"timezone": "Asia/Tokyo"} and row.client_id == client.id


@pytest.mark.parametrize("zone", ["", "Mars/Base", "../../etc/passwd", None, 42, ["UTC"],
                                  "x" * 500])
def test_detected_zone_must_be_a_real_zone(session, alex, zone):
    account, client = alex
    assert not store_detected_timezone(session, account_id=account.id, client_id=client.id,
                                       zone=zone)
    assert needs_timezone(session, client_id=client.id)
    assert audits(session, "client.timezone_detected") == []


def test_a_chosen_zone_is_never_overwritten_by_detection(session, alex):
    account, client = alex
    update_profile(session, account_id=account.id, client_id=client.id, form=dict(GOOD))

    assert not store_detected_timezone(session, account_id=account.id, client_id=client.id,
                                       zone="Asia/Tokyo")
    session.expire_all()
    assert session.get(Client, client.id).timezone == "Europe/Madrid"


def test_detection_touches_only_the_given_record(session, alex):
    account, client = alex
    _, (other,) = factories.household(session, names=("Other",), access="active")
    store_detected_timezone(session, account_id=account.id, client_id=client.id,
                            zone="Asia/Tokyo")
    session.expire_all()
    assert session.get(Client, other.id).timezone == ""
    assert needs_timezone(session, client_id=other.id)


# --- closing the account ------------------------------------------------------------------


def test_closure_request_is_kept_audited_and_emailed_to_the_business(session, alex):
    account, client = alex

    request_closure(session, account_id=account.id, client_id=client.id,
                    reason="  Moving abroad.\nThanks for everything!  ", base_url=BASE_URL)

    saved = session.get(Client, client.id)
    assert saved.closure_requested_at is not None
    assert saved.closure_reason == "Moving abroad.\nThanks for everything!"
    assert saved.portal_access == "active"  # nothing deleted, nothing disabled
    (mail,) = session.exec(select(OutboxMessage)).all()
    assert mail.to == "owner@studio.test"
    assert client.full_name in mail.subject
    assert "Moving abroad." in mail.body_text
    assert f"{BASE_URL}/console/client?id={client.id}" in mail.body_text
    assert "&lt;" not in mail.body_text
    (row,) = audits(session, "client.closure_requested")
    assert row.actor_id == account.id and row.client_id == client.id
    assert row.detail == {"reason": "Moving abroad.\nThanks for everything!", "emailed": True}


def test_closure_reason_is_escaped_in_the_html_email(session, alex):
    account, client = alex
    request_closure(session, account_id=account.id, client_id=client.id,
                    reason="<script>alert(1)</script>", base_url=BASE_URL)
    (mail,) = session.exec(select(OutboxMessage)).all()
    assert "<script>" not in mail.body_html and "&lt;script&gt;" in mail.body_html


def test_closure_without_a_reason_or_contact_email_is_still_recorded(session):
    factories.business(session, contact_email="")
    account, (client,) = factories.household(session, access="active")

    request_closure(session, account_id=account.id, client_id=client.id, reason=None,
                    base_url=BASE_URL)

    assert session.get(Client, client.id).closure_requested_at is not None
    assert session.exec(select(OutboxMessage)).all() == []
    assert audits(session, "client.closure_requested")[0].detail["emailed"] is False


def test_closure_asked_twice_is_refused_and_sends_one_email(session, alex):
    account, client = alex
    request_closure(session, account_id=account.id, client_id=client.id, reason="First",
                    base_url=BASE_URL)
    with pytest.raises(ServiceError, match="already asked"):
        request_closure(session, account_id=account.id, client_id=client.id, reason="Again",
                        base_url=BASE_URL)
    assert session.get(Client, client.id).closure_reason == "First"
    assert len(session.exec(select(OutboxMessage)).all()) == 1


def test_closure_reason_too_long_changes_nothing(session, alex):
    account, client = alex
    with pytest.raises(ServiceError) as info:
        request_closure(session, account_id=account.id, client_id=client.id,
                        reason="x" * 1001, base_url=BASE_URL)
    assert info.value.field == "reason"
    assert session.get(Client, client.id).closure_requested_at is None
    assert session.exec(select(OutboxMessage)).all() == []


def test_staff_dismiss_clears_the_request_and_audits_what_was_asked(session, alex):
    account, client = alex
    staff = factories.staff(session)
    request_closure(session, account_id=account.id, client_id=client.id, reason="Too pricey",
                    base_url=BASE_URL)

    dismiss_closure(session, staff_id=staff.id, client_id=client.id)

    saved = session.get(Client, client.id)
    assert saved.closure_requested_at is None and saved.closure_reason == ""
    (row,) = audits(session, "client.closure_dismissed")
    assert row.actor_kind == "staff" and row.actor_id == staff.id
    assert row.detail["reason"] == "Too pricey" and row.detail["requested_at"]
    with pytest.raises(ServiceError, match="has not asked"):
        dismiss_closure(session, staff_id=staff.id, client_id=client.id)


# --- email choices ----------------------------------------------------------------------------


def test_email_choices_change_only_the_optional_kinds(session, alex):
    from portal_app.services.profile import OPTIONAL_EMAILS, save_email_choices

    _, client = alex
    assert OPTIONAL_EMAILS == ("message", "document", "course")
    client.email_notifications = ["booking", "invoice", "message"]
    session.add(client)
    session.flush()

    # A forged "booking" is ignored: booking, invoice and payment emails always go.
    saved = save_email_choices(session, client_id=client.id, chosen=["document", "booking"])
    assert saved == ["document", "invoice", "booking"]  # in NotificationKind order
    saved = save_email_choices(session, client_id=client.id, chosen=[])
    assert saved == ["invoice", "booking"]
    assert session.get(Client, client.id).email_notifications == ["invoice", "booking"]


def test_an_email_to_the_business_address_is_in_the_language_of_the_staff_member_it_reaches(
        session, alex):
    """The business writes in English, but the owner whose sign-in is the contact
    address chose Spanish for the console: what reaches that inbox is in Spanish."""
    from models import StaffUser
    from portal_app.services.business import get_business
    from portal_app.services.emails import inbox_language

    account, client = alex
    business = get_business(session)
    assert inbox_language(session, business) == "en"
    session.add(StaffUser(email="Owner@Studio.test", full_name="Owner", role="owner",
                          password_hash="!unusable", language="es"))
    session.flush()
    assert inbox_language(session, business) == "es"

    request_closure(session, account_id=account.id, client_id=client.id, reason="Me mudo.",
                    base_url=BASE_URL)

    (mail,) = session.exec(select(OutboxMessage)).all()
    assert mail.to == "owner@studio.test"
    assert mail.subject.endswith("pide cerrar su cuenta del portal")
