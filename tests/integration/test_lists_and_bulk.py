"""Lists as published, entities and bulk queries, through real federated matches.

A partner (NL) imports the UN sample list and an entity file; FR asks for
organisations, a vessel, a passport number without its country, an LEI and
a payment's UETR. Then FR's node gets a small key budget: a long file is
refused with the remedy, or split into audited queries of one case. Each
test runs on SQLite and, when enabled, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from liaison.cli.main import main
from liaison.core.errors import QuotaExceeded
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.node.codec import match_request_to_proto, match_result_from_proto
from liaison.node.input_files import parse_bytes, parse_file
from liaison.node.ledger.chain import Ledger
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.model import MatchRequest, MatchResult
from liaison.wire.status import error_from_rpc
from tests.conftest import DbUrlFactory as UrlFactory
from tests.integration.harness import RunningFederation, start_federation

AGENCIES = ("FR", "NL")
UN_SAMPLE = Path(__file__).parents[1] / "data" / "un_consolidated_sample.xml"
CASE = "CASE-2026-88"

NL_ENTITIES = b"""ref,type,full_name,country,registration_number,lei,iban,transaction
E-1,organisation,Acme Holdings AG,Germany,HRB99123,54930084UKLVMY22DS16,DE89370400440532013000,
T-1,,,,,,,eb6305c9-1f7f-49de-aed0-16487c27b42d
"""

FR_QUERY = b"""ref,type,full_name,country,registration_number,lei,imo,transaction,document_number
Q-1,organisation,Eastern Star Maritime Trading Co Ltd,North Korea,,,,,
Q-2,vessel,Sea Breeze 7,,,,IMO 9074729,,
Q-3,person,Abdul Rahman Zaher,,,,,,OR091477
Q-4,organisation,Other Name,DE,HRB 99 123,5493 00 84UKLVMY22DS16,,,
Q-5,,,,,,,EB6305C9-1F7F-49DE-AED0-16487C27B42D,
Q-6,organisation,Nobody GmbH,AT,,,,,
"""


@pytest.fixture
def federation(tmp_path: Path, make_db_url: UrlFactory) -> Iterator[RunningFederation]:
    running = start_federation(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        yield running
    finally:
        running.stop()


def match(
    running: RunningFederation, records: tuple[Record, ...], **changes: object
) -> MatchResult:
    request = MatchRequest(
        justification=Justification(CASE, "counter-terrorism", "art. 12", ""),
        records=records,
        **changes,  # type: ignore[arg-type]
    )
    reply = running.local("FR").Match(match_request_to_proto(request), timeout=60)
    return match_result_from_proto(reply)


def test_entities_of_a_published_list_match_through_a_federation(
    federation: RunningFederation,
) -> None:
    federation.import_rows("NL", "sanctions", parse_file(UN_SAMPLE, "un"))
    federation.import_rows("NL", "entities", parse_bytes(NL_ENTITIES, "csv", "entities.csv"))
    query = tuple(parse_bytes(FR_QUERY, "csv", "query.csv"))

    result = match(federation, query)

    found = {
        (partner.dataset, query[hit.row].ref): (set(hit.keys), hit.strength)
        for partner in result.results
        for hit in partner.hits
    }
    assert found == {
        ("sanctions", "Q-1"): ({"organisation"}, KeyStrength.STRONG),
        ("sanctions", "Q-2"): ({"imo"}, KeyStrength.EXACT),
        ("sanctions", "Q-3"): ({"document_number"}, KeyStrength.STRONG),
        ("entities", "Q-4"): ({"registration", "lei"}, KeyStrength.EXACT),
        ("entities", "Q-5"): ({"transaction"}, KeyStrength.EXACT),
    }


def _people(count: int) -> tuple[Record, ...]:
    return tuple(Record(ref=f"P-{n}", emails=(f"person{n}@example.org",)) for n in range(count))


def _small_budget(running: RunningFederation, max_keys: int) -> None:
    """Restart FR's node with a per-query key budget of ``max_keys``."""
    running.nodes["FR"].stop(0)
    running.node_configs["FR"] = dataclasses.replace(
        running.node_configs["FR"], max_keys_per_query=max_keys
    )
    running.start_node("FR")


def _ledger_cases(running: RunningFederation, agency: str) -> list[tuple[str, str]]:
    store = SqlLedgerStore(running.node_configs[agency].database)
    try:
        return [(e.query_id, e.case_id) for e in Ledger(store).entries() if e.direction == "served"]
    finally:
        store.close()


def test_a_file_over_the_key_budget_is_refused_with_the_remedy(
    federation: RunningFederation,
) -> None:
    _small_budget(federation, 25)
    with pytest.raises(grpc.RpcError) as refused:
        match(federation, _people(60))
    error = error_from_rpc(refused.value)
    assert isinstance(error, QuotaExceeded)
    assert "60 match keys; this node sends at most 25 per query" in str(error)
    assert "--split to send the 60 rows as 3 queries" in str(error)
    assert "at most the first 25 rows (25 keys)" in str(error)


def test_a_split_match_runs_as_audited_queries_of_one_case_with_one_result(
    federation: RunningFederation,
) -> None:
    listed = _people(60)[::3]  # rows 0, 3, ..., 57 are on NL's list
    federation.import_rows("NL", "watchlist", listed)
    _small_budget(federation, 25)

    result = match(federation, _people(60), split=True)

    assert len(result.query_ids) == 3 and result.key_count == 60
    (partner,) = result.results
    assert partner.status.value == "ok"
    assert [hit.row for hit in partner.hits] == list(range(0, 60, 3))
    assert {hit.ref for hit in partner.hits} == {record.ref for record in listed}
    # The partner served, and logged, each part as a query of the same case.
    served = _ledger_cases(federation, "NL")
    assert sorted(query_id for query_id, _ in served) == sorted(result.query_ids)
    assert {case for _, case in served} == {CASE}


def test_the_cli_shows_file_lines_names_and_labels_in_80_columns(
    federation: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    federation.import_rows("NL", "sanctions", parse_file(UN_SAMPLE, "un"))
    suspects = tmp_path / "suspects.csv"
    suspects.write_text(
        "ref,full_name,date_of_birth,document_number,document_country\n"
        "S-1,Nobody Known,1970-01-01,,\n"
        "\n"
        "S-2,Kim Song-chol,1968-03-26,654320502,North Korean\n",
        encoding="utf-8",
    )
    code = main(
        [
            "match", "--config", str(federation.node_configs["FR"].path),
            "--file", str(suspects), "--token-file", str(federation.token_file("FR")),
            "--case", CASE, "--purpose", "counter-terrorism", "--legal-basis", "test",
            "--explain",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code is None or code == 0
    hit = next(line for line in out.splitlines() if "S-2" in line)
    assert hit.split()[0] == "4"  # the line of the file, after a blank one
    assert "Kim Song-chol" in hit and "passport" in hit and len(hit) <= 80
    assert "NL/sanctions" in out and "Key kinds" in out
    assert "name + date of birth (transliterated)" in out


def test_the_cli_refuses_a_long_file_with_the_remedy_and_splits_it_when_told(
    federation: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    federation.import_rows("NL", "watchlist", _people(30)[::10])
    _small_budget(federation, 12)
    suspects = tmp_path / "suspects.csv"
    suspects.write_text(
        "ref,email\n" + "".join(f"P-{n},person{n}@example.org\n" for n in range(30)),
        encoding="utf-8",
    )
    argv = [
        "match", "--config", str(federation.node_configs["FR"].path),
        "--file", str(suspects), "--token-file", str(federation.token_file("FR")),
        "--case", CASE, "--purpose", "counter-terrorism", "--legal-basis", "test",
    ]  # fmt: skip

    assert main(argv) == 1
    assert "Run again with --split to send the 30 rows as 3 queries" in capsys.readouterr().err

    assert main([*argv, "--split"]) in (None, 0)
    out = capsys.readouterr().out
    assert "sent as 3 queries under this case" in out
    assert [line.split()[0] for line in out.splitlines() if "@" not in line and "P-" in line] == [
        "2",
        "12",
        "22",
    ]
