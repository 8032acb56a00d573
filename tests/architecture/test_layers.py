"""The house's anatomy, read from the code's own imports (DESIGN.md, "Layout").

Apps depend one way: core and accounts at the bottom, then communes, then feedback and surveys, then
scoring, then demo and portal at the top. No app imports portal; an app never imports another app's
views; core imports no app; no two modules import each other.
"""

from __future__ import annotations

import ast
import itertools
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
    "scoring": {"core", "accounts", "communes", "feedback", "surveys"},
    "demo": {"core", "accounts", "communes", "feedback", "surveys", "scoring"},
    "portal": {"core", "accounts", "communes", "feedback", "surveys", "scoring", "demo"},
}
PROJECT = set(LAYERS)

# Pairs of modules that import each other on purpose, with the reason. Keep this list short.
MUTUAL_IMPORTS_ALLOWED: dict[frozenset[str], str] = {}


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
def imports_of(module: str) -> frozenset[str]:
    """Every project module that ``module`` imports, at the top or inside a function."""
    path = modules()[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from app import selectors` imports the module app.selectors when there is one.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PROJECT)
    return frozenset(found)


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


def test_no_two_modules_import_each_other():
    edges = {module: {t for name in imports_of(module) if (t := _target(name)) and t != module} for module in modules()}
    mutual = {
        frozenset((a, b))
        for a, b in itertools.combinations(sorted(edges), 2)
        if b in edges[a]
        and a in edges[b]
        # A package's __init__ re-exports its modules; the modules importing a sibling through the
        # package is the same dependency, not a cycle.
        and not (a.startswith(b + ".") or b.startswith(a + "."))
    }
    assert sorted(" ↔ ".join(sorted(pair)) for pair in mutual - set(MUTUAL_IMPORTS_ALLOWED)) == []


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_the_layers_are_read_from_real_files(package):
    # A renamed or emptied package would make the tests above pass on nothing.
    assert any(name.split(".")[0] == package for name in modules()) or package == "demo"
