"""Who hears of new text in a group (the bell, email, live). Filled in by the
notifications work (issue 23): see /work/brief/core.md for the contract."""

from __future__ import annotations

from sqlmodel import Session

from models import Post, PostComment


def on_published(session: Session, *, post: Post | None = None,
                 comment: PostComment | None = None, base_url: str) -> list[int]:
    """Called in the transaction where a post or comment becomes published (at once,
    or when staff approve it); never for held text. Returns the client ids whose
    bell changed (the caller pushes to them after its commit)."""
    return []
