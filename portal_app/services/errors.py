"""Errors a service raises; each carries a message fit to show the user."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a clear message; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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
