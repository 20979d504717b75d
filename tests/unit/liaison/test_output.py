"""What the investigator reads: the match table and the JSON schema."""

from __future__ import annotations

from rich.console import Console

from liaison.cli import explain
from liaison.cli.output import hit_lines, match_json, print_match
from liaison.core.answers import PartnerStatus
from liaison.core.records import KeyStrength, Record
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
    for cell in ("2", "S-2", "exact", "passport"):
        assert cell in hit_line
    assert "NL/watchlist (version 3): 1 row hit" in text
    assert "1 of 2 rows matched at least one partner" in text
    status_line = next(line for line in text.splitlines() if "TR" in line)
    assert "unavailable" in status_line and "connection refused" in status_line


def test_every_hit_names_whom_to_contact_and_the_reference_to_quote() -> None:
    console = Console(record=True, width=200)
    print_match(RESULT, ROWS, console)
    text = console.export_text()
    lines = text.splitlines()
    hit = next(number for number, line in enumerate(lines) if "S-2" in line)
    heading = next(line for line in reversed(lines[:hit]) if line.startswith("NL/watchlist"))
    assert heading.endswith("; contact: NL CT desk")
    contact_line = next(line for line in text.splitlines() if "ct@nl.example" in line)
    assert "+31 70 000" in contact_line and contact_line.startswith("contact at NL/watchlist: ")
    assert f"reference for follow-ups: {'ab' * 16}" in text


def test_json_follows_schema_1() -> None:
    assert match_json(RESULT) == {
        "schema": 1,
        "query_id": "ab" * 16,
        "query_ids": [],
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
                        "line": None,
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


LONG = MatchResult(
    query_id="ef" * 16,
    key_count=90,
    results=(
        PartnerResult(
            "NL",
            "consolidated-sanctions",
            PartnerStatus.OK,
            "",
            3,
            (
                Hit(
                    0,
                    "UN-KPi.901-longer-ref",
                    ("name_date", "phone", "document"),
                    KeyStrength.EXACT,
                ),
                Hit(1, "S-2", ("name_date",), KeyStrength.STRONG),
            ),
            4,
        ),
    ),
    query_ids=("ef" * 16, "12" * 16),
)
NAMED = [
    Record(ref="UN-KPi.901-longer-ref", full_name="Abdul Rahman Mohammad Zahir al-[Afghani] bin X"),
    Record(ref="S-2", full_name="Kim Song-chol"),
]


def test_each_hit_is_one_line_of_80_columns_with_line_ref_name_and_labels() -> None:
    console = Console(record=True, width=200)
    print_match(LONG, NAMED, console, lines=[12, 40])
    text = console.export_text()
    first = next(line for line in text.splitlines() if line.lstrip().startswith("12 "))
    second = next(line for line in text.splitlines() if line.lstrip().startswith("40 "))
    assert len(first) <= 80 and len(second) <= 80
    # Truncated to fit, the name still starts as in the file; rich markup is not applied.
    assert "UN-KPi" in first and "Abdul Rahman" in first and "…" in first
    assert "passport" in first and "document" not in first
    assert "NL/consolidated-sanctions (version 3): 2 rows hit" in text
    assert "Kim Song-chol" in second and "name + date of birth (transliterated)" in second
    assert "sent as 2 queries under this case" in text and "12" * 16 in text


def test_explain_prints_what_each_key_kind_means() -> None:
    console = Console(record=True, width=200)
    print_match(LONG, NAMED, console, lines=[12, 40], explain_kinds=True)
    text = console.export_text()
    assert "Key kinds" in text
    assert all(
        len(line) <= 80
        for line in text.splitlines()
        if "Key kinds" not in line and "─" not in line and "┃" not in line and "│" not in line
    )
    for tag, kind in explain.KINDS.items():
        assert kind.label in text, tag


def test_an_unknown_key_tag_reads_as_itself() -> None:
    assert explain.labels(["name_pair_v9", "phone"]) == "phone, name pair v9"


def test_each_partner_dataset_lists_its_own_hits() -> None:
    two = MatchResult(
        query_id="ab" * 16,
        key_count=7,
        results=(
            PartnerResult("NL", "a", PartnerStatus.OK, "", 1, (Hit(0, "S-1", ("phone",)),), 1),
            PartnerResult("TR", "b", PartnerStatus.OK, "", 2, (Hit(1, "S-2", ("iban",)),), 1),
        ),
    )
    text = "\n".join(hit_lines(two, ROWS, [5, 9]))
    assert text.index("NL/a") < text.index("phone") < text.index("TR/b") < text.index("IBAN")
    assert text.count("S-1") == 1 and text.count("S-2") == 1
