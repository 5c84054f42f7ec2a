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
_cost = BCRYPT_COST
# Valid hashes to check against when the account does not exist, so the time
# taken does not reveal whether an email has an account; one per cost, made
# when first needed (not at import: that alone is a cost-12 hash).
_dummy_hashes: dict[int, str] = {}


def bcrypt_cost() -> int:
    """The cost new password hashes get; read at each call."""
    return _cost


def use_bcrypt_cost(cost: int) -> None:
    """Change the cost of new hashes. Only the test suite lowers it (to 4), keeping
    the real cost for the tests that assert or time it; production never calls this."""
    global _cost
    if not 4 <= cost <= 31:
        raise ValueError(f"bcrypt cost must be 4..31, not {cost}")
    _cost = cost


def _dummy_hash() -> str:
    cost = _cost
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = bcrypt.hashpw(b"timing-equaliser", bcrypt.gensalt(cost)).decode()
    return _dummy_hashes[cost]


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


def hash_password(password: str, *, cost: int | None = None) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(cost or _cost)).decode()


def check_password(password: str, password_hash: str | None) -> bool:
    """Constant-work check: a missing hash still costs one bcrypt round."""
    target = password_hash or _dummy_hash()
    try:
        ok = bcrypt.checkpw(_prehash(password), target.encode())
    except ValueError:
        return False
    return ok and password_hash is not None
