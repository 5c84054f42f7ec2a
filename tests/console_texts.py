"""Find console text that is not wrapped in `t()` (for the console catalogue test).

A console page shows English literals only through `t("...")`, which records
the msgid for the catalogue test (tests/unit/test_translations.py compiles
every page). This finder reads the console's page and component modules and
reports string literals that are given to a component as text (a positional
argument, or a `label=`, `placeholder=`, `aria_label=`, `title=`... keyword) and
look like words for people, but are not inside `t()`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE_FILES = sorted(
    [*ROOT.glob("portal_app/pages/console_*.py"), *ROOT.glob("portal_app/pages/console_*/*.py"),
     *ROOT.glob("components/console_*.py")])
TEXT_KEYWORDS = {"label", "placeholder", "aria_label", "title", "empty", "button", "note",
                 "description", "text", "alt", "heading", "hint", "help"}
# Calls whose string arguments are names, not words (icons, colours, CSS, matches).
NOT_TEXT_CALLS = {"icon", "t", "match", "breakpoints", "get_by_role", "Var", "color",
                  "call_script", "redirect", "set_value", "scroll_to", "to", "format",
                  "getattr", "get", "startswith", "endswith", "replace", "split", "join"}
# Components whose positional text is shown even as one lowercase word ("to").
TEXT_CALLS = {"text", "heading", "button", "link", "badge", "label", "legend", "option",
              "strong", "em", "span", "callout", "title", "description", "trigger", "p", "h1",
              "h2", "h3", "td", "th", "cell", "column_header_cell", "row_header_cell"}
# Literals that are the same in every language.
SAME_EVERYWHERE = {"Language / Idioma", "America/New_York"}


def looks_like_words(text: str, shown: bool = False) -> bool:
    """Words for people (`shown`: a text component's own child, where one lowercase
    word counts too)."""
    if text in SAME_EVERYWHERE or not re.search(r"[A-Za-z]{2,}", text):
        return False
    if text.startswith(("/", "var(", "#", "http", "field-", "calc(")):
        return False
    if re.match(r"^\s*\d+(px|em|rem|%)\b", text):  # CSS: "2px dashed " + colour
        return False
    return bool(re.search(r"[A-Z]", text) or " " in text or (shown and text.isalpha()))


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _pieces(node: ast.AST) -> list[ast.AST]:
    """The literals a text argument is made of: "Move " + label + " up", a if c else b."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    if isinstance(node, ast.IfExp):
        return _pieces(node.body) + _pieces(node.orelse)
    return [node]


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def untranslated(path: Path) -> list[tuple[int, int, int, int, str]]:
    """(line, col, end_line, end_col, text) of each literal shown as text without t():
    a component's text argument, an f-string given to one, and the literal tuple a
    comprehension turns into components (a table's header cells)."""
    tree = ast.parse(path.read_text())
    found = []
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def add(node: ast.AST, text: str) -> None:
        found.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, text))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) not in NOT_TEXT_CALLS:
            shown = _name(node) in TEXT_CALLS
            candidates = list(node.args) + [k.value for k in node.keywords
                                            if k.arg in TEXT_KEYWORDS]
            for arg in candidates:
                for part in _pieces(arg):
                    if _literal(part) and looks_like_words(part.value,
                                                           shown and arg in node.args):
                        add(part, part.value)
        elif isinstance(node, ast.JoinedStr):
            parent = parents.get(node)
            if isinstance(parent, ast.Call) and _name(parent) not in NOT_TEXT_CALLS \
                    and node in parent.args:
                words = "".join(p.value for p in node.values if _literal(p))
                if looks_like_words(words):
                    add(node, words)
        elif isinstance(node, ast.comprehension) and isinstance(node.iter, ast.Tuple | ast.List):
            for item in node.iter.elts:
                if _literal(item) and looks_like_words(item.value, shown=True):
                    add(item, item.value)
    return sorted(set(found))


def all_untranslated() -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line}: {text!r}"
            for path in CONSOLE_FILES for line, _c, _el, _ec, text in untranslated(path)]
