"""Shape checks for the codes on a superbill. Each `clean_*` returns the code in
its stored form or raises ServiceError naming the field, with a message fit to
show beside it. Shape only: a well-formed code may still not exist."""

from __future__ import annotations

import re

from portal_app.services.errors import ServiceError

# Place-of-service codes a small practice uses (CMS list); others are refused.
POS_CODES: dict[str, str] = {
    "11": "Office",
    "02": "Telehealth other than in the patient's home",
    "10": "Telehealth in the patient's home",
    "12": "Patient's home",
}
_CPT = re.compile(r"^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$")  # CPT I, CPT II/III, HCPCS II
_ICD10 = re.compile(r"^[A-TV-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_TAXONOMY = re.compile(r"^\d{3}[0-9A-Z]{6}X$")
_EIN = re.compile(r"^\d{2}-?\d{7}$")
_SSN = re.compile(r"^\d{3}-?\d{2}-?\d{4}$")
_STATE = re.compile(r"^[A-Z]{2}$")


def _squash(raw: object) -> str:
    return re.sub(r"\s+", "", str(raw or "")).upper()


def clean_cpt(raw: object, *, field: str = "cpt_code", required: bool = False) -> str:
    code = _squash(raw)
    if not code and not required:
        return ""
    if not _CPT.match(code):
        raise ServiceError("Enter a CPT code of five characters, such as 90834.", field=field)
    return code


def clean_icd10(raw: object, *, field: str = "code") -> str:
    code = _squash(raw)
    if len(code) > 3 and "." not in code:
        code = code[:3] + "." + code[3:]
    if not _ICD10.match(code):
        raise ServiceError("Enter an ICD-10 code such as F41.1.", field=field)
    return code


def clean_modifiers(raw: object, *, field: str = "modifiers") -> str:
    parts = [p for p in re.split(r"[\s,]+", str(raw or "").upper()) if p]
    if len(parts) > 4 or any(not _MODIFIER.match(p) for p in parts):
        raise ServiceError("Enter up to four modifiers of two characters, such as 95.",
                           field=field)
    return ",".join(parts)


def clean_pos(raw: object, *, field: str = "pos_code") -> str:
    code = _squash(raw)
    if code not in POS_CODES:
        raise ServiceError("Choose a place of service.", field=field)
    return code


def npi_valid(npi: str) -> bool:
    """Ten digits whose last is the Luhn check digit over "80840" + the first nine."""
    if not re.fullmatch(r"\d{10}", npi):
        return False
    digits = [int(d) for d in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


def clean_npi(raw: object, *, field: str = "npi_individual", required: bool = False) -> str:
    npi = _squash(raw)
    if not npi and not required:
        return ""
    if not re.fullmatch(r"\d{10}", npi):
        raise ServiceError("Enter the NPI's ten digits.", field=field)
    if not npi_valid(npi):
        raise ServiceError("That NPI's check digit is wrong: check for a typo.", field=field)
    return npi


def clean_tax_id(raw: object, kind: str, *, field: str = "tax_id") -> str:
    tax_id = _squash(raw)
    if not tax_id:
        return ""
    if kind == "ssn":
        if not _SSN.match(tax_id):
            raise ServiceError("Enter the SSN as nine digits (123-45-6789).", field=field)
        digits = tax_id.replace("-", "")
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if kind != "ein":
        raise ServiceError("Choose EIN or SSN.", field="tax_id_kind")
    if not _EIN.match(tax_id):
        raise ServiceError("Enter the EIN as nine digits (12-3456789).", field=field)
    digits = tax_id.replace("-", "")
    return f"{digits[:2]}-{digits[2:]}"


def mask_tax_id(tax_id: str) -> str:
    """All but the last four digits hidden: "•••-••-6789", "••-•••6789"."""
    if not tax_id:
        return ""
    return "".join("•" if ch.isdigit() else ch for ch in tax_id[:-4]) + tax_id[-4:]


def clean_taxonomy(raw: object, *, field: str = "taxonomy_code") -> str:
    code = _squash(raw)
    if code and not _TAXONOMY.match(code):
        raise ServiceError("Enter the ten-character taxonomy code, such as 101YM0800X.",
                           field=field)
    return code


def clean_state(raw: object, *, field: str = "license_state") -> str:
    state = _squash(raw)
    if state and not _STATE.match(state):
        raise ServiceError("Enter the two-letter state, such as CA.", field=field)
    return state
