"""Route constants: every path the app serves, in one place."""

HOME = "/"
LOGIN = "/login"
REGISTER = "/register"
FORGOT = "/forgot-password"
SELECT_ACCOUNT = "/select-account"
CLOSED = "/closed"
DASHBOARD = "/dashboard"
BOOKINGS = "/bookings"
PAYMENTS = "/payments"
DOCUMENTS = "/documents"
MESSAGES = "/messages"
ACCOUNT = "/account"

CONSOLE = "/console"
CONSOLE_LOGIN = "/console/login"

DEV_MAILBOX = "/dev/mailbox"

API_SESSION_START = "/api/session/start"
API_SESSION_END = "/api/session/end"
API_HEALTH = "/api/health"

INVITE = "/invite"
WELCOME = "/welcome"
CONSOLE_CLIENTS = "/console/clients"
CONSOLE_CLIENT = "/console/client"
CONSOLE_PREVIEW = "/console/client/preview"
CONSOLE_SETTINGS = "/console/settings"
API_BRAND_LOGO = "/api/brand/logo"
SLUG_ENTRY = "/p/{slug}"


def slug_url(base_url: str, slug: str) -> str:
    return f"{base_url}/p/{slug}" if slug else f"{base_url}{LOGIN}"


def console_client(client_id: int | str) -> str:
    return f"{CONSOLE_CLIENT}?id={client_id}"

API_BOOKING_ICS = "/api/bookings/ics"
CONSOLE_SERVICES = "/console/services"
CONSOLE_AVAILABILITY = "/console/availability"
CONSOLE_BOOKINGS = "/console/bookings"
