"""crypto/ stays cryptography: no transport or storage import, no hidden cycle, short modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CRYPTO = Path(__file__).parents[3] / "crypto"
MODULES = sorted(CRYPTO.rglob("*.py"))
FORBIDDEN = ("grpc", "sqlalchemy")
MAX_LINES = 500


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


def _nested_imports(tree: ast.Module) -> list[int]:
    top_level = {id(node) for node in tree.body}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top_level
    ]


def test_the_crypto_folder_is_found() -> None:
    assert CRYPTO / "keys.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_module_imports_neither_grpc_nor_sqlalchemy(path: Path) -> None:
    imported = _imported_names(ast.parse(path.read_text(encoding="utf-8")))
    assert not {name for name in imported if name.split(".")[0] in FORBIDDEN}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_module_imports_only_at_the_top(path: Path) -> None:
    assert _nested_imports(ast.parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_module_is_at_most_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
