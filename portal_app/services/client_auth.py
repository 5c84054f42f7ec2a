"""Client sign-in: one-time codes, passwords, registration, password reset.

Every request path that takes an email answers the same way and does the
same work whether or not the email has portal access: a code row is written
and one message is queued (the code, or a notice that there is no access),
so neither the reply nor its timing reveals who is a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from models import AuthSession, Business, Client, CodePurpose, PortalAccess, PortalAccount
from models.base import utcnow
from portal_app import i18n
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.codes import CODE_TTL, issue_code, use_code
from portal_app.services.crypto import check_password, hash_password, new_token
from portal_app.services.errors import PortalClosed, ServiceError
from portal_app.services.outbox import enqueue_email, enqueue_sms
from portal_app.services.sessions import (
    create_ticket,
    list_eligible_records,
    revoke_all_for_account,
    revoke_session,
)
from portal_app.services.validation import (
    check_new_password,
    clean_code,
    clean_name,
    normalize_email,
)

WINDOW = timedelta(minutes=15)
SENDS_PER_EMAIL = 5
SENDS_PER_IP = 20
PASSWORD_FAILS_PER_EMAIL = 10
PASSWORD_FAILS_PER_IP = 50
TOO_MANY_CODES = "Too many codes requested. Wait a few minutes and try again."
TOO_MANY_TRIES = "Too many sign-in attempts. Wait a few minutes and try again."
BAD_LOGIN = "Email or password is incorrect."
NO_ACCESS = "Your portal access is not active. Please contact us."


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the ticket for the cookie route and where to go."""

    ticket: str
    account_id: int
    record_count: int


def _open_business(session: Session) -> Business:
    business = get_business(session)
    if not business.portal_enabled:
        raise PortalClosed()
    return business


def _limit_sends(session: Session, *, email: str, ip: str, now: datetime,
                 ip_limit: int = SENDS_PER_IP) -> None:
    ratelimit.hit(session, bucket="code_email", key=email, limit=SENDS_PER_EMAIL,
                  window=WINDOW, now=now, message=TOO_MANY_CODES)
    if ip:
        ratelimit.hit(session, bucket="code_ip", key=ip, limit=ip_limit,
                      window=WINDOW, now=now, message=TOO_MANY_CODES)


def _account(session: Session, email: str) -> PortalAccount | None:
    return session.exec(select(PortalAccount).where(PortalAccount.email == email)).first()


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


def _language(page_lang: str, records: list, business: Business) -> str:
    """The language of a sign-in message: the page the person is looking at, else
    what their records chose, else the business's."""
    return i18n.pick(page_lang, *(r.language for r in records), business.language)


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
    check = use_code(session, secret_key=secret_key, purpose=CodePurpose.SIGN_IN, email=email,
                     code=code, now=now)
    if not check.ok:
        raise ServiceError(check.error, field="code", keep_changes=True)
    account = _account(session, email)
    if account is None or check.row.account_id != account.id:
        raise ServiceError("That code has expired or was already used. Request a new code.",
                           field="code")
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


def start_registration(
    session: Session,
    *,
    full_name: str,
    email: str,
    password: str,
    secret_key: str,
    ip: str = "",
    ip_limit: int = SENDS_PER_IP,
    lang: str = "",
    now: datetime | None = None,
) -> str:
    """Self sign-up step 1: send a verification code, in `lang` (the sign-up page's
    language). Same reply if the email exists."""
    now = now or utcnow()
    name = clean_name(full_name)
    email = normalize_email(email)
    password = check_new_password(password)
    business = _open_business(session)
    if not business.allow_self_signup:
        raise ServiceError("Sign-up is not open. Please contact us to get access.")
    _limit_sends(session, email=email, ip=ip, now=now, ip_limit=ip_limit)
    account = _account(session, email)
    exists = account is not None
    records = list_eligible_records(session, account_id=account.id) if account else []
    message_lang = _language(lang, records, business)
    # Hash even when it is not kept, so the time taken does not tell that the email exists.
    password_hash = hash_password(password)
    code = issue_code(session, secret_key=secret_key, purpose=CodePurpose.VERIFY_EMAIL,
                      email=email, now=now, ip=ip, pending_name=name,
                      pending_password_hash=None if exists else password_hash)
    key = f"verify-{new_token()}"
    if exists:
        enqueue_email(session, to=email, template="already_registered", business=business,
                      idempotency_key=key, lang=message_lang)
    else:
        enqueue_email(session, to=email, template="verify_email", business=business,
                      idempotency_key=key, lang=message_lang, code=code, name=name,
                      minutes=int(CODE_TTL.total_seconds() // 60))
    return email


def finish_registration(
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
    business = _open_business(session)
    if not business.allow_self_signup:
        raise ServiceError("Sign-up is not open. Please contact us to get access.")
    check = use_code(session, secret_key=secret_key, purpose=CodePurpose.VERIFY_EMAIL,
                     email=email, code=code, now=now)
    if not check.ok:
        raise ServiceError(check.error, field="code", keep_changes=True)
    if _account(session, email) is not None or not check.row.pending_password_hash:
        raise ServiceError("That code has expired or was already used. Request a new code.",
                           field="code")
    account = PortalAccount(email=email, password_hash=check.row.pending_password_hash,
                            email_verified_at=now, created_at=now)
    session.add(account)
    session.flush()
    client = Client(full_name=check.row.pending_name, email=email, account_id=account.id,
                    portal_access=PortalAccess.ACTIVE, created_at=now)
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=account.id, action="client.registered",
                 client_id=client.id, ip=ip)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="registration")


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
    check = use_code(session, secret_key=secret_key, purpose=CodePurpose.RESET_PASSWORD,
                     email=email, code=code, now=now)
    if not check.ok:
        raise ServiceError(check.error, field="code", keep_changes=True)
    account = _account(session, email)
    if account is None or check.row.account_id != account.id:
        raise ServiceError("That code has expired or was already used. Request a new code.",
                           field="code")
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
