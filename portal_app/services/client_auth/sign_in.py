"""Signing in: a one-time code (by SMS or email) or a password, and
`complete_sign_in`, which every successful path ends with (registration,
password reset and invitations too)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client, CodePurpose, PortalAccess, PortalAccount
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.client_auth.common import (
    SENDS_PER_IP,
    WINDOW,
    SignedIn,
    _account,
    _code_account,
    _language,
    _limit_sends,
    _open_business,
)
from portal_app.services.codes import CODE_TTL, issue_code
from portal_app.services.crypto import check_password, new_token
from portal_app.services.errors import ServiceError
from portal_app.services.outbox import enqueue_email, enqueue_sms
from portal_app.services.sessions import create_ticket, list_eligible_records
from portal_app.services.validation import clean_code, normalize_email

PASSWORD_FAILS_PER_EMAIL = 10
PASSWORD_FAILS_PER_IP = 50
TOO_MANY_TRIES = "Too many sign-in attempts. Wait a few minutes and try again."
BAD_LOGIN = "Email or password is incorrect."
NO_ACCESS = "Your portal access is not active. Please contact us."


def _sms_number(session: Session, account_id: int) -> str:
    mobile = session.exec(
        select(Client.mobile)
        .where(
            Client.account_id == account_id,
            Client.portal_access.in_(PortalAccess.CAN_SIGN_IN),
            Client.mobile != "",
        )
        .order_by(Client.id)
        .limit(1)
    ).first()
    return mobile or ""


def request_sign_in_code(
    session: Session,
    *,
    email: str,
    secret_key: str,
    sms_enabled: bool,
    ip: str = "",
    ip_limit: int = SENDS_PER_IP,
    lang: str = "",
    now: datetime | None = None,
) -> str:
    """Send a sign-in code (SMS when there is a mobile and SMS is on, else email).

    `lang` is the language of the sign-in page; the message is in it. Returns
    the normalised email. Same reply and same work for unknown emails.
    """
    now = now or utcnow()
    email = normalize_email(email)
    business = _open_business(session)
    _limit_sends(session, email=email, ip=ip, now=now, ip_limit=ip_limit)
    account = _account(session, email)
    records = list_eligible_records(session, account_id=account.id) if account else []
    has_access = bool(records)
    code = issue_code(session, secret_key=secret_key, purpose=CodePurpose.SIGN_IN, email=email,
                      now=now, account_id=account.id if has_access else None, ip=ip)
    key = f"code-{new_token()}"
    minutes = int(CODE_TTL.total_seconds() // 60)
    message_lang = _language(lang, records, business)
    if not has_access:
        enqueue_email(session, to=email, template="no_account", business=business,
                      idempotency_key=key, lang=message_lang)
        return email
    mobile = _sms_number(session, account.id) if sms_enabled else ""
    if mobile:
        enqueue_sms(session, to=mobile, template="sign_in_code", business=business,
                    idempotency_key=key, lang=message_lang, code=code, minutes=minutes)
    else:
        enqueue_email(session, to=email, template="sign_in_code", business=business,
                      idempotency_key=key, lang=message_lang, code=code, minutes=minutes)
    return email


def complete_sign_in(
    session: Session,
    *,
    account: PortalAccount,
    ip: str,
    now: datetime,
    method: str,
    selected_client_id: int | None = None,
) -> SignedIn:
    """Finish any successful sign-in: activate invited records, stamp sign-in
    times, audit, and make the ticket for the cookie route."""
    records = list_eligible_records(session, account_id=account.id)
    if not records:
        raise ServiceError(NO_ACCESS)
    if account.email_verified_at is None:
        account.email_verified_at = now
    account.last_sign_in_at = now
    session.add(account)
    ids = [r.id for r in records]
    # First sign-in turns an invitation into active access.
    session.exec(update(Client).where(Client.id.in_(ids),
                                      Client.portal_access == PortalAccess.INVITED)
                 .values(portal_access=PortalAccess.ACTIVE))
    session.exec(update(Client).where(Client.id.in_(ids), Client.first_sign_in_at.is_(None))
                 .values(first_sign_in_at=now))
    session.exec(update(Client).where(Client.id.in_(ids)).values(last_sign_in_at=now))
    for record in records:
        record_audit(session, actor_kind="client", actor_id=account.id, action="client.sign_in",
                     client_id=record.id, ip=ip, method=method)
    if selected_client_id not in ids:
        selected_client_id = records[0].id if len(records) == 1 else None
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=selected_client_id, now=now)
    count = 1 if selected_client_id is not None else len(records)
    return SignedIn(ticket=ticket, account_id=account.id, record_count=count)


def sign_in_with_code(
    session: Session,
    *,
    email: str,
    code: str,
    secret_key: str,
    ip: str = "",
    now: datetime | None = None,
) -> SignedIn:
    now = now or utcnow()
    email = normalize_email(email)
    code = clean_code(code)
    _open_business(session)
    account = _code_account(session, purpose=CodePurpose.SIGN_IN, email=email, code=code,
                            secret_key=secret_key, now=now)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="code")


def _limit_password(session: Session, *, email: str, ip: str, now: datetime) -> None:
    ratelimit.check(session, bucket="pw_email", key=email, limit=PASSWORD_FAILS_PER_EMAIL,
                    window=WINDOW, now=now, message=TOO_MANY_TRIES)
    if ip:
        ratelimit.check(session, bucket="pw_ip", key=ip, limit=PASSWORD_FAILS_PER_IP,
                        window=WINDOW, now=now, message=TOO_MANY_TRIES)


def sign_in_with_password(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """Check a password (bcrypt even for unknown emails, for equal timing)."""
    now = now or utcnow()
    email = normalize_email(email)
    _open_business(session)
    _limit_password(session, email=email, ip=ip, now=now)
    account = _account(session, email)
    if not check_password(str(password or ""), account.password_hash if account else None):
        ratelimit.record(session, bucket="pw_email", key=email, now=now)
        if ip:
            ratelimit.record(session, bucket="pw_ip", key=ip, now=now)
        raise ServiceError(BAD_LOGIN, field="password", keep_changes=True)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="password")
