"""Console → Offers (/console/offers): the list (name, price, status, items,
buyers), the create / edit form with its errors beside the fields, archive; on
one offer its purchases and gifts, "Give to a client" (found by name or email)
and "Keep access" on a refunded purchase.

Every handler is a staff event; every id from the browser (offer, client,
purchase) is checked by the services.
"""

import reflex as rx

from models import OfferStatus, PurchaseStatus
from portal_app.i18n import formats
from portal_app.services.clients import list_clients
from portal_app.services.errors import ServiceError
from portal_app.services.hub import offer_grants, offer_purchases
from portal_app.services.hub import offers as catalogue
from portal_app.services.money import decimal_text, format_money
from state.guards import staff_event
from state.staff_session import StaffState

FIELDS = ("name", "description", "price", "status", "access_days", "service_id", "items")
STATUS_LABELS = {OfferStatus.DRAFT: "Draft", OfferStatus.ACTIVE: "Active",
                 OfferStatus.ARCHIVED: "Archived"}
HOLDER_LABELS = {PurchaseStatus.PENDING: "Awaiting payment", PurchaseStatus.PAID: "Paid",
                 PurchaseStatus.FREE: "Claimed (free)", PurchaseStatus.REFUNDED: "Refunded",
                 PurchaseStatus.KEPT: "Refunded, access kept",
                 PurchaseStatus.CANCELLED: "Cancelled", "staff": "Given by staff",
                 "booking": "Booked the linked service"}
WHOLE_LABELS = set(catalogue.WHOLE_APP_LABELS.values())
EMPTY_FORM = {"name": "", "description": "", "price": "", "status": OfferStatus.DRAFT,
              "access_days": "", "service_id": "", "staff_only": ""}


def _flag(raw: object) -> bool:
    return str(raw or "").lower() in ("on", "true", "yes", "1")


class ConsoleOffersState(StaffState):
    offers: list[dict[str, str]] = []
    courses: list[dict[str, str]] = []  # id, title (the form's choices)
    groups: list[dict[str, str]] = []  # id, name: community groups (the form's choices)
    services: list[dict[str, str]] = []  # id, name
    form_open: bool = False
    form_key: int = 0  # remounts the form with the values of the offer being edited
    form_title: str = ""
    values: dict[str, str] = dict(EMPTY_FORM)
    chosen: list[str] = []  # items ticked: "app:courses", "course:<id>", "group:<id>"…
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    shown_name: str = ""  # the offer whose buyers are shown
    holders: list[dict[str, str]] = []
    client_hits: list[dict[str, str]] = []
    _edit_id: int = 0
    _shown_id: int = 0

    def _fill(self, session) -> None:
        rows = catalogue.list_offers(session)
        items = catalogue.offer_items(session, offer_ids=[o.id for o, _ in rows])
        every = [i for o, _ in rows for i in items[o.id]]
        labels = iter(catalogue.item_labels(session, every))
        self.offers = []
        for offer, buyers in rows:
            names = [next(labels) for _ in items[offer.id]]
            self.offers.append({
                "id": str(offer.id), "name": offer.name, "status": offer.status,
                "status_label": self._tr(STATUS_LABELS.get(offer.status, offer.status)),
                "price": (self._tr("Free") if offer.price_minor <= 0 else
                          format_money(offer.price_minor, offer.currency, self._lang)),
                "items": ", ".join(self._tr(n) if n in WHOLE_LABELS else n for n in names),
                "buyers": str(buyers), "staff_only": "yes" if offer.staff_only else "",
            })
        self.courses = [{"id": str(i), "title": t} for i, t in catalogue.course_choices(session)]
        self.groups = [{"id": str(i), "name": n} for i, n in catalogue.group_choices(session)]
        self.services = [{"id": str(i), "name": n}
                         for i, n in catalogue.service_choices(session)]
        if self._shown_id:
            self._fill_holders(session)

    def _fill_holders(self, session) -> None:
        offer = catalogue.get_offer(session, offer_id=self._shown_id)
        self.shown_name = offer.name
        self.holders = [{
            "key": f"{h.status}-{h.purchase_id or ''}-{h.client_id}-{h.at.isoformat()}",
            "client": h.client_name, "client_id": str(h.client_id),
            "status": self._tr(HOLDER_LABELS.get(h.status, h.status)),
            "date": formats.when_short(h.at, self._tz, self._lang),
            "purchase_id": str(h.purchase_id or ""),
            "can_keep": "yes" if h.status == PurchaseStatus.REFUNDED else "",
        } for h in offer_purchases.offer_holders(session, offer_id=offer.id)]

    def _refused(self, exc: ServiceError):
        """A bad field stays in the open form beside it; anything else is a toast."""
        if exc.field in FIELDS:
            self.errors = {**dict.fromkeys(FIELDS, ""), exc.field: self._tr(exc.message)}
            return None
        return rx.toast.error(self._tr(exc.message))

    @staff_event
    def load(self, session, ctx):
        self.form_open = False
        self._shown_id = 0
        self.shown_name = ""
        self.holders = []
        self.client_hits = []
        self._fill(session)

    @staff_event
    def new_offer(self, session, ctx):
        self._edit_id = 0
        self.values = dict(EMPTY_FORM)
        self.chosen = []
        self._open_form("New offer")

    @staff_event
    def edit_offer(self, session, ctx, offer_id: str):
        offer = catalogue.get_offer(session, offer_id=offer_id)
        items = catalogue.offer_items(session, offer_ids=[offer.id])[offer.id]
        self._edit_id = offer.id
        self.values = {
            "name": offer.name, "description": offer.description,
            "price": decimal_text(offer.price_minor, offer.currency) if offer.price_minor else "",
            "status": offer.status, "access_days": str(offer.access_days or ""),
            "service_id": str(offer.service_id or ""),
            "staff_only": "yes" if offer.staff_only else "",
        }
        self.chosen = [spec.key for spec in catalogue.item_specs(items)]
        self._open_form("Edit offer")

    def _open_form(self, title: str) -> None:
        self.form_title = self._tr(title)
        self.errors = dict.fromkeys(FIELDS, "")
        self.form_key += 1
        self.form_open = True

    @staff_event
    def close_form(self, session, ctx):
        self.form_open = False
        self._edit_id = 0

    @staff_event(on_error="_refused")
    def save_offer(self, session, ctx, form: dict):
        """Create or change the offer; a bad field is shown beside it, nothing saved."""
        self.errors = dict.fromkeys(FIELDS, "")
        data = {k: str(form.get(k, "") or "")[:6000] for k in EMPTY_FORM}
        data["staff_only"] = "on" if _flag(form.get("staff_only")) else ""
        data["items"] = [str(k)[5:] for k, v in form.items()
                         if str(k).startswith("item:") and _flag(v)][:200]
        offer = catalogue.save_offer(session, staff_id=ctx.staff_id,
                                     offer_id=self._edit_id or None, form=data)
        self.form_open = False
        self._edit_id = 0
        self._fill(session)
        return rx.toast.success(self._tr("Offer saved.") + f" {offer.name}")

    @staff_event
    def archive_offer(self, session, ctx, offer_id: str):
        catalogue.archive_offer(session, staff_id=ctx.staff_id, offer_id=offer_id)
        self._fill(session)
        return rx.toast.success(self._tr("Offer archived."))

    @staff_event
    def show_offer(self, session, ctx, offer_id: str):
        """The offer's purchases and gifts, and "Give to a client"."""
        self._shown_id = catalogue.get_offer(session, offer_id=offer_id).id
        self.client_hits = []
        self._fill_holders(session)

    @staff_event
    def find_clients(self, session, ctx, form: dict):
        """Clients by name or email, to give the shown offer to."""
        term = str(form.get("query", "") or "").strip()[:100]
        if not self._shown_id or not term:
            self.client_hits = []
            return None
        page = list_clients(session, search=term, per_page=8)
        self.client_hits = [{"id": str(c.id), "name": c.full_name, "email": c.email or ""}
                            for c in page.rows]
        return None

    @staff_event
    def give(self, session, ctx, client_id: str):
        """Give the shown offer to a client (its grants, source staff)."""
        offer_purchases.give_offer(session, staff_id=ctx.staff_id, offer_id=self._shown_id,
                                   client_id=client_id)
        self.client_hits = []
        self._fill(session)
        return rx.toast.success(self._tr("Access given."))

    @staff_event
    def keep_access(self, session, ctx, purchase_id: str):
        """A refunded purchase keeps its access after all."""
        offer_grants.keep_access(session, staff_id=ctx.staff_id, purchase_id=purchase_id)
        self._fill(session)
        return rx.toast.success(self._tr("Access kept."))
