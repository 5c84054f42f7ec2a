"""Gamification in the console: the switch and points (0–100, every bad field
beside it), levels (name, unique threshold, an active reward offer), sorted by
points, edited and deleted; every write audited."""

import pytest

from models import CommunityLevel, LevelReward
from portal_app.services.community import levels_admin
from portal_app.services.community.groups_admin import FieldErrors
from portal_app.services.errors import NotFound
from portal_app.services.hub import offers
from tests.unit.community_admin_helpers import actions, world

POINTS = {"gamification": "on", "points_post": "5", "points_comment": "2",
          "points_reaction": "1", "points_best_answer": "10"}


@pytest.fixture
def w(session):
    data = world(session)
    data["offer"] = offers.save_offer(session, staff_id=data["staff"].id, offer_id=None, form={
        "name": "Bonus", "status": "active", "items": ["app:community"]})
    data["draft"] = offers.save_offer(session, staff_id=data["staff"].id, offer_id=None, form={
        "name": "Later", "status": "draft", "items": ["app:community"]})
    session.commit()
    return data


def _save(session, w, level_id=None, **form):
    return levels_admin.save_level(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                   level_id=level_id,
                                   form={"name": "Regular", "threshold": "50", **form})


def test_gamification_is_off_by_default_and_saved_with_its_points(session, w):
    assert w["group"].gamification is False
    g = levels_admin.save_gamification(session, staff_id=w["staff"].id,
                                       group_id=w["group"].id,
                                       form={**POINTS, "points_post": "7"})
    assert (g.gamification, g.points_post) == (True, 7)
    assert actions(session)[-1] == "community.gamification_saved"


def test_points_out_of_range_are_each_refused_beside_their_field(session, w):
    with pytest.raises(FieldErrors) as err:
        levels_admin.save_gamification(session, staff_id=w["staff"].id,
                                       group_id=w["group"].id,
                                       form={**POINTS, "points_post": "101",
                                             "points_comment": "-1", "points_reaction": "x"})
    assert err.value.errors == dict.fromkeys(
        ("points_post", "points_comment", "points_reaction"), levels_admin.POINTS)


def test_levels_are_listed_by_threshold_with_their_reward(session, w):
    _save(session, w, name="Regular", threshold="50", reward_offer_id=str(w["offer"].id))
    _save(session, w, name="Newcomer", threshold="0")
    rows = levels_admin.list_levels(session, group_id=w["group"].id)
    assert [(r.name, r.threshold, r.reward_name) for r in rows] == [
        ("Newcomer", 0, ""), ("Regular", 50, "Bonus")]
    assert actions(session)[-1] == "community.level_added"


@pytest.mark.parametrize("form,field,message", [
    ({"name": ""}, "name", levels_admin.LEVEL_NAME),
    ({"name": "x" * 41}, "name", levels_admin.LEVEL_NAME),
    ({"threshold": "-5"}, "threshold", levels_admin.THRESHOLD),
    ({"threshold": "10"}, "threshold", levels_admin.TAKEN),
    ({"reward_offer_id": "draft"}, "reward_offer_id", levels_admin.NO_OFFER),
    ({"reward_offer_id": "99999"}, "reward_offer_id", levels_admin.NO_OFFER),
])
def test_a_bad_level_is_refused_beside_its_field(session, w, form, field, message):
    _save(session, w, name="First", threshold="10")
    if form.get("reward_offer_id") == "draft":
        form = {"reward_offer_id": str(w["draft"].id)}
    with pytest.raises(FieldErrors) as err:
        _save(session, w, **form)
    assert err.value.errors[field] == message


def test_a_level_is_edited_keeping_its_own_threshold_and_deleted(session, w):
    level = _save(session, w, name="First", threshold="10")
    _save(session, w, level_id=level.id, name="Starter", threshold="10")
    assert [r.name for r in levels_admin.list_levels(session, group_id=w["group"].id)] == [
        "Starter"]
    session.add(LevelReward(level_id=level.id, group_id=w["group"].id,
                            client_id=w["alice"].id))
    session.commit()
    levels_admin.delete_level(session, staff_id=w["staff"].id, group_id=w["group"].id,
                              level_id=level.id)
    session.commit()
    assert session.get(CommunityLevel, level.id) is None
    assert actions(session)[-2:] == ["community.level_changed", "community.level_deleted"]
    with pytest.raises(NotFound):
        levels_admin.delete_level(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                  level_id=level.id)
