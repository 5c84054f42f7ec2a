"""The insurance billing setup: the provider block (each bad field named, nothing
saved), the tax id kept masked, the owner-only rule, the signature image kept
private, and the codes of services and the insurance fields of clients."""

from datetime import date

import pytest
from sqlmodel import select

from models import AuditEvent, Business
from portal_app.services.billing.superbills import setup
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories

GOOD_NPI = "1234567893"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def good_form(**overrides):
    return {"legal_name": "Harbor Wellness LLC", "npi_individual": GOOD_NPI,
            "npi_organisation": "", "tax_id": "12-3456789", "tax_id_kind": "ein",
            "license_number": "LMFT 12345", "license_state": "ca",
            "taxonomy_code": "101ym0800x", "address": "1 Main St, Springfield",
            "phone": "+1 555 0100", "superbill_auto_day": "3", **overrides}


@pytest.fixture
def owner(session):
    factories.business(session, address="9 Old Rd", contact_phone="555-0000")
    return factories.staff(session, role="owner")


def test_setup_saved_in_stored_form_and_audited(session, owner):
    setup.save_insurance_setup(session, staff_id=owner.id, form=good_form())
    b = session.exec(select(Business)).one()
    assert (b.legal_name, b.npi_individual, b.tax_id, b.tax_id_kind) == (
        "Harbor Wellness LLC", GOOD_NPI, "12-3456789", "ein")
    assert (b.license_state, b.taxonomy_code, b.superbill_auto_day) == ("CA", "101YM0800X", 3)
    assert (b.address, b.contact_phone) == ("1 Main St, Springfield", "+1 555 0100")
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "superbills.setup_changed")).one()
    assert audit.detail["tax_id_changed"] is True
    assert "3456789" not in repr(audit.detail)


@pytest.mark.parametrize("field,value,message", [
    ("npi_individual", "1234567890", "That NPI's check digit is wrong: check for a typo."),
    ("npi_organisation", "12345", "Enter the NPI's ten digits."),
    ("tax_id", "12-345", "Enter the EIN as nine digits (12-3456789)."),
    ("license_state", "Calif", "Enter the two-letter state, such as CA."),
    ("taxonomy_code", "101YM", "Enter the ten-character taxonomy code, such as 101YM0800X."),
    ("superbill_auto_day", "29", "Choose a day from 1 to 28, or 0 for off."),
    ("superbill_auto_day", "x", "Choose a day from 1 to 28, or 0 for off."),
    ("legal_name", "x" * 201, "Use at most 200 characters."),
])
def test_each_bad_field_is_named_and_nothing_saved(session, owner, field, value, message):
    with pytest.raises(setup.FormErrors) as err:
        setup.save_insurance_setup(session, staff_id=owner.id, form=good_form(**{field: value}))
    assert err.value.errors == {field: message}
    b = session.exec(select(Business)).one()
    assert (b.legal_name, b.npi_individual, b.tax_id, b.superbill_auto_day) == ("", "", "", 0)


def test_several_bad_fields_each_get_their_message(session, owner):
    with pytest.raises(setup.FormErrors) as err:
        setup.save_insurance_setup(session, staff_id=owner.id, form=good_form(
            npi_individual="1", tax_id_kind="ssn", tax_id="12-3456789"))
    assert set(err.value.errors) == {"npi_individual", "tax_id"}
    assert err.value.errors["tax_id"] == "Enter the SSN as nine digits (123-45-6789)."


def test_tax_id_is_shown_masked_and_kept_when_left_blank(session, owner):
    setup.save_insurance_setup(session, staff_id=owner.id,
                               form=good_form(tax_id="987654321", tax_id_kind="ssn"))
    shown = setup.get_insurance_setup(session)
    assert shown.tax_id_masked == "•••-••-4321"
    assert "98765" not in repr(shown) and "987-65" not in repr(shown)
    setup.save_insurance_setup(session, staff_id=owner.id,
                               form=good_form(tax_id="", tax_id_kind="ssn", legal_name="New"))
    b = session.exec(select(Business)).one()
    assert (b.tax_id, b.legal_name) == ("987-65-4321", "New")
    setup.save_insurance_setup(session, staff_id=owner.id,
                               form=good_form(tax_id="", tax_id_clear="on"))
    assert session.exec(select(Business)).one().tax_id == ""


def test_a_new_kind_needs_a_tax_id_of_that_kind(session, owner):
    setup.save_insurance_setup(session, staff_id=owner.id, form=good_form())  # an EIN
    with pytest.raises(setup.FormErrors) as err:
        setup.save_insurance_setup(session, staff_id=owner.id,
                                   form=good_form(tax_id="", tax_id_kind="ssn"))
    assert err.value.errors == {"tax_id": "Enter the SSN as nine digits (123-45-6789)."}
    with pytest.raises(setup.FormErrors) as err:
        setup.save_insurance_setup(session, staff_id=owner.id, form=good_form(tax_id_kind="vat"))
    assert err.value.errors == {"tax_id_kind": "Choose EIN or SSN."}


def test_setup_defaults_to_the_business_name_address_and_phone(session, owner):
    shown = setup.get_insurance_setup(session)
    assert (shown.legal_name, shown.address, shown.phone) == ("Test Studio", "9 Old Rd",
                                                              "555-0000")
    assert (shown.enabled, shown.tax_id_masked, shown.auto_day) == (False, "", 0)


def test_staff_who_is_not_the_owner_is_refused(session, owner):
    member = factories.staff(session, role="staff")
    for call in (lambda: setup.save_insurance_setup(session, staff_id=member.id,
                                                    form=good_form()),
                 lambda: setup.set_superbills_enabled(session, staff_id=member.id, enabled=True),
                 lambda: setup.save_signature(session, staff_id=member.id, data=PNG,
                                              data_dir=factories_dir())):
        with pytest.raises(NotAllowed):
            call()
    b = session.exec(select(Business)).one()
    assert (b.superbills_enabled, b.legal_name, b.signature_file) == (False, "", None)


def factories_dir():
    from portal_app.settings import get_settings
    return get_settings().data_dir


def test_switch_is_audited(session, owner):
    setup.set_superbills_enabled(session, staff_id=owner.id, enabled=True)
    assert setup.superbills_enabled(session) is True
    actions = session.exec(select(AuditEvent.action)).all()
    assert "superbills.enabled" in actions


def test_signature_stored_privately_by_content_type_and_size(session, owner, tmp_path):
    name = setup.save_signature(session, staff_id=owner.id, data=PNG, data_dir=tmp_path)
    assert name.startswith("signature-") and name.endswith(".png")
    assert (tmp_path / "private" / name).read_bytes() == PNG
    b = session.exec(select(Business)).one()
    assert setup.signature_path(b, data_dir=tmp_path) == tmp_path / "private" / name
    assert setup.signature_data_url(b, data_dir=tmp_path).startswith("data:image/png;base64,iVBOR")
    second = setup.save_signature(session, staff_id=owner.id, data=b"\xff\xd8\xff" + b"1" * 9,
                                  data_dir=tmp_path)
    assert second.endswith(".jpg") and not (tmp_path / "private" / name).exists()
    for data, message in ((b"GIF89a....", "The signature must be a PNG or JPEG image."),
                          (PNG + b"0" * setup.SIGNATURE_MAX_BYTES,
                           "The signature must be at most 200 KB."),
                          (b"", "Choose an image file.")):
        with pytest.raises(ServiceError) as err:
            setup.save_signature(session, staff_id=owner.id, data=data, data_dir=tmp_path)
        assert (err.value.field, err.value.message) == ("signature", message)
    setup.remove_signature(session, staff_id=owner.id, data_dir=tmp_path)
    assert not (tmp_path / "private" / second).exists()
    assert setup.signature_data_url(b, data_dir=tmp_path) == ""


def test_service_codes_checked_only_while_superbills_are_on(session, owner):
    svc = factories.service(session, providers=[owner], cpt_code="90834")
    form = {"cpt_code": "9083", "pos_code": "99", "modifiers": "95,GTX"}
    assert setup.service_codes_from(session, form) is None  # off: the form has no codes
    setup.set_superbills_enabled(session, staff_id=owner.id, enabled=True)
    with pytest.raises(setup.FormErrors) as err:
        setup.service_codes_from(session, form)
    assert err.value.errors == {
        "cpt_code": "Enter a CPT code of five characters, such as 90834.",
        "pos_code": "Choose a place of service.",
        "modifiers": "Enter up to four modifiers of two characters, such as 95."}
    codes = setup.service_codes_from(session, {"cpt_code": "90837", "pos_code": "02",
                                               "modifiers": "95 gt"})
    setup.set_service_codes(session, staff_id=owner.id, service=svc, codes=codes)
    assert (svc.cpt_code, svc.pos_code, svc.modifiers) == ("90837", "02", "95,GT")
    # A form shown before superbills were switched on has no codes: they stay.
    assert setup.service_codes_from(session, {"name": "Therapy"}) is None


def test_client_insurance_fields_checked_and_saved(session, owner):
    client = factories.client(session)
    today = date(2026, 12, 6)
    with pytest.raises(setup.FormErrors) as err:
        setup.save_client_insurance(session, staff_id=owner.id, client_id=client.id, today=today,
                                    form={"insurance_member_id": "<b>", "date_of_birth": "2027-01-01"})
    assert err.value.errors == {"insurance_member_id": "Use letters, digits and dashes only.",
                                "date_of_birth": "Enter a date of birth in the past."}
    assert (client.insurance_member_id, client.date_of_birth) == ("", None)
    setup.save_client_insurance(session, staff_id=owner.id, client_id=client.id, today=today,
                                form={"insurance_member_id": " XJH 123-45 ",
                                      "date_of_birth": "1990-04-02"})
    assert (client.insurance_member_id, client.date_of_birth) == ("XJH 123-45", date(1990, 4, 2))
    with pytest.raises(NotFound):
        setup.save_client_insurance(session, staff_id=owner.id, client_id=client.id + 999,
                                    today=today, form={})
