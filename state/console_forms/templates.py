"""Console → Forms → Templates: the list, and the builder of one template
(title, introduction, ordered questions: add, edit, remove, move up/down).

The questions being edited live in `fields` (one dict of strings per question);
the builder's inputs write to it as they lose focus, and "Save" sends the
whole form as well, so nothing typed is lost to event order. The service checks
and normalises everything (services/forms/fields.py); each refused question
gets its message beside it. Saving a template that has been sent makes a new
version (the service does it), and the builder says so.
"""

import reflex as rx

from models import FieldKind
from portal_app.services.errors import ServiceError
from portal_app.services.forms.fields import FIELDS_MAX, FieldErrors
from portal_app.services.forms.templates import (
    archive_template,
    create_template,
    get_template,
    latest_version,
    latest_versions,
    list_templates,
    save_template,
)
from state.guards import staff_event
from state.staff_session import StaffState

TEXT_PARTS = ("label", "help", "options", "show_value")
CHOICE_PARTS = ("kind", "show_field", "show_op", "maps_to")
PARTS = (*TEXT_PARTS, *CHOICE_PARTS, "required")
LIMITS = {"label": 600, "help": 12_000, "options": 12_000, "show_value": 300}


def blank_field(key: str) -> dict[str, str]:
    return {"key": key, "kind": FieldKind.SHORT_TEXT, "label": "", "help": "", "required": "",
            "options": "", "show_field": "", "show_op": "is", "show_value": "", "maps_to": "",
            "error": ""}


def field_row(field: dict) -> dict[str, str]:
    """A stored field as the builder's strings."""
    show = field.get("show_if") or {}
    return {"key": field["key"], "kind": field["kind"], "label": field["label"],
            "help": field.get("help", ""), "required": "yes" if field.get("required") else "",
            "options": "\n".join(field.get("options") or []),
            "show_field": show.get("field", ""), "show_op": show.get("op", "is"),
            "show_value": show.get("value", ""), "maps_to": field.get("maps_to", ""),
            "error": ""}


def field_definition(row: dict[str, str]) -> dict:
    """The builder's strings as the field dict the service checks."""
    return {
        "kind": row["kind"], "key": row["key"], "label": row["label"], "help": row["help"],
        "required": row["required"] == "yes",
        "options": [line for line in row["options"].splitlines() if line.strip()],
        "show_if": ({"field": row["show_field"], "op": row["show_op"],
                     "value": row["show_value"]} if row["show_field"] else None),
        "maps_to": row["maps_to"],
    }


class FormTemplatesState(StaffState):
    templates: list[dict[str, str]] = []
    editor_open: bool = False
    editor_title: str = ""  # the heading: "New form" or the title being edited
    title: str = ""
    intro: str = ""
    fields: list[dict[str, str]] = []
    version_note: str = ""
    saved_note: str = ""
    error: str = ""
    title_error: str = ""
    intro_error: str = ""
    edit_round: int = 0  # bumps on each open, so the inputs remount with their values
    _template_id: int = 0

    @rx.var
    def question_choices(self) -> list[dict[str, str]]:
        """Questions a show-if rule may name (the service checks it is an earlier one)."""
        return [{"key": f["key"], "label": f"{i + 1}. {f['label'] or f['key']}"}
                for i, f in enumerate(self.fields) if f["kind"] not in (
                    FieldKind.STATEMENT, FieldKind.FILE, *FieldKind.SIGNED)]

    def _fill(self, session) -> None:
        latest = latest_versions(session)
        rows = []
        for template in list_templates(session, include_archived=True):
            version = latest.get(template.id)
            if version is None:
                continue
            rows.append({"id": str(template.id), "title": template.title,
                         "version": str(version.number), "questions": str(len(version.fields)),
                         "archived": "yes" if template.archived_at else "",
                         "sent": "yes" if version.sent_at else ""})
        self.templates = rows

    def _clear_errors(self) -> None:
        self.error = self.title_error = self.intro_error = ""
        self.fields = [{**f, "error": ""} for f in self.fields]

    def _refused(self, exc: ServiceError) -> None:
        errors = exc.errors if isinstance(exc, FieldErrors) else {exc.field or "": exc.message}
        fields = [dict(f) for f in self.fields]
        for where, message in errors.items():
            text = self._tr(message)
            if where == "title":
                self.title_error = text
            elif where == "intro":
                self.intro_error = text
            elif where.startswith("fields.") and where[7:].isdigit() and int(
                    where[7:]) < len(fields):
                fields[int(where[7:])]["error"] = text
            else:
                self.error = text
        self.fields = fields

    def _note_version(self, session) -> None:
        version = latest_version(session, template_id=self._template_id)
        if version.sent_at is not None:
            self.version_note = self._tr(
                f"Version {version.number} has been sent: saving makes version "
                f"{version.number + 1}; forms already sent keep this one.")
        else:
            self.version_note = self._tr(
                f"Version {version.number}: not sent yet, so saving changes it in place.")

    @staff_event
    def load(self, session, ctx):
        self._fill(session)

    @staff_event
    def new_template(self, session, ctx):
        self._template_id = 0
        self.title = self.intro = self.saved_note = ""
        self.editor_title = self._tr("New form")
        self.version_note = self._tr("Version 1: not sent yet.")
        self.fields = [blank_field("q1")]
        self._clear_errors()
        self.edit_round += 1
        self.editor_open = True

    @staff_event
    def edit_template(self, session, ctx, template_id: str):
        template = get_template(session, template_id=template_id)
        version = latest_version(session, template_id=template.id)
        self._template_id = template.id
        self.title, self.intro = version.title, version.intro
        self.editor_title = version.title
        self.fields = [field_row(f) for f in version.fields]
        self.saved_note = ""
        self._clear_errors()
        self._note_version(session)
        self.edit_round += 1
        self.editor_open = True

    @rx.event
    def close_editor(self):
        self.editor_open = False

    @rx.event
    def add_question(self):
        if len(self.fields) >= FIELDS_MAX:
            return
        used = {f["key"] for f in self.fields}
        n = len(self.fields) + 1
        while f"q{n}" in used:
            n += 1
        self.fields = [*self.fields, blank_field(f"q{n}")]

    @rx.event
    def remove_question(self, index: int):
        if isinstance(index, int) and 0 <= index < len(self.fields):
            self.fields = self.fields[:index] + self.fields[index + 1:]

    @rx.event
    def move_question(self, index: int, delta: int):
        if not (isinstance(index, int) and isinstance(delta, int)):
            return
        other = index + (1 if delta > 0 else -1)
        if 0 <= index < len(self.fields) and 0 <= other < len(self.fields):
            fields = list(self.fields)
            fields[index], fields[other] = fields[other], fields[index]
            self.fields = fields

    @rx.event
    def set_question(self, index: int, part: str, value: str):
        """One part of one question, as its input changed (kept as text; the
        service checks it at save)."""
        if part not in PARTS or not isinstance(index, int) or not 0 <= index < len(self.fields):
            return
        if part == "required":
            text = "yes" if value in (True, "yes", "on", "true") else ""
        else:
            text = str(value if value is not None else "")[:LIMITS.get(part, 64)]
        fields = list(self.fields)
        fields[index] = {**fields[index], part: text}
        self.fields = fields

    def _take_form(self, form: dict) -> None:
        """The text inputs as submitted with "Save" (named `<part>_<index>`)."""
        self.title = str(form.get("title", self.title) or "")[:300]
        self.intro = str(form.get("intro", self.intro) or "")[:12_000]
        fields = []
        for index, row in enumerate(self.fields):
            row = dict(row)
            for part in TEXT_PARTS:
                name = f"{part}_{index}"
                if name in form:
                    row[part] = str(form[name] or "")[:LIMITS[part]]
            fields.append(row)
        self.fields = fields

    @staff_event(on_error="_refused")
    def save(self, session, ctx, form: dict):
        """Save the template: a new one, the current version in place, or (once
        sent) a new version; the refused questions say why beside them."""
        self._clear_errors()
        self.saved_note = ""
        if isinstance(form, dict):
            self._take_form(form)
        definitions = [field_definition(f) for f in self.fields]
        if self._template_id:
            before = latest_version(session, template_id=self._template_id)
            version = save_template(session, staff_id=ctx.staff_id,
                                    template_id=self._template_id, title=self.title,
                                    intro=self.intro, fields=definitions)
            if version.number > before.number:
                self.saved_note = self._tr(
                    f"Version {version.number} — forms already sent keep version "
                    f"{before.number}.")
            else:
                self.saved_note = self._tr(f"Version {version.number} saved.")
        else:
            template = create_template(session, staff_id=ctx.staff_id, title=self.title,
                                       intro=self.intro, fields=definitions)
            self._template_id = template.id
            self.saved_note = self._tr("Version 1 saved.")
        self.editor_title = self.title
        self._note_version(session)
        self._fill(session)
        return rx.toast.success(self.saved_note)

    @staff_event
    def archive(self, session, ctx, template_id: str):
        """Hide a template from new sends; forms already sent carry on."""
        template = archive_template(session, staff_id=ctx.staff_id, template_id=template_id)
        if template.id == self._template_id:
            self.editor_open = False
        self._fill(session)
        return rx.toast.success(self._tr("Form archived."))
