"""The Makefile builds with a supported interpreter it finds, or says which one it needs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def interpreter(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def make_python(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": str(path)}
    env.pop("PYTHON", None)
    return subprocess.run(
        [str(MAKE), "--no-print-directory", "-C", str(ROOT), "python"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_newest_supported_interpreter_on_the_path_is_taken(tmp_path: Path) -> None:
    # python3.13 here is too old (its version check fails); python3.12 is this test's.
    interpreter(tmp_path, "python3.13", "exit 1")
    interpreter(tmp_path, "python3.12", f'exec "{sys.executable}" "$@"')
    interpreter(tmp_path, "python3", f'exec "{sys.executable}" "$@"')
    done = make_python(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("python3.12: Python 3.1")


def test_without_a_supported_interpreter_it_says_which_it_needs(tmp_path: Path) -> None:
    interpreter(tmp_path, "python3", "exit 1")
    done = make_python(tmp_path)
    assert done.returncode != 0
    assert "Liaison needs Python 3.11, 3.12 or 3.13" in done.stderr
    assert "make PYTHON=/path/to/python3.X" in done.stderr
