"""The referral cookie the browser carries (set by /r/<code>, HttpOnly), read from the
websocket handshake's Cookie header for the attribution hooks at sign-up, booking and
checkout (services/referrals/visits.py)."""

from portal_app.services.referrals.attribution import REF_COOKIE
from portal_app.services.referrals.visits import ReferralCookie
from portal_app.settings import get_settings
from state.session import cookie_value


def referral_cookie(state) -> ReferralCookie:
    """The referral cookie of the browser behind `state`'s event ("" when none)."""
    return ReferralCookie(raw=cookie_value(state.router.headers.cookie, REF_COOKIE) or "",
                          secret_key=get_settings().secret_key)
