"""Client sections whose features arrive in later issues: honest empty states."""

import reflex as rx

from components.client_shell import client_shell, empty_state


def bookings_page() -> rx.Component:
    return client_shell("Bookings", empty_state("calendar", "You have no bookings yet."))


def payments_page() -> rx.Component:
    return client_shell("Payments", empty_state("credit_card", "You have no invoices yet."))


def documents_page() -> rx.Component:
    return client_shell("Documents", empty_state("file_text", "No documents have been shared."))


def messages_page() -> rx.Component:
    return client_shell("Messages", empty_state("mail", "You have no conversations yet."))
