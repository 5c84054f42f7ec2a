"""The clients list's bulk action "Send a packet": the selected clients (the
list's selection, sent along by the page) each get the packet once. Staff may
send to any client; the service checks each id and names the refused ones."""

import reflex as rx

from models.base import utcnow
from portal_app import live
from portal_app.services.forms.console import send_packet_to_clients
from portal_app.services.forms.packets import list_packets
from portal_app.settings import get_settings
from state.guards import staff_event
from state.staff_session import StaffState


class BulkFormsState(StaffState):
    packet_options: list[dict[str, str]] = []
    bulk_packet: str = ""
    bulk_forms_message: str = ""

    @staff_event
    def load(self, session, ctx):
        self.packet_options = [{"id": str(p.id), "name": p.name} for p in list_packets(session)]
        self.bulk_packet = self.packet_options[0]["id"] if self.packet_options else ""
        self.bulk_forms_message = ""

    @rx.event
    def choose_packet(self, value: str):
        self.bulk_packet = str(value)[:20]

    @staff_event
    def send_to_selected(self, session, ctx, client_ids: list):
        """Send the chosen packet to every selected client (each once)."""
        ids = [str(c) for c in client_ids][:1000] if isinstance(client_ids, list) else []
        result = send_packet_to_clients(session, staff_id=ctx.staff_id, client_ids=ids,
                                        packet_id=self.bulk_packet,
                                        base_url=get_settings().base_url, now=utcnow())
        message = self._tr(f"Forms sent to {result.sent} client(s).")
        if result.already:
            message += self._tr(f" {result.already} already had them open.")
        if result.skipped:
            message += self._tr(f" {len(result.skipped)} skipped (access disabled, or no "
                                f"such client).")
        self._client_changed(*(int(i) for i in ids if i.isdigit()), about=live.FORMS)
        self.bulk_forms_message = message
        return rx.toast.success(message)
