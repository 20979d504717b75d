"""The committed generated code is exactly what the .proto files generate.

Also settles the name clashes of the flat layout: our ``crypto`` package and
pycryptodome's ``Crypto``, and our ``proto`` package and Google's proto-plus,
must resolve to different files (see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from proto.generate import PROTO_DIR, ROOT, generate


def test_committed_stubs_match_the_proto_files(tmp_path: Path) -> None:
    generate(tmp_path)
    generated = sorted((tmp_path / "proto" / "liaison" / "v1").glob("*_pb2*"))
    assert generated, "protoc produced nothing"
    for path in generated:
        committed = PROTO_DIR / path.name
        assert committed.exists(), f"{path.name} is not committed"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} drifted: run make proto"
    committed_names = {p.name for p in PROTO_DIR.glob("*_pb2*")}
    assert committed_names == {p.name for p in generated}


def test_crypto_and_pycryptodome_are_different_packages() -> None:
    ours = importlib.import_module("crypto")
    theirs = importlib.import_module("Crypto")
    assert ours.__file__ is not None and theirs.__file__ is not None
    assert Path(ours.__file__).resolve() == ROOT / "crypto" / "__init__.py"
    assert Path(theirs.__file__).resolve() != Path(ours.__file__).resolve()


def test_proto_is_our_package() -> None:
    module = importlib.import_module("proto")
    assert module.__file__ is not None
    assert Path(module.__file__).resolve() == ROOT / "proto" / "__init__.py"


@pytest.mark.parametrize("name", ["common", "node", "broker"])
def test_every_service_file_has_typed_stubs(name: str) -> None:
    assert (PROTO_DIR / f"{name}_pb2.pyi").exists()
    assert (PROTO_DIR / f"{name}_pb2_grpc.pyi").exists()
