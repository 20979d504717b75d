"""Finding 4 of issue 8 (deletion undone), performed against real servers.

The attacker is the requesting agency FR, talking to the broker over mutual
TLS with its own node certificate, as a modified node would. Before this
change, NL served filter v1 while v2 was current, and a fresh answer checked
against a filter kept from before a deletion still matched, since NL's PSI
server key never changed. Now an old version is refused (NOT_FOUND), and
after NL's key moves to a new epoch (at the deleting import with
``key_rotation = "on-change"``, or by ``liaison node rotate-key``) a kept
filter finds nothing. ``docs/epochs.md`` describes the window in between.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from liaison.cli.main import main
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v3
from liaison.node.server import open_datasets
from liaison.v1 import broker_pb2, common_pb2, node_pb2
from liaison.wire.chunks import join_filter_chunks
from liaison.wire.common_codec import answer_from_proto
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, start_federation

AGENCIES = ("FR", "NL")
DATASET = "persons"
ALICE = Record(
    ref="p1", full_name="Alice Martin", date_of_birth="1980-02-03", phones=("+33612345678",)
)
BOB = Record(ref="p2", full_name="Bob Dupont", date_of_birth="1975-06-07", phones=("+33698765432",))
ITEMS = sorted({key.value for key in derive_keys_v3(ALICE)})


@pytest.fixture
def federation(tmp_path: Path, make_db_url: DbUrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        running.import_rows("NL", DATASET, [ALICE, BOB])
        yield running
    finally:
        running.stop()


@dataclasses.dataclass
class Asked:
    """One query of the attacker: its signed envelope, PSI client and NL's answer."""

    query: common_pb2.SignedQuery
    client: psi.PsiClient
    answer: DatasetAnswer


def ask(federation: RunningFederation) -> Asked:
    """Submit a query for ALICE's keys to NL, as FR, through the broker."""
    client = psi.PsiClient()
    request = client.request(ITEMS)
    query = federation.signed_query("FR", ["NL"], request, key_count=len(ITEMS))
    reply = federation.broker_stub("FR").Submit(
        broker_pb2.SubmitRequest(query=query, psi_request=request), timeout=30
    )
    (answer,) = [answer_from_proto(a) for a in reply.answers]
    assert answer.status is PartnerStatus.OK, answer.reason
    return Asked(query, client, answer)


def fetch(federation: RunningFederation, asked: Asked, version: int) -> bytes:
    chunks = federation.broker_stub("FR").FetchFilter(
        broker_pb2.FetchFilterRequest(
            query=asked.query, agency="NL", dataset=DATASET, filter_version=version
        ),
        timeout=30,
    )
    return join_filter_chunks(chunks, max_bytes=64 * 1024 * 1024)


def hits(asked: Asked, setup: bytes) -> int:
    return len(asked.client.intersect(setup, asked.answer.psi_response, request_items=len(ITEMS)))


def delete_alice(federation: RunningFederation, *, on_change: bool) -> None:
    config = dataclasses.replace(federation.node_configs["NL"], rotate_key_on_change=on_change)
    store, datasets = open_datasets(config)
    try:
        datasets.import_records(DATASET, [BOB], replace=True)
    finally:
        store.close()


def test_a_filter_version_that_is_not_current_is_refused(federation: RunningFederation) -> None:
    before = ask(federation)
    kept = fetch(federation, before, before.answer.filter_version)
    assert hits(before, kept) == len(ITEMS)
    delete_alice(federation, on_change=False)

    after = ask(federation)
    assert after.answer.filter_version == before.answer.filter_version + 1
    with pytest.raises(grpc.RpcError) as refused:
        fetch(federation, after, before.answer.filter_version)

    assert refused.value.code() is grpc.StatusCode.NOT_FOUND
    assert "not the current one" in (refused.value.details() or "")
    assert hits(after, fetch(federation, ask(federation), after.answer.filter_version)) == 0


def test_a_kept_filter_finds_nothing_once_a_deletion_rotated_the_key(
    federation: RunningFederation,
) -> None:
    before = ask(federation)
    kept = fetch(federation, before, before.answer.filter_version)
    delete_alice(federation, on_change=True)

    after = ask(federation)

    assert hits(after, kept) == 0
    assert after.answer.filter_version == before.answer.filter_version + 2  # import, rotation


def test_a_kept_filter_finds_nothing_after_rotate_key(federation: RunningFederation) -> None:
    before = ask(federation)
    kept = fetch(federation, before, before.answer.filter_version)
    delete_alice(federation, on_change=False)
    # Within the window (no rotation yet) the kept filter still matches.
    assert hits(ask(federation), kept) == len(ITEMS)

    rotated = subprocess.run(
        [
            sys.executable,
            "-m",
            "liaison",
            "node",
            "rotate-key",
            "--config",
            str(federation.node_configs["NL"].path),
            "--dataset",
            DATASET,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "key epoch 1" in rotated.stdout

    after = ask(federation)
    assert hits(after, kept) == 0
    assert hits(after, fetch(federation, after, after.answer.filter_version)) == 0
    listed = federation.local("NL").ListDatasets(node_pb2.ListDatasetsRequest(), timeout=10)
    assert [(d.name, d.key_epoch, d.filter_version) for d in listed.datasets] == [
        (DATASET, 1, after.answer.filter_version)
    ]


def test_rotate_key_does_not_start_a_rotation_already_in_progress(
    federation: RunningFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    config = federation.node_configs["NL"]
    store, _ = open_datasets(config)
    try:
        # Another process (the node server, say) is building the next epoch.
        now = datetime.now(UTC)
        assert store.claim_rotation(DATASET, "other", now=now, until=now + timedelta(hours=1))
        args = ["node", "rotate-key", "--config", str(config.path), "--dataset", DATASET]

        assert main(args) == 1
        assert "in progress already" in capsys.readouterr().err
        assert [e.epoch for e in store.key_epochs(DATASET)] == [0]

        store.release_rotation(DATASET, "other")
        assert main(args) == 0
        assert "key epoch 1" in capsys.readouterr().out
    finally:
        store.close()
