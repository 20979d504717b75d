"""What the investigator reads: the match table and the JSON schema."""

from __future__ import annotations

from rich.console import Console

from liaison.cli.output import match_json, print_match
from liaison.core.answers import PartnerStatus
from liaison.core.records import Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.model import Hit, MatchResult, PartnerResult

DESK = ContactPoint(
    category="watchlist", unit="NL CT desk", phone="+31 70 000", email="ct@nl.example",
    languages=("en", "nl"), hours="24/7", time_zone="Europe/Amsterdam",
)  # fmt: skip
RESULT = MatchResult(
    query_id="ab" * 16,
    key_count=7,
    results=(
        PartnerResult(
            "NL",
            "watchlist",
            PartnerStatus.OK,
            "",
            3,
            (Hit(1, "S-2", ("document",)),),
            2,
            contact=DESK,
        ),
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


def test_every_hit_names_whom_to_contact_and_the_reference_to_quote() -> None:
    console = Console(record=True, width=200)
    print_match(RESULT, ROWS, console)
    text = console.export_text()
    hit_line = next(line for line in text.splitlines() if "S-2" in line)
    assert "NL CT desk" in hit_line
    contact_line = next(line for line in text.splitlines() if "ct@nl.example" in line)
    assert "+31 70 000" in contact_line and "ab" * 16 in contact_line
    assert f"reference for follow-ups: {'ab' * 16}" in text


def test_json_follows_schema_1() -> None:
    assert match_json(RESULT) == {
        "schema": 1,
        "query_id": "ab" * 16,
        "key_count": 7,
        "count_only": False,
        "results": [
            {
                "agency": "NL",
                "dataset": "watchlist",
                "status": "ok",
                "reason": "",
                "filter_version": 3,
                "match_count": 2,
                "contact": CONTACT_JSON,
                "hits": [
                    {
                        "row": 1,
                        "ref": "S-2",
                        "keys": ["document"],
                        "strength": "exact",
                        "contact": CONTACT_JSON,
                        "reference": "ab" * 16,
                    }
                ],
            },
            {
                "agency": "TR",
                "dataset": "*",
                "status": "unavailable",
                "reason": "connection refused",
                "filter_version": 0,
                "match_count": 0,
                "contact": None,
                "hits": [],
            },
        ],
    }


CONTACT_JSON = {
    "category": "watchlist", "unit": "NL CT desk", "role": "", "phone": "+31 70 000",
    "email": "ct@nl.example", "languages": ["en", "nl"], "hours": "24/7",
    "time_zone": "Europe/Amsterdam",
}  # fmt: skip


COUNTS = MatchResult(
    query_id="cd" * 16,
    key_count=9,
    results=(
        PartnerResult("NL", "watchlist", PartnerStatus.OK, "", 3, match_count=4),
        PartnerResult("TR", "people", PartnerStatus.REFUSED, "the agreement allows only counts"),
    ),
    count_only=True,
)


def test_a_count_only_table_shows_counts_per_partner_dataset_and_no_hit() -> None:
    console = Console(record=True, width=120)
    print_match(COUNTS, ROWS, console)
    text = console.export_text()
    assert "(count only)" in text and "Hits" not in text
    nl = next(line for line in text.splitlines() if "NL" in line)
    assert "watchlist" in nl and " 4 " in nl
    tr = next(line for line in text.splitlines() if "TR" in line)
    assert "refused" in tr and "only counts" in tr


def test_count_only_json_carries_the_counts() -> None:
    document = match_json(COUNTS)
    assert document["count_only"] is True
    assert [(r["agency"], r["match_count"], r["hits"]) for r in document["results"]] == [
        ("NL", 4, []),
        ("TR", 0, []),
    ]
