"""The branding is compiled into the pages' first paint (issue 17): `compile_branding`
turns BrandState's defaults into the business's, which is what Reflex compiles into
the prerendered HTML and the JS's initial state; without a readable database the
plain defaults stay (hidden until the branding loads)."""

import pytest
import reflex.compiler.utils as compiler_utils
from reflex.state import State

from state.brand import BrandState, compile_branding
from tests import factories


@pytest.fixture
def brand_defaults():
    """Whatever a test bakes in is undone: the defaults are class-wide."""
    fields = BrandState.get_fields()
    saved = {name: field.default for name, field in fields.items()}
    yield fields
    for name, value in saved.items():
        fields[name].default = value


def test_the_business_branding_becomes_the_compiled_initial_state(engine, session,
                                                                  brand_defaults):
    factories.business(session, name="Baked Studio", contact_phone="+1 555 0199",
                       allow_self_signup=True)
    session.commit()
    assert compile_branding()
    compiled = str(compiler_utils._compile_initial_state(State))
    assert "Baked Studio" in compiled and "+1 555 0199" in compiled
    fresh = BrandState(_reflex_internal_init=True)
    assert (fresh.business_name, fresh.self_signup, fresh.loaded) == ("Baked Studio", True, True)


def test_nothing_is_written_when_there_is_no_business_yet(engine, session, brand_defaults):
    from sqlmodel import select

    from models import Business

    assert compile_branding()
    assert session.exec(select(Business)).all() == []
    assert BrandState.get_fields()["business_name"].default == "Client Portal"


def test_an_unreadable_database_keeps_the_hidden_defaults(monkeypatch, brand_defaults):
    import state.brand as brand

    def broken():
        raise RuntimeError("no database")

    monkeypatch.setattr(brand, "get_engine", broken)
    assert compile_branding() is False
    assert BrandState.get_fields()["loaded"].default is False
