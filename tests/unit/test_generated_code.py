"""The committed generated code is exactly what the .proto files generate."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    # proto/generate.py is a script of the proto/ folder, not part of the package.
    spec = importlib.util.spec_from_file_location(
        "liaison_proto_generate", ROOT / "proto" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GENERATE = _generator()
PROTO_DIR: Path = GENERATE.PROTO_DIR


def test_committed_stubs_match_the_proto_files(tmp_path: Path) -> None:
    GENERATE.generate(tmp_path)
    generated = sorted((tmp_path / "liaison" / "v1").glob("*_pb2*"))
    assert generated, "protoc produced nothing"
    for path in generated:
        committed = PROTO_DIR / path.name
        assert committed.exists(), f"{path.name} is not committed"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} drifted: run make proto"
    committed_names = {p.name for p in PROTO_DIR.glob("*_pb2*")}
    assert committed_names == {p.name for p in generated}


def test_the_contract_package_is_the_proto_folder() -> None:
    module = importlib.import_module("liaison.v1.common_pb2")
    assert module.__file__ is not None
    assert Path(module.__file__).resolve() == PROTO_DIR / "common_pb2.py"


@pytest.mark.parametrize("name", ["common", "node", "broker"])
def test_every_service_file_has_typed_stubs(name: str) -> None:
    assert (PROTO_DIR / f"{name}_pb2.pyi").exists()
    assert (PROTO_DIR / f"{name}_pb2_grpc.pyi").exists()
