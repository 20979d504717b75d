"""Fixtures of the integration tests: per-node databases on each backend."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL_ENV, _postgres_schema

UrlFactory = Callable[[str], str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def make_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UrlFactory]:
    """Yield a factory of fresh, private database URLs (one per node) on one backend."""
    if request.param == "sqlite":
        yield lambda name: f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_URL_ENV} to run the PostgreSQL variant")
    with contextlib.ExitStack() as stack:

        def factory(name: str) -> str:
            schemas = _postgres_schema(base)
            stack.callback(schemas.close)
            return next(schemas)

        yield factory
