"""Shape checks of the superbill codes: CPT, ICD-10, NPI (Luhn), EIN/SSN, taxonomy."""

import pytest

from portal_app.services.billing.superbills import codes
from portal_app.services.errors import ServiceError


@pytest.mark.parametrize("raw,stored", [("90834", "90834"), (" 90837 ", "90837"),
                                        ("0001F", "0001F"), ("g0444", "G0444")])
def test_cpt_accepted(raw, stored):
    assert codes.clean_cpt(raw) == stored


@pytest.mark.parametrize("raw", ["9083", "908345", "ABCDE", "90-34", "1234Z"])
def test_cpt_refused_with_field(raw):
    with pytest.raises(ServiceError) as err:
        codes.clean_cpt(raw)
    assert err.value.field == "cpt_code" and "CPT" in err.value.message


def test_cpt_empty_is_allowed_unless_required():
    assert codes.clean_cpt("") == ""
    with pytest.raises(ServiceError):
        codes.clean_cpt("", required=True)


@pytest.mark.parametrize("raw,stored", [("F41.1", "F41.1"), ("f411", "F41.1"), ("F32", "F32"),
                                        ("Z63.0", "Z63.0"), ("S72.001A", "S72.001A")])
def test_icd10_accepted_and_dotted(raw, stored):
    assert codes.clean_icd10(raw) == stored


@pytest.mark.parametrize("raw", ["", "41.1", "U07", "FF1.1", "F41.12345", "F4"])
def test_icd10_refused(raw):
    with pytest.raises(ServiceError) as err:
        codes.clean_icd10(raw)
    assert err.value.field == "code"


def test_npi_luhn():
    # 1234567893 is CMS's published example of a valid NPI.
    assert codes.npi_valid("1234567893")
    assert codes.clean_npi(" 1234567893 ") == "1234567893"
    for wrong in ("1234567890", "1234567894"):
        assert not codes.npi_valid(wrong)
        with pytest.raises(ServiceError) as err:
            codes.clean_npi(wrong)
        assert "check digit" in err.value.message
    with pytest.raises(ServiceError) as err:
        codes.clean_npi("12345", field="npi_organisation")
    assert err.value.field == "npi_organisation" and "ten digits" in err.value.message


def test_tax_ids_stored_formatted_and_masked():
    assert codes.clean_tax_id("123456789", "ein") == "12-3456789"
    assert codes.clean_tax_id("123-45-6789", "ssn") == "123-45-6789"
    assert codes.mask_tax_id("123-45-6789") == "•••-••-6789"
    assert codes.mask_tax_id("12-3456789") == "••-•••6789"
    with pytest.raises(ServiceError):
        codes.clean_tax_id("12345", "ein")
    with pytest.raises(ServiceError) as err:
        codes.clean_tax_id("123456789", "vat")
    assert err.value.field == "tax_id_kind"


def test_modifiers_pos_taxonomy_state():
    assert codes.clean_modifiers("95, gt") == "95,GT"
    assert codes.clean_modifiers("") == ""
    with pytest.raises(ServiceError):
        codes.clean_modifiers("955")
    assert codes.clean_pos("02") == "02"
    with pytest.raises(ServiceError):
        codes.clean_pos("99")
    assert codes.clean_taxonomy("101ym0800x") == "101YM0800X"
    with pytest.raises(ServiceError):
        codes.clean_taxonomy("101YM0800")
    assert codes.clean_state("ca") == "CA"
    with pytest.raises(ServiceError):
        codes.clean_state("Cal")
