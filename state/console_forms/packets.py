"""Console → Forms → Packets: forms sent together, in order, with their trigger
(by hand, client created, first booking made or confirmed, a chosen service
booked), due rule, and on/off. The service checks everything
(services/forms/packets.py); a refusal shows beside its field."""

import reflex as rx

from models.base import utcnow
from portal_app.services.errors import ServiceError
from portal_app.services.forms.packets import (
    create_packet,
    get_packet,
    list_packets,
    save_packet,
    set_packet_active,
)
from portal_app.services.forms.templates import list_templates
from portal_app.services.scheduling.services import list_services
from state.console_forms.labels import DUE_NONE, TRIGGER_LABELS, due_text
from state.guards import staff_event
from state.staff_session import StaffState

FIELDS = ("name", "template_ids", "trigger", "trigger_service_id", "due_rule", "due_amount")


class FormPacketsState(StaffState):
    packets: list[dict[str, str]] = []
    packet_open: bool = False
    packet_heading: str = ""
    packet_name: str = ""
    packet_forms: list[dict[str, str]] = []  # id, title, in the packet's order
    trigger: str = "manual"
    service_id: str = ""
    due_rule: str = DUE_NONE
    due_amount: str = ""
    template_options: list[dict[str, str]] = []
    service_options: list[dict[str, str]] = []
    add_choice: str = ""
    errors: dict[str, str] = {}
    packet_round: int = 0
    _packet_id: int = 0

    def _fill(self, session) -> None:
        templates = {t.id: t.title for t in list_templates(session, include_archived=True)}
        self.packets = [{
            "id": str(p.id), "name": p.name,
            "forms": " → ".join(templates.get(i, "?") for i in p.template_ids),
            "trigger": self._tr(TRIGGER_LABELS.get(p.trigger, p.trigger)),
            "due": self._tr(due_text(p.due_rule, p.due_amount)),
            "active": "" if p.archived_at else "yes",
        } for p in list_packets(session, include_archived=True)]
        self.template_options = [{"id": str(t.id), "title": t.title}
                                 for t in list_templates(session)]
        self.service_options = [{"id": str(s.id), "name": s.name}
                                for s in list_services(session, active_only=True)]

    def _refused(self, exc: ServiceError) -> None:
        where = exc.field if exc.field in FIELDS else ""
        if not where and exc.message.startswith("Choose the service"):
            where = "trigger_service_id"
        self.errors = {where or "form": self._tr(exc.message)}

    @staff_event
    def load(self, session, ctx):
        self._fill(session)

    def _open(self, *, heading: str) -> None:
        self.errors = {}
        self.add_choice = self.template_options[0]["id"] if self.template_options else ""
        self.packet_heading = heading
        self.packet_round += 1
        self.packet_open = True

    @staff_event
    def new_packet(self, session, ctx):
        self._fill(session)
        self._packet_id = 0
        self.packet_name, self.packet_forms = "", []
        self.trigger, self.service_id, self.due_rule, self.due_amount = "manual", "", DUE_NONE, ""
        self._open(heading=self._tr("New packet"))

    @staff_event
    def edit_packet(self, session, ctx, packet_id: str):
        packet = get_packet(session, packet_id=packet_id)
        self._fill(session)
        titles = {int(o["id"]): o["title"] for o in self.template_options}
        self._packet_id = packet.id
        self.packet_name = packet.name
        self.packet_forms = [{"id": str(i), "title": titles.get(i, "?")}
                             for i in packet.template_ids]
        self.trigger = packet.trigger
        self.service_id = str(packet.trigger_service_id or "")
        self.due_rule = packet.due_rule
        self.due_amount = str(packet.due_amount or "")
        self._open(heading=packet.name)

    @rx.event
    def close_packet(self):
        self.packet_open = False

    @rx.event
    def choose_add(self, value: str):
        self.add_choice = str(value)[:20]

    @rx.event
    def add_form(self):
        """Add the chosen form (one of the listed ones, once) to the end."""
        option = next((o for o in self.template_options if o["id"] == self.add_choice), None)
        if option and all(f["id"] != option["id"] for f in self.packet_forms):
            self.packet_forms = [*self.packet_forms, dict(option)]

    @rx.event
    def remove_form(self, index: int):
        if isinstance(index, int) and 0 <= index < len(self.packet_forms):
            self.packet_forms = self.packet_forms[:index] + self.packet_forms[index + 1:]

    @rx.event
    def move_form(self, index: int, delta: int):
        if not (isinstance(index, int) and isinstance(delta, int)):
            return
        other = index + (1 if delta > 0 else -1)
        if 0 <= index < len(self.packet_forms) and 0 <= other < len(self.packet_forms):
            forms = list(self.packet_forms)
            forms[index], forms[other] = forms[other], forms[index]
            self.packet_forms = forms

    @rx.event
    def set_trigger(self, value: str):
        self.trigger = str(value)[:40]

    @rx.event
    def set_due_rule(self, value: str):
        self.due_rule = str(value)[:40]

    @staff_event(on_error="_refused")
    def save(self, session, ctx, form: dict):
        self.errors = {}
        form = form if isinstance(form, dict) else {}
        self.packet_name = str(form.get("name", self.packet_name) or "")[:300]
        self.service_id = str(form.get("trigger_service_id", self.service_id) or "")[:20]
        self.due_amount = str(form.get("due_amount", self.due_amount) or "")[:10]
        values = {"name": self.packet_name, "template_ids": [f["id"] for f in self.packet_forms],
                  "trigger": self.trigger, "trigger_service_id": self.service_id or None,
                  "due_rule": self.due_rule, "due_amount": self.due_amount or 0}
        if self._packet_id:
            save_packet(session, staff_id=ctx.staff_id, packet_id=self._packet_id, **values)
        else:
            self._packet_id = create_packet(session, staff_id=ctx.staff_id, **values).id
        self.packet_open = False
        self._fill(session)
        return rx.toast.success(self._tr("Packet saved."))

    @staff_event
    def switch(self, session, ctx, packet_id: str, active: bool):
        """Turn a packet on or off (off: never sent, by its trigger or by hand)."""
        set_packet_active(session, staff_id=ctx.staff_id, packet_id=packet_id,
                          active=active is True, now=utcnow())
        self._fill(session)
        return rx.toast.success(self._tr("Packet on." if active is True else "Packet off."))
