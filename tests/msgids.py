"""Find the English text the client can be shown, for the catalogue test.

- page text: every `t("...")` a compiled client page asked for;
- server text: literals and f-strings passed to `_tr(...)`/`gettext(lang, ...)`
  in the client states and services, the messages of errors raised by the
  services a client reaches, and their module-level message constants and
  label dictionaries.

An f-string becomes a template whose placeholders are all `{}`; catalogue
keys are compared in the same form (their placeholder names don't matter).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CLIENT_STATES = ["state/session.py", "state/bookings.py", "state/payments.py",
                 "state/documents.py", "state/messages.py", "state/client_pages.py",
                 "state/login.py", "state/invite.py", "state/checkout_test_mode.py",
                 "state/upcoming.py", "state/profile.py", "state/dashboard_texts.py",
                 "state/client_forms/list_page.py", "state/client_forms/form_page.py",
                 "state/superbills.py", "state/statements.py", "state/offers.py",
                 "state/superbills.py", "state/statements.py",
                 "state/courses/common.py", "state/courses/list_page.py",
                 "state/courses/course_page.py", "state/courses/lesson_page.py",
                 "state/courses/verify.py", "state/referrals/common.py",
                 "state/referrals/page.py",
                 "state/community/group_page.py", "state/community/post_page.py"]
CLIENT_SERVICES = ["portal_app/services/client_auth/common.py",
                   "portal_app/services/client_auth/sign_in.py",
                   "portal_app/services/client_auth/registration.py",
                   "portal_app/services/client_auth/passwords.py",
                   "portal_app/services/codes.py",
                   "portal_app/services/sessions.py", "portal_app/services/ratelimit.py",
                   "portal_app/services/validation.py", "portal_app/services/money.py",
                   "portal_app/services/notifications.py",
                   "portal_app/services/documents/file_checks.py",
                   "portal_app/services/documents/names.py",
                   "portal_app/services/documents/queries.py",
                   "portal_app/services/documents/sharing.py",
                   "portal_app/services/messaging/attachments.py",
                   "portal_app/services/messaging/conversations.py",
                   "portal_app/services/messaging/inbox.py",
                   "portal_app/services/messaging/notices.py",
                   "portal_app/services/messaging/rules.py",
                   "portal_app/services/messaging/sending.py",
                   "portal_app/services/errors.py",
                   "portal_app/services/invitations.py", "portal_app/services/profile.py",
                   "portal_app/services/clients.py",
                   "portal_app/services/scheduling/bookings.py",
                   "portal_app/services/scheduling/slots.py",
                   "portal_app/services/billing/payments.py",
                   "portal_app/services/billing/checkout.py",
                   "portal_app/services/billing/checkout_test_mode.py",
                   "portal_app/services/billing/events.py",
                   "portal_app/services/billing/receipts.py",
                   "portal_app/services/billing/invoices.py",
                   "portal_app/services/billing/lines.py",
                   "portal_app/services/billing/statements/build.py",
                   "portal_app/services/billing/statements/ranges.py",
                   "portal_app/services/billing/superbills/requests.py",
                   "portal_app/services/billing/superbills/ranges.py",
                   "portal_app/services/billing/superbills/pdf.py",
                   "portal_app/services/billing/statements/view.py",
                   "portal_app/services/billing/balance.py",
                   # (billing/refunds.py speaks to staff only)
                   "portal_app/services/file_checks.py",
                   # forms: what a client filling one in can be told
                   "portal_app/services/forms/signature.py",
                   "portal_app/services/forms/rules.py",
                   "portal_app/services/forms/drafts.py",
                   "portal_app/services/forms/submit.py",
                   "portal_app/services/forms/requests.py",
                   "portal_app/services/forms/profile_map.py",
                   "portal_app/services/forms/consent.py",
                   # the hub's offers: what a client claiming or buying one is told
                   "portal_app/services/hub/offer_purchases.py",
                   # the Courses app, the client's side
                   "portal_app/services/courses/access.py",
                   "portal_app/services/courses/progress.py",
                   "portal_app/services/courses/quiz.py",
                   "portal_app/services/courses/certificates.py",
                   # the Referrals app, the referrer's side
                   "portal_app/services/referrals/referrers.py",
                   "portal_app/services/referrals/summary.py",
                   "portal_app/services/referrals/program_facts.py",
                   "portal_app/services/referrals/payouts.py",
                   # the Community app: the client's feed, posts, comments, reports
                   "portal_app/services/community/posts.py",
                   "portal_app/services/community/comments.py",
                   "portal_app/services/community/reactions.py",
                   "portal_app/services/community/reports.py",
                   "portal_app/services/community/files.py",
                   "portal_app/services/community/post_views.py"]
LABEL_DICTS = {"models/billing.py": ["LABELS"], "models/messaging.py": ["LABELS"],
               "state/bookings.py": ["STATUS_LABELS"], "state/superbills.py": ["STATUS_LABELS"],
               "state/client_forms/list_page.py": ["STATUS_TEXT"],
               "portal_app/services/billing/invoices.py": ["STATUS_LABELS"],
               "portal_app/services/referrals/summary.py": ["STATE_LABELS"],
               "portal_app/services/referrals/payouts.py": ["METHOD_LABELS"]}
ERROR_CALLS = re.compile(r"(Error|NotFound|NotAllowed|RateLimited|Taken|Refused)$")


def template(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                out += str(part.value)
            else:
                out += "{}"
        return out
    if isinstance(node, ast.IfExp):  # "a" if x else "b": both
        return None
    return None


def normalize(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", "{}", text)


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _sentence(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", text)) and " " in text.strip()


def _strings(node: ast.AST) -> list[str]:
    """The text of a literal, an f-string, or both arms of a conditional expression."""
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    found = template(node)
    return [found] if found is not None else []


def server_msgids(states: list[str] | None = None, services: list[str] | None = None,
                  label_dicts: dict[str, list[str]] | None = None) -> dict[str, str]:
    """normalized template -> where it was found (the client's texts by default)."""
    states = CLIENT_STATES if states is None else states
    services = CLIENT_SERVICES if services is None else services
    label_dicts = LABEL_DICTS if label_dicts is None else label_dicts
    found: dict[str, str] = {}
    for rel in states + services:
        path = ROOT / rel
        if not path.exists():
            continue
        tree = ast.parse(path.read_text())
        constants = {}
        for stmt in tree.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                for text in _strings(stmt.value):
                    constants[stmt.targets[0].id] = text
                    if _sentence(text) and stmt.targets[0].id.isupper():
                        found[normalize(text)] = f"{rel}:{stmt.lineno}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            args = []
            if name in ("_tr", "translate", "tr"):
                args = node.args[-1:]
            elif name == "gettext":
                args = node.args[1:2]
            elif ERROR_CALLS.search(name) and name not in ("PaymentProviderError",):
                args = node.args[:1] + [k.value for k in node.keywords if k.arg == "message"]
            elif rel in services:
                args = [k.value for k in node.keywords if k.arg in ("error", "message")]
            for arg in args:
                texts = _strings(arg)
                if not texts and isinstance(arg, ast.Call) and _call_name(arg) == "gettext":
                    continue
                if not texts and isinstance(arg, ast.Name) and arg.id in constants:
                    texts = [constants[arg.id]]
                for text in texts:
                    if re.search(r"[A-Za-z]", text):
                        found[normalize(text)] = f"{rel}:{node.lineno}"
        if rel in services:  # messages a service returns instead of raising
            for node in ast.walk(tree):
                if isinstance(node, ast.Return) and node.value is not None:
                    for text in _strings(node.value):
                        if _sentence(text) and text.rstrip().endswith((".", "?", "!")):
                            found[normalize(text)] = f"{rel}:{node.lineno}"
    for rel, names in label_dicts.items():
        tree = ast.parse((ROOT / rel).read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in names and isinstance(node.value, ast.Dict)):
                for value in node.value.values:
                    for text in _strings(value):
                        found[normalize(text)] = f"{rel}:{node.lineno}"
    return found


def page_msgids() -> set[str]:
    """Every t() text of the compiled pages (imports the app)."""
    import portal_app.portal_app as app_module
    from components.i18n import USED

    for page in app_module.app._unevaluated_pages.values():
        if callable(page.component):
            page.component()
    return set(USED)
