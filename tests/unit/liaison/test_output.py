"""What the investigator reads: the match table and the JSON schema."""

from __future__ import annotations

from rich.console import Console

from liaison.cli.output import match_json, print_match
from liaison.core.answers import PartnerStatus
from liaison.core.records import Record
from liaison.node.model import Hit, MatchResult, PartnerResult

RESULT = MatchResult(
    query_id="ab" * 16,
    key_count=7,
    results=(
        PartnerResult("NL", "watchlist", PartnerStatus.OK, "", 3, (Hit(1, "S-2", ("document",)),)),
        PartnerResult("TR", "*", PartnerStatus.UNAVAILABLE, "connection refused"),
    ),
)
ROWS = [Record(ref="S-1"), Record(ref="S-2")]


def test_table_names_row_partner_dataset_and_key_kinds() -> None:
    console = Console(record=True, width=120)
    print_match(RESULT, ROWS, console)
    text = console.export_text()
    hit_line = next(line for line in text.splitlines() if "S-2" in line)
    for cell in ("1", "S-2", "NL", "watchlist", "document"):
        assert cell in hit_line
    assert "1 of 2 rows matched at least one partner" in text
    status_line = next(line for line in text.splitlines() if "TR" in line)
    assert "unavailable" in status_line and "connection refused" in status_line


def test_json_follows_schema_1() -> None:
    assert match_json(RESULT) == {
        "schema": 1,
        "query_id": "ab" * 16,
        "key_count": 7,
        "results": [
            {
                "agency": "NL",
                "dataset": "watchlist",
                "status": "ok",
                "reason": "",
                "filter_version": 3,
                "hits": [{"row": 1, "ref": "S-2", "keys": ["document"], "strength": "exact"}],
            },
            {
                "agency": "TR",
                "dataset": "*",
                "status": "unavailable",
                "reason": "connection refused",
                "filter_version": 0,
                "hits": [],
            },
        ],
    }
