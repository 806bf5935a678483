"""The `course` package a learner installs: no import circles, a true module map, no tools."""

from __future__ import annotations

import ast

import pytest
from book_tools import ROOT

import course

PACKAGE = ROOT / "course"


def _module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the course modules it imports anywhere in its file, inside functions too."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
        graph[name] = {target for target in targets if target in modules} - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each once, by depth-first search."""
    found: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for target in sorted(graph[node]):
                if target == start and min(path) == start:
                    found.append(path)
                elif target not in path and target > start:
                    stack.append((target, [*path, target]))
    return found


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_course_has_no_import_circle():
    assert cycles(import_graph()) == []


def test_course_imports_no_build_tool():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert not name.startswith(("bookbuild", "classroom")), f"{path} imports {name}"


@pytest.mark.parametrize(
    "module",
    sorted(
        {_module_name(path) for path in PACKAGE.glob("*.py")} - {"course"}
        | {_module_name(path) for path in PACKAGE.glob("*/__init__.py")}
    ),
)
def test_the_module_map_names_every_module(module):
    assert f"``{module}``" in course.__doc__, f"course/__init__.py's module map lacks {module}"


def test_the_installed_package_is_the_lesson_package_only():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["course", "course.*"]
