"""Self sign-up, when the business allows it: a verification code first (the
same reply and the same work whether or not the email exists), then the
account and its client record, signed in.

One email never gets a second account (seed 002). With an email that already
has one, the business setting "allow several client records per email" decides:
off, the email offers sign-in instead ("already_registered", no code); on, it
carries a code that, entered like any sign-up code, adds a new client record
under that account (its household); the account's password does not change."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from models import AttributionEvent, Client, CodePurpose, PortalAccess, PortalAccount
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.client_auth.common import (
    SENDS_PER_IP,
    SignedIn,
    _account,
    _language,
    _limit_sends,
    _open_business,
    _redeem_code,
)
from portal_app.services.client_auth.sign_in import complete_sign_in
from portal_app.services.codes import CODE_TTL, issue_code
from portal_app.services.crypto import hash_password, new_token
from portal_app.services.errors import ServiceError
from portal_app.services.outbox import enqueue_email
from portal_app.services.referrals.visits import ReferralCookie, attribute_visit
from portal_app.services.sessions import list_eligible_records
from portal_app.services.validation import (
    check_new_password,
    clean_code,
    clean_name,
    normalize_email,
)


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
    # A household whose access staff disabled gets no new record this way.
    if exists and records and business.allow_several_records_per_email:
        enqueue_email(session, to=email, template="add_record", business=business,
                      idempotency_key=key, lang=message_lang, code=code, name=name,
                      minutes=int(CODE_TTL.total_seconds() // 60))
    elif exists:
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
    referral: ReferralCookie | None = None,
    referral_code: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """Self sign-up step 2: the code, then the account and its client record (or a
    record added to the household), signed in. The new record is bound to the
    referrer of `referral_code` (typed at step 1, checked then) or of the referral
    cookie, in this transaction (services/referrals/visits.py)."""
    now = now or utcnow()
    email = normalize_email(email)
    code = clean_code(code)
    business = _open_business(session)
    if not business.allow_self_signup:
        raise ServiceError("Sign-up is not open. Please contact us to get access.")
    row = _redeem_code(session, purpose=CodePurpose.VERIFY_EMAIL, email=email, code=code,
                       secret_key=secret_key, now=now)
    existing = _account(session, email)
    if (existing is not None and business.allow_several_records_per_email and row.pending_name
            and list_eligible_records(session, account_id=existing.id)):
        signed = _add_record(session, account=existing, name=row.pending_name, ip=ip, now=now)
        attribute_visit(session, client_id=signed.added_client_id, event=AttributionEvent.SIGNUP,
                        cookie=referral, coupon=referral_code, now=now)
        return signed
    if existing is not None or not row.pending_password_hash:
        raise ServiceError("That code has expired or was already used. Request a new code.",
                           field="code")
    account = PortalAccount(email=email, password_hash=row.pending_password_hash,
                            email_verified_at=now, created_at=now)
    session.add(account)
    session.flush()
    client = Client(full_name=row.pending_name, email=email, account_id=account.id,
                    portal_access=PortalAccess.ACTIVE, created_at=now)
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=account.id, action="client.registered",
                 client_id=client.id, ip=ip)
    attribute_visit(session, client_id=client.id, event=AttributionEvent.SIGNUP,
                    cookie=referral, coupon=referral_code, now=now)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="registration")


def _add_record(session: Session, *, account: PortalAccount, name: str, ip: str,
                now: datetime) -> SignedIn:
    """A sign-up with an email that has an account, when the business allows several
    records per email: a new record in that account's household, then signed in (the
    record picker follows, as for any email with several records)."""
    client = Client(full_name=name, email=account.email, account_id=account.id,
                    portal_access=PortalAccess.ACTIVE, created_at=now)
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=account.id, action="client.registered",
                 client_id=client.id, ip=ip, household=True)
    signed = complete_sign_in(session, account=account, ip=ip, now=now, method="registration")
    return replace(signed, added_client_id=client.id)
