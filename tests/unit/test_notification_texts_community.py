"""The "community" bell lines in English and Spanish (kind + params, worded when read)."""

import pytest

from portal_app.services import notification_texts as texts
from portal_app.services.community.notices import community_params

CASES = [
    (community_params(event="mention", group="Runners", title="Long run", who="Ana"),
     "Runners: Ana mentioned you in Long run", "Runners: Ana te mencionó en Long run"),
    (community_params(event="reply", group="Runners", title="Long run", who="Ana"),
     "Runners: Ana replied to your post Long run",
     "Runners: Ana respondió a tu publicación Long run"),
    (community_params(event="post", group="Runners", title="Race", who="Ana"),
     "Runners: Ana posted Race", "Runners: Ana publicó Race"),
    (community_params(event="comment", group="Runners", title="Race", who="Ana"),
     "Runners: Ana commented on Race", "Runners: Ana comentó en Race"),
    (community_params(event="post", group="Runners", title="Race", who=""),
     "Runners: A member posted Race", "Runners: Un miembro publicó Race"),
    (community_params(event="approved", group="Runners"),
     "Your request to join Runners was approved",
     "Tu solicitud para unirte a Runners fue aprobada"),
    (community_params(event="level", group="Runners", level="Gold"),
     "You reached Gold in Runners", "Alcanzaste el nivel Gold en Runners"),
]


@pytest.mark.parametrize(("params", "english", "spanish"), CASES)
def test_each_community_event_reads_in_english_and_in_spanish(params, english, spanish):
    assert texts.render("community", params, lang="en", zone="UTC") == english
    assert texts.render("community", params, lang="es", zone="UTC") == spanish


def test_an_unknown_community_event_is_refused_as_bad_params():
    with pytest.raises(KeyError):
        texts.render("community", {"event": "party", "group": "Runners"}, lang="en", zone="UTC")
