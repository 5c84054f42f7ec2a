"""The insurance billing setup in the console: the settings section (owner only, each
bad field beside it, the tax id only masked in what the browser gets, the signature
stored privately), the services' codes, and the client's insurance part (diagnoses
checked to be the loaded client's)."""

from datetime import date

from sqlmodel import Session, select

from models import AuditEvent, Business, ClientDiagnosis, Service
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts
from state.console_client_insurance import ClientInsuranceState
from state.console_insurance import InsuranceSettingsState
from state.console_scheduling import ServicesState
from tests import factories
from tests.state.harness import all_vars, call, new_tab, substate, tab_at

GOOD = {"legal_name": "Harbor Wellness LLC", "npi_individual": "1234567893",
        "npi_organisation": "", "tax_id": "98-7654321", "tax_id_kind": "ein",
        "license_number": "LMFT 1", "license_state": "CA", "taxonomy_code": "101YM0800X",
        "address": "1 Main St", "phone": "555-0100", "superbill_auto_day": "5"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def staff_token(session, role="owner") -> str:
    staff = factories.staff(session, role=role)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def business(engine) -> Business:
    with Session(engine) as s:
        return s.exec(select(Business)).one()


class FakeUpload:
    def __init__(self, data: bytes):
        self.data = data

    async def read(self, size: int = -1) -> bytes:
        return self.data[:size] if size >= 0 else self.data


def test_owner_saves_the_setup_and_the_browser_only_gets_the_tax_id_masked(engine, session):
    factories.business(session)
    token = staff_token(session)
    root = new_tab(token)
    call(root, InsuranceSettingsState, "load")
    call(root, InsuranceSettingsState, "set_enabled", True)
    call(root, InsuranceSettingsState, "save", dict(GOOD))
    st = substate(root, InsuranceSettingsState)
    assert (st.enabled, st.can_edit, st.tax_id_masked, st.auto_day) == (True, True,
                                                                        "••-•••4321", "5")
    assert "7654321" not in all_vars(root)
    b = business(engine)
    assert (b.superbills_enabled, b.tax_id, b.npi_individual) == (True, "98-7654321",
                                                                  "1234567893")
    # A fresh tab (a reload) also gets only the masked form.
    again = new_tab(token)
    call(again, InsuranceSettingsState, "load")
    assert "7654321" not in all_vars(again)


def test_bad_fields_get_their_messages_and_nothing_is_saved(engine, session):
    factories.business(session, language="es")
    token = staff_token(session)
    root = new_tab(token)
    call(root, InsuranceSettingsState, "save",
         {**GOOD, "npi_individual": "1234567890", "license_state": "Cal"})
    st = substate(root, InsuranceSettingsState)
    assert st.errors == {
        "npi_individual": "El dígito de control de ese NPI no es correcto: revisa si hay una "
                          "errata.",
        "license_state": "Introduce el estado con dos letras, como CA."}
    b = business(engine)
    assert (b.legal_name, b.npi_individual, b.tax_id) == ("", "", "")


def test_staff_who_is_not_the_owner_sees_it_but_cannot_change_it(engine, session):
    factories.business(session, superbills_enabled=True, tax_id="98-7654321")
    token = staff_token(session, role="staff")
    root = new_tab(token)
    call(root, InsuranceSettingsState, "load")
    st = substate(root, InsuranceSettingsState)
    assert (st.can_edit, st.tax_id_masked) == (False, "••-•••4321")
    call(root, InsuranceSettingsState, "set_enabled", False)
    assert st.error == "Only the owner can change the insurance billing settings."
    call(root, InsuranceSettingsState, "save", dict(GOOD))
    assert st.error == "Only the owner can change the insurance billing settings."
    call(root, InsuranceSettingsState, "upload_signature", [FakeUpload(PNG)])
    assert st.signature_error == "Only the owner can change the insurance billing settings."
    b = business(engine)
    assert (b.superbills_enabled, b.legal_name, b.signature_file) == (True, "", None)


def test_signature_upload_is_stored_privately_and_previewed_as_data(engine, session):
    factories.business(session, superbills_enabled=True)
    root = new_tab(staff_token(session))
    call(root, InsuranceSettingsState, "upload_signature", [FakeUpload(b"GIF89a")])
    st = substate(root, InsuranceSettingsState)
    assert st.signature_error == "The signature must be a PNG or JPEG image."
    call(root, InsuranceSettingsState, "upload_signature", [FakeUpload(PNG)])
    name = business(engine).signature_file
    assert (get_settings().data_dir / "private" / name).read_bytes() == PNG
    assert st.signature_src.startswith("data:image/png;base64,") and st.has_signature
    call(root, InsuranceSettingsState, "remove_signature")
    assert business(engine).signature_file is None and st.signature_src == ""


def test_signed_out_upload_goes_to_sign_in(engine, session):
    factories.business(session)
    session.commit()
    result = call(new_tab(None), InsuranceSettingsState, "upload_signature", [FakeUpload(PNG)])
    assert "/console/login" in repr(result)
    assert business(engine).signature_file is None


def test_service_codes_are_checked_beside_their_fields_when_superbills_are_on(engine, session):
    factories.business(session, superbills_enabled=True)
    owner = factories.staff(session, role="owner")
    svc = factories.service(session, providers=[owner], name="Therapy", price_minor=12000)
    token = staff_token(session)
    root = new_tab(token)
    call(root, ServicesState, "load")
    st = substate(root, ServicesState)
    assert st.superbills is True
    assert [o["value"] for o in st.pos_options] == ["11", "02", "10", "12"]
    call(root, ServicesState, "edit", str(svc.id))
    form = {"name": "Therapy", "price": "120.00", "duration_minutes": "50",
            f"provider-{owner.id}": "on", "active": "on",
            "cpt_code": "908", "pos_code": "02", "modifiers": "95"}
    call(root, ServicesState, "save", form)
    assert st.code_errors == {"cpt_code": "Enter a CPT code of five characters, such as 90834."}
    with Session(engine) as s:
        row = s.get(Service, svc.id)
        assert (row.cpt_code, row.duration_minutes) == ("", 60)  # nothing saved
    call(root, ServicesState, "save", {**form, "cpt_code": "90834"})
    with Session(engine) as s:
        row = s.get(Service, svc.id)
        assert (row.cpt_code, row.pos_code, row.modifiers, row.duration_minutes) == (
            "90834", "02", "95", 50)


def test_client_insurance_and_diagnoses_for_the_loaded_client_only(engine, session):
    factories.business(session, superbills_enabled=True)
    ana, ben = factories.client(session), factories.client(session)
    bens = ClientDiagnosis(client_id=ben.id, code="F41.1", from_date=date(2026, 1, 1))
    session.add(bens)
    session.commit()
    token = staff_token(session)
    root = tab_at(token, f"/console/client?id={ana.id}")
    call(root, ClientInsuranceState, "load")
    st = substate(root, ClientInsuranceState)
    assert st.enabled is True and st.diagnoses == []

    call(root, ClientInsuranceState, "save_insurance",
         {"insurance_member_id": "XJH-1", "date_of_birth": "1990-04-02"})
    call(root, ClientInsuranceState, "save_diagnosis",
         {"code": "f4310", "description": "PTSD", "from_date": "2026-03-01", "until_date": ""})
    call(root, ClientInsuranceState, "save_diagnosis",
         {"code": "Z63.0", "from_date": "2026-03-05", "until_date": ""})
    assert [(d["code"], d["from"], d["primary"]) for d in st.diagnoses] == [
        ("F43.10", "Mar 1, 2026", "yes"), ("Z63.0", "Mar 5, 2026", "")]
    second = st.diagnoses[1]["id"]
    call(root, ClientInsuranceState, "move_diagnosis", second, -1)
    call(root, ClientInsuranceState, "end_diagnosis",
         {"diagnosis_id": second, "until_date": "2026-03-04"})
    assert st.end_errors == {second: "The end date must be on or after the start date."}
    call(root, ClientInsuranceState, "end_diagnosis",
         {"diagnosis_id": second, "until_date": "2026-06-30"})
    assert [(d["code"], d["until"]) for d in st.diagnoses] == [
        ("Z63.0", "Jun 30, 2026"), ("F43.10", "")]
    call(root, ClientInsuranceState, "save_diagnosis", {"code": "X", "from_date": ""})
    assert st.dx_errors == {"code": "Enter an ICD-10 code such as F41.1.",
                            "from_date": "Enter the date it applies from."}

    # Ben's diagnosis through Ana's page: refused by every handler, nothing changed.
    for name, args in (("edit_diagnosis", (str(bens.id),)),
                       ("remove_diagnosis", (str(bens.id),)),
                       ("move_diagnosis", (str(bens.id), -1)),
                       ("end_diagnosis", ({"diagnosis_id": str(bens.id),
                                           "until_date": "2026-02-01"},))):
        result = call(root, ClientInsuranceState, name, *args)
        assert "That diagnosis does not exist." in repr(result), name
        assert st.editing_id == "" and "F41.1" not in repr(st.diagnoses), name
    with Session(engine) as s:
        row = s.get(ClientDiagnosis, bens.id)
        assert (row.client_id, row.until_date, row.position) == (ben.id, None, 0)
        client = s.get(type(ana), ana.id)
        assert (client.insurance_member_id, client.date_of_birth) == ("XJH-1", date(1990, 4, 2))
        assert len(s.exec(select(AuditEvent).where(
            AuditEvent.action == "client.diagnosis_added")).all()) == 2


def test_client_insurance_is_hidden_while_superbills_are_off(engine, session):
    factories.business(session)
    ana = factories.client(session)
    session.commit()
    root = tab_at(staff_token(session), f"/console/client?id={ana.id}")
    call(root, ClientInsuranceState, "load")
    assert substate(root, ClientInsuranceState).enabled is False
