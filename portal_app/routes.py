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
