"""What a member may write, and whether it is published at once or held for staff.

`clean_post` / `clean_comment` check sizes (every problem beside its field);
`verdict` decides published or held, with the reason staff see in the queue:
the channel approves every post, the member is within the group's first N posts,
a held word matched, or a link when the group holds links (a group that blocks
links refuses the text instead). Staff's own posts are never held.
"""

from __future__ import annotations

import re

from models import CommunityChannel, CommunityGroup, ContentStatus, GroupMember, LinkRule
from portal_app.services.courses.markdown import render_markdown
from portal_app.services.errors import ServiceError

TITLE_MAX = 200
POST_MAX = 20_000
COMMENT_MAX = 5_000
WORDS_MAX = 100
WORD_MAX = 40

REASON_CHANNEL = "This channel approves every post."
REASON_FIRST = "A new member's first posts are approved by the business."
REASON_WORD = "It contains a word the business reviews."
REASON_LINK = "It contains a link."
LINKS_BLOCKED = "Links are not allowed in this group."

# A link in the text as typed: a scheme, "www.", a protocol-relative "//host.", or a
# Markdown inline link; Markdown's other link forms are caught on the rendered HTML.
_LINK = re.compile(r"(https?:|www\.|(?<![\w/])//[\w-]+\.|\]\(|mailto:)", re.IGNORECASE)


def _text(raw: object) -> str:
    text = str(raw or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c == "\n" or c == "\t" or c.isprintable()).strip()


def clean_post(title: object, body: object) -> tuple[str, str]:
    """(title, body) trimmed; the title 1–200 characters, the text at most 20,000."""
    clean_title = " ".join(str(title or "").split())
    clean_body = _text(body)
    if not clean_title:
        raise ServiceError("Give your post a title.", field="title")
    if len(clean_title) > TITLE_MAX:
        raise ServiceError("Use at most 200 characters for the title.", field="title")
    if len(clean_body) > POST_MAX:
        raise ServiceError("Use at most 20,000 characters.", field="body")
    return clean_title, clean_body


def clean_comment(body: object) -> str:
    text = _text(body)
    if not text:
        raise ServiceError("Write a comment first.", field="comment")
    if len(text) > COMMENT_MAX:
        raise ServiceError("Use at most 5,000 characters.", field="comment")
    return text


def clean_words(raw: object) -> list[str]:
    """Held words from a comma- or line-separated list: lower case, unique, ≤ 100."""
    parts = re.split(r"[,\n]", str(raw or ""))
    words: list[str] = []
    for part in parts:
        word = " ".join(part.split()).lower()
        if not word or word in words:
            continue
        if len(word) > WORD_MAX:
            raise ServiceError("Use at most 40 characters per word.", field="held_words")
        words.append(word)
    if len(words) > WORDS_MAX:
        raise ServiceError("Use at most 100 words.", field="held_words")
    return words


def has_link(text: str) -> bool:
    """A link as typed, or one Markdown makes of it (reference links, autolinks)."""
    return bool(_LINK.search(text)) or "<a " in render_markdown(text)


def matched_word(words: list[str], text: str) -> str:
    """The first held word found in `text` as a whole word (any case), else ""."""
    lowered = text.lower()
    for word in words or []:
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lowered):
            return word
    return ""


def verdict(*, group: CommunityGroup, channel: CommunityChannel | None,
            member: GroupMember | None, text: str, is_post: bool) -> tuple[str, str]:
    """(status, held reason) for new text by a member (`member` None = staff)."""
    if member is None:
        return ContentStatus.PUBLISHED, ""
    if has_link(text) and group.link_rule == LinkRule.BLOCK:
        raise ServiceError(LINKS_BLOCKED, field="body" if is_post else "comment")
    if channel is not None and channel.approve_posts:
        return ContentStatus.HELD, REASON_CHANNEL
    if is_post and group.hold_first_posts and member.published_posts < group.hold_first_posts:
        return ContentStatus.HELD, REASON_FIRST
    if matched_word(list(group.held_words or []), text):
        return ContentStatus.HELD, REASON_WORD
    if group.link_rule == LinkRule.HOLD and has_link(text):
        return ContentStatus.HELD, REASON_LINK
    return ContentStatus.PUBLISHED, ""
