"""The house's anatomy, read from the code's own imports (DESIGN.md, "Layout").

Apps depend one way: core and accounts at the bottom, then communes, then feedback, surveys and democracy, then
scoring, then demo and portal at the top. No app imports portal; an app never imports another app's
views; core imports no app; no modules import each other in a circle, but a service and its own tasks
(CYCLES_ALLOWED says which and why).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each package and the packages it may import. A package may always import itself.
LAYERS = {
    "core": set(),
    "accounts": {"core"},
    "communes": {"core", "accounts"},
    "feedback": {"core", "accounts", "communes"},
    "surveys": {"core", "accounts", "communes"},
    "democracy": {"core", "accounts", "communes"},
    "scoring": {"core", "accounts", "communes", "feedback", "surveys", "democracy"},
    "demo": {"core", "accounts", "communes", "feedback", "surveys", "democracy", "scoring"},
    "portal": {"core", "accounts", "communes", "feedback", "surveys", "democracy", "scoring", "demo"},
}
PROJECT = set(LAYERS)

# Import cycles kept on purpose, with the reason. A service enqueues its task after commit and the task
# calls the service: the service imports its tasks module inside the function that enqueues, so the
# cycle never runs at import time.
CYCLES_ALLOWED: dict[frozenset[str], str] = {
    frozenset({"feedback.services.notifications", "feedback.services.workflow", "feedback.tasks"}): (
        "a change writes its mail to the outbox, which enqueues the sending task; the hourly task marks"
        " overdue items through the workflow"
    ),
    frozenset({"scoring.services.certificates.issue", "scoring.tasks"}): "an approval queues one issue per certificate",
    frozenset({"surveys.services.campaigns", "surveys.tasks"}): "closing a campaign queues its statistics",
    frozenset(
        {
            "democracy.services.boards",
            "democracy.services.matters",
            "democracy.services.subscriptions",
            "democracy.tasks",
        }
    ): (
        "a matter's news queues one mail task per follower; the periodic tasks count the votes that closed and"
        " escalate the boards' overdue recommendations, whose mails are tasks too"
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PROJECT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


@cache
def _tree(module: str) -> ast.Module:
    path = modules()[module]
    return ast.parse(path.read_text(), filename=str(path))


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*anchor, node.module] if node.module else anchor)


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every project module that ``module`` imports, at the top or inside a function. A name imported
    from a package that re-exports it counts as an import of the module that defines it."""
    found = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            found.update(_source(base, alias.name) for alias in node.names)
    return frozenset(name for name in found if name.split(".")[0] in PROJECT)


def _source(base: str, name: str) -> str:
    """The module a ``from base import name`` really reads: the submodule ``base.name``, else the module
    a package's ``__init__`` re-exports ``name`` from, else ``base``."""
    if f"{base}.{name}" in modules():
        return f"{base}.{name}"
    if base in modules() and modules()[base].name == "__init__.py":
        for node in _tree(base).body:
            if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
                origin = _absolute(base, node)
                if origin.startswith(base + "."):
                    return _source(origin, name)
    return base


def _target(name: str) -> str | None:
    """The project module an imported name refers to (the longest module prefix)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules():
            return candidate
    return None


def test_every_package_imports_only_the_layers_below_it():
    wrong = sorted(
        f"{module} imports {name}"
        for module in modules()
        for name in imports_of(module)
        if (top := name.split(".")[0]) != module.split(".")[0] and top not in LAYERS[module.split(".")[0]]
    )
    assert wrong == []


def test_no_app_imports_the_views_of_another_app():
    wrong = sorted(
        f"{module} imports {name}"
        for module in modules()
        for name in imports_of(module)
        if ".views" in name and name.split(".")[0] != module.split(".")[0] and module.split(".")[0] != "portal"
    )
    assert wrong == []


def _cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_but_the_services_and_tasks_named():
    edges = {module: {t for name in imports_of(module) if (t := _target(name)) and t != module} for module in modules()}
    # A package's __init__ only re-exports its modules; what matters is who imports the module behind it.
    edges = {
        module: {t for t in targets if not (modules()[t].name == "__init__.py" and module.startswith(t + "."))}
        for module, targets in edges.items()
    }
    cycles = _cycles(edges)
    assert sorted(sorted(cycle) for cycle in cycles if cycle not in CYCLES_ALLOWED) == []
    # The allowed list names only cycles that exist, so it never outlives them.
    assert sorted(sorted(cycle) for cycle in CYCLES_ALLOWED if cycle not in cycles) == []


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_the_layers_are_read_from_real_files(package):
    # A renamed or emptied package would make the tests above pass on nothing.
    assert any(name.split(".")[0] == package for name in modules()) or package == "demo"
