"""The direction of imports between layers: the cores at the bottom, then storage and banks, the
application services, and the adapters (web, CLI) on top. A layer imports only those below it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quiz"

# What each layer may import of the project (besides itself). Anything not named is forbidden.
ALLOWED: dict[str, set[str]] = {
    "quiz.engine": set(),
    "quiz.selftest": {"quiz.engine"},
    "quiz.texts": set(),
    "quiz.yamlsource": {"quiz.texts"},
    "quiz.resources": set(),
    "quiz.banks": {"quiz.engine", "quiz.yamlsource", "quiz.resources", "quiz.texts"},
    "quiz.contests": {"quiz.engine", "quiz.yamlsource", "quiz.resources", "quiz.texts"},
    "quiz.storage": {"quiz.engine", "quiz.selftest", "quiz.banks", "quiz.resources", "quiz.texts"},
    "quiz.app": {
        "quiz.engine",
        "quiz.selftest",
        "quiz.banks",
        "quiz.contests",
        "quiz.storage",
        "quiz.yamlsource",
        "quiz.resources",
        "quiz.texts",
    },
}
# Third-party libraries a layer must never load, directly or through another module.
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "quiz.engine": {"flask", "flask_socketio", "socketio", "engineio", "sqlalchemy", "yaml"},
    "quiz.selftest": {"flask", "flask_socketio", "socketio", "engineio", "sqlalchemy", "yaml"},
    "quiz.app": {"flask", "flask_socketio", "socketio", "engineio"},
}


def _layer_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every project module a file imports, with the line, including imports inside functions."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name == "quiz" or name.startswith("quiz.")]


def _modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        modules.append((dotted.removesuffix(".__init__"), path))
    return modules


def test_every_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for module, path in _modules():
        layer = _layer_of(module)
        if layer not in ALLOWED:
            continue  # the adapters on top (quiz.web, quiz.cli, quiz.entry) may import anything
        for line, imported in _imports(path):
            target = _layer_of(imported)
            if target != layer and target not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    assert wrong == []


def test_the_rules_of_this_test_find_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from quiz.web.http import services\n", encoding="utf-8")
    assert _imports(bad) == [(2, "quiz.web.http")]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_LIBRARIES))
def test_a_layer_loads_no_forbidden_library(layer: str) -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        f"package = importlib.import_module({layer!r})\n"
        "for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = {sorted(FORBIDDEN_LIBRARIES[layer])!r}\n"
        "print(sorted(set(bad) & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
