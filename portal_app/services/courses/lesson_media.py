"""What a lesson plays or offers, as the client's page may show it.

An embed is shown only when it is exactly a canonical player URL of the two allowed
hosts (youtube-nocookie.com/embed/<id>, player.vimeo.com/video/<number>): the form
authoring stores. Anything else (another host, a script URL, extra parameters) is
not framed at all. Uploaded media are streamed by the authenticated media route
(routes.course_media), which checks the grant again.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from models import CourseMedia, Lesson

_EMBEDS = (
    re.compile(r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{6,20}"),
    re.compile(r"https://player\.vimeo\.com/video/[0-9]{1,12}"),
)


def safe_embed_url(url: object) -> str:
    """The stored embed URL when it is a canonical allowed one, else ""."""
    text = str(url or "").strip()
    return text if any(p.fullmatch(text) for p in _EMBEDS) else ""


def lesson_media(session: Session, lesson: Lesson) -> CourseMedia | None:
    """The lesson's uploaded file, when it has one of its own course."""
    if lesson.media_id is None:
        return None
    media = session.get(CourseMedia, lesson.media_id)
    return media if media is not None and media.course_id == lesson.course_id else None
