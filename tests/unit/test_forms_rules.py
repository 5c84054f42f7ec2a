"""Field rules on the server: each kind, required, show-if, size limits; and the
checks on a template's field definitions."""

import pytest

from portal_app.services.errors import ServiceError
from portal_app.services.forms.fields import FieldErrors, clean_fields
from portal_app.services.forms.rules import (
    check_answer,
    check_answers,
    check_draft,
    visible_keys,
)


def field(kind, **extra):
    return {"kind": kind, "key": "f", "label": "L", "help": "", "required": False,
            "options": [], "show_if": None, "maps_to": "", **extra}


def refused(f, value, **kw):
    with pytest.raises(ServiceError) as exc:
        check_answer(f, value, **kw)
    assert exc.value.field == "f"
    return exc.value.message


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("short_text", "  Ana  ", "Ana"),
    ("long_text", "line\nline", "line\nline"),
    ("email", " Ana@Example.TEST ", "ana@example.test"),
    ("phone", "+1 212 736 5000", "+1 212-736-5000"),
    ("date", "1990-02-03", "1990-02-03"),
    ("number", "12,5", "12.5"),
    ("yes_no", True, "yes"),
    ("yes_no", "no", "no"),
    ("file", "12", 12),
    ("signature", {"mode": "typed", "text": "Ana"}, {"mode": "typed", "text": "Ana"}),
    ("initials", "AG", "AG"),
])
def test_check_answer_accepts_and_normalises_each_kind(kind, value, expected):
    assert check_answer(field(kind), value) == expected


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("email", "ana@", "Enter a valid email address."),
    ("phone", "+1 555 010 0200", "Enter a phone number with its country code, e.g. +1 212 736 5000."),
    ("phone", "call me", "Enter a phone number with its country code, e.g. +1 212 736 5000."),
    ("date", "03/02/1990", "Enter a date as YYYY-MM-DD."),
    ("date", "1990-02-30", "Enter a date as YYYY-MM-DD."),
    ("number", "twelve", "Enter a number."),
    ("number", "NaN", "Enter a number."),
    ("yes_no", "maybe", "Answer yes or no."),
])
def test_check_answer_refuses_bad_values_with_a_message(kind, value, message):
    assert refused(field(kind), value) == message


def test_phone_uses_the_business_country_for_a_national_number():
    assert check_answer(field("phone"), "212 736 5000", region="US") == "+1 212-736-5000"
    refused(field("phone"), "212 736 5000")  # no country, no country code


def test_choices_come_from_the_options_only():
    single = field("single_choice", options=["Red", "Blue"])
    multi = field("multiple_choice", options=["Red", "Blue", "Green"])
    assert check_answer(single, "Blue") == "Blue"
    assert refused(single, "Purple") == "Choose one of the options."
    assert check_answer(multi, ["Green", "Red"]) == ["Red", "Green"]  # the form's order
    assert refused(multi, ["Red", "Pink"]) == "Choose from the options."
    assert refused(multi, ["Red", "Red"]) == "Choose from the options."
    assert refused(multi, "Red") == "Choose from the options."


def test_required_refuses_empty_and_optional_empty_is_none():
    assert refused(field("short_text", required=True), "   ") == "This is required."
    assert refused(field("multiple_choice", required=True, options=["A"]), []) == \
        "This is required."
    assert refused(field("signature", required=True), None) == "This is required."
    assert check_answer(field("short_text"), "") is None


def test_text_answers_have_a_size_limit_and_a_5_mb_answer_is_refused():
    assert check_answer(field("long_text"), "x" * 20_000) == "x" * 20_000
    assert refused(field("long_text"), "x" * 20_001) == \
        "Keep this answer under 20,000 characters."
    assert refused(field("short_text"), "x" * 5_000_000) == \
        "Keep this answer under 1,000 characters."
    assert refused(field("signature"), "x" * 5_000_000) == "This answer is too large."


def test_show_if_is_and_contains_and_a_chain_hides_dependants():
    fields = [field("yes_no", key="a"),
              field("short_text", key="b", show_if={"field": "a", "op": "is", "value": "yes"}),
              field("short_text", key="c", show_if={"field": "b", "op": "contains",
                                                     "value": "peanut"}),
              field("multiple_choice", key="d", options=["x", "y"]),
              field("short_text", key="e", show_if={"field": "d", "op": "contains",
                                                     "value": "y"})]
    assert visible_keys(fields, {"a": "yes", "b": "Peanuts", "d": ["x", "y"]}) == \
        {"a", "b", "c", "d", "e"}
    assert visible_keys(fields, {"a": "no", "b": "Peanuts", "d": ["x"]}) == {"a", "d"}


def test_a_hidden_field_is_neither_required_nor_kept():
    fields = [field("yes_no", key="a", required=True),
              field("long_text", key="b", required=True,
                    show_if={"field": "a", "op": "is", "value": "yes"})]
    assert check_answers(fields, {"a": "no", "b": "left over"}) == {"a": "no"}
    with pytest.raises(FieldErrors) as exc:
        check_answers(fields, {"a": "yes"})
    assert exc.value.errors == {"b": "This is required."}


def test_check_answers_reports_every_field_at_once():
    fields = [field("email", key="e", required=True), field("date", key="d")]
    with pytest.raises(FieldErrors) as exc:
        check_answers(fields, {"d": "tomorrow"})
    assert set(exc.value.errors) == {"e", "d"}


def test_check_draft_keeps_half_typed_values_but_refuses_oversized_ones():
    fields = [field("email", key="e"), field("long_text", key="t"), field("statement", key="s")]
    assert check_draft(fields, {"e": "ana@", "s": "x", "unknown": "y"}) == {"e": "ana@"}
    with pytest.raises(FieldErrors) as exc:
        check_draft(fields, {"e": "ana@", "t": "x" * 5_000_000})
    assert exc.value.errors == {"t": "Keep this answer under 20,000 characters."}


# --- template field definitions ------------------------------------------------------------


def test_clean_fields_normalises_a_definition():
    (f,) = clean_fields([{"kind": "single_choice", "label": "  Colour ", "required": 1,
                          "options": ["Red", " ", "Blue"]}])
    assert f == {"kind": "single_choice", "key": "q1", "label": "Colour", "help": "",
                 "required": True, "options": ["Red", "Blue"], "show_if": None, "maps_to": ""}


@pytest.mark.parametrize("fields", [
    [{"kind": "essay", "label": "x"}],
    [{"kind": "short_text", "label": ""}],
    [{"kind": "short_text", "key": "a", "label": "x"}, {"kind": "date", "key": "a", "label": "y"}],
    [{"kind": "single_choice", "label": "x", "options": []}],
    [{"kind": "short_text", "label": "x", "show_if": {"field": "later", "op": "is",
                                                       "value": "1"}}],
    [{"kind": "yes_no", "key": "a", "label": "x"},
     {"kind": "short_text", "label": "y", "show_if": {"field": "a", "op": "is", "value": "maybe"}}],
    [{"kind": "yes_no", "key": "a", "label": "x"},
     {"kind": "short_text", "label": "y", "show_if": {"field": "a", "op": "like", "value": "yes"}}],
    [{"kind": "number", "label": "x", "maps_to": "full_name"}],
    [{"kind": "short_text", "label": "x", "maps_to": "full_name"},
     {"kind": "short_text", "label": "y", "maps_to": "full_name"}],
])
def test_clean_fields_refuses_bad_definitions(fields):
    with pytest.raises(ServiceError):
        clean_fields(fields)


def test_a_statement_is_never_required():
    (f,) = clean_fields([{"kind": "statement", "label": "Policy", "help": "Text",
                          "required": True}])
    assert f["required"] is False
