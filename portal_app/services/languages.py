"""Which language a client reads: chosen per client record, else the business's.

At sign-in, records that have no language yet take the one the person was
reading the sign-in page in, so emails and PDFs match what they chose before
signing in; from then on the record's language wins on every page.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client
from portal_app import i18n
from portal_app.services.business import get_business


def language_at_sign_in(session: Session, *, account_id: int, selected_client_id: int | None,
                        page_lang: str) -> str:
    """Give this account's records without a language the page's one; return the
    language the portal should show now (the selected record's, else the first's)."""
    chosen = i18n.normalize(page_lang)
    if chosen:
        session.exec(update(Client).where(Client.account_id == account_id, Client.language == "")
                     .values(language=chosen))
    rows = session.exec(select(Client.id, Client.language).where(
        Client.account_id == account_id).order_by(Client.full_name, Client.id)).all()
    by_id = dict(rows)
    current = by_id.get(selected_client_id) if selected_client_id else None
    current = current or next((lang for _, lang in rows if lang), "")
    return i18n.pick(current, get_business(session).language)
