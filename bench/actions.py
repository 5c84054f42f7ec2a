"""What the simulated clients do: the floors and the portal's real actions.

Each action is what the browser sends for one user step, with the page it
is taken from (`prepare`, untimed) and a check run during the warm-up that
the step really did its work (a refused or empty answer must not pass for
a fast one). Event names come from the State classes themselves.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta
from typing import ClassVar

from bench.action_base import Action, _delta, rotating  # noqa: F401 (rotating: A.rotating)
from bench.community_actions import COMMUNITY_ACTIONS, COMMUNITY_MISSING  # noqa: F401
from bench.course_actions import OpenLesson, ReportProgress
from bench.seed import BENCH_PASSWORD
from bench.tab import ROOT_STATE, ActionFailed, Received, Tab, sets, start_session

ECHO_STATE = f"{ROOT_STATE}.echo"


def _names() -> dict[str, str]:
    from bench.bench_state import BenchCounterState
    from state.bookings import BookingsState
    from state.client_forms.form_page import FormState
    from state.console_calendar import CalendarState
    from state.login import LoginState
    from state.messages import MessagesState
    from state.payments import InvoiceState
    from state.session import ClientState

    return {
        "counter": BenchCounterState.get_full_name(),
        "client": ClientState.get_full_name(),
        "bookings": BookingsState.get_full_name(),
        "messages": MessagesState.get_full_name(),
        "login": LoginState.get_full_name(),
        "invoice": InvoiceState.get_full_name(),
        "form": FormState.get_full_name(),
        "calendar": CalendarState.get_full_name(),
    }


NAMES = _names()

# The client's Statements page (issue 20), where it is built: "module:Class" of its
# state and the page's route. Not on every branch yet: without it the action is left
# out and the run says so (STATEMENT_MISSING).
STATEMENT_STATE = "state.statements:StatementsState"


def _statement_route() -> str:
    from portal_app import routes

    return getattr(routes, "PAYMENTS_STATEMENTS", "/payments/statements")


STATEMENT_ROUTE = _statement_route()


def _statement_state() -> tuple[str, str]:
    """(the page state's full name, "") or ("", why the action is left out)."""
    import importlib

    module, _, cls = STATEMENT_STATE.partition(":")
    try:
        state = getattr(importlib.import_module(module), cls)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise  # the page is there but broken: say so, do not skip it
        return "", f"open statements (this month): {module} is not on this branch"
    except AttributeError:
        return "", f"open statements (this month): {module} has no {cls}"
    return state.get_full_name(), ""


NAMES["statement"], STATEMENT_MISSING = _statement_state()


class Echo(Action):
    async def run(self, tab, client, seq):
        return await tab.event("echo", {"n": seq}, done=sets(ECHO_STATE, "count"))

    def check(self, updates, client):
        return None if _delta(updates, ECHO_STATE).get("count_rx_state_") else "no echo"


class Counter(Action):
    async def run(self, tab, client, seq):
        return await tab.event(f"{NAMES['counter']}.increment", done=sets(NAMES["counter"],
                                                                          "count"))

    def check(self, updates, client):
        return None if _delta(updates, NAMES["counter"]).get("count_rx_state_") else "no count"


class OpenFloorPage(Counter):
    """A page whose on_load is the trivial event alone: the least a page open costs
    (on_load_internal, the one on_load, the hydrated flip), the floor of the page rows."""

    async def run(self, tab, client, seq):
        from bench.bench_state import BENCH_PAGE

        return await tab.navigate(BENCH_PAGE)


class OpenPrivateFloor(Action):
    """A signed-in page whose load is the session check alone (/select-account: the
    page lists the records the shell already has): the least a private page costs."""
    page = True

    async def run(self, tab, client, seq):
        return await tab.navigate("/select-account")

    def check(self, updates, client):
        shell = _delta(updates, NAMES["client"])
        return "not signed in" if shell.get("signed_in_rx_state_") is False else None


class OpenDashboard(Action):
    page = True  # a page open (its CPU also against the page floor's)

    async def run(self, tab, client, seq):
        return await tab.navigate("/dashboard")

    def check(self, updates, client):
        shell = _delta(updates, NAMES["client"])
        # A signed-out tab is sent to /login (the tab fails the action on that); an
        # unchanged `signed_in` is not sent again on a later visit.
        if shell.get("signed_in_rx_state_") is False:
            return "not signed in"
        return None if shell.get("total_due_rx_state_") else "no total due on the dashboard"


class ListBookings(Action):
    page = True

    async def run(self, tab, client, seq):
        return await tab.navigate("/bookings")

    def check(self, updates, client):
        page = _delta(updates, NAMES["bookings"])
        return None if page.get("services_rx_state_") else "no bookings page"


class SearchSlots(Action):
    async def prepare(self, tab, client):
        if tab.path != "/bookings":
            await tab.navigate("/bookings")

    async def run(self, tab, client, seq):
        return await tab.event(f"{NAMES['bookings']}.choose_service", {"service_id": "1"},
                               done=sets(NAMES["bookings"], "slot_days"))

    def check(self, updates, client):
        days = _delta(updates, NAMES["bookings"]).get("slot_days_rx_state_")
        return None if days else "no free slots found"


class OpenInvoice(Action):
    page = True

    async def run(self, tab, client, seq):
        return await tab.navigate("/payments/invoice", {"id": str(client.invoice_id)})

    def check(self, updates, client):
        page = _delta(updates, NAMES["invoice"])
        if not page.get("found_rx_state_"):
            return f"invoice {client.invoice_id} not shown"
        return None


class OpenStatement(Action):
    """Payments → Statements: this month's statement of the client's record (its
    default range), computed from the ledger on every visit."""

    page = True

    async def run(self, tab, client, seq):
        return await tab.navigate(STATEMENT_ROUTE)

    def check(self, updates, client):
        page = _delta(updates, NAMES["statement"])
        if not page:
            return "no statement page"
        errors = {k: v for k, v in page.items() if k.startswith("error") and v}
        return f"statement refused: {errors}" if errors else None


class SendMessage(Action):
    """"Send message" with no file picked: the box's text as one websocket event, as
    the browser sends it (the box is the browser's own: typing sends nothing)."""

    async def prepare(self, tab, client):
        query = {"c": str(client.conversation_id)}
        if tab.path != "/messages" or tab.query != query:
            await tab.navigate("/messages", query)

    async def run(self, tab, client, seq):
        text = f"Bench message {seq} from client {client.client_id}."
        updates = await tab.event(f"{NAMES['messages']}.send_text", {"body": text},
                                  done=sets(NAMES["messages"], "reply_key"))
        return [*updates, {"sent": text}]

    def check(self, updates, client):
        sent = next((u["sent"] for u in updates if "sent" in u), "")
        page = _delta(updates, NAMES["messages"])
        thread = json.dumps([*page.get("thread_rx_state_", []),
                             *page.get("thread_tail_rx_state_", [])])
        return None if sent and sent in thread else "the sent message is not in the thread"


class OpenConversation(Action):
    """The messages page with one conversation open: the step before sending."""

    async def run(self, tab, client, seq):
        return await tab.navigate("/messages", {"c": str(client.conversation_id)})

    def check(self, updates, client):
        page = _delta(updates, NAMES["messages"])
        return None if page.get("thread_rx_state_") else "no conversation shown"


class OpenNotifications(Action):
    async def prepare(self, tab, client):
        if tab.path != "/dashboard":
            await tab.navigate("/dashboard")

    async def run(self, tab, client, seq):
        return await tab.event(f"{NAMES['client']}.open_bell",
                               done=sets(NAMES["client"], "bell_items"))

    def check(self, updates, client):
        items = _delta(updates, NAMES["client"]).get("bell_items_rx_state_")
        return None if items else "no notifications"


class OpenForm(Action):
    """The form page (the step before typing into it)."""

    async def run(self, tab, client, seq):
        return await tab.navigate("/forms/form", {"id": str(client.form_request_id)})

    def check(self, updates, client):
        page = _delta(updates, NAMES["form"])
        return None if page.get("found_rx_state_") else "no form shown"


class Autosave(Action):
    """One debounced autosave of a form being filled in: the text of a long
    answer, as the browser sends it after a pause in typing (save_field), the
    draft row written and the field's row sent back."""

    async def prepare(self, tab, client):
        query = {"id": str(client.form_request_id)}
        if tab.path != "/forms/form" or tab.query != query:
            await tab.navigate("/forms/form", query)

    async def run(self, tab, client, seq):
        text = f"{seq} Bench Street, Apt {seq % 97}"
        updates = await tab.event(f"{NAMES['form']}.save_field",
                                  {"key": "address", "value": text},
                                  done=sets(NAMES["form"], "rows"))
        return [*updates, {"saved": text}]

    def check(self, updates, client):
        text = next((u["saved"] for u in updates if "saved" in u), "")
        page = _delta(updates, NAMES["form"])
        rows = json.dumps(page.get("rows_rx_state_", []))
        return None if text and text in rows else f"not saved: {str(page)[:200]}"


def _next_week() -> dict[str, str]:
    """The week view of next week: the seed books ~80% of every staff member's blocks
    ahead, so everyone's week holds a few hundred bookings."""
    return {"view": "week", "date": (date.today() + timedelta(days=7)).isoformat()}


class WeekView(Action):
    """Console → Calendar, everyone's week, from a staff member's own tab (opened
    beside the client's, once per tab, with the seed's staff session)."""

    staff_tabs: ClassVar[dict[int, Tab]] = {}

    async def prepare(self, tab, client):
        if id(tab) not in self.staff_tabs:
            # The staff tab's updates count as the client tab's (the action's).
            staff = Tab(tab.host, tab.port, tab.boot,
                        cookie=f"portal_session={client.staff_token}", received=tab.received)
            await staff.open("/console/calendar", _next_week())
            self.staff_tabs[id(tab)] = staff

    async def run(self, tab, client, seq):
        return await self.staff_tabs[id(tab)].navigate("/console/calendar", _next_week())

    def check(self, updates, client):
        blocks = _delta(updates, NAMES["calendar"]).get("blocks_rx_state_")
        return None if blocks else "no bookings in the week view"

    @classmethod
    async def close_all(cls) -> None:
        tabs, cls.staff_tabs = list(cls.staff_tabs.values()), {}
        for staff in tabs:
            await staff.close()


TICKET = re.compile(r'ticket:"([^"]+)"')


def _script_or_error(update: dict) -> bool:
    if any(e.get("name") == "_call_script" for e in update.get("events") or ()):
        return True
    return bool(update.get("delta", {}).get(NAMES["login"], {}).get("error_rx_state_"))


async def sign_in(host: str, port: int, boot, email: str, *, timed_from: list,
                  received: Received | None = None) -> Tab:
    """The real password sign-in: the login page's form event (bcrypt on the
    server, in a thread), the ticket traded for the HttpOnly cookie at
    /api/session/start, then the dashboard's full page load on the same tab
    token with the cookie. `timed_from` gets the moment the form was sent.
    Returns the signed-in tab (on the dashboard). `received`, when given, counts the
    updates from the form's send on (the login page's hydrate is not the sign-in's)."""
    tab = Tab(host, port, boot)
    await tab.open("/login")
    timed_from.append(time.perf_counter())
    received = received or Received()
    tab.received = received
    updates = await tab.event(f"{NAMES['login']}.submit_password",
                              {"form": {"email": email, "password": BENCH_PASSWORD}},
                              done=_script_or_error, fail_on=("backend_error",))
    tickets = [TICKET.search(e["payload"]["javascript_code"]) for u in updates
               for e in u.get("events") or () if e.get("name") == "_call_script"]
    tickets = [t.group(1) for t in tickets if t]
    await tab.close()
    if not tickets:
        raise ActionFailed(f"sign-in refused: {_delta(updates, NAMES['login'])}")
    cookie = await start_session(host, port, tickets[0])
    signed = Tab(host, port, boot, cookie=cookie, token=tab.token, received=received)
    landed = await signed.open("/dashboard")
    if not _delta(landed, NAMES["client"]).get("signed_in_rx_state_"):
        await signed.close()
        raise ActionFailed("the dashboard after sign-in is signed out")
    return signed


class SignIn(Action):
    """The sign-in alone, as an action of its own (the login page's hydrate is
    not counted: the latency starts when the form is sent)."""

    emails = None  # set by the runner: an endless iterator of account emails

    async def run(self, tab, client, seq):
        sent: list[float] = []
        signed = await sign_in(tab.host, tab.port, tab.boot, next(self.emails), timed_from=sent,
                               received=tab.received)
        await signed.close()
        return [{"timed_from": sent[0]}]


ECHO = Echo("echo", "socket.io echo (floor)", "echo", portal=False)
TRIVIAL = Counter("trivial", "trivial Reflex event (floor)", "portal", portal=False)
PAGE_FLOOR = OpenFloorPage("page_floor", "open a page whose on_load is the trivial event "
                           "(page floor)", "portal", portal=False)
PRIVATE_FLOOR = OpenPrivateFloor("private_floor", "open a signed-in page whose load is the "
                                 "session check alone (private page floor)", "portal",
                                 portal=False)
# The same event with real sign-ins running beside it: does bcrypt stall the others?
TRIVIAL_BESIDE_SIGN_INS = Counter("trivial_signins", "trivial event, 1 sign-in/s beside it",
                                  "portal", portal=False)
PORTAL_ACTIONS = (
    OpenDashboard("dashboard", "open dashboard", "portal"),
    ListBookings("bookings", "list bookings", "portal"),
    SearchSlots("slots", "search free slots (7 days)", "portal"),
    OpenInvoice("invoice", "open an invoice", "portal"),
    SendMessage("message", "send a message", "portal"),
    OpenNotifications("bell", "open notifications", "portal"),
    Autosave("autosave", "autosave a form answer", "portal"),
    WeekView("week", "console: everyone's week view (calendar)", "portal"),
    OpenLesson("lesson", "open a course lesson", "portal"),
    ReportProgress("progress", "course progress update (video player)", "portal"),
) + ((OpenStatement("statement", "open statements (this month)", "portal"),)
     if NAMES["statement"] else ()) + COMMUNITY_ACTIONS
SIGN_IN_LABEL = "sign in (password, bcrypt)"
CONVERSATION = OpenConversation("conversation", "(journey step) open a conversation", "portal",
                                portal=False)
# A client's round through the portal at the open-loop point: each step is
# taken from the page the one before it left the tab on. Clients start at
# different steps, so at any moment the mix is even.
FORM_PAGE = OpenForm("form_page", "(journey step) open a form", "portal", portal=False)
JOURNEY = (PORTAL_ACTIONS[0], PORTAL_ACTIONS[5], PORTAL_ACTIONS[1], PORTAL_ACTIONS[2],
           PORTAL_ACTIONS[3], CONVERSATION, PORTAL_ACTIONS[4], FORM_PAGE, PORTAL_ACTIONS[6],
           TRIVIAL)
