"""The accessibility harness of tests/e2e/test_accessibility.py: its data (a
household with something on every client page), the axe runner, the phone
layout and touch-target measures, the report each test writes, and the
keyboard helpers. The tests and the page tours stay in the test module."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.csp_watch import watch_csp
from tests.e2e.journeys import wait_for_link

SCREENS = ARTIFACTS / "screens"
REPORTS = ARTIFACTS / "a11y"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MIN_TARGET = 44
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                      "wcag21aa"]},
               "resultTypes": ["violations"]}
# A toast on its way out (sonner marks it data-removed while it fades) is partly
# transparent, which axe reads as too little contrast; a toast on screen is scanned.
AXE_CONTEXT = {"exclude": [['[data-sonner-toast][data-removed="true"]']]}
BLOCKING = ("serious", "critical")
SECTIONS = ["Dashboard", "Bookings", "Payments", "Documents", "Messages", "Profile",
            "Account & security"]
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

_axe = Axe()


# --- data --------------------------------------------------------------------------------


@dataclass
class Household:
    email: str
    client_id: int
    invoice_id: int
    receipt_id: int
    estimate_id: int
    draft_id: int
    conversation_id: int
    invite_link: str
    client_state: dict = field(default_factory=dict)
    staff_state: dict = field(default_factory=dict)


def _seed(portal, email: str) -> dict:
    """Everything a client page can list, for the first record of `email`."""
    from sqlmodel import Session, select

    from models import Client, InvoiceStatus, PortalAccount, StaffUser
    from portal_app.db import make_engine
    from portal_app.providers.storage import LocalFileStorage
    from portal_app.services.billing.invoices import save_draft
    from portal_app.services.billing.payments import record_offline_payment
    from portal_app.services.documents import IncomingFile, share_documents
    from portal_app.services.messaging import send_message, start_conversation

    base = portal.base_url
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email).order_by(Client.id)).first()
            staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
            due = str(datetime.now(UTC).date() + timedelta(days=14))

            def sent(kind: str, lines: list[dict], **form):
                doc = save_draft(session, staff_id=staff.id, invoice_id=None,
                                 form={"client_id": client.id, "kind": kind, **form},
                                 lines=lines)
                doc.status = InvoiceStatus.SENT
                doc.sent_at = datetime.now(UTC)
                session.add(doc)
                session.flush()
                return doc

            invoice = sent("invoice", [
                {"description": "Massage (60 min)", "quantity": "1", "unit_price": "80.00"},
                {"description": "Aromatherapy add-on with a long description that wraps",
                 "quantity": "2", "unit_price": "7.50"}],
                due_date=due, notes="Thank you for visiting.", tax_rate="5")
            part_paid = sent("invoice", [{"description": "Coaching session", "quantity": "1",
                                          "unit_price": "60.00"}], due_date=due)
            payment = record_offline_payment(session, staff_id=staff.id,
                                             invoice_id=part_paid.id,
                                             form={"amount": "20.00", "method": "cash"},
                                             base_url=base)
            estimate = sent("estimate", [{"description": "Physiotherapy session",
                                          "quantity": "5", "unit_price": "70.00"}])
            draft = save_draft(session, staff_id=staff.id, invoice_id=None,
                               form={"client_id": client.id, "kind": "invoice"},
                               lines=[{"description": "Follow-up", "quantity": "1",
                                       "unit_price": "40.00"}])
            share_documents(session, staff_id=staff.id, client_id=client.id,
                            files=[IncomingFile("care-plan.pdf", PDF)], title="Care plan",
                            message="Your plan for the next weeks.",
                            storage=LocalFileStorage(portal.data_dir / "files"), base_url=base,
                            max_file_bytes=10 * 2**20, max_request_bytes=25 * 2**20)
            conversation = start_conversation(
                session, client_id=client.id, subject="Your next visit",
                body="Hello! Please bring your notes next time.", by="staff",
                staff_id=staff.id, base_url=base)
            send_message(session, conversation_id=conversation.id, body="Thanks, will do.",
                         by="client", client_id=client.id, base_url=base)
            ids = {"client_id": client.id, "invoice_id": invoice.id,
                   "receipt_id": payment.id, "estimate_id": estimate.id,
                   "draft_id": draft.id, "conversation_id": conversation.id}
            session.commit()
            return ids
    finally:
        engine.dispose()


def _invite(portal) -> str:
    """A fresh invited client and the link of its invitation email."""
    from sqlmodel import Session, select

    from models import Client, PortalAccount
    from portal_app.db import make_engine
    from portal_app.services.invitations import invite_client

    email = portal.household("Ivy Invite")
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email)).first()
            invite_client(session, staff_id=None, client_id=client.id,
                          base_url=portal.base_url)
            session.commit()
    finally:
        engine.dispose()
    return wait_for_link(portal.mail_dir, email, r"http://\S+/invite\?key=\S+")


def _new_context(browser, viewport: dict, storage_state: dict | None = None):
    ctx = browser.new_context(viewport=viewport, storage_state=storage_state,
                              has_touch=viewport is PHONE)
    ctx.set_default_timeout(20_000)
    watch_csp(ctx)
    return ctx



# --- measuring ---------------------------------------------------------------------------

SETTLE_JS = """() => document.getAnimations().every(a => a.playState !== 'running'
    || (a.effect && a.effect.getTiming().iterations === Infinity))"""


def settle(page) -> None:
    """Wait for open/close animations (a half-faded dialog fails contrast)."""
    page.wait_for_function(SETTLE_JS)
    page.wait_for_timeout(150)


def axe_problems(page, name: str, found: list | None = None) -> list[str]:
    """Serious and critical violations as readable lines; every violation of any
    impact is appended to `found` (view, rule, impact, node count) for the report."""
    # axe-core is put in a document once (axe-playwright-python's run() evaluates its
    # whole script before every scan); a page the app changed in place keeps it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    response = page.evaluate(
        f"axe.run({_axe._format_script_args(context=AXE_CONTEXT, options=AXE_OPTIONS)})")
    problems = []
    for v in response["violations"]:
        if found is not None:
            found.append({"view": name, "id": v["id"], "impact": v["impact"],
                          "nodes": len(v["nodes"])})
        if v["impact"] not in BLOCKING:
            continue
        nodes = [f"{'/'.join(map(str, n['target']))} "
                 f"{(n.get('failureSummary') or '').splitlines()[-1].strip()[:160]}"
                 for n in v["nodes"][:3]]
        problems.append(f"{name}: {v['id']} [{v['impact']}] {v['help']} "
                        f"({len(v['nodes'])} nodes) {nodes}")
    return problems


# Interactive elements, measured as a finger meets them: an element inside another
# interactive one counts with it (a button inside a link), a checkbox, radio or
# switch with its label (the label is where a finger taps), a text field by its input.
# Exempt, as WCAG 2.5.5 allows ("inline"): links inside a sentence, whose size is set
# by the line of text around them; the report lists them. Containers with a role
# (tab list, menu, dialog) are not targets. Hidden and aria-hidden elements are
# skipped, and so is the skip link while it sits off-screen.
TARGETS_JS = """(minimum) => {
  const SEL = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button],'
    + '[role=tab], [role=menuitem], [role=menuitemradio], [role=option], [role=checkbox],'
    + '[role=radio], [role=switch], [role=combobox], [role=link], [tabindex]:not([tabindex="-1"])';
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.right <= 0 || r.bottom + window.scrollY <= 0) return false;
    if (el.closest('[aria-hidden="true"], [inert], [hidden]')) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0;
  };
  const blockOf = (el) => {
    let p = el.parentElement;
    while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement;
    return p;
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const block = blockOf(el);
    const own = (el.textContent || '').trim().length;
    return !!block && (block.textContent || '').trim().length > own + 1;
  };
  const CONTAINERS = ['tablist', 'menu', 'menubar', 'listbox', 'dialog', 'alertdialog',
                      'radiogroup', 'group', 'log', 'region', 'main', 'tabpanel', 'grid'];
  const all = [...document.querySelectorAll(SEL)].filter(shown)
    .filter((el) => !CONTAINERS.includes(el.getAttribute('role')) && el.tagName !== 'SECTION');
  const TOGGLES = ['checkbox', 'radio', 'switch'];
  const small = [];
  let measured = 0;
  const inline = [];
  for (const el of all) {
    if (el.parentElement && el.parentElement.closest(SEL)
        && all.includes(el.parentElement.closest(SEL))) continue;
    if (inSentence(el)) { inline.push((el.textContent || '').trim().slice(0, 40)); continue; }
    let rects = [el.getBoundingClientRect()];
    el.querySelectorAll(SEL).forEach((d) => { if (shown(d)) rects.push(d.getBoundingClientRect()); });
    const toggle = TOGGLES.includes(el.type) || TOGGLES.includes(el.getAttribute('role'));
    if (toggle && el.labels) {
      [...el.labels].forEach((l) => { if (shown(l)) rects.push(l.getBoundingClientRect()); });
    }
    const left = Math.min(...rects.map((r) => r.left));
    const right = Math.max(...rects.map((r) => r.right));
    const top = Math.min(...rects.map((r) => r.top));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    const w = right - left, h = bottom - top;
    measured += 1;
    if (w + 0.05 < minimum || h + 0.05 < minimum) {
      const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name')
                    || el.getAttribute('type') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      small.push(`${el.tagName.toLowerCase()}${el.getAttribute('role') ? '[' + el.getAttribute('role') + ']' : ''} "${text}" ${w.toFixed(0)}x${h.toFixed(0)}`);
    }
  }
  return {measured, inline, small};
}"""

LAYOUT_JS = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  tables: [...document.querySelectorAll('table')].filter((t) => {
    const r = t.getBoundingClientRect();
    const cs = getComputedStyle(t);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display === 'table';
  }).length,
  // A stacked table whose box is shorter than its rows is cut off (its rows unseen).
  collapsed: [...document.querySelectorAll('table')].filter((t) => {
    const body = t.tBodies[0];
    if (!body || !body.rows.length || getComputedStyle(t).display === 'none') return false;
    const outer = (t.closest('.rt-TableRoot') || t).getBoundingClientRect().height;
    return outer + 1 < body.getBoundingClientRect().height;
  }).length,
})"""


@dataclass
class Audit:
    """What one test saw on every page: axe findings, phone layout, small targets."""

    name: str
    size: str
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    small_targets: dict[str, list[str]] = field(default_factory=dict)
    measured: int = 0
    inline_links: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)

    def scan(self, page, view: str, *, layout: bool = False) -> None:
        settle(page)
        self.pages += 1
        self.problems += axe_problems(page, view, self.violations)
        if layout:
            box = page.evaluate(LAYOUT_JS)
            if box["scrollWidth"] > box["innerWidth"]:
                self.problems.append(f"{view}: scrolls sideways ({box['scrollWidth']}px wide "
                                     f"in a {box['innerWidth']}px window)")
            if box["collapsed"]:
                self.problems.append(f"{view}: {box['collapsed']} table(s) cut off")
            if box["tables"]:
                self.problems.append(f"{view}: {box['tables']} table(s) laid out as a table "
                                     "on a phone (not stacked)")
            targets = page.evaluate(TARGETS_JS, MIN_TARGET)
            self.measured += targets["measured"]
            self.inline_links += [f"{view}: {text}" for text in targets["inline"]]
            if targets["small"]:
                self.small_targets[view] = targets["small"]
                self.problems.append(f"{view}: below {MIN_TARGET}px: {targets['small']}")

    def shot(self, page, view: str) -> None:
        """A full-page screenshot for a person to look at, with PORTAL_E2E_SCREENS=1
        (off by default: they cost seconds and no test reads them)."""
        if os.environ.get("PORTAL_E2E_SCREENS") != "1":
            return
        SCREENS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-")
        page.screenshot(path=str(SCREENS / f"{slug}-{self.size}.png"), full_page=True)

    def finish(self) -> None:
        REPORTS.mkdir(parents=True, exist_ok=True)
        report = {"test": self.name, "size": self.size, "pages_scanned": self.pages,
                  "problems": self.problems, "targets_measured": self.measured,
                  "inline_links_exempt": self.inline_links,
                  "small_targets": self.small_targets,
                  "small_target_count": sum(len(v) for v in self.small_targets.values()),
                  "axe_violations": self.violations}
        (REPORTS / f"{self.name}.json").write_text(json.dumps(report, indent=2))
        print(f"\n{self.name}: {self.pages} views, {len(self.problems)} problems, "
              f"{report['small_target_count']} small targets of {self.measured} measured, "
              f"{len(self.inline_links)} inline links exempt")
        assert not self.problems, "\n".join(self.problems)


def ready(page, text: str | re.Pattern | None = None) -> None:
    """The page is hydrated, branded, and shows its data."""
    expect(page.locator("h1").first).to_be_visible()
    if text is not None:
        expect(page.get_by_text(text).first).to_be_visible()


def visit(page, portal, path: str, text=None) -> None:
    page.goto(portal.url(path))
    ready(page, text)


def open_dialog(page, button_name: str | re.Pattern, *, within=None) -> None:
    (within or page).get_by_role("button", name=button_name).first.click()
    expect(page.get_by_role("dialog")).to_be_visible()


def close_dialog(page) -> None:
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


# --- keyboard and announcements ----------------------------------------------------------

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  // A text field draws its focus ring on its frame (Radix: the field's root), so the
  // ring may sit on the element or on one of its two nearest ancestors.
  let outline = 0;
  for (let n = el, i = 0; n && i < 3 && !outline; n = n.parentElement, i += 1) {
    const s = getComputedStyle(n);
    if (s.outlineStyle !== 'none') outline = parseFloat(s.outlineWidth) || 0;
  }
  return {tag: el.tagName, id: el.id, text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
          outline, onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth,
          inDialog: !!el.closest('[role=dialog], [role=alertdialog]'),
          inMain: !!el.closest('main, [role=main]')};
}"""


def focused(page) -> dict:
    info = page.evaluate(FOCUS_JS)
    assert info is not None, "nothing has focus"
    return info


def assert_focus_visible(info: dict) -> None:
    # An outline only: many controls carry a box-shadow (their border) unfocused too.
    assert info["onScreen"] and info["outline"] > 0, f"no visible focus on {info}"


def assert_dialog_traps_focus(page, trigger) -> None:
    trigger.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    settle(page)
    assert focused(page)["inDialog"], "focus did not move into the dialog"
    stops = dialog.locator("a[href], button, input, select, textarea, [tabindex='0']").count()
    for _ in range(stops + 2):
        page.keyboard.press("Tab")
        info = focused(page)
        assert info["inDialog"], f"Tab left the dialog: {info}"
        assert_focus_visible(info)
    for _ in range(2):
        page.keyboard.press("Shift+Tab")
        assert focused(page)["inDialog"], "Shift+Tab left the dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()


LIVE_JS = """(el) => !!el.closest('[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]')"""
