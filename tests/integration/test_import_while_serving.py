"""A partner answers from its previous version while an import runs (real servers, mTLS).

The import is held on an event in the middle of its file, its first batches
committed to the staging tables: NL's answers (which write its replay guard
and ledger, on SQLite too) still come back ok, from the version before the
import, and match ALICE, whom the import deletes; once the import returns,
the next answer is from the new version and ALICE matches nothing
(``docs/storage.md``, "Versions, imports and their guarantees").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison.core.records import Record
from liaison.node import sql_import
from liaison.node.server import open_datasets
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation
from tests.integration.test_deletions_stay_deleted import ALICE, BOB, DATASET, ask, fetch, hits

AGENCIES = ("FR", "NL")
WAIT_S = 60.0


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        running.import_rows("NL", DATASET, [ALICE, BOB])
        yield running
    finally:
        running.stop()


def test_answers_come_from_the_previous_version_during_an_import(
    federation: RunningFederation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_import, "BATCH_SIZE", 5)
    before = ask(federation)
    staged = threading.Event()
    release = threading.Event()

    def rows() -> Iterator[Record]:
        yield BOB
        for i in range(12):
            yield Record(ref=f"n{i}", emails=(f"n{i}@example.org",))
            if i == 10:  # two batches staged and committed, the import still reading
                staged.set()
                assert release.wait(WAIT_S)

    store, datasets = open_datasets(federation.node_configs["NL"])
    importing = threading.Thread(
        target=lambda: datasets.import_records(DATASET, rows(), replace=True)
    )
    importing.start()
    try:
        assert staged.wait(WAIT_S)
        during = ask(federation)
        assert during.answer.filter_version == before.answer.filter_version
        assert hits(during, fetch(federation, during, during.answer.filter_version)) > 0
    finally:
        release.set()
        importing.join(WAIT_S)
        store.close()

    after = ask(federation)
    assert after.answer.filter_version == before.answer.filter_version + 1
    assert hits(after, fetch(federation, after, after.answer.filter_version)) == 0
