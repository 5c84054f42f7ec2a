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
FORMS = "/forms"  # the client's forms to complete (pages come with the forms UI)
MESSAGES = "/messages"
ACCOUNT = "/account"
PROFILE = "/profile"
API_PROFILE_EXPORT = "/api/profile/export"

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

PAYMENTS_INVOICE = "/payments/invoice"
PAYMENTS_RECEIPT = "/payments/receipt"
PAY_TEST = "/pay/test"
API_INVOICE_PDF = "/api/invoices/pdf"
API_RECEIPT_PDF = "/api/receipts/pdf"
API_CONSOLE_INVOICE_PDF = "/api/console/invoices/pdf"
API_STRIPE_WEBHOOK = "/api/stripe/webhook"
CONSOLE_INVOICES = "/console/invoices"
CONSOLE_INVOICE = "/console/invoice"


# Statements (issue 20): the client's page, the superbills page (built apart), and the
# statement PDFs of one client record for a range (?start=YYYY-MM-DD&end=YYYY-MM-DD).
PAYMENTS_STATEMENTS = "/payments/statements"
PAYMENTS_SUPERBILLS = "/payments/superbills"
API_STATEMENT_PDF = "/api/statements/{client_id:int}.pdf"
API_CONSOLE_STATEMENT_PDF = "/api/console/statements/{client_id:int}.pdf"


def invoice_page(invoice_id: int | str) -> str:
    return f"{PAYMENTS_INVOICE}?id={invoice_id}"


def receipt_page(payment_id: int | str) -> str:
    return f"{PAYMENTS_RECEIPT}?id={payment_id}"


def console_invoice(invoice_id: int | str) -> str:
    return f"{CONSOLE_INVOICE}?id={invoice_id}"

API_DOCUMENT_DOWNLOAD = "/api/documents/download"
API_CONSOLE_DOCUMENT_DOWNLOAD = "/api/console/documents/download"
CONSOLE_MESSAGES = "/console/messages"

# The installable web app: manifest, service worker, offline page and icons. They sit
# outside /api on purpose: the service worker never touches /api, but it precaches these.
WEB_MANIFEST = "/manifest.webmanifest"
SERVICE_WORKER = "/sw.js"
OFFLINE = "/offline"
APPLE_TOUCH_ICON = "/apple-touch-icon.png"
APP_ICON = "/pwa/{name}"


def app_icon(name: str, version: str) -> str:
    return f"/pwa/{name}?v={version}"

# Console → Forms (templates, packets, outstanding, verify): the staff side of intake forms.
CONSOLE_FORMS = "/console/forms"

# The client's forms (issue 19): the list at FORMS, one form at FORM?id=<request id>.
FORM = "/forms/form"


def form_page(request_id: int | str) -> str:
    return f"{FORM}?id={request_id}"

# The staff calendar, and each staff member's secret iCalendar feed (read only).
CONSOLE_CALENDAR = "/console/calendar"
API_CALENDAR_FEED = "/api/calendar/feed/{token}.ics"

# Superbills (issue 20): the client's list beside Statements, and the PDFs.
API_SUPERBILL_PDF = "/api/superbills/{id:int}.pdf"
API_CONSOLE_SUPERBILL_PDF = "/api/console/superbills/{id:int}.pdf"


def superbill_pdf(superbill_id: int | str) -> str:
    return f"/api/superbills/{superbill_id}.pdf"


def console_superbill_pdf(superbill_id: int | str) -> str:
    return f"/api/console/superbills/{superbill_id}.pdf"

# The hub (issue 22): the client's offers, the Courses app, the console's screens, the
# course media and certificate routes, and the public certificate check.
OFFERS = "/offers"
COURSES = "/courses"
REFERRALS = "/referrals"
REFERRAL_LINK = "/r"  # /r/<code>: a referral link (an API route; sets the cookie)
CONSOLE_REFERRALS = "/console/referrals"
CONSOLE_REFERRAL_PROGRAM = "/console/referrals/program"
CONSOLE_REFERRAL_COMMISSIONS = "/console/referrals/commissions"
CONSOLE_REFERRAL_PAYOUTS = "/console/referrals/payouts"
CONSOLE_REFERRAL_PAYOUTS_CSV = "/console/referrals/payouts.csv"
COURSE = "/courses/course"  # ?id=<course id>: the outline
LESSON = "/courses/lesson"  # ?id=<lesson id>
PROFILE_COMPLETION = "/complete-profile"  # ?app=<key>&next=<path>
VERIFY_CERTIFICATE = "/verify/[code]"
CONSOLE_OFFERS = "/console/offers"
CONSOLE_COURSES = "/console/courses"
CONSOLE_COURSE = "/console/course"  # ?id=<course id>: modules, lessons, quiz, drip
CONSOLE_COURSE_PROGRESS = "/console/course/progress"  # ?id=<course id>
API_COURSE_MEDIA = "/api/courses/media/{media_id:int}"  # the client's (range requests)
API_CONSOLE_COURSE_MEDIA = "/api/console/courses/media/{media_id:int}"
API_CERTIFICATE_PDF = "/api/certificates/{code}.pdf"
API_CONSOLE_COURSE_PROGRESS_CSV = "/api/console/courses/{course_id:int}/progress.csv"


def course_page(course_id: int | str) -> str:
    return f"{COURSE}?id={course_id}"


def lesson_page(lesson_id: int | str) -> str:
    return f"{LESSON}?id={lesson_id}"


def course_media(media_id: int | str) -> str:
    return f"/api/courses/media/{media_id}"


def console_course(course_id: int | str) -> str:
    return f"{CONSOLE_COURSE}?id={course_id}"


def verify_certificate(code: str) -> str:
    return f"/verify/{code}"


def certificate_pdf(code: str) -> str:
    return f"/api/certificates/{code}.pdf"


def offers_page(*, bought: int | str | None = None) -> str:
    """The client's Offers page; `bought`: the offer just paid for (the "it worked" line)."""
    return f"{OFFERS}?bought={bought}" if bought is not None else OFFERS


# Communities (issue 23): the client's app and the console's section.
COMMUNITY = "/community"  # the groups the client is in or may join
COMMUNITY_GROUP = "/community/group"  # ?id=<group id>[&channel=<channel id>]: the feed
COMMUNITY_POST = "/community/post"  # ?id=<post id>: one post with its comments
COMMUNITY_MEMBERS = "/community/members"  # ?id=<group id>: the member directory
CONSOLE_COMMUNITY = "/console/community"  # groups
CONSOLE_COMMUNITY_GROUP = "/console/community/group"  # ?id=: channels, settings, members
CONSOLE_COMMUNITY_QUEUE = "/console/community/moderation"  # held posts, reports, requests
CONSOLE_COMMUNITY_LEVELS = "/console/community/levels"  # ?id=: gamification
API_COMMUNITY_FILE = "/api/community/files/{file_id:int}"
API_COMMUNITY_AVATAR = "/api/community/avatars/{client_id:int}"


def community_group(group_id: int | str, channel_id: int | str | None = None) -> str:
    tail = f"&channel={channel_id}" if channel_id else ""
    return f"{COMMUNITY_GROUP}?id={group_id}{tail}"


def community_post(post_id: int | str) -> str:
    return f"{COMMUNITY_POST}?id={post_id}"


def community_members(group_id: int | str) -> str:
    return f"{COMMUNITY_MEMBERS}?id={group_id}"


def console_community_group(group_id: int | str) -> str:
    return f"{CONSOLE_COMMUNITY_GROUP}?id={group_id}"


def community_file(file_id: int | str) -> str:
    return f"/api/community/files/{file_id}"


def community_avatar(client_id: int | str) -> str:
    return f"/api/community/avatars/{client_id}"


COMMUNITY_LEADERBOARD = "/community/leaderboard"  # ?id=<group id>: points and levels


def community_leaderboard(group_id: int | str) -> str:
    return f"{COMMUNITY_LEADERBOARD}?id={group_id}"


# Console → Community: staff's view of one group's channel (moderation helper).
CONSOLE_COMMUNITY_FEED = "/console/community/feed"  # ?id=<group id>[&channel=<channel id>]


def console_community_feed(group_id: int | str, channel_id: int | str | None = None) -> str:
    tail = f"&channel={channel_id}" if channel_id else ""
    return f"{CONSOLE_COMMUNITY_FEED}?id={group_id}{tail}"
