"""Practice-wide portal settings: accent contrast, branding, logo, features, default
permissions, buttons, and the portal on/off switch."""

import re

import pytest
from sqlmodel import Session, select

from models import AuditEvent, AuthSession, Business
from models.business import DEFAULT_CTAS
from portal_app.db import session_scope
from portal_app.services import clients, portal_settings, sessions
from portal_app.services.contrast import (
    WHITE,
    accessible_accent,
    contrast_ratio,
    parse_hex,
)
from portal_app.services.errors import ServiceError
from portal_app.services.permissions import PAY_NEEDS_BILLING
from tests import factories
from tests.sql import statements_of
from tests.unit.helpers import NOW, TIMEOUTS, invite_and_sign_in, redeem, resolve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
SVG_WITH_PROLOG = b'\n <?xml version="1.0"?>\n' + SVG
LOGO_NAME = re.compile(r"logo-[0-9a-f]{16}\.(png|jpg|svg)")


@pytest.fixture
def business(session):
    return factories.business(session)


@pytest.fixture
def staff(session, business):
    return factories.staff(session)


@pytest.fixture
def brand_dir(tmp_path):
    path = tmp_path / "brand"
    path.mkdir()
    return path


def _audits(session, action):
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def _refused(fn) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        fn()
    return exc.value


# --- contrast ------------------------------------------------------------------------------


def test_accessible_accent_keeps_dark_enough_colour():
    colour, note = accessible_accent("#0F766E")

    assert (colour, note) == ("#0F766E", "")
    assert contrast_ratio(parse_hex(colour), WHITE) >= 4.5


@pytest.mark.parametrize("light", ["#FFFF00", "#ffff00", "FFFF00", "#FFF", "#87CEEB"])
def test_accessible_accent_darkens_light_colour_to_aa(light):
    colour, note = accessible_accent(light)

    rgb = parse_hex(colour)
    assert colour != light.upper()
    assert contrast_ratio(rgb, WHITE) >= 4.5
    assert "4.5:1" in note and colour in note
    original = parse_hex(light)
    # Darkened, keeping the hue: every channel scaled by the same factor.
    assert all(c <= o for c, o in zip(rgb, original, strict=True))
    if light.upper().startswith(("#FFFF00", "FFFF00")):
        assert rgb[0] == rgb[1] and rgb[2] == 0


def test_accessible_accent_darkens_only_as_far_as_needed():
    colour, _ = accessible_accent("#FFFF00")

    lighter = tuple(min(255, round(c / 0.99)) for c in parse_hex(colour))
    assert contrast_ratio(lighter, WHITE) < 4.5


@pytest.mark.parametrize(("short", "full"), [("#036", "#003366"), ("0a5", "#00AA55")])
def test_accessible_accent_accepts_three_digit_hex(short, full):
    colour, _ = accessible_accent(short)

    assert parse_hex(short) == parse_hex(full)
    assert colour == accessible_accent(full)[0]


@pytest.mark.parametrize("bad", ["", "red", "#12345", "#1234567", "#GGGGGG", "#12 456", None])
def test_accessible_accent_bad_hex_is_refused(bad):
    error = _refused(lambda: accessible_accent(bad))

    assert error.field == "accent_color"


# --- branding ------------------------------------------------------------------------------


def _branding(**overrides):
    return {"name": "Harbour  Physio", "accent_color": "#0F766E",
            "contact_email": "Front.Desk@Harbour.TEST", "contact_phone": " +1 555  0100 ",
            "address": " 1 Quay St\nPort Town ", "tagline": "Feel  better", **overrides}


def test_update_branding_saves_cleaned_fields(session, staff, business):
    saved = portal_settings.update_branding(session, staff_id=staff.id, form=_branding())

    assert saved.note == ""
    assert saved.business.id == business.id
    session.commit()
    session.expire_all()
    stored = session.get(Business, business.id)
    assert (stored.name, stored.tagline, stored.accent_color) == (
        "Harbour Physio", "Feel better", "#0F766E")
    assert (stored.contact_email, stored.contact_phone, stored.address) == (
        "front.desk@harbour.test", "+1 555 0100", "1 Quay St\nPort Town")
    assert len(_audits(session, "portal.branding_changed")) == 1


def test_update_branding_light_accent_is_saved_darkened_with_note(session, staff):
    saved = portal_settings.update_branding(session, staff_id=staff.id,
                                            form=_branding(accent_color="#FFFF00"))

    assert saved.business.accent_color != "#FFFF00"
    assert contrast_ratio(parse_hex(saved.business.accent_color), WHITE) >= 4.5
    assert "4.5:1" in saved.note


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "  "}, "name"),
    ({"name": "n" * 201}, "name"),
    ({"accent_color": "teal"}, "accent_color"),
    ({"contact_email": "desk-at-harbour"}, "contact_email"),
])
def test_update_branding_invalid_field_is_refused_and_nothing_saved(engine, session, staff,
                                                                   business, overrides, field):
    session.commit()

    with pytest.raises(ServiceError) as exc, session_scope() as s:
        portal_settings.update_branding(s, staff_id=staff.id, form=_branding(**overrides))

    assert exc.value.field == field
    with Session(engine) as fresh:
        stored = fresh.get(Business, business.id)
        assert (stored.name, stored.accent_color) == ("Test Studio", "#1F6FEB")
        assert _audits(fresh, "portal.branding_changed") == []


def test_update_branding_empty_contact_email_is_allowed(session, staff):
    saved = portal_settings.update_branding(session, staff_id=staff.id,
                                            form=_branding(contact_email=""))

    assert saved.business.contact_email == ""


# --- logo ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "kind"), [
    (PNG, "png"), (JPEG, "jpg"), (SVG, "svg"), (SVG_WITH_PROLOG, "svg")])
def test_save_logo_detects_type_by_content(session, staff, business, brand_dir, data, kind):
    name = portal_settings.save_logo(session, staff_id=staff.id, data=data,
                                     brand_dir=brand_dir)

    assert LOGO_NAME.fullmatch(name) and name.endswith(f".{kind}")
    assert (brand_dir / name).read_bytes() == data
    assert business.logo_file == name
    assert len(_audits(session, "portal.logo_changed")) == 1


@pytest.mark.parametrize("data", [
    b"this is a text file, named logo.png by the uploader",
    b"GIF89a\x01\x00\x01\x00",
    b"%PDF-1.7\n",
    b"",
])
def test_save_logo_refuses_content_that_is_not_an_image(session, staff, business, brand_dir,
                                                        data):
    error = _refused(lambda: portal_settings.save_logo(session, staff_id=staff.id, data=data,
                                                       brand_dir=brand_dir))

    assert error.field == "logo"
    assert list(brand_dir.iterdir()) == []
    assert business.logo_file is None


def test_save_logo_size_limit_is_512_kb(session, staff, brand_dir):
    limit = portal_settings.LOGO_MAX_BYTES
    assert limit == 512 * 1024
    too_big = PNG + bytes(limit + 1 - len(PNG))

    error = _refused(lambda: portal_settings.save_logo(session, staff_id=staff.id,
                                                       data=too_big, brand_dir=brand_dir))

    assert error.field == "logo"
    assert list(brand_dir.iterdir()) == []
    just_fits = too_big[:-1]
    name = portal_settings.save_logo(session, staff_id=staff.id, data=just_fits,
                                     brand_dir=brand_dir)
    assert (brand_dir / name).stat().st_size == limit


def test_save_logo_uses_random_names(session, staff, brand_dir):
    first = portal_settings.save_logo(session, staff_id=staff.id, data=PNG, brand_dir=brand_dir)
    second = portal_settings.save_logo(session, staff_id=staff.id, data=PNG, brand_dir=brand_dir)

    assert first != second
    assert LOGO_NAME.fullmatch(first) and LOGO_NAME.fullmatch(second)


def test_save_logo_replacing_removes_old_file(session, staff, business, brand_dir):
    old = portal_settings.save_logo(session, staff_id=staff.id, data=PNG, brand_dir=brand_dir)
    unrelated = brand_dir / "keep-me.png"
    unrelated.write_bytes(PNG)

    new = portal_settings.save_logo(session, staff_id=staff.id, data=SVG, brand_dir=brand_dir)

    assert not (brand_dir / old).exists()
    assert (brand_dir / new).read_bytes() == SVG
    assert unrelated.exists()
    assert sorted(p.name for p in brand_dir.iterdir()) == sorted([new, "keep-me.png"])
    assert business.logo_file == new


def test_save_logo_never_deletes_file_outside_its_naming(session, staff, business, brand_dir):
    victim = brand_dir.parent / "victim.txt"
    victim.write_bytes(b"precious")
    business.logo_file = "../victim.txt"
    session.add(business)

    portal_settings.save_logo(session, staff_id=staff.id, data=PNG, brand_dir=brand_dir)

    assert victim.read_bytes() == b"precious"


def test_remove_logo_clears_it(session, staff, business, brand_dir):
    portal_settings.save_logo(session, staff_id=staff.id, data=PNG, brand_dir=brand_dir)

    portal_settings.remove_logo(session, staff_id=staff.id)

    assert business.logo_file is None
    assert len(_audits(session, "portal.logo_removed")) == 1


# --- features ------------------------------------------------------------------------------


def _features(**overrides):
    return {"bookings": True, "payments": True, "documents": True, "messaging": True,
            "uploads": True, "self_signup": False, "portal_slug": "", "invite_ttl_days": 7,
            **overrides}


def test_update_features_toggles_each_switch(session, staff, business):
    saved = portal_settings.update_features(session, staff_id=staff.id, form=_features(
        bookings=False, messaging="", uploads=None, self_signup="on", portal_slug=" Harbour-2 ",
        invite_ttl_days="14"))

    assert (saved.feature_bookings, saved.feature_payments, saved.feature_documents,
            saved.feature_messaging, saved.feature_uploads) == (False, True, True, False, False)
    assert saved.allow_self_signup is True
    assert (saved.portal_slug, saved.invite_ttl_days) == ("harbour-2", 14)
    assert len(_audits(session, "portal.features_changed")) == 1


def test_update_features_missing_switches_are_off_and_ttl_defaults_to_7(session, staff):
    saved = portal_settings.update_features(session, staff_id=staff.id, form={})

    assert not any((saved.feature_bookings, saved.feature_payments, saved.feature_documents,
                    saved.feature_messaging, saved.feature_uploads, saved.allow_self_signup))
    assert (saved.portal_slug, saved.invite_ttl_days) == ("", 7)


@pytest.mark.parametrize("slug", ["a", "harbour", "harbour-physio-2", "x" * 40, ""])
def test_update_features_accepts_valid_slug(session, staff, slug):
    saved = portal_settings.update_features(session, staff_id=staff.id,
                                            form=_features(portal_slug=slug))

    assert saved.portal_slug == slug


@pytest.mark.parametrize("slug", ["-harbour", "harbour-", "harbour physio", "harbour_physio",
                                  "x" * 41, "café", "../etc"])
def test_update_features_invalid_slug_is_refused(session, staff, slug):
    error = _refused(lambda: portal_settings.update_features(
        session, staff_id=staff.id, form=_features(portal_slug=slug)))

    assert error.field == "portal_slug"


@pytest.mark.parametrize(("days", "ok"), [
    (1, True), (30, True), ("30", True), (None, True), ("", True),  # empty: the default 7
    (0, False), ("0", False), (31, False), (-1, False), ("abc", False), ("7.5", False)])
def test_update_features_invite_ttl_days_is_1_to_30(session, staff, days, ok):
    form = _features(invite_ttl_days=days)
    if ok:
        saved = portal_settings.update_features(session, staff_id=staff.id, form=form)
        assert 1 <= saved.invite_ttl_days <= 30
        assert saved.invite_ttl_days == (int(days) if days else 7)
    else:
        error = _refused(lambda: portal_settings.update_features(session, staff_id=staff.id,
                                                                 form=form))
        assert error.field == "invite_ttl_days"


def test_update_features_refused_leaves_stored_settings(engine, session, staff, business):
    session.commit()

    with pytest.raises(ServiceError), session_scope() as s:
        portal_settings.update_features(s, staff_id=staff.id,
                                        form=_features(bookings=False, invite_ttl_days=99))

    with Session(engine) as fresh:
        stored = fresh.get(Business, business.id)
        assert (stored.feature_bookings, stored.invite_ttl_days) == (True, 7)


# --- default permissions -------------------------------------------------------------------


def test_update_default_permissions_pay_without_billing_is_refused(session, staff, business):
    error = _refused(lambda: portal_settings.update_default_permissions(
        session, staff_id=staff.id, form={"booking": True, "pay": True}))

    assert (error.field, error.message) == ("pay", PAY_NEEDS_BILLING)
    assert business.default_perm_pay is True and business.default_perm_billing is True


def test_update_default_permissions_apply_to_new_clients(session, staff):
    portal_settings.update_default_permissions(
        session, staff_id=staff.id, form={"booking": "on", "billing": True, "messaging": False})

    client = clients.create_client(session, staff_id=staff.id, form={"full_name": "New One"})

    assert clients.client_permissions(client) == {
        "booking": True, "messaging": False, "billing": True, "pay": False, "upload": False}
    assert len(_audits(session, "portal.default_permissions_changed")) == 1


# --- buttons -------------------------------------------------------------------------------


def _ctas():
    return [dict(c) for c in DEFAULT_CTAS]


def test_update_ctas_reorders_and_relabels(session, staff, business):
    wanted = [
        {"key": "message", "label": "  Write   to us ", "enabled": True},
        {"key": "book", "label": "Book", "enabled": False},
        {"key": "upload", "label": "Send a file", "enabled": "on"},
        {"key": "pay", "label": "Pay now", "enabled": None},
    ]

    saved = portal_settings.update_ctas(session, staff_id=staff.id, ctas=wanted)

    assert saved == [
        {"key": "message", "label": "Write to us", "enabled": True},
        {"key": "book", "label": "Book", "enabled": False},
        {"key": "upload", "label": "Send a file", "enabled": True},
        {"key": "pay", "label": "Pay now", "enabled": False},
    ]
    session.commit()
    session.expire_all()
    assert session.get(Business, business.id).cta_config == saved
    assert len(_audits(session, "portal.buttons_changed")) == 1


def _with(change):
    ctas = _ctas()
    change(ctas)
    return ctas


@pytest.mark.parametrize("ctas", [
    _with(lambda c: c.append({"key": "shop", "label": "Shop", "enabled": True})),
    _with(lambda c: c.__setitem__(0, {"key": "shop", "label": "Shop", "enabled": True})),
    _with(lambda c: c.__setitem__(1, dict(c[0]))),
    _with(lambda c: c.pop()),
    [],
    _with(lambda c: c.__setitem__(2, "upload")),
    "book,pay,upload,message",
    None,
], ids=["unknown-extra", "unknown-key", "duplicate", "missing", "empty", "not-a-dict",
        "string", "none"])
def test_update_ctas_bad_list_is_refused(session, staff, business, ctas):
    before = [dict(c) for c in business.cta_config]

    _refused(lambda: portal_settings.update_ctas(session, staff_id=staff.id, ctas=ctas))

    assert business.cta_config == before
    assert _audits(session, "portal.buttons_changed") == []


@pytest.mark.parametrize("label", ["", "   ", None, "x" * 41])
def test_update_ctas_empty_or_long_label_is_refused(session, staff, label):
    ctas = _ctas()
    ctas[1]["label"] = label

    error = _refused(lambda: portal_settings.update_ctas(session, staff_id=staff.id, ctas=ctas))

    assert error.field == "label-pay"


def test_update_ctas_label_of_40_characters_is_accepted(session, staff):
    ctas = _ctas()
    ctas[0]["label"] = "x" * 40

    saved = portal_settings.update_ctas(session, staff_id=staff.id, ctas=ctas)

    assert saved[0]["label"] == "x" * 40


# --- portal on/off -------------------------------------------------------------------------


def test_set_portal_enabled_false_ends_client_sessions_not_staff(session, staff, business):
    tokens = []
    for i in range(2):
        client = clients.create_client(session, staff_id=staff.id, form={
            "full_name": f"Client {i}", "email": f"c{i}@example.test"})
        tokens.append(invite_and_sign_in(session, staff_id=staff.id, client_id=client.id))
    staff_token = redeem(session, sessions.create_ticket(session, kind="staff",
                                                         staff_id=staff.id, now=NOW))
    assert all(resolve(session, t) is not None for t in tokens)

    portal_settings.set_portal_enabled(session, staff_id=staff.id, enabled=False)

    assert business.portal_enabled is False
    assert [resolve(session, t) for t in tokens] == [None, None]  # revoked, not just closed
    assert sessions.resolve_staff(session, raw_token=staff_token, timeouts=TIMEOUTS,
                                  now=NOW).staff_id == staff.id
    revoked = session.exec(select(AuthSession.kind).where(AuthSession.revoked_at.is_not(None)))
    assert sorted(revoked.all()) == ["client", "client"]
    (audit,) = _audits(session, "portal.disabled")
    assert (audit.actor_id, audit.detail["sessions_ended"]) == (staff.id, 2)

    portal_settings.set_portal_enabled(session, staff_id=staff.id, enabled=True)

    assert business.portal_enabled is True
    assert [resolve(session, t) for t in tokens] == [None, None]  # they sign in again
    (audit,) = _audits(session, "portal.enabled")
    assert audit.detail["sessions_ended"] == 0


def _business_reads(engine, work) -> int:
    return sum(1 for s in statements_of(engine, work) if "FROM business" in s)


def test_the_business_row_is_read_once_per_transaction_and_again_in_the_next(engine, session,
                                                                              business):
    from portal_app.services.business import get_business

    session.commit()
    with session_scope() as s:
        first = get_business(s)
        assert _business_reads(engine, lambda: get_business(s)) == 0
        assert get_business(s) is first
    with session_scope() as other:  # another worker's change, committed
        get_business(other).name = "Renamed Practice"
    with session_scope() as s:
        assert _business_reads(engine, lambda: get_business(s)) == 1
        assert get_business(s).name == "Renamed Practice"
        s.commit()  # the same Session, a new transaction: read again
        assert _business_reads(engine, lambda: get_business(s)) == 1


def test_a_default_business_made_in_a_rolled_back_savepoint_is_not_kept(engine):
    from portal_app.services.business import get_business

    with Session(engine, expire_on_commit=False) as s:
        s.exec(select(AuthSession.id)).all()  # the transaction is open
        savepoint = s.begin_nested()
        made = get_business(s)
        assert made.name == "Client Portal" and made.id is not None
        savepoint.rollback()
        again = get_business(s)
        assert again is not made and again in s
        s.commit()
    with Session(engine) as s:
        assert len(s.exec(select(Business)).all()) == 1
