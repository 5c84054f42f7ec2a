"""The guards' `on_error` names a method of the same state (a typo would only show
when a refusal happens), and field refusals land beside their section."""

import ast
import inspect

import pytest

from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_availability import AvailabilityState
from state.console_clients import ClientListState
from state.console_scheduling import ServicesState, StaffBookingsState
from state.console_settings import PortalSettingsState
from tests import factories
from tests.state.harness import call, new_tab, our_state_classes, substate


def _on_error_names(cls) -> list[tuple[str, str]]:
    """(handler, on_error) for each guarded handler defined in `cls`'s own body."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for item in node.body:
                for deco in getattr(item, "decorator_list", []):
                    if isinstance(deco, ast.Call):
                        for kw in deco.keywords:
                            if kw.arg == "on_error" and isinstance(kw.value, ast.Constant):
                                found.append((item.name, kw.value.value))
    return found


def test_every_on_error_names_a_private_method_of_its_state():
    checked = 0
    for cls in our_state_classes():
        for handler, name in _on_error_names(cls):
            assert name.startswith("_") and callable(getattr(cls, name, None)), (
                f"{cls.__name__}.{handler}: on_error={name!r} is not a method")
            checked += 1
    assert checked >= 10


@pytest.fixture
def staff_tab(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return new_tab(token)


@pytest.mark.parametrize(("cls", "handler", "args", "field"), [
    (ServicesState, "save", ({"name": ""},), "error"),
    (AvailabilityState, "add_exception", ({"day": "not a day"},), "exception_errors"),
    (StaffBookingsState, "create_for_client", ({"start": "soon"},), "error"),
    (PortalSettingsState, "save_branding", ({"name": "", "accent_color": "red"},),
     "branding_error"),
    (PortalSettingsState, "save_features", ({"portal_slug": "no spaces allowed!"},),
     "features_error"),
    (ClientListState, "create_client", ({"full_name": ""},), "error"),
])
def test_a_refused_console_form_shows_the_message_beside_it(staff_tab, cls, handler, args,
                                                            field):
    call(staff_tab, cls, "load")
    assert call(staff_tab, cls, handler, *args) is None
    assert getattr(substate(staff_tab, cls), field)
