"""The Reflex app and its route table: every page is added here, in one place."""

import reflex as rx
from reflex.utils.format import format_event_handler
from starlette.applications import Starlette

from components.app_head import app_head
from components.hydration_mark import hydration_mark_wrap
from components.skip_link import SKIP_LINK_STYLE, skip_link_script
from portal_app import live, routes
from portal_app.api.billing_routes import billing_routes
from portal_app.api.booking_routes import booking_routes
from portal_app.api.brand_routes import brand_routes
from portal_app.api.calendar_feed_routes import calendar_feed_routes
from portal_app.api.certificate_routes import certificate_routes
from portal_app.api.community_avatar_routes import community_avatar_routes
from portal_app.api.community_file_routes import community_file_routes
from portal_app.api.course_media_routes import course_media_routes
from portal_app.api.course_progress_routes import course_progress_routes
from portal_app.api.document_routes import document_routes
from portal_app.api.profile_routes import profile_routes
from portal_app.api.pwa_routes import pwa_routes
from portal_app.api.referral_link_routes import referral_link_routes
from portal_app.api.referral_payout_routes import referral_payout_routes
from portal_app.api.security_headers import security_headers
from portal_app.api.session_routes import session_routes
from portal_app.api.statement_routes import statement_routes
from portal_app.api.static_files import reflex_static_dir, static_files
from portal_app.api.superbill_routes import superbill_routes
from portal_app.api.upload_limit import LargerUpload, staff_signed_in, upload_limit
from portal_app.jobs import outbox_loop
from portal_app.pages.account import account_page
from portal_app.pages.bookings import bookings_page
from portal_app.pages.client_forms.form import form_page
from portal_app.pages.client_forms.list import forms_page
from portal_app.pages.closed import closed_page
from portal_app.pages.community.group_page import group_page as community_group_page
from portal_app.pages.community.leaderboard_page import leaderboard_page
from portal_app.pages.community.list_page import community_page
from portal_app.pages.community.members_page import members_page as community_members_page
from portal_app.pages.community.post_page import post_page as community_post_page
from portal_app.pages.console_availability import availability_page
from portal_app.pages.console_billing import console_invoice_page, console_invoices_page
from portal_app.pages.console_calendar import calendar_page
from portal_app.pages.console_client import client_detail_page
from portal_app.pages.console_clients import client_list_page
from portal_app.pages.console_community.group_page import console_group_page
from portal_app.pages.console_community.groups_page import console_community_page
from portal_app.pages.console_community.levels_page import console_levels_page
from portal_app.pages.console_community.queue_page import (
    console_community_queue_page,
)
from portal_app.pages.console_community.staff_feed_page import (
    console_community_feed_page,
)
from portal_app.pages.console_courses import course_page as console_course_page
from portal_app.pages.console_courses import courses_page as console_courses_page
from portal_app.pages.console_courses.progress import course_progress_page
from portal_app.pages.console_forms import console_forms_page
from portal_app.pages.console_home import console_home_page
from portal_app.pages.console_login import console_login_page
from portal_app.pages.console_messages import console_messages_page
from portal_app.pages.console_offers import console_offers_page
from portal_app.pages.console_preview import client_preview_page
from portal_app.pages.console_referrals import (
    console_commissions_page,
    console_program_page,
    console_referrers_page,
)
from portal_app.pages.console_referrals.payouts_page import referral_payouts_page
from portal_app.pages.console_scheduling import (
    services_page,
    staff_bookings_page,
)
from portal_app.pages.console_settings import portal_settings_page
from portal_app.pages.courses.course_page import course_page
from portal_app.pages.courses.lesson_page import lesson_page
from portal_app.pages.courses.list_page import courses_page
from portal_app.pages.courses.verify import verify_page
from portal_app.pages.dashboard import dashboard_page
from portal_app.pages.dev_mailbox import dev_mailbox_page
from portal_app.pages.documents import documents_page
from portal_app.pages.forgot import forgot_page
from portal_app.pages.home import home_page
from portal_app.pages.invite import invite_page, welcome_page
from portal_app.pages.login import login_page
from portal_app.pages.messages import messages_page
from portal_app.pages.offers import offers_page
from portal_app.pages.payments import (
    invoice_page,
    payments_page,
    receipt_page,
    test_checkout_page,
)
from portal_app.pages.profile import profile_page
from portal_app.pages.profile_completion import profile_completion_page
from portal_app.pages.referrals.page import referrals_page
from portal_app.pages.register import register_page
from portal_app.pages.select_account import select_account_page
from portal_app.pages.statements import statements_page
from portal_app.pages.superbills import superbills_page
from portal_app.server_tuning import tune_server
from portal_app.settings import get_settings
from state.bookings import BookingsState
from state.brand import BrandState, compile_branding
from state.checkout_test_mode import CheckoutTestModeState
from state.client_forms.form_page import FormState
from state.client_forms.list_page import FormsListState
from state.client_pages import AccountState, DashboardState, SelectAccountState
from state.community.group_page import GroupPageState
from state.community.leaderboard import LeaderboardState
from state.community.list_page import CommunityState
from state.community.members_page import MembersState as CommunityMembersState
from state.community.post_page import PostPageState
from state.community.profile_card import CommunityProfileState
from state.console import ConsoleHomeState, ConsoleLoginState
from state.console_availability import AvailabilityState
from state.console_billing import InvoiceEditorState, InvoiceListState
from state.console_billing.statement_sends import StatementSendState
from state.console_calendar import CalendarFeedState, CalendarState
from state.console_client import ClientDetailState, ClientPreviewState
from state.console_client_apps import ClientAppsState
from state.console_client_insurance import ClientInsuranceState
from state.console_clients import ClientListState
from state.console_community.group import ConsoleGroupState
from state.console_community.group_members import ConsoleGroupMembersState
from state.console_community.groups import ConsoleGroupsState
from state.console_community.levels import ConsoleLevelsState
from state.console_community.queue import CommunityQueueState
from state.console_community.staff_group import StaffFeedState
from state.console_courses import (
    CourseEditorState,
    CourseListState,
    LessonEditorState,
    QuizState,
)
from state.console_courses.progress import CourseProgressState
from state.console_documents import ClientDocumentsState
from state.console_forms.bulk import BulkFormsState
from state.console_forms.client import ClientFormsState
from state.console_forms.outstanding import FormsOutstandingState
from state.console_forms.packets import FormPacketsState
from state.console_forms.templates import FormTemplatesState
from state.console_forms.verify import FormVerifyState
from state.console_hub_settings import HubSettingsState
from state.console_insurance import InsuranceSettingsState
from state.console_me import ConsoleMeState
from state.console_messages import InboxState
from state.console_offers import ConsoleOffersState
from state.console_referrals import (
    ConsoleCommissionsState,
    ConsoleProgramState,
    ConsoleReferrersState,
)
from state.console_referrals.payouts import ReferralPayoutsState
from state.console_scheduling import ServicesState, StaffBookingsState
from state.console_settings import PortalSettingsState
from state.console_statement import ClientStatementState
from state.console_statement_settings import StatementSettingsState
from state.console_superbills import ClientSuperbillsState, SuperbillRequestsState
from state.courses.course_page import CourseState
from state.courses.lesson_page import LessonPageState
from state.courses.list_page import CoursesState
from state.courses.verify import VerifyCertificateState
from state.documents import DocumentsState
from state.invite import InviteState
from state.live_pages import tab_refresher
from state.login import LoginState, RegisterState
from state.mailbox import MailboxState
from state.messages import MessagesState
from state.offers import OffersState
from state.payments import InvoiceState, PaymentsState, ReceiptState
from state.profile import ProfileState
from state.profile_completion import ProfileCompletionState
from state.referrals.page import ReferralsState
from state.statements import StatementsState
from state.superbills import SuperbillsState

settings = get_settings()  # raises SettingsError (with the reasons) on a bad production config

# A course's media upload may be larger than a document upload, for signed-in staff only.
COURSE_MEDIA_UPLOAD = LargerUpload(
    handlers=frozenset({format_event_handler(LessonEditorState.upload_media)}),
    max_bytes=settings.course_media_max_bytes, allowed=staff_signed_in)

app = rx.App(
    style=SKIP_LINK_STYLE,
    api_transformer=[
        Starlette(routes=session_routes() + brand_routes() + booking_routes()
                  + calendar_feed_routes() + billing_routes() + statement_routes()
                  + document_routes() + profile_routes() + pwa_routes() + superbill_routes()
                  + course_progress_routes() + certificate_routes() + course_media_routes()
                  + referral_link_routes() + referral_payout_routes()
                  + community_avatar_routes() + community_file_routes()),
        upload_limit(settings.upload_max_request_bytes, COURSE_MEDIA_UPLOAD),
        static_files(reflex_static_dir),
        security_headers(base_url=settings.base_url),
    ],
    stylesheets=["/print.css", "/a11y.css"],
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        *app_head(),
        skip_link_script(),
    ],
    # Every page says whether it is live yet (components/hydration_mark.py).
    extra_app_wraps={(6, "HydrationMark"): hydration_mark_wrap},
)
tune_server(app)  # the disk state's sweep once a minute; the collector's thresholds
app.register_lifespan_task(outbox_loop)
app.register_lifespan_task(live.listen)
# Live updates: live.py carries the pushes; state decides what a tab reloads.
live.set_refresher(tab_refresher(app))

# The branding compiles into every page's first paint (the sign-in page's name, contact
# line and "Create an account" before the websocket); BrandState.load keeps it current.
compile_branding()
brand = BrandState.load


def client_page_load(*loads):
    """A signed-in client page's on_load chain: its load(s) alone — the page's load
    (`client_event(page=True)`) refreshes the branding in its own event, one Reflex
    event less per page opened. With Reflex's Redis state manager (REDIS_URL) the
    branding is not in memory during that event, so `BrandState.load` leads the chain
    as on the other pages (state/brand.py `BrandState.in_page`)."""
    return [brand, *loads] if settings.redis_url else list(loads)

# Signed-out pages.
app.add_page(home_page, route=routes.HOME, title="Welcome", on_load=brand)
app.add_page(login_page, route=routes.LOGIN, title="Sign in", on_load=[brand, LoginState.reset_form])
app.add_page(register_page, route=routes.REGISTER, title="Create account",
             on_load=[brand, RegisterState.restart])
app.add_page(forgot_page, route=routes.FORGOT, title="Reset password", on_load=brand)
app.add_page(closed_page, route=routes.CLOSED, title="Portal closed", on_load=brand)

# Signed-in client pages: each on_load runs the session check; the page's load
# (`client_event(page=True)`) refreshes the branding in its own event.
app.add_page(select_account_page, route=routes.SELECT_ACCOUNT, title="Choose an account",
             on_load=client_page_load(SelectAccountState.load))
app.add_page(dashboard_page, route=routes.DASHBOARD, title="Dashboard",
             on_load=client_page_load(DashboardState.load))
app.add_page(bookings_page, route=routes.BOOKINGS, title="Bookings",
             on_load=client_page_load(BookingsState.load))
app.add_page(payments_page, route=routes.PAYMENTS, title="Payments",
             on_load=client_page_load(PaymentsState.load))
app.add_page(invoice_page, route=routes.PAYMENTS_INVOICE, title="Invoice",
             on_load=client_page_load(InvoiceState.load))
app.add_page(superbills_page, route=routes.PAYMENTS_SUPERBILLS, title="Superbills",
             on_load=client_page_load(SuperbillsState.load))
app.add_page(receipt_page, route=routes.PAYMENTS_RECEIPT, title="Receipt",
             on_load=client_page_load(ReceiptState.load))
app.add_page(statements_page, route=routes.PAYMENTS_STATEMENTS, title="Statements",
             on_load=client_page_load(StatementsState.load))
app.add_page(test_checkout_page, route=routes.PAY_TEST, title="Test checkout",
             on_load=client_page_load(CheckoutTestModeState.load))
app.add_page(documents_page, route=routes.DOCUMENTS, title="Documents",
             on_load=client_page_load(DocumentsState.load))
app.add_page(messages_page, route=routes.MESSAGES, title="Messages",
             on_load=client_page_load(MessagesState.load))
app.add_page(account_page, route=routes.ACCOUNT, title="Account & security",
             on_load=client_page_load(AccountState.load))
app.add_page(profile_page, route=routes.PROFILE, title="Profile",
             on_load=client_page_load(ProfileState.load))
app.add_page(profile_completion_page, route=routes.PROFILE_COMPLETION, title="Complete your profile",
             on_load=client_page_load(ProfileCompletionState.load))

# The client's forms (issue 19, client side).
app.add_page(forms_page, route=routes.FORMS, title="Forms",
             on_load=client_page_load(FormsListState.load))
app.add_page(form_page, route=routes.FORM, title="Form", on_load=client_page_load(FormState.load))

# The Courses app (issue 22, the client's side) and the public certificate check.
app.add_page(courses_page, route=routes.COURSES, title="Courses",
             on_load=client_page_load(CoursesState.load))
app.add_page(course_page, route=routes.COURSE, title="Course",
             on_load=client_page_load(CourseState.load))
app.add_page(lesson_page, route=routes.LESSON, title="Lesson",
             on_load=client_page_load(LessonPageState.load))
app.add_page(verify_page, route=routes.VERIFY_CERTIFICATE, title="Certificate check",
             on_load=[brand, VerifyCertificateState.load])

# The Referrals app (issue 24, the referrer's side).
app.add_page(referrals_page, route=routes.REFERRALS, title="Referrals",
             on_load=client_page_load(ReferralsState.load))

# The Community app (issue 23, the client's side): groups, joining, the profile; a
# group's members and settings.
app.add_page(community_page, route=routes.COMMUNITY, title="Community",
             on_load=client_page_load(CommunityState.load, CommunityProfileState.load))
app.add_page(community_members_page, route=routes.COMMUNITY_MEMBERS, title="Members",
             on_load=client_page_load(CommunityMembersState.load))
# The Community app (issue 23): a group's feed and one post.
app.add_page(community_group_page, route=routes.COMMUNITY_GROUP, title="Community group",
             on_load=client_page_load(GroupPageState.load))
app.add_page(community_post_page, route=routes.COMMUNITY_POST, title="Community post",
             on_load=client_page_load(PostPageState.load))

# Staff console.
app.add_page(console_login_page, route=routes.CONSOLE_LOGIN, title="Staff sign-in",
             on_load=[brand, ConsoleLoginState.restart])
app.add_page(console_home_page, route=routes.CONSOLE, title="Console",
             on_load=[brand, ConsoleHomeState.load])

app.add_page(client_list_page, route=routes.CONSOLE_CLIENTS, title="Clients",
             on_load=[brand, ClientListState.load, BulkFormsState.load])
app.add_page(client_detail_page, route=routes.CONSOLE_CLIENT, title="Client",
             on_load=[brand, ClientDetailState.load, ClientInsuranceState.load,
                      ClientDocumentsState.load, ClientFormsState.load, ClientStatementState.load,
                      ClientSuperbillsState.load, ClientAppsState.load])
app.add_page(console_messages_page, route=routes.CONSOLE_MESSAGES, title="Messages",
             on_load=[brand, InboxState.load])
app.add_page(client_preview_page, route=routes.CONSOLE_PREVIEW, title="View as client",
             on_load=[brand, ClientPreviewState.load])
app.add_page(portal_settings_page, route=routes.CONSOLE_SETTINGS, title="Portal settings",
             on_load=[brand, PortalSettingsState.load, InsuranceSettingsState.load,
                      ConsoleMeState.load, StatementSettingsState.load, HubSettingsState.load])

app.add_page(console_invoices_page, route=routes.CONSOLE_INVOICES, title="Invoices",
             on_load=[brand, InvoiceListState.load, StatementSendState.load,
                      SuperbillRequestsState.load])
app.add_page(console_invoice_page, route=routes.CONSOLE_INVOICE, title="Invoice",
             on_load=[brand, InvoiceEditorState.load])

app.add_page(staff_bookings_page, route=routes.CONSOLE_BOOKINGS, title="Bookings",
             on_load=[brand, StaffBookingsState.load])
app.add_page(calendar_page, route=routes.CONSOLE_CALENDAR, title="Calendar",
             on_load=[brand, CalendarState.load, CalendarFeedState.load])
app.add_page(services_page, route=routes.CONSOLE_SERVICES, title="Services",
             on_load=[brand, ServicesState.load])
app.add_page(availability_page, route=routes.CONSOLE_AVAILABILITY, title="Availability",
             on_load=[brand, AvailabilityState.load])

# Console → Forms (issue 19, staff side).
app.add_page(console_forms_page, route=routes.CONSOLE_FORMS, title="Forms",
             on_load=[brand, FormsOutstandingState.load, FormTemplatesState.load,
                      FormPacketsState.load, FormVerifyState.load])

# Console → Courses (issue 22, staff side): a course's students' progress.
app.add_page(course_progress_page, route=routes.CONSOLE_COURSE_PROGRESS, title="Course progress",
             on_load=[brand, CourseProgressState.load])
# Console → Courses (issue 22): the list and the course editor.
app.add_page(console_courses_page, route=routes.CONSOLE_COURSES, title="Courses",
             on_load=[brand, CourseListState.load])
app.add_page(console_course_page, route=routes.CONSOLE_COURSE, title="Course",
             on_load=[brand, CourseEditorState.load, LessonEditorState.load, QuizState.load])

# The invitation link and the page after it.
app.add_page(invite_page, route=routes.INVITE, title="Your client portal",
             on_load=[brand, InviteState.load])
app.add_page(welcome_page, route=routes.WELCOME, title="Welcome",
             on_load=client_page_load(AccountState.load))

# The hub's offers (issue 22): the client's list and the console's.
app.add_page(offers_page, route=routes.OFFERS, title="Offers", on_load=client_page_load(OffersState.load))
app.add_page(console_offers_page, route=routes.CONSOLE_OFFERS, title="Offers",
             on_load=[brand, ConsoleOffersState.load])

# Console → Referrals (issue 24): payouts.
app.add_page(referral_payouts_page, route=routes.CONSOLE_REFERRAL_PAYOUTS, title="Referral payouts",
             on_load=[brand, ReferralPayoutsState.load])
# Console → Referrals (issue 24): referrers, commissions, the program.
app.add_page(console_referrers_page, route=routes.CONSOLE_REFERRALS, title="Referrals",
             on_load=[brand, ConsoleReferrersState.load])
app.add_page(console_commissions_page, route=routes.CONSOLE_REFERRAL_COMMISSIONS,
             title="Commissions", on_load=[brand, ConsoleCommissionsState.load])
app.add_page(console_program_page, route=routes.CONSOLE_REFERRAL_PROGRAM,
             title="Referral program", on_load=[brand, ConsoleProgramState.load])

# The Community app (issue 23): a group's leaderboards.
app.add_page(leaderboard_page, route=routes.COMMUNITY_LEADERBOARD, title="Leaderboard",
             on_load=client_page_load(LeaderboardState.load))
# Console → Community (issue 23): the moderation queue, staff's view of a channel,
# the groups, one group and its gamification.
app.add_page(console_community_queue_page, route=routes.CONSOLE_COMMUNITY_QUEUE,
             title="Moderation", on_load=[brand, CommunityQueueState.load])
app.add_page(console_community_feed_page, route=routes.CONSOLE_COMMUNITY_FEED,
             title="Community channel", on_load=[brand, StaffFeedState.load])
app.add_page(console_community_page, route=routes.CONSOLE_COMMUNITY, title="Community",
             on_load=[brand, ConsoleGroupsState.load])
app.add_page(console_group_page, route=routes.CONSOLE_COMMUNITY_GROUP, title="Community group",
             on_load=[brand, ConsoleGroupState.load, ConsoleGroupMembersState.load])
app.add_page(console_levels_page, route=routes.CONSOLE_COMMUNITY_LEVELS,
             title="Community gamification", on_load=[brand, ConsoleLevelsState.load])

# Dev tools exist only outside production.
if not settings.is_production:
    app.add_page(dev_mailbox_page, route=routes.DEV_MAILBOX, title="Dev mailbox",
                 on_load=MailboxState.load)

# `make bench` only (PORTAL_BENCH=1, refused in production): the floor's trivial
# counter page, the page floor and the SQL statement counter.
if settings.bench_mode:
    from bench import bench_state

    app.add_page(bench_state.counter_page, route=bench_state.BENCH_COUNTER,
                 title="Bench counter")
    app.add_page(bench_state.floor_page, route=bench_state.BENCH_PAGE, title="Bench page",
                 on_load=bench_state.BenchCounterState.increment)
    bench_state.install_statement_counter()
