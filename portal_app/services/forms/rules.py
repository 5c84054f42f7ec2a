"""The rules an answer must meet, checked on the server: per kind, the size
limits, and which fields a show-if rule hides.

Drafts are checked for shape and size only (a half-typed email is fine while
typing); `check_answers` applies every rule at submit. A hidden field is neither
required nor kept.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import phonenumbers

from models import FieldKind
from portal_app.services.errors import ServiceError
from portal_app.services.forms.fields import FieldErrors, answerable
from portal_app.services.validation import normalize_email

TEXT_MAX = {FieldKind.SHORT_TEXT: 1_000, FieldKind.LONG_TEXT: 20_000, FieldKind.EMAIL: 254,
            FieldKind.PHONE: 40, FieldKind.DATE: 10, FieldKind.NUMBER: 40}
SIGNED_MAX = 400_000  # a drawn signature as a PNG data URL, with room to spare
REQUIRED = "This is required."
TOO_LONG = "Keep this answer under {limit} characters."
TOO_LARGE = "This answer is too large."
BAD_PHONE = "Enter a phone number with its country code, e.g. +1 212 736 5000."
BAD_DATE = "Enter a date as YYYY-MM-DD."
BAD_NUMBER = "Enter a number."
BAD_CHOICE = "Choose one of the options."
BAD_CHOICES = "Choose from the options."
BAD_YES_NO = "Answer yes or no."
BAD_FILE = "Attach the file again."


def _answer_error(message: str, key: str, **params) -> ServiceError:
    return ServiceError(message.format(**params) if params else message, field=key)


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {} or (
        isinstance(value, str) and not value.strip())


def shape(field: dict, value: object) -> object:
    """A draft value of the right type and size (not yet checked against the rules)."""
    kind, key = field["kind"], field["key"]
    if value is None:
        return None
    if kind == FieldKind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _answer_error(BAD_CHOICES, key)
        if sum(len(v) for v in value) > 20_000:
            raise _answer_error(TOO_LARGE, key)
        return list(value)
    if kind == FieldKind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    if kind == FieldKind.FILE and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind in FieldKind.SIGNED:
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            if len(json.dumps(value)) > SIGNED_MAX:
                raise _answer_error(TOO_LARGE, key)
            return dict(value)
        if isinstance(value, str) and len(value) <= SIGNED_MAX:
            return value
        raise _answer_error(TOO_LARGE, key)
    if not isinstance(value, str):
        raise _answer_error(TOO_LARGE if isinstance(value, list | dict) else BAD_CHOICE, key)
    limit = TEXT_MAX.get(kind, 1_000)
    if len(value) > limit:
        raise _answer_error(TOO_LONG, key, limit=f"{limit:,}")
    return value


def _phone(value: str, key: str, region: str) -> str:
    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise _answer_error(BAD_PHONE, key) from None
    if not phonenumbers.is_valid_number(number):
        raise _answer_error(BAD_PHONE, key)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _date(value: str, key: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise _answer_error(BAD_DATE, key) from None


def _number(value: str, key: str) -> str:
    text = value.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _answer_error(BAD_NUMBER, key) from None
    if not number.is_finite():
        raise _answer_error(BAD_NUMBER, key)
    return text


def check_answer(field: dict, value: object, *, region: str = "") -> object:
    """One visible answer, normalised; raises ServiceError (field = the key).
    An empty answer is None, refused when the field is required."""
    kind, key = field["kind"], field["key"]
    value = shape(field, value)
    if is_empty(value):
        if field.get("required"):
            raise _answer_error(REQUIRED, key)
        return None
    if kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT):
        return value.strip()
    if kind == FieldKind.EMAIL:
        return normalize_email(value, field=key)
    if kind == FieldKind.PHONE:
        return _phone(value, key, region)
    if kind == FieldKind.DATE:
        return _date(value, key)
    if kind == FieldKind.NUMBER:
        return _number(value, key)
    if kind == FieldKind.SINGLE_CHOICE:
        if value not in field["options"]:
            raise _answer_error(BAD_CHOICE, key)
        return value
    if kind == FieldKind.MULTIPLE_CHOICE:
        if any(v not in field["options"] for v in value) or len(set(value)) != len(value):
            raise _answer_error(BAD_CHOICES, key)
        return [o for o in field["options"] if o in value]  # the form's order
    if kind == FieldKind.YES_NO:
        if value not in ("yes", "no"):
            raise _answer_error(BAD_YES_NO, key)
        return value
    if kind == FieldKind.FILE:
        if isinstance(value, str) and value.isdigit():
            return int(value)
        if not isinstance(value, int):
            raise _answer_error(BAD_FILE, key)
        return value
    return value  # signature / initials: shape checked; rendered by signature.py


def matches(rule: dict, answer: object) -> bool:
    """Whether an answer meets a show-if rule (case and spacing ignored)."""
    want = str(rule["value"]).strip().casefold()
    if isinstance(answer, list):
        items = [str(a).strip().casefold() for a in answer]
        return items == [want] if rule["op"] == "is" else want in items
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"
    text = str(answer if answer is not None else "").strip().casefold()
    return text == want if rule["op"] == "is" else bool(want) and want in text


def visible_keys(fields: list[dict], answers: dict) -> set[str]:
    """Keys of the fields shown for these answers. A rule reads an earlier field;
    a field that depends on a hidden one is hidden too."""
    shown: set[str] = set()
    for field in fields:
        rule = field.get("show_if")
        if rule and (rule["field"] not in shown or not matches(rule, answers.get(rule["field"]))):
            continue
        shown.add(field["key"])
    return shown


def check_draft(fields: list[dict], answers: object) -> dict:
    """Changed draft answers (key -> value) of the right shape and size; unknown
    keys and statements are dropped. All problems are reported together."""
    if not isinstance(answers, dict):
        raise ServiceError("Nothing to save.")
    by_key = {f["key"]: f for f in answerable(fields)}
    clean: dict = {}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        field = by_key.get(key)
        if field is None:
            continue
        try:
            clean[key] = shape(field, value)
        except ServiceError as exc:
            errors[key] = exc.message
    if errors:
        raise FieldErrors(errors)
    return clean


def check_all(fields: list[dict], answers: dict, *, region: str = "") -> tuple[dict, dict]:
    """Every visible field checked, hidden ones dropped: (key -> normalised value
    for the answers that passed, None for an optional field left empty;
    key -> message for those that did not)."""
    shown = visible_keys(fields, answers)
    clean: dict = {}
    errors: dict[str, str] = {}
    for field in answerable(fields):
        if field["key"] not in shown:
            continue
        try:
            clean[field["key"]] = check_answer(field, answers.get(field["key"]), region=region)
        except ServiceError as exc:
            errors[field["key"]] = exc.message
    return clean, errors


def check_answers(fields: list[dict], answers: dict, *, region: str = "") -> dict:
    """The submitted answers (see `check_all`); raises FieldErrors with a message per field."""
    clean, errors = check_all(fields, answers, region=region)
    if errors:
        raise FieldErrors(errors)
    return clean
