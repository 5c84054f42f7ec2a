"""Client sections whose features arrive in later issues: honest empty states.

Each shows its content only while the client may use the feature, so a
permission removed by staff disappears on the client's next action."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from state.session import ClientState as S

UNAVAILABLE = "This part of the portal is not available to you. Please contact us."


def _section(title: str, access: str, icon: str, empty: str) -> rx.Component:
    return client_shell(S, title, rx.cond(S.access[access], empty_state(icon, empty),
                                          rx.callout(UNAVAILABLE, icon="info")))


def payments_page() -> rx.Component:
    return _section("Payments", "billing", "credit_card", "You have no invoices yet.")


def documents_page() -> rx.Component:
    return _section("Documents", "documents", "file_text", "No documents have been shared.")


def messages_page() -> rx.Component:
    return _section("Messages", "messaging", "mail", "You have no conversations yet.")
