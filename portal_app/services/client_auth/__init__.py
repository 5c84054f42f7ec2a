"""Client sign-in: one-time codes, passwords, registration, password reset.

Every request path that takes an email answers the same way and does the
same work whether or not the email has portal access: a code row is written
and one message is queued (the code, or a notice that there is no access),
so neither the reply nor its timing reveals who is a client.

One module per concern, re-exported here so callers write `client_auth.<name>`:
- `common`: rate-limit windows for codes, the portal-open check, the account
  by email, the language of a sign-in message;
- `sign_in`: sign-in by code or by password, and `complete_sign_in`, which
  every successful path ends with;
- `registration`: self sign-up (verification code, then the account);
- `passwords`: password reset by code, setting or changing a password.
A test that replaces a name with monkeypatch must patch the module that
uses it (e.g. `portal_app.services.client_auth.sign_in.check_password`):
the names here are copies.
"""

from portal_app.services.client_auth.common import (
    SENDS_PER_EMAIL,
    SENDS_PER_IP,
    TOO_MANY_CODES,
    WINDOW,
    SignedIn,
)
from portal_app.services.client_auth.passwords import (
    has_password,
    request_password_reset,
    reset_password,
    set_password,
)
from portal_app.services.client_auth.registration import finish_registration, start_registration
from portal_app.services.client_auth.sign_in import (
    BAD_LOGIN,
    NO_ACCESS,
    PASSWORD_FAILS_PER_EMAIL,
    PASSWORD_FAILS_PER_IP,
    TOO_MANY_TRIES,
    complete_sign_in,
    request_sign_in_code,
    sign_in_with_code,
    sign_in_with_password,
)

__all__ = [
    "BAD_LOGIN", "NO_ACCESS", "PASSWORD_FAILS_PER_EMAIL", "PASSWORD_FAILS_PER_IP",
    "SENDS_PER_EMAIL", "SENDS_PER_IP", "TOO_MANY_CODES", "TOO_MANY_TRIES", "WINDOW",
    "SignedIn", "complete_sign_in", "finish_registration", "has_password",
    "request_password_reset", "request_sign_in_code", "reset_password", "set_password",
    "sign_in_with_code", "sign_in_with_password", "start_registration",
]
