"""The layering of docs/architecture.md, enforced: what each package may import.

Read from the source with :mod:`ast`, so the check needs no import of the
code it checks. A failure names the module, the import and the rule.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "liaison"

#: Which of our packages each package may import (itself always).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "v1": frozenset(),
    "core": frozenset(),
    "crypto": frozenset({"core", "v1"}),
    "storage": frozenset({"core"}),
    "wire": frozenset({"core", "crypto", "v1"}),
    "node": frozenset({"core", "crypto", "storage", "wire", "v1"}),
    "broker": frozenset({"core", "crypto", "storage", "wire", "v1"}),
    "auditing": frozenset({"core", "crypto", "storage", "wire", "v1", "node"}),
    "tools": frozenset({"core", "crypto", "node"}),
    "web": frozenset({"core", "crypto", "node"}),
    "cli": frozenset(
        {"core", "crypto", "storage", "wire", "v1", "node", "broker", "auditing", "tools", "web"}
    ),
}
#: Third-party packages that only the edge of a layer may import.
GRPC = frozenset({"grpc", "grpc_health", "grpc_reflection"})
SQL = frozenset({"sqlalchemy"})
#: Edge modules of node/ and broker/: they alone speak gRPC or SQL.
EDGE_SUFFIXES = ("servicer", "server", "_client", "codec")
EDGE_PREFIXES = ("sql_",)
#: Our packages that only edge modules of node/ and broker/ may import.
EDGE_PACKAGES = frozenset({"v1", "wire", "storage"})
#: The longest a module may grow before it is split along a seam.
MAX_MODULE_LINES = 500
#: The design card's folders, importable from a checkout but never by that name.
TOP_LEVEL_FOLDERS = frozenset({"crypto", "node", "broker", "proto"})


@dataclass(frozen=True)
class Import:
    """One import statement's target, with where it stands."""

    module: str
    target: str
    line: int
    in_function: bool


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package (generated code excluded), by dotted name.

    ``liaison/crypto``, ``liaison/node`` and ``liaison/broker`` are links to the
    top-level folders, which ``rglob`` does not follow: walk them by hand.
    """
    for folder, _, files in sorted(os.walk(PACKAGE, followlinks=True)):
        relative = Path(folder).relative_to(PACKAGE)
        if relative.parts[:1] == ("v1",) or "__pycache__" in relative.parts:
            continue
        for file in sorted(files):
            if file.endswith(".py"):
                parts = ("liaison", *relative.parts, file.removesuffix(".py"))
                yield ".".join(parts), Path(folder) / file


def imports_of(name: str, path: Path) -> Iterator[Import]:
    """The absolute targets of every import in a module."""
    tree = ast.parse(path.read_text(), str(path))
    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    nested = {id(inner) for fn in functions for inner in ast.walk(fn) if inner is not fn}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            yield Import(name, target, node.lineno, id(node) in nested)


def package_of(module: str) -> str | None:
    """``liaison.node.requester`` -> ``node``; None for the root modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) else None


def is_edge(module: str) -> bool:
    """Whether a node/ or broker/ module may speak gRPC or SQL."""
    leaf = module.rsplit(".", 1)[-1]
    return leaf.endswith(EDGE_SUFFIXES) or leaf.startswith(EDGE_PREFIXES)


ALL = [(name, imp) for name, path in modules() for imp in imports_of(name, path)]


def violations(found: Iterable[tuple[str, Import]]) -> Iterator[str]:
    """Every import that breaks a rule, as a readable line."""
    for name, imp in found:
        where = f"{name}:{imp.line} imports {imp.target}"
        top = imp.target.split(".")[0]
        own = package_of(name)
        if top in TOP_LEVEL_FOLDERS:
            yield f"{where}: import it as liaison.{imp.target}"
        if top == "liaison" and own is not None:
            theirs = package_of(imp.target)
            if theirs is not None and theirs != own and theirs not in MAY_IMPORT[own]:
                yield f"{where}: {own} may not import {theirs}"
        if own in {"core", "crypto", "storage"} and top in GRPC:
            yield f"{where}: {own} never imports grpc"
        if own in {"core", "crypto", "wire"} and top in SQL:
            yield f"{where}: {own} never imports sqlalchemy"
        if own in {"node", "broker"} and not is_edge(name):
            if top in GRPC | SQL:
                yield f"{where}: a domain module imports neither grpc nor sqlalchemy"
            if package_of(imp.target) in EDGE_PACKAGES:
                yield f"{where}: protobuf, transport and SQL stay at the edge"


def test_every_import_follows_the_layers() -> None:
    assert list(violations(ALL)) == []


@pytest.mark.parametrize(
    ("module", "target", "rule"),
    [
        ("liaison.node.requester", "crypto.keys", "import it as liaison.crypto.keys"),
        ("liaison.core.errors", "liaison.crypto.keys", "core may not import crypto"),
        ("liaison.crypto.keys", "liaison.wire.status", "crypto may not import wire"),
        ("liaison.node.requester", "liaison.broker.policy", "node may not import broker"),
        ("liaison.crypto.psi", "grpc", "crypto never imports grpc"),
        ("liaison.wire.status", "sqlalchemy", "wire never imports sqlalchemy"),
        ("liaison.node.requester", "grpc", "a domain module imports neither"),
        ("liaison.broker.coordinator", "liaison.v1.common_pb2", "stay at the edge"),
    ],
)
def test_each_rule_reports_its_breach(module: str, target: str, rule: str) -> None:
    (found,) = violations([(module, Import(module, target, 1, in_function=False))])
    assert rule in found


@pytest.mark.parametrize(
    ("module", "target"),
    [
        ("liaison.node.servicer", "grpc"),
        ("liaison.node.sql_store", "sqlalchemy"),
        ("liaison.broker.codec", "liaison.v1.common_pb2"),
        ("liaison.cli.main", "liaison.broker.server"),
    ],
)
def test_the_edges_may_import_what_they_adapt(module: str, target: str) -> None:
    assert list(violations([(module, Import(module, target, 1, in_function=False))])) == []


def test_the_rules_cover_every_package() -> None:
    packages = {package_of(name) for name, _ in modules()} - {None}
    assert packages == set(MAY_IMPORT) - {"v1"}


def test_no_module_over_500_lines() -> None:
    lines = {name: len(path.read_text().splitlines()) for name, path in modules()}
    assert {name: n for name, n in lines.items() if n > MAX_MODULE_LINES} == {}


def test_no_import_inside_a_function() -> None:
    hidden = [f"{imp.module}:{imp.line} {imp.target}" for _, imp in ALL if imp.in_function]
    assert hidden == []


def graph() -> dict[str, set[str]]:
    """Our modules and the modules of ours each imports."""
    names = {name for name, _ in modules()}
    edges: dict[str, set[str]] = {name: set() for name in names}
    for name, imp in ALL:
        if imp.target in names and imp.target != name:
            edges[name].add(imp.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(edges[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(edges) == expected


def test_a_forbidden_import_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import grpc\nfrom crypto.keys import fold\n\ndef f():\n    import os\n")
    found = list(imports_of("liaison.crypto.bad", module))
    assert [(i.target, i.in_function) for i in found] == [
        ("grpc", False),
        ("crypto.keys", False),
        ("crypto.keys.fold", False),
        ("os", True),
    ]
