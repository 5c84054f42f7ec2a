"""The import graph of our code: no circles, and each layer imports only downwards.

Every `import` and `from ... import` statement counts, at module level or
inside a function (a deferred import still ties the two modules together),
read with `ast` so nothing is imported to check it. Dependency direction
(DESIGN.md): models <- portal_app.services <- state <- pages; components
never import state or services.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal_app", "state", "components", "models")

# Reviewed exceptions to "components never import state": the shell pieces every
# page shares read the public shell state themselves (the interface language and
# branding of BrandState, the staff name and unread count of StaffState) rather
# than every page passing them in. Each entry names one module and the one state
# module it may import; the test fails when an entry is no longer needed.
SHELL_STATE_IMPORTS = {
    "components.brand": "state.brand",
    "components.i18n": "state.brand",
    "components.console_shell": "state.staff_session",
    "components.console_search": "state.console_search",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def our_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found[_module_name(path)] = path
    return found


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name `path`'s import statements name, wherever they stand."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            # `from pkg import mod` imports the module pkg.mod.
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _ours(dotted: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that `dotted` loads (its longest known prefix), if any."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    modules = our_modules() if modules is None else modules
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {_ours(d, modules) for d in imported_names(name, path)}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _is_under(dotted: str, prefix: str) -> bool:
    return dotted == prefix or dotted.startswith(prefix + ".")


def layer_breaches(forbidden: dict[str, tuple[str, ...]], skip: set[str] = frozenset(),
                   allowed: dict[str, str] | None = None) -> list[str]:
    """`module imports name` for each import of a forbidden name by a module under a
    key, apart from the `allowed` module -> imported module pairs."""
    allowed = allowed or {}
    breaches = []
    for name, path in our_modules().items():
        if name in skip:
            continue
        banned = [b for layer, bans in forbidden.items() if _is_under(name, layer) for b in bans]
        if not banned:
            continue
        for dotted in sorted(imported_names(name, path)):
            if name in allowed and _is_under(dotted, allowed[name]):
                continue
            if any(_is_under(dotted, b) for b in banned):
                breaches.append(f"{name} imports {dotted}")
    return breaches


def test_our_code_has_no_import_circle():
    found = circles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_services_and_models_import_no_state_pages_or_reflex():
    banned = ("state", "portal_app.pages", "reflex")
    breaches = layer_breaches({"portal_app.services": banned, "models": banned})
    assert not breaches, "\n".join(breaches)


def test_components_import_no_state_or_services():
    breaches = layer_breaches({"components": ("state", "portal_app.services")}, set(),
                              SHELL_STATE_IMPORTS)
    assert not breaches, "\n".join(breaches)


def test_pages_take_service_constants_from_their_state():
    """Pages are UI only: what they show from a service comes through the state."""
    breaches = layer_breaches({"portal_app.pages": ("portal_app.services",)})
    assert not breaches, "\n".join(breaches)


def test_each_shell_state_exception_is_still_needed():
    modules = our_modules()
    stale = [name for name, target in SHELL_STATE_IMPORTS.items()
             if name not in modules
             or not any(_is_under(d, target) for d in imported_names(name, modules[name]))]
    assert not stale, f"no longer import their state; drop them from the list: {stale}"


def test_live_updates_know_nothing_of_state_or_the_app():
    """live.py is plain publish/subscribe: the refresher is injected by the app."""
    path = our_modules()["portal_app.live"]
    banned = ("state", "portal_app.portal_app", "reflex")
    names = imported_names("portal_app.live", path)
    assert not [n for n in names if any(_is_under(n, b) for b in banned)]


# --- the checks themselves can fail ---------------------------------------------------------


def test_a_circle_is_found_function_level_imports_included(tmp_path):
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from c import x\n")
    (tmp_path / "c.py").write_text("from a import y\n")
    (tmp_path / "d.py").write_text("import a\n")
    modules = {p.stem: p for p in tmp_path.glob("*.py")}
    assert circles(import_graph(modules)) == [["a", "b", "c"]]


def test_a_relative_import_and_a_submodule_import_resolve(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("from . import two\n")
    (package / "two.py").write_text("from pkg.one import thing\n")
    assert imported_names("pkg.one", package / "one.py") >= {"pkg.two"}
    modules = {"pkg": package / "__init__.py", "pkg.one": package / "one.py",
               "pkg.two": package / "two.py"}
    assert circles(import_graph(modules)) == [["pkg.one", "pkg.two"]]
