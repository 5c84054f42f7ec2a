"""A form's fields as the page shows them: one `FieldRow` per field, with the
answer so far, its message, and whether a show-if rule shows it now.

A drawn signature (a PNG data URL of up to a few hundred KB) never goes into a
row: the row only says one is saved, so an autosave does not send it back."""

from __future__ import annotations

import dataclasses

from models import FieldKind
from portal_app.services.forms.rules import visible_keys
from portal_app.services.forms.signature import DATA_URL_PREFIX

SIGNATURE_SLOTS = 4  # signature pads a page can hold (each needs its own canvas id)
FILE_SLOTS = 4  # file pickers a page can hold


@dataclasses.dataclass
class FieldRow:
    key: str = ""
    kind: str = ""
    label: str = ""
    help: str = ""
    required: bool = False
    options: list[str] = dataclasses.field(default_factory=list)
    value: str = ""  # text kinds, single choice, yes/no; a file's title
    picked: list[str] = dataclasses.field(default_factory=list)  # multiple choice
    drawn: bool = False  # a drawn signature is saved
    typed: str = ""  # a typed signature or initials
    slot: str = ""  # signature pad / file picker number on the page ("" when none)
    error: str = ""
    visible: bool = True


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def build_rows(fields: list[dict], answers: dict, *, file_titles: dict[int, str] | None = None,
               errors: dict[str, str] | None = None) -> list[FieldRow]:
    shown = visible_keys(fields, answers)
    rows, signed, files = [], 0, 0
    for field in fields:
        kind, key = field["kind"], field["key"]
        value = answers.get(key)
        row = FieldRow(key=key, kind=kind, label=field.get("label", ""),
                       help=field.get("help") or "", required=bool(field.get("required")),
                       options=list(field.get("options") or []),
                       error=(errors or {}).get(key, ""), visible=key in shown)
        if kind in FieldKind.SIGNED:
            if signed < SIGNATURE_SLOTS:
                row.slot, signed = str(signed), signed + 1
            if isinstance(value, str) and value.startswith(DATA_URL_PREFIX):
                row.drawn = True
            elif isinstance(value, dict):
                row.typed = text_of(value.get("text"))
                row.drawn = any(isinstance(v, str) and v.startswith(DATA_URL_PREFIX)
                                for v in value.values())
            elif isinstance(value, str):
                row.typed = value
        elif kind == FieldKind.MULTIPLE_CHOICE:
            row.picked = [str(v) for v in value] if isinstance(value, list) else []
        elif kind == FieldKind.FILE:
            if files < FILE_SLOTS:
                row.slot, files = str(files), files + 1
            row.value = (file_titles or {}).get(value, "") if isinstance(value, int) else ""
        else:
            row.value = text_of(value)
        rows.append(row)
    return rows


def refresh_visibility(rows: list[FieldRow], fields: list[dict], answers: dict) -> None:
    shown = visible_keys(fields, answers)
    for row in rows:
        row.visible = row.key in shown
