"""Random tokens, one-way hashes and password hashing.

Tokens and codes come from `secrets`. Session tokens and tickets are stored
as SHA-256 (they are long and random); 6-digit codes as an HMAC keyed with
the server secret, so a copy of the database cannot be brute-forced offline.
Passwords use bcrypt (cost 12) over a SHA-256 pre-hash, which lifts bcrypt's
72-byte limit without truncating.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import bcrypt

BCRYPT_COST = 12
# A valid hash to check against when the account does not exist, so the
# time taken does not reveal whether an email has an account.
_DUMMY_HASH = bcrypt.hashpw(b"timing-equaliser", bcrypt.gensalt(BCRYPT_COST)).decode()


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """A 6-digit one-time code, uniformly random."""
    return f"{secrets.randbelow(1_000_000):06d}"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def code_hmac(secret_key: str, code: str, *, salt: str) -> str:
    """HMAC of a short code; the salt binds it to one email and purpose."""
    msg = f"{salt}:{code}".encode()
    return hmac.new(secret_key.encode(), msg, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _prehash(password: str) -> bytes:
    digest = hashlib.sha256(password.encode("utf-8")).digest()
    return base64.b64encode(digest)


def hash_password(password: str, *, cost: int = BCRYPT_COST) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(cost)).decode()


def check_password(password: str, password_hash: str | None) -> bool:
    """Constant-work check: a missing hash still costs one bcrypt round."""
    target = password_hash or _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(_prehash(password), target.encode())
    except ValueError:
        return False
    return ok and password_hash is not None
