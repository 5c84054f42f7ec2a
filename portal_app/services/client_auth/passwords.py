"""Passwords: a reset by emailed code (the same reply and the same work for
unknown emails) that signs out every other session, and setting or changing
the password of the signed-in account."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import AuthSession, CodePurpose, PortalAccount
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.client_auth.common import (
    SENDS_PER_IP,
    SignedIn,
    _account,
    _code_account,
    _language,
    _limit_sends,
    _open_business,
)
from portal_app.services.client_auth.sign_in import complete_sign_in
from portal_app.services.codes import CODE_TTL, issue_code
from portal_app.services.crypto import check_password, hash_password, new_token
from portal_app.services.errors import ServiceError
from portal_app.services.outbox import enqueue_email
from portal_app.services.sessions import (
    list_eligible_records,
    revoke_all_for_account,
    revoke_session,
)
from portal_app.services.validation import check_new_password, clean_code, normalize_email


def request_password_reset(
    session: Session,
    *,
    email: str,
    secret_key: str,
    ip: str = "",
    ip_limit: int = SENDS_PER_IP,
    lang: str = "",
    now: datetime | None = None,
) -> str:
    """Send a password reset code, in `lang` (the page's language). Same reply
    and same work for unknown emails."""
    now = now or utcnow()
    email = normalize_email(email)
    business = _open_business(session)
    _limit_sends(session, email=email, ip=ip, now=now, ip_limit=ip_limit)
    account = _account(session, email)
    records = list_eligible_records(session, account_id=account.id) if account else []
    has_access = bool(records)
    code = issue_code(session, secret_key=secret_key, purpose=CodePurpose.RESET_PASSWORD,
                      email=email, now=now, account_id=account.id if has_access else None, ip=ip)
    key = f"reset-{new_token()}"
    message_lang = _language(lang, records, business)
    if has_access:
        enqueue_email(session, to=email, template="reset_password", business=business,
                      idempotency_key=key, lang=message_lang, code=code,
                      minutes=int(CODE_TTL.total_seconds() // 60))
    else:
        enqueue_email(session, to=email, template="no_account", business=business,
                      idempotency_key=key, lang=message_lang)
    return email


def reset_password(
    session: Session,
    *,
    email: str,
    code: str,
    new_password: str,
    secret_key: str,
    ip: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """Set a new password with a reset code; every other session is signed out."""
    now = now or utcnow()
    email = normalize_email(email)
    code = clean_code(code)
    password = check_new_password(new_password)
    _open_business(session)
    account = _code_account(session, purpose=CodePurpose.RESET_PASSWORD, email=email,
                            code=code, secret_key=secret_key, now=now)
    account.password_hash = hash_password(password)
    session.add(account)
    revoke_all_for_account(session, account_id=account.id, now=now)
    record_audit(session, actor_kind="client", actor_id=account.id, action="client.password_reset",
                 ip=ip)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="reset")


def set_password(
    session: Session,
    *,
    account_id: int,
    current_password: str,
    new_password: str,
    keep_session_id: int,
    ip: str = "",
    now: datetime | None = None,
) -> None:
    """Set or change the password of the signed-in account; other sessions end."""
    now = now or utcnow()
    account = session.get(PortalAccount, account_id)
    if account is None:
        raise ServiceError("Please sign in again.")
    if account.password_hash and not check_password(str(current_password or ""),
                                                     account.password_hash):
        raise ServiceError("Your current password is not right.", field="current_password")
    password = check_new_password(new_password, field="new_password")
    account.password_hash = hash_password(password)
    session.add(account)
    others = session.exec(
        select(AuthSession.id).where(
            AuthSession.account_id == account_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.id != keep_session_id,
        )
    ).all()
    for sid in others:
        revoke_session(session, session_id=sid, now=now)
    record_audit(session, actor_kind="client", actor_id=account_id, action="client.password_set",
                 ip=ip)


def has_password(session: Session, *, account_id: int) -> bool:
    account = session.get(PortalAccount, account_id)
    return bool(account and account.password_hash)
