"""Regenerate the Python code of the wire contract.

Usage: ``python proto/generate.py [OUT_DIR]``. Writes ``*_pb2.py``, ``*_pb2.pyi``
and ``*_pb2_grpc.py(i)`` for every ``.proto`` under ``proto/liaison/v1`` into
``OUT_DIR/liaison/v1`` (default OUT_DIR: ``proto/``, beside the ``.proto`` files).
The include root is ``proto/``, so the files are named ``liaison/v1/*.proto``
and the generated code imports ``liaison.v1``: the Python package of the
contract is its protobuf package (``liaison/v1`` links to ``proto/liaison/v1``).
A test regenerates into a temporary folder and compares bytes, so the
committed stubs cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
INCLUDE_ROOT = ROOT / "proto"
PROTO_DIR = INCLUDE_ROOT / "liaison" / "v1"


def generate(out_dir: Path) -> None:
    """Run protoc with the grpc and mypy-protobuf plugins into ``out_dir``.

    Raises:
        RuntimeError: protoc reported an error.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(str(p.relative_to(INCLUDE_ROOT)) for p in PROTO_DIR.glob("*.proto"))
    include = str(Path(protoc.__file__).parent / "_proto")
    bindir = Path(sys.executable).parent
    args = [
        "protoc",
        f"--plugin=protoc-gen-mypy={bindir / 'protoc-gen-mypy'}",
        f"--plugin=protoc-gen-mypy_grpc={bindir / 'protoc-gen-mypy_grpc'}",
        f"-I{INCLUDE_ROOT}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--mypy_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        f"--mypy_grpc_out={out_dir}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed")


def main() -> None:
    """Generate into the given folder, or in place."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else INCLUDE_ROOT
    generate(target)


if __name__ == "__main__":
    main()
