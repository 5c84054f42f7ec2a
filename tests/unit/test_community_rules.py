"""What a member may write and whether it waits for staff (services/community/rules.py)."""

import pytest

from models import CommunityChannel, CommunityGroup, ContentStatus, GroupMember, LinkRule
from portal_app.services.community import rules
from portal_app.services.errors import ServiceError


def _verdict(text="Hello there", *, member=None, is_post=True, channel=None, **group):
    member = member if member is not None else GroupMember(group_id=1, client_id=1,
                                                           published_posts=5)
    return rules.verdict(group=CommunityGroup(name="G", **group),
                         channel=channel or CommunityChannel(group_id=1, name="Feed"),
                         member=member, text=text, is_post=is_post)


def test_plain_text_is_published_at_once():
    assert _verdict() == (ContentStatus.PUBLISHED, "")


def test_staff_text_is_never_held():
    assert rules.verdict(group=CommunityGroup(name="G", hold_first_posts=5,
                                              link_rule=LinkRule.BLOCK),
                         channel=CommunityChannel(group_id=1, name="F", approve_posts=True),
                         member=None, text="see https://x.test", is_post=True) == (
        ContentStatus.PUBLISHED, "")


def test_a_channel_that_approves_holds_everything():
    channel = CommunityChannel(group_id=1, name="F", approve_posts=True)
    assert _verdict(channel=channel) == (ContentStatus.HELD, rules.REASON_CHANNEL)
    assert _verdict(channel=channel, is_post=False)[0] == ContentStatus.HELD


def test_a_new_members_first_posts_are_held_but_not_their_comments():
    new = GroupMember(group_id=1, client_id=1, published_posts=1)
    assert _verdict(member=new, hold_first_posts=2) == (ContentStatus.HELD, rules.REASON_FIRST)
    assert _verdict(member=new, hold_first_posts=2, is_post=False)[0] == ContentStatus.PUBLISHED
    new.published_posts = 2
    assert _verdict(member=new, hold_first_posts=2)[0] == ContentStatus.PUBLISHED


def test_a_held_word_matches_whole_words_in_any_case():
    assert _verdict("Buy CHEAP pills", held_words=["cheap"]) == (ContentStatus.HELD,
                                                                 rules.REASON_WORD)
    assert _verdict("cheapest advice", held_words=["cheap"])[0] == ContentStatus.PUBLISHED


def test_links_follow_the_groups_rule():
    text = "read www.example.test"
    assert _verdict(text)[0] == ContentStatus.PUBLISHED
    assert _verdict(text, link_rule=LinkRule.HOLD) == (ContentStatus.HELD, rules.REASON_LINK)
    with pytest.raises(ServiceError) as refused:
        _verdict("[x](https://e.test)", link_rule=LinkRule.BLOCK, is_post=False)
    assert refused.value.field == "comment" and refused.value.message == rules.LINKS_BLOCKED


def test_a_post_needs_a_title_and_sizes_are_bounded():
    assert rules.clean_post("  Hello   world ", " text\r\n") == ("Hello world", "text")
    for title, body, field in (("", "x", "title"), ("t" * 201, "", "title"),
                               ("ok", "b" * 20_001, "body")):
        with pytest.raises(ServiceError) as refused:
            rules.clean_post(title, body)
        assert refused.value.field == field
    with pytest.raises(ServiceError):
        rules.clean_comment("   ")
    with pytest.raises(ServiceError):
        rules.clean_comment("c" * 5_001)
    assert rules.clean_comment("a\u0000b") == "ab"


def test_held_words_are_cleaned_and_bounded():
    assert rules.clean_words("Spam, spam\n  Buy  Now ,") == ["spam", "buy now"]
    with pytest.raises(ServiceError):
        rules.clean_words("w" * 41)
    with pytest.raises(ServiceError):
        rules.clean_words(",".join(f"w{i}" for i in range(101)))


@pytest.mark.parametrize("text", [
    "[a][b]\n\n[b]: //evil.example", "[a][b]\n\n[b]: http:evil.example", "<https://x.example>",
    "see //cdn.example/x", "HTTPS://LOUD.example",
])
def test_every_markdown_link_form_counts_as_a_link(text):
    assert rules.has_link(text)
    with pytest.raises(ServiceError):
        _verdict(text, link_rule=LinkRule.BLOCK)


def test_plain_text_with_slashes_is_not_a_link():
    assert not rules.has_link("and/or 1/2 // a comment")
