"""What a client may do: the business's features AND the client's own permissions."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from models import Business, Client
from portal_app.services.errors import ServiceError

# (key, label) in the order staff see them (seed 004), plus file uploads.
PERMISSIONS: list[tuple[str, str]] = [
    ("booking", "Allow online appointment requests"),
    ("messaging", "Use secure messaging"),
    ("billing", "Access billing documents"),
    ("pay", "Pay outstanding balance"),
    ("upload", "Upload files"),
]
PERMISSION_KEYS = tuple(k for k, _ in PERMISSIONS)
FEATURES: list[tuple[str, str]] = [
    ("bookings", "Online booking"),
    ("payments", "Invoices and online payments"),
    ("documents", "Shared documents"),
    ("messaging", "Secure messaging"),
    ("uploads", "Client file uploads"),
]
FEATURE_KEYS = tuple(k for k, _ in FEATURES)
PAY_NEEDS_BILLING = "Paying a balance needs access to billing documents: turn that on too."


@dataclass(frozen=True)
class Access:
    """Effective access of one client record, used by pages and by every handler."""

    bookings: bool = False
    messaging: bool = False
    billing: bool = False
    pay: bool = False
    documents: bool = False
    upload: bool = False

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


def client_permissions(client: Client) -> dict[str, bool]:
    return {k: bool(getattr(client, f"perm_{k}")) for k in PERMISSION_KEYS}


def effective_access(business: Business, perms: dict[str, bool]) -> Access:
    billing = business.feature_payments and perms.get("billing", False)
    return Access(
        bookings=business.feature_bookings and perms.get("booking", False),
        messaging=business.feature_messaging and perms.get("messaging", False),
        billing=billing,
        pay=billing and perms.get("pay", False),
        documents=business.feature_documents,
        upload=business.feature_documents and business.feature_uploads
        and perms.get("upload", False),
    )


def check_permission_set(perms: dict[str, bool]) -> dict[str, bool]:
    """Clean a submitted set of permissions; pay without billing is refused."""
    clean = {k: bool(perms.get(k, False)) for k in PERMISSION_KEYS}
    if clean["pay"] and not clean["billing"]:
        raise ServiceError(PAY_NEEDS_BILLING, field="pay")
    return clean


def default_permissions(business: Business) -> dict[str, bool]:
    return {k: bool(getattr(business, f"default_perm_{k}")) for k in PERMISSION_KEYS}


# Which access each right-panel button needs.
CTA_ACCESS = {"book": "bookings", "pay": "pay", "upload": "upload", "message": "messaging"}


def visible_actions(cta_config: list, access: Access) -> list[dict[str, str]]:
    """The enabled call-to-action buttons this client may use, in the business's order."""
    shown = []
    for item in cta_config or []:
        key = item.get("key")
        if item.get("enabled") and key in CTA_ACCESS and getattr(access, CTA_ACCESS[key]):
            shown.append({"key": key, "label": str(item.get("label", ""))})
    return shown
