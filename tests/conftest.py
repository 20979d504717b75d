"""Fixtures shared by every test package: private databases on each backend.

A test that takes ``db_url`` or ``make_db_url`` runs once per backend:

- ``[sqlite]``: files in the test's ``tmp_path``; always runs.
- ``[postgres]``: fresh schemas in the PostgreSQL database named by the
  environment variable ``LIAISON_TEST_POSTGRES_URL`` (for example
  ``postgresql+psycopg://postgres@/test?host=/var/run/postgresql``), reached
  through ``search_path`` and dropped at teardown; skipped when the variable
  is unset, and marked ``postgres`` so that ``-m "not postgres"`` deselects it.

Close every engine or store opened on these URLs before the test ends: a
PostgreSQL schema is dropped at teardown.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "LIAISON_TEST_POSTGRES_URL"

# Wall-clock limits make property tests flaky on a loaded 2-core machine (CI
# runs beside the PostgreSQL server): keep every check of correctness, drop
# only the timing ones. Speed is measured in `make bench`, never in tests.
settings.register_profile("liaison", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("liaison")

#: Returns the URL of a new empty database for the given name (one per node, say).
DbUrlFactory = Callable[[str], str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request: pytest.FixtureRequest) -> str:
    """Return "sqlite" or "postgres"; skips the latter when it is not configured."""
    backend: str = request.param
    if backend == "postgres" and not os.environ.get(POSTGRES_URL_ENV):
        pytest.skip(f"set {POSTGRES_URL_ENV} to run the PostgreSQL variant")
    return backend


@pytest.fixture
def make_db_url(db_backend: str, tmp_path: Path) -> Iterator[DbUrlFactory]:
    """Yield a factory of empty, private database URLs on the test's backend.

    Each call with a new name gives a new database (SQLite file or
    PostgreSQL schema); calling again with the same name on SQLite returns
    the same file.
    """
    if db_backend == "sqlite":
        yield lambda name: f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    base = os.environ[POSTGRES_URL_ENV]
    with contextlib.ExitStack() as stack:
        yield lambda name: stack.enter_context(postgres_schema(base))


@pytest.fixture
def db_url(make_db_url: DbUrlFactory) -> str:
    """Return the URL of one empty database that only this test uses."""
    return make_db_url("liaison")


@contextlib.contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """Create a throwaway schema, yield a URL that uses it, drop it afterwards.

    A schema rather than a database: creating one takes milliseconds, and
    pointing ``search_path`` at it keeps the code under test unaware of it.
    """
    schema = f"liaison_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            # Fail rather than hang if a test left a transaction open on it.
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _postgres_schema(base: str) -> Iterator[str]:
    """Generator form of :func:`postgres_schema` (``next`` creates, ``close`` drops).

    Kept for ``tests/integration/conftest.py``; new code should use the
    ``make_db_url`` fixture or :func:`postgres_schema`.
    """
    with postgres_schema(base) as url:
        yield url


#: Where the browser tests save their screenshots (gitignored).
BROWSER_ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the browser tests' screenshots are, when any were taken."""
    if BROWSER_ARTIFACTS.is_dir() and any(BROWSER_ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {BROWSER_ARTIFACTS}")
