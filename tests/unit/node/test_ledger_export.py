"""The ledger export: written, read back, and refused when malformed."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.core.errors import (
    InvalidInput,
    ProofError,
)
from liaison.node.ledger.chain import (
    GENESIS_HASH,
    Direction,
    Ledger,
    LedgerEntry,
    chain_hash,
    verify_chain,
)
from liaison.node.ledger.export import export_jsonl, read_export
from liaison.node.ledger.sql_store import SqlLedgerStore
from tests.unit.node.ledger_support import (
    QUERY_ID,
    BrokerLog,
    Clock,
    entry,
    make_broker_log,
    record_some,
)


@pytest.fixture(scope="module")
def broker_log() -> BrokerLog:
    return make_broker_log()


@pytest.fixture
def store(db_url: str) -> Iterator[SqlLedgerStore]:
    with SqlLedgerStore(db_url) as opened:
        yield opened


def test_an_export_reads_back_as_the_same_entries(
    store: SqlLedgerStore, broker_log: BrokerLog
) -> None:
    recorded = record_some(Ledger(store, Clock()), broker_log.receipt(2))
    out = io.StringIO()

    export_jsonl("NL", store.all(), out)
    lines = out.getvalue().splitlines()
    agency, entries = read_export(io.StringIO(out.getvalue()))

    assert json.loads(lines[0]) == {"ledger": "liaison", "v": 1, "agency": "NL"}
    assert len(lines) == 1 + len(recorded)
    assert (agency, entries) == ("NL", recorded)
    verify_chain(entries)
    assert entries[1].receipt is not None
    entries[1].receipt.verify(broker_log.key.public_key(), query_id=QUERY_ID)


def test_an_operator_s_dataset_removal_is_chained_exported_and_read_back(
    store: SqlLedgerStore, broker_log: BrokerLog
) -> None:
    ledger = Ledger(store, Clock())
    record_some(ledger, broker_log.receipt(2), count=2)
    removal = ledger.record_operator(
        action="dataset removed",
        operator="ops@nl",
        subject="watchlist",
        outcome="40 records removed",
    )
    assert removal.direction is Direction.OPERATOR and removal.seq == 2
    out = io.StringIO()
    export_jsonl("NL", store.all(), out)
    _, entries = read_export(io.StringIO(out.getvalue()))
    verify_chain(entries)
    assert entries[-1] == removal


def exported(count: int = 3) -> str:
    ledger_entries: list[LedgerEntry] = []
    for seq in range(count):
        prev = ledger_entries[-1].entry_hash if ledger_entries else GENESIS_HASH
        draft = entry(seq=seq, prev_hash=prev, query_id=f"q-{seq}")
        ledger_entries.append(dataclasses.replace(draft, entry_hash=chain_hash(draft)))
    out = io.StringIO()
    export_jsonl("NL", ledger_entries, out)
    return out.getvalue()


def test_an_edited_export_still_parses_but_does_not_verify() -> None:
    lines = exported().splitlines()
    lines[2] = lines[2].replace('"key_count":3', '"key_count":4')

    _, entries = read_export(lines)

    with pytest.raises(ProofError, match="seq 1: entry_hash"):
        verify_chain(entries)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("[]\n", "line 1: not a JSON object"),
        ('{"ledger": "other", "v": 1, "agency": "NL"}', "line 1: not a Liaison"),
        ('{"ledger": "liaison", "v": 2, "agency": "NL"}', "line 1: .*version 2"),
        ('{"ledger": "liaison", "v": 1, "agency": ""}', "line 1: .*agency is empty"),
        ('{"ledger": "liaison", "v": 1}', "line 1: .*missing field agency"),
    ],
)
def test_a_malformed_export_header_is_invalid_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_export(io.StringIO(text))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"seq":1', '"seq":-1', "seq must be"),
        ('"seq":1', '"seq":true', "seq must be"),
        ('"direction":"sent"', '"direction":"up"', "direction"),
        ('"time":"2026-11-23T09:45:49.123456Z"', '"time":"2026-11-23T09:45:49Z"', "time"),
        ('"time":"2026-11-23T09:45:49.123456Z"', '"time":"2026-11-23"', "time"),
        ('"receipt":null', '"receipt":{}', "receipt: missing field"),
        ('"receipt":null', '"receipt":[]', "receipt must be an object"),
        ('"prev_hash":"', '"prev_hash":"00', "prev_hash"),
        ('"outcome":', '"extra":1,"outcome":', "unexpected"),
    ],
)
def test_a_malformed_export_entry_names_its_line(old: str, new: str, message: str) -> None:
    lines = exported().splitlines()
    assert old in lines[2]
    lines[2] = lines[2].replace(old, new, 1)

    with pytest.raises(InvalidInput, match=f"line 3: .*{message}"):
        read_export(lines)


def test_an_export_that_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(exported().encode() + b"\xff\xfe\n")

    with path.open(encoding="utf-8") as handle, pytest.raises(InvalidInput, match="UTF-8"):
        read_export(handle)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=4))
def test_random_text_raises_only_invalid_input(lines: list[str]) -> None:
    with contextlib.suppress(InvalidInput):
        read_export(lines)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_mutated_export_raises_only_invalid_input_or_proof_error(data: st.DataObject) -> None:
    text_ = exported()
    position = data.draw(st.integers(0, len(text_) - 1))
    replacement = data.draw(st.text(max_size=3))
    mutated = text_[:position] + replacement + text_[position + 1 :]
    with contextlib.suppress(InvalidInput):
        _, entries = read_export(mutated.splitlines())
        verify_chain(entries)
