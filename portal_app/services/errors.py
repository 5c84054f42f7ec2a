"""Errors a service raises; each carries a message fit to show the user."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a clear message; `field` names the form field at fault.

    `keep_changes` marks a refusal whose bookkeeping must be committed anyway
    (a wrong code try, a failed password): `session_scope()` commits it
    instead of rolling back, or the attempt limits would never hold.
    """

    def __init__(self, message: str, *, field: str | None = None, keep_changes: bool = False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.keep_changes = keep_changes


class NotFound(ServiceError):
    """The id does not exist, or belongs to someone else (we never say which)."""

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class NotAllowed(ServiceError):
    """The caller is signed in but may not do this."""


class RateLimited(ServiceError):
    """Too many attempts in the window."""


class PortalClosed(ServiceError):
    def __init__(self):
        super().__init__("The client portal is closed at the moment. Please contact us directly.")


def parse_id(raw: object, message: str) -> int:
    """An id that came from the client, as an int; anything else is NotFound."""
    if isinstance(raw, bool):
        raise NotFound(message)
    try:
        value = int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound(message) from None
    if not 0 < value < 2**62:  # beyond any row, and beyond what SQLite can bind
        raise NotFound(message)
    return value


def get_by_id(session, model, raw: object, message: str):
    """The row of `model` with this client-supplied id, or NotFound."""
    row = session.get(model, parse_id(raw, message))
    if row is None:
        raise NotFound(message)
    return row
