"""@mentions in a post or comment: "@" followed by a member's display name (any
case, the longest name that fits wins), among the clients who may read the group
now (`access.reader_ids`). A Mention row is written when the text is saved, held
or not; `notices.on_published` tells the people named once the text is published.
The author never mentions themselves."""

from __future__ import annotations

from sqlmodel import Session, select

from models import Client, CommunityGroup, Mention
from portal_app.services.community.access import reader_ids


def _names(session: Session, group: CommunityGroup) -> list[tuple[str, int]]:
    """(lower-case display name, client id) of the group's readers, longest first."""
    ids = reader_ids(session, group=group)
    if not ids:
        return []
    rows = session.exec(select(Client.id, Client.display_name).where(Client.id.in_(ids))).all()
    named = [(" ".join((name or "").split()).lower(), cid) for cid, name in rows]
    return sorted([n for n in named if n[0]], key=lambda n: -len(n[0]))


def find_mentions(text: str, names: list[tuple[str, int]]) -> list[int]:
    """Client ids named after an "@" in `text` (in order, each once). A name must end
    where a word ends ("@Ann" does not name "Anna")."""
    lowered = (text or "").lower()
    found: list[int] = []
    start = lowered.find("@")
    while start != -1:
        rest = lowered[start + 1:]
        for name, cid in names:
            if rest.startswith(name) and not rest[len(name):len(name) + 1].isalnum():
                if cid not in found:
                    found.append(cid)
                break
        start = lowered.find("@", start + 1)
    return found


def write_mentions(session: Session, *, group: CommunityGroup, post_id: int,
                   comment_id: int | None, text: str, author_client_id: int | None
                   ) -> list[int]:
    """Mention rows for the members `text` names (not its author; a row that exists
    stays as it is). Returns the ids of the new rows' clients."""
    if "@" not in (text or ""):
        return []
    ids = [cid for cid in find_mentions(text, _names(session, group))
           if cid != author_client_id]
    if not ids:
        return []
    have = set(session.exec(select(Mention.client_id).where(
        Mention.post_id == post_id, Mention.client_id.in_(ids),
        Mention.comment_id == comment_id if comment_id is not None
        else Mention.comment_id.is_(None))).all())
    new = [cid for cid in ids if cid not in have]
    for cid in new:
        session.add(Mention(group_id=group.id, post_id=post_id, comment_id=comment_id,
                            client_id=cid))
    if new:
        session.flush()
    return new
