"""/console/client?id=…: details, portal access, permissions, household, timeline."""

import reflex as rx

from components.console_bits import (
    email_preview_dialog,
    labelled_checkbox,
    permissions_form,
    section,
    status_badge,
)
from components.console_shell import console_shell
from components.forms import error_callout, text_field
from components.i18n import t
from components.zone_picker import zone_picker
from portal_app import routes
from portal_app.pages.console_client_apps import client_apps_section
from portal_app.pages.console_client_documents import client_documents_section
from portal_app.pages.console_client_forms import client_forms_section
from portal_app.pages.console_client_insurance import client_insurance_section
from portal_app.pages.console_client_statement import client_statement_section
from portal_app.pages.console_client_superbills import client_superbills_section
from state.console_client import PAY_NEEDS_BILLING, PERMISSIONS
from state.console_client import ClientDetailState as S


def details_card() -> rx.Component:
    return section(
        t("Contact details"),
        rx.form(
            rx.vstack(
                error_callout(S.error),
                text_field(t("Full name"), "full_name", default_value=S.full_name),
                text_field(t("Primary email"), "email", type="email", required=False,
                           default_value=S.email),
                labelled_checkbox(t("Email OK: the client agrees to get email from us"),
                                  "email_ok", S.email_ok),
                text_field(t("Mobile"), "mobile", type="tel", required=False,
                           default_value=S.mobile),
                # read-only: what the client's forms filled in
                rx.foreach(S.profile, lambda row: rx.text(
                    rx.text.span(row["label"], ": ", weight="medium"), row["value"],
                    size="2", white_space="pre-line")),
                zone_picker(t("Time zone"), "timezone", S.zone_options, default_value=S.timezone),
                rx.el.label(t("Notes"), html_for="field-notes"),
                rx.text_area(id="field-notes", name="notes", default_value=S.notes,
                             width="100%"),
                rx.button(t("Save details"), type="submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.save_details,
            key=S.client_id,
        ),
    )


def disable_access_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Disable access"), color_scheme="red",
                                          variant="soft")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Disable portal access?")),
            rx.alert_dialog.description(
                t("The client is signed out everywhere. Send a new invitation "
                "to restore access.")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft")),
                rx.alert_dialog.action(rx.button(
                    t("Disable access"), color_scheme="red",
                    on_click=S.disable_access)),
                justify="end", spacing="2"),
        ))


def email_consent_banner() -> rx.Component:
    """Seed 004: without Email OK nothing but sign-in codes goes to the client."""
    return rx.cond(
        ~S.email_ok,
        rx.callout(
            t("Email OK is off: this client gets no email from us, only the sign-in codes "
            "they ask for. Invitations, invoices, receipts, shared documents, messages and "
            "booking emails are not sent (they still appear in the portal), and no portal "
            "invitation can go out."),
            icon="mail_x", color_scheme="amber", role="status", width="100%",
        ),
    )


def closure_banner() -> rx.Component:
    """The client asked to close the account: staff decide (disable, or dismiss)."""
    return rx.cond(
        S.closure_requested_on != "",
        rx.callout(
            rx.vstack(
                rx.text(t("Asked to close the account on "), S.closure_requested_on, ": ",
                        rx.cond(S.closure_reason != "", S.closure_reason, t("no reason given")),
                        white_space="pre-wrap"),
                rx.hstack(
                    rx.cond((S.status == "active") | (S.status == "invited"),
                            disable_access_dialog()),
                    rx.button(t("Dismiss request"), variant="soft", on_click=S.dismiss_closure),
                    spacing="2",
                ),
                spacing="2",
            ),
            icon="user_x", color_scheme="red", role="status", width="100%",
        ),
    )


def portal_card() -> rx.Component:
    invite_form = rx.form(
        rx.vstack(
            rx.el.label(t("Message to include (optional)"), html_for="field-message"),
            rx.text_area(id="field-message", name="message", width="100%"),
            rx.hstack(
                rx.button(rx.cond(S.status == "invited", t("Resend invitation"), t("Send invitation")),
                          type="submit", disabled=~S.email_ok),
                rx.button(t("Preview email"), variant="soft", type="button",
                          on_click=S.preview_invitation({})),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.send_invitation,
        reset_on_submit=True,
    )
    return section(
        t("Client portal"),
        rx.hstack(status_badge(S.status, S.status_text), rx.text(S.portal_email, size="2"),
                  spacing="2", align="center"),
        rx.cond(S.status == "invited",
                rx.callout(rx.text(t("Invitation sent "), S.invited_at,
                                   t(". The client has not signed in yet.")),
                           icon="clock", color_scheme="amber", role="status")),
        rx.cond(S.status == "active",
                rx.vstack(
                    rx.text(t("Last sign-in: "), S.last_sign_in, size="2"),
                    rx.hstack(rx.code(S.portal_link),
                              rx.button(t("Copy portal link"), variant="soft",
                                        on_click=S.copy_portal_link), align="center"),
                    spacing="2"),
                invite_form),
        rx.hstack(
            rx.link(rx.button(rx.icon("eye"), t("View as client"), variant="outline"),
                    href=routes.CONSOLE_PREVIEW + "?id=" + S.client_id),
            rx.link(rx.button(rx.icon("calendar_plus"), t("Book for this client"),
                              variant="outline"),
                    href=routes.CONSOLE_BOOKINGS + "?client=" + S.client_id),
            rx.cond((S.status == "active") | (S.status == "invited"),
                    disable_access_dialog()),
            spacing="2",
        ),
        rx.divider(),
        rx.form(
            rx.vstack(
                rx.text(t("Change the portal email"), weight="bold", size="2"),
                error_callout(S.email_error),
                text_field(t("New portal email"), "new_email", type="email"),
                rx.radio_group.root(
                    rx.vstack(
                        rx.hstack(rx.radio_group.item(value="portal", id="scope-portal"),
                                  rx.el.label(t("Only the portal sign-in email"),
                                              html_for="scope-portal"), align="center"),
                        rx.hstack(rx.radio_group.item(value="both", id="scope-both"),
                                  rx.el.label(t("Also the client's primary email"),
                                              html_for="scope-both"), align="center"),
                    ),
                    name="scope", default_value="portal",
                ),
                rx.text(t("The old email loses access and is told; the new one gets an "
                        "invitation."), size="1", color="var(--gray-11)"),
                rx.button(t("Disable and resend"), type="submit", variant="soft"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.change_portal_email,
            reset_on_submit=True,
        ),
    )


def permissions_card() -> rx.Component:
    return section(
        t("Client portal permissions"),
        permissions_form(PERMISSIONS, S.perms, error=S.perm_error, note=PAY_NEEDS_BILLING,
                         button=t("Save permissions"), on_submit=S.save_permissions,
                         key=S.client_id + S.perms.to_string()),
    )


def household_card() -> rx.Component:
    return section(
        t("Household (same portal email)"),
        rx.foreach(S.members, lambda m: rx.hstack(
            rx.link(m["name"], href=routes.CONSOLE_CLIENT + "?id=" + m["id"]),
            rx.text(m["status"], size="1", color="var(--gray-11)"),
            rx.spacer(),
            rx.cond(S.members.length() > 1,
                    rx.button(t("Remove"), size="1", variant="ghost", color_scheme="red",
                              aria_label=t("Remove ") + m["name"] + t(" from the household"),
                              on_click=S.remove_member(m["id"]))),
            width="100%", align="center")),
        rx.form(
            rx.hstack(
                rx.input(name="full_name", placeholder=t("Full name"), aria_label=t("New member name"),
                         required=True),
                rx.button(t("Add member"), type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=S.add_member,
            reset_on_submit=True,
        ),
    )


def timeline_card() -> rx.Component:
    return section(
        t("Portal timeline"),
        rx.grid(
            rx.text(t("Invited"), size="2", color="var(--gray-11)"), rx.text(S.invited_at, size="2"),
            rx.text(t("First sign-in"), size="2", color="var(--gray-11)"),
            rx.text(S.first_sign_in, size="2"),
            rx.text(t("Last sign-in"), size="2", color="var(--gray-11)"),
            rx.text(S.last_sign_in, size="2"),
            rx.text(t("Last seen"), size="2", color="var(--gray-11)"), rx.text(S.last_seen, size="2"),
            columns="2", spacing="1",
        ),
        rx.divider(),
        rx.foreach(S.events, lambda e: rx.hstack(
            rx.text(e["at"], size="1", color="var(--gray-11)", min_width="140px"),
            rx.text(e["label"], size="2"), rx.badge(e["actor"], variant="soft", size="1"),
            spacing="2")),
    )


def client_detail_page() -> rx.Component:
    return console_shell(
        S.full_name,
        rx.link(t("← All clients"), href=routes.CONSOLE_CLIENTS, size="2"),
        closure_banner(),
        email_consent_banner(),
        rx.hstack(
            rx.link(rx.button(rx.icon("mail"), t("Messages"), variant="outline"),
                    href=routes.CONSOLE_MESSAGES + "?client=" + S.client_id),
            rx.link(rx.button(rx.icon("receipt"), t("Invoices"), variant="outline"),
                    href=routes.CONSOLE_INVOICES + "?client=" + S.client_id),
            spacing="2", wrap="wrap",
        ),
        rx.grid(
            rx.vstack(portal_card(), permissions_card(), household_card(), spacing="4"),
            rx.vstack(details_card(), client_insurance_section(), timeline_card(), spacing="4"),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        client_apps_section(),
        client_statement_section(),
        client_documents_section(),
        client_forms_section(),
        client_superbills_section(),
        email_preview_dialog(S.preview_subject, S.preview_text, S.close_preview),
    )
