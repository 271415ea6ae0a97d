"""The code layout every domain app shares: rooms, docstrings, no import circles."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "incubator", "funding", "projects", "cms", "bench", "config")
DOMAIN_APPS = ("incubator", "funding", "projects")
ROOMS = (
    "apps.py",
    "choices.py",
    "errors.py",
    "lifecycle.py",
    "permissions.py",
    "models/__init__.py",
    "services/__init__.py",
    "selectors/__init__.py",
    "views/__init__.py",
    "admin_urls.py",
    "wagtail_hooks.py",
    "demo/__init__.py",
)


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def _name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_same_rooms(app):
    missing = [room for room in ROOMS if not (ROOT / app / room).exists()]
    assert missing == []


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_transition_tables_are_named_transitions(app):
    tree = ast.parse((ROOT / app / "lifecycle.py").read_text())
    names = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    assert "TRANSITIONS" in names


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_errors_share_one_base(app):
    import importlib

    from core.errors import DomainError

    module = importlib.import_module(f"{app}.errors")
    errors = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Exception)
        and value.__module__ == module.__name__
    ]
    assert errors and all(issubclass(error, DomainError) for error in errors)


def test_every_module_starts_with_a_docstring():
    missing = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if path.stat().st_size
        and ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert missing == []


def test_no_issue_numbers_in_code():
    pattern = re.compile(r"\bissue\s+#?\d+|\(#\d+\)", re.IGNORECASE)
    tests = sorted((ROOT / "tests").rglob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [*_modules(), *tests]
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def _imports(path, known):
    """Project modules this module imports, at module level or inside functions
    (a function-level import hides a circle, it does not remove it); `if
    TYPE_CHECKING:` blocks excluded."""
    tree = ast.parse(path.read_text())
    here = _name(path)
    is_package = path.name == "__init__.py"
    edges = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            ):
                visit(node.body)
            elif isinstance(node, ast.With | ast.For | ast.While):
                visit(node.body)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known:
                        edges.add(alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = here if is_package else here.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in known:
                        edges.add(sub)
                    elif base in known:
                        edges.add(base)

    visit(tree.body)
    edges.discard(here)
    return edges


def test_no_import_circles():
    paths = {_name(path): path for path in _modules()}
    graph = {name: _imports(path, paths) for name, path in paths.items()}
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            connect(node)
    assert circles == [], circles
