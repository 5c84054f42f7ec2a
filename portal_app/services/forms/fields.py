"""The fields of a form template as staff define them: checked and normalised
before a version is saved, so every stored version is well-formed.

A field is a dict: kind, key, label, help, required, options, show_if
({field, op: is|contains, value} naming an EARLIER field) and maps_to (a
client-record column, models.forms.ProfileField).
"""

from __future__ import annotations

import re

from models import FieldKind, ProfileField
from portal_app.services.errors import ServiceError

KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LABEL_MAX = 500
HELP_MAX = 10_000  # a statement's text lives in `help`
OPTION_MAX = 200
OPTIONS_MAX = 50
FIELDS_MAX = 100
SHOW_IF_OPS = ("is", "contains")
# Kinds whose answer can be compared by a show-if rule.
COMPARABLE = (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT, FieldKind.EMAIL, FieldKind.PHONE,
              FieldKind.DATE, FieldKind.NUMBER, FieldKind.SINGLE_CHOICE,
              FieldKind.MULTIPLE_CHOICE, FieldKind.YES_NO)
# Which kinds may fill which profile column.
MAPPABLE = {
    ProfileField.FULL_NAME: (FieldKind.SHORT_TEXT,),
    ProfileField.PHONE: (FieldKind.PHONE,),
    ProfileField.DATE_OF_BIRTH: (FieldKind.DATE,),
    ProfileField.ADDRESS: (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT),
    ProfileField.EMERGENCY_CONTACT: (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT),
    ProfileField.TIMEZONE: (FieldKind.SHORT_TEXT, FieldKind.SINGLE_CHOICE),
}


class FieldErrors(ServiceError):
    """Several fields refused at once; `errors` maps a field key to its message."""

    def __init__(self, errors: dict[str, str]):
        key, message = next(iter(errors.items()))
        super().__init__(message, field=key)
        self.errors = dict(errors)


def _text(raw: object, limit: int, where: str, what: str) -> str:
    text = raw if isinstance(raw, str) else ""
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32).strip()
    if len(text) > limit:
        raise ServiceError(f"Keep the {what} under {limit:,} characters.", field=where)
    return text


def _options(raw: object, where: str) -> list[str]:
    if not isinstance(raw, list | tuple):
        raise ServiceError("Give the choices, one per line.", field=where)
    options: list[str] = []
    for item in raw:
        option = " ".join(str(item if item is not None else "").split())
        if not option:
            continue
        if len(option) > OPTION_MAX:
            raise ServiceError(f"Keep each choice under {OPTION_MAX} characters.", field=where)
        if option in options:
            raise ServiceError("Each choice must be different.", field=where)
        options.append(option)
    if not options or len(options) > OPTIONS_MAX:
        raise ServiceError(f"Give between 1 and {OPTIONS_MAX} choices.", field=where)
    return options


def _show_if(raw: object, earlier: dict[str, dict], where: str) -> dict | None:
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise ServiceError("Choose the earlier question this one depends on.", field=where)
    target = earlier.get(str(raw.get("field") or ""))
    if target is None or target["kind"] not in COMPARABLE:
        raise ServiceError("Choose the earlier question this one depends on.", field=where)
    op = raw.get("op")
    if op not in SHOW_IF_OPS:
        raise ServiceError("Choose “is” or “contains”.", field=where)
    value = " ".join(str(raw.get("value") or "").split())
    if not value or len(value) > OPTION_MAX:
        raise ServiceError("Give the answer that shows this question.", field=where)
    if target["kind"] == FieldKind.YES_NO and value not in ("yes", "no"):
        raise ServiceError("Give the answer that shows this question.", field=where)
    if target["kind"] in FieldKind.CHOICES and value not in target["options"]:
        raise ServiceError("Give the answer that shows this question.", field=where)
    return {"field": target["key"], "op": op, "value": value}


def clean_field(raw: object, *, index: int, earlier: dict[str, dict]) -> dict:
    """One field definition, checked and normalised (see the module docstring)."""
    where = f"fields.{index}"
    if not isinstance(raw, dict):
        raise ServiceError("Each question needs a kind and a label.", field=where)
    kind = raw.get("kind")
    if kind not in FieldKind.ALL:
        raise ServiceError("Choose the kind of question.", field=where)
    key = str(raw.get("key") or f"q{index + 1}")
    if not KEY.match(key) or key in earlier:
        raise ServiceError("Each question needs its own short key (a-z, 0-9, _).", field=where)
    label = " ".join(_text(raw.get("label"), LABEL_MAX, where, "label").split())
    if not label:
        raise ServiceError("Give the question a label.", field=where)
    field = {
        "kind": kind, "key": key, "label": label,
        "help": _text(raw.get("help"), HELP_MAX, where, "help text"),
        "required": bool(raw.get("required")) and kind != FieldKind.STATEMENT,
        "options": _options(raw.get("options"), where) if kind in FieldKind.CHOICES else [],
        "show_if": None, "maps_to": "",
    }
    field["show_if"] = _show_if(raw.get("show_if"), earlier, where)
    maps_to = str(raw.get("maps_to") or "")
    if maps_to:
        if kind not in MAPPABLE.get(maps_to, ()):
            raise ServiceError("This kind of question cannot fill that profile field.",
                               field=where)
        field["maps_to"] = maps_to
    return field


def clean_fields(raw: object) -> list[dict]:
    """Every field of a template, in order; each profile column filled by one field at most.
    Every refused field is reported at once: FieldErrors maps "fields.<index>" to its
    message (the builder shows each beside its question)."""
    if not isinstance(raw, list | tuple):
        raise ServiceError("A form is a list of questions.", field="fields")
    if len(raw) > FIELDS_MAX:
        raise ServiceError(f"A form has at most {FIELDS_MAX} questions.", field="fields")
    earlier: dict[str, dict] = {}
    mapped: set[str] = set()
    errors: dict[str, str] = {}
    for index, item in enumerate(raw):
        try:
            field = clean_field(item, index=index, earlier=earlier)
            if field["maps_to"]:
                if field["maps_to"] in mapped:
                    raise ServiceError("Only one question can fill each profile field.",
                                       field=f"fields.{index}")
                mapped.add(field["maps_to"])
        except ServiceError as exc:
            errors[exc.field or f"fields.{index}"] = exc.message
            continue
        earlier[field["key"]] = field
    if errors:
        raise FieldErrors(errors)
    return list(earlier.values())


def answerable(fields: list[dict]) -> list[dict]:
    """The fields that take an answer (not statements)."""
    return [f for f in fields if f["kind"] != FieldKind.STATEMENT]
