"""Our import names cannot be shadowed, and a plain (non-editable) install works.

PyPI's ``crypto`` and Google's proto-plus (imported as ``proto``) share names
with the design card's folders ``crypto/`` and ``proto/``; so may anything an
operator has on ``PYTHONPATH``. Everything of ours imports as ``liaison.*``,
so such packages can sit first on the path and nothing changes. The checks
run in fresh interpreters started outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What a copy of the source for building leaves behind.
NOT_SOURCE = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")
#: What a fresh interpreter imports and prints: where each package came from.
PROBE = (
    "import liaison.cli.main, liaison.crypto.keys, liaison.node.server, liaison.broker.server, "
    "liaison.v1.common_pb2, Crypto.Cipher.AES\n"
    "for m in (liaison.crypto.keys, liaison.node.server, liaison.broker.server, "
    "liaison.v1.common_pb2): print(m.__file__)\n"
)


@pytest.fixture
def shadows(tmp_path: Path) -> Path:
    """A folder of packages named like ours that refuse to be imported."""
    folder = tmp_path / "shadows"
    for name in ("crypto", "proto", "node", "broker"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(
            f"raise ImportError('the shadowing {name} package was imported')\n"
        )
    return folder


def run_probe(python: Path | str, cwd: Path, shadows: Path) -> list[Path]:
    """Run the probe with ``shadows`` first on the path; return the files it imported."""
    env = {**os.environ, "PYTHONPATH": str(shadows)}
    # -P: the current folder is not put on the path (it is not the checkout anyway).
    done = subprocess.run(
        [str(python), "-P", "-c", PROBE],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [Path(line) for line in done.stdout.splitlines()]


def test_shadowing_packages_on_the_path_do_not_replace_ours(tmp_path: Path, shadows: Path) -> None:
    files = run_probe(sys.executable, tmp_path, shadows)
    assert len(files) == 4
    for file in files:
        assert file.resolve().is_relative_to(ROOT), file


def test_a_non_editable_install_works_in_a_fresh_virtualenv(tmp_path: Path, shadows: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    # The dependencies (and pip) come from this test run's environment, read-only;
    # its own editable install of Liaison is a .pth hook there, which is not run.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # Built from a copy: setuptools builds in the source tree, and a build/ folder
    # left there would carry stale modules into the next wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", str(source)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    files = run_probe(python, tmp_path, shadows)
    assert len(files) == 4
    for file in files:
        assert file.is_relative_to(site), file
        assert not file.resolve().is_relative_to(ROOT), file
    # The generated contract ships with its stubs, and the package says it is typed.
    assert (site / "liaison" / "v1" / "common_pb2.pyi").exists()
    assert (site / "liaison" / "py.typed").exists()
    # The schema migrations ship: a new database is created from them.
    migrations = site / "liaison" / "storage" / "migrations"
    assert (migrations / "node" / "v0001_baseline.py").exists()
    assert (migrations / "broker" / "v0001_baseline.py").exists()
    version = subprocess.run(
        [str(venv / "bin" / "liaison"), "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip().endswith("0.1.0")
