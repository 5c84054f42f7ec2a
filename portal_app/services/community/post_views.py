"""What the feed and the post page show of posts and comments, built for a page of
rows in a constant number of statements: the authors (a client's display name and
avatar, never their legal name; a staff member's name with the business as a
badge), the files, and the reactions per emoji with whether the reader reacted.
The feed reads a post's reactions, and whether it has files, in the statement of
its posts (`folded_columns`): the files are read only for posts that have some.
Markdown is rendered safe on the server (render_markdown); comments are plain text.
Times are in the reader's zone, with the zone named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import nh3
from sqlalchemy import Integer, String, bindparam, case, cast, exists, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, select

from models import Client, CommunityFile, ContentStatus, Post, PostComment, Reaction, StaffUser
from portal_app import routes
from portal_app.i18n import gettext
from portal_app.i18n.formats import when_medium
from portal_app.services import reads
from portal_app.services.business import get_business
from portal_app.services.community.files import files_of, is_shown_image
from portal_app.services.community.reactions import EMOJIS
from portal_app.services.courses.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    render_markdown,
)
from portal_app.services.documents import format_size

MEMBER = "Member"  # a client without a display name yet (never their legal name)
# A member's Markdown may not load images from elsewhere (a tracking pixel would tell
# its owner who read the post, and from where): pictures go in as files.
_POST_TAGS = ALLOWED_TAGS - {"img"}
_POST_ATTRIBUTES = {tag: attrs for tag, attrs in ALLOWED_ATTRIBUTES.items() if tag != "img"}


# A post's own headings sit under the post's title (an h3 on the feed): "# x" is an h4.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _lower(match: re.Match) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 3, 6)}>"


@lru_cache(maxsize=1024)
def post_html(body: str) -> str:
    """A post's Markdown as safe HTML (render_markdown), without remote images, its
    headings below the post's title. Cached by the text itself (a feed shows the same
    posts on every read and live refresh; an edit is new text)."""
    html = render_markdown(body)
    if "<img" in html:
        html = nh3.clean(html, tags=_POST_TAGS, attributes=_POST_ATTRIBUTES,
                         url_schemes={"http", "https", "mailto"}, link_rel=None,
                         filter_style_properties={"text-align"})
    return _HEADING.sub(_lower, html)


@dataclass
class Author:
    name: str
    badge: str  # the business's name on staff text
    avatar: str  # an image URL, or ""


@cache
def _client_authors_statement():
    return select(Client.id, Client.display_name, Client.avatar_name).where(
        Client.id.in_(bindparam("ids", expanding=True)))


@cache
def _staff_authors_statement():
    return select(StaffUser.id, StaffUser.full_name).where(
        StaffUser.id.in_(bindparam("ids", expanding=True)))


@cache
def _reactions_statement(no_client: bool):
    reader = (Reaction.client_id.is_(None) if no_client
              else Reaction.client_id == bindparam("client_id", type_=Integer))
    mine = func.sum(case((reader, 1), else_=0))
    return (select(Reaction.target, Reaction.emoji, func.count(), mine)
            .where(Reaction.target.in_(bindparam("targets", expanding=True)))
            .group_by(Reaction.target, Reaction.emoji))


def authors_of(session: Session, rows: Sequence[Post | PostComment], lang: str = "en"
               ) -> dict[tuple[str, int], Author]:
    """("c", client id) / ("s", staff id) -> Author, for these rows (≤ 3 statements)."""
    member = gettext(lang, MEMBER)
    client_ids = {r.author_client_id for r in rows if r.author_client_id is not None}
    staff_ids = {r.author_staff_id for r in rows if r.author_staff_id is not None}
    out: dict[tuple[str, int], Author] = {}
    if client_ids:
        for cid, name, avatar in reads.run(session, _client_authors_statement(),
                                           ids=sorted(client_ids)):
            out[("c", cid)] = Author(name=(name or "").strip() or member, badge="",
                                     avatar=routes.community_avatar(cid) if avatar else "")
    if staff_ids:
        business = get_business(session).name
        for sid, name in reads.run(session, _staff_authors_statement(), ids=sorted(staff_ids)):
            out[("s", sid)] = Author(name=name, badge=business, avatar="")
    return out


def _author(authors: dict, row) -> Author:
    if row.author_client_id is not None:
        return authors.get(("c", row.author_client_id), Author(MEMBER, "", ""))
    return authors.get(("s", row.author_staff_id), Author("", "", ""))


def reactions_of(session: Session, targets: list[str], client_id: int
                 ) -> dict[str, dict[str, tuple[int, bool]]]:
    """target -> emoji -> (count, the reader reacted), in one statement."""
    out: dict[str, dict[str, tuple[int, bool]]] = {}
    if not targets:
        return out
    params = {"targets": list(targets)}
    if client_id is not None:
        params["client_id"] = int(client_id)
    for target, emoji, count, me in reads.run(session, _reactions_statement(client_id is None),
                                              **params):
        out.setdefault(target, {})[emoji] = (int(count), bool(me))
    return out


class _emoji_list(FunctionElement):  # noqa: N801 (a SQL function's name)
    """The emoji of a group of reactions as one text, space-separated. Not
    `func.aggregate_strings`: its separator is a parameter rendered into the SQL at
    every execution; here it is part of the statement, compiled once."""

    type = String()
    name = "emoji_list"
    inherit_cache = True


@compiles(_emoji_list)
def _emoji_list_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ' ')"


@compiles(_emoji_list, "postgresql")
def _emoji_list_postgresql(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ' ')"


def folded_columns(post_id, client_id) -> tuple:
    """Three columns for a statement of posts (`post_id`: its post id column;
    `client_id`: the reader's, a bound parameter): whether the post has files, the
    emoji of every reaction to it and those of the reader's, each list as one text
    ("👍 ❤️ 👍"; NULL for none), which `folded_row` counts. One statement for the
    posts, their reactions and their files' presence, with no list of ids to expand."""
    target = literal("p") + cast(post_id, String)
    emoji = _emoji_list(Reaction.emoji)
    return (exists().where(CommunityFile.post_id == post_id).label("has_files"),
            select(emoji).where(Reaction.target == target).scalar_subquery()
            .label("reacted"),
            select(emoji).where(Reaction.target == target, Reaction.client_id == client_id)
            .scalar_subquery().label("reacted_mine"))


def folded_row(reacted: str | None, mine: str | None) -> list[dict[str, str]]:
    """`reaction_row` for one post from its `folded_columns`."""
    if not reacted:
        return [{"emoji": e, "count": "0", "mine": ""} for e in EMOJIS]
    every = reacted.split(" ")
    chosen = mine.split(" ") if mine else ()
    return [{"emoji": e, "count": str(every.count(e)), "mine": "yes" if e in chosen else ""}
            for e in EMOJIS]


def reaction_row(counts: dict[str, tuple[int, bool]]) -> list[dict[str, str]]:
    """Every emoji of the set, in order: its count and whether the reader chose it."""
    if not counts:
        return [{"emoji": e, "count": "0", "mine": ""} for e in EMOJIS]
    none = (0, False)
    return [{"emoji": e, "count": str(n), "mine": "yes" if me else ""}
            for e in EMOJIS for n, me in (counts.get(e, none),)]


def _when(row, zone: str, lang: str, seen: dict | None = None) -> str:
    """The row's moment worded (`seen`: the texts of the moments worded already)."""
    moment = row.published_at or row.created_at
    if not moment:
        return ""
    if seen is None:
        return when_medium(moment, zone, lang)
    text = seen.get(moment)
    if text is None:
        text = seen[moment] = when_medium(moment, zone, lang)
    return text


def post_views(session: Session, posts: Sequence[Post], *, client_id: int, zone: str,
               lang: str, authors: dict[tuple[str, int], Author] | None = None,
               folded: bool = False) -> list[dict]:
    """One dict per post, for the page (a constant number of statements). `posts`: Post
    rows, or Core rows with the columns read here; `authors`: when the caller read
    them with the posts (feed.list_feed); `folded`: the rows carry `folded_columns`
    (their reactions are not read again, their files only where there are some)."""
    if not posts:
        return []
    if authors is None:
        authors = authors_of(session, posts, lang)
    if folded:
        files = files_of(session, [p.id for p in posts if p.has_files])
        rows = {p.id: folded_row(p.reacted, p.reacted_mine) for p in posts}
    else:
        files = files_of(session, [p.id for p in posts])
        reactions = reactions_of(session, [f"p{p.id}" for p in posts], client_id)
        rows = {p.id: reaction_row(reactions.get(f"p{p.id}", {})) for p in posts}
    seen: dict = {}
    out = []
    for post in posts:
        who = _author(authors, post)
        out.append({
            "id": str(post.id), "title": post.title, "html": post_html(post.body),
            "author": who.name, "badge": who.badge, "avatar": who.avatar,
            "initial": (who.name[:1] or "?").upper(),
            "when": _when(post, zone, lang, seen), "edited": "yes" if post.edited_at else "",
            "held": "yes" if post.status == ContentStatus.HELD else "",
            "mine": "yes" if client_id and post.author_client_id == client_id else "",
            "pinned": "yes" if post.pinned else "",
            "comments": str(post.comment_count),
            "href": routes.community_post(post.id),
            "files": [{"id": str(f.id), "name": f.filename, "url": routes.community_file(f.id),
                       "size": format_size(f.size_bytes, lang),
                       "image": "yes" if is_shown_image(f.content_type) else ""}
                      for f in files.get(post.id, [])],
            "reactions": rows[post.id],
        })
    return out


def comment_views(session: Session, comments: Sequence[PostComment], *, client_id: int,
                  best_id: int | None, zone: str, lang: str) -> list[dict]:
    if not comments:
        return []
    authors = authors_of(session, comments, lang)
    reactions = reactions_of(session, [f"c{c.id}" for c in comments], client_id)
    out = []
    for comment in comments:
        who = _author(authors, comment)
        out.append({
            "id": str(comment.id), "body": comment.body, "author": who.name,
            "badge": who.badge, "avatar": who.avatar, "initial": (who.name[:1] or "?").upper(),
            "when": _when(comment, zone, lang), "edited": "yes" if comment.edited_at else "",
            "held": "yes" if comment.status == ContentStatus.HELD else "",
            "mine": "yes" if client_id and comment.author_client_id == client_id else "",
            "best": "yes" if best_id == comment.id else "",
            "reactions": reaction_row(reactions.get(f"c{comment.id}", {})),
        })
    return out
