"""``keys evaluate``: readers, rates, the plaintext anchor, report rendering, the regression guard.

The vendored samples (tests/data/name_matching, MIT and Apache-2.0; the OFAC
list in tests/data/watchlists, public domain) hold key spec v3 to the targets
of docs/matching.md, measured against the plaintext anchor: a change that
lowers recall below the anchor's or raises false matches past them fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import KeyStrength, Record
from liaison.tools.anchor import anchor_match
from liaison.tools.evaluate import (
    KEY_SPECS,
    evaluate,
    pair_strength,
    population_rates,
    render_json,
    render_table,
)
from liaison.tools.pair_sets import (
    NAMES_ONLY_DATE,
    detect_format,
    read_ofac_aliases,
    read_yente,
)

SAMPLES = Path(__file__).parents[1] / "data" / "name_matching"
YENTE = SAMPLES / "yente_positives_un_untreated.csv"
NOMENKLATURA = SAMPLES / "nomenklatura_name_bench_cases.csv"
WATCHMAN = SAMPLES / "watchman_cross_script_pairs.csv"
OFAC = Path(__file__).parents[1] / "data" / "watchlists" / "ofac_consolidated_nonsdn_2024-05-06.xml"


def test_yente_recall_on_unaltered_dates_meets_the_anchor() -> None:
    report = evaluate(YENTE, population=0)

    assert report.fmt == "yente" and report.key_spec == "3"
    assert report.recall.pairs + report.set_aside.pairs == 300
    recall = report.recall.rate(KeyStrength.FUZZY)
    assert recall is not None and recall >= 0.95
    ratio = report.recall.ratio(KeyStrength.FUZZY)
    assert ratio is not None and ratio >= 1.0
    rate = report.false_match.rate(KeyStrength.FUZZY)
    assert rate is not None and rate <= 1e-4


def test_ofac_alias_recall_beats_the_anchor_and_no_decoy_is_strong() -> None:
    report = evaluate(OFAC, population=0)

    assert report.fmt == "ofac-xml"
    assert report.recall.pairs == 83 and report.decoys.pairs == 74
    ratio = report.recall.ratio(KeyStrength.FUZZY)
    assert ratio is not None and ratio >= 1.0
    assert report.decoys.at_least[KeyStrength.STRONG] == 0
    assert report.false_match.at_least[KeyStrength.STRONG] == 0
    rate = report.false_match.rate(KeyStrength.FUZZY)
    assert rate is not None and rate <= 1e-3


def test_key_spec_v2_stays_measurable_and_finds_less_on_the_ofac_aliases() -> None:
    v2 = evaluate(OFAC, population=0, key_spec="2")
    v3 = evaluate(OFAC, population=0)

    assert v2.key_spec == "2" and set(KEY_SPECS) == {"2", "3"}
    assert v2.recall.at_least[KeyStrength.FUZZY] < v3.recall.at_least[KeyStrength.FUZZY]
    assert v2.recall.anchor == v3.recall.anchor


def test_ofac_alias_pairs_query_each_alias_against_the_listed_name() -> None:
    pairs = read_ofac_aliases(OFAC)
    query, listed = pairs.should_match[0]

    assert (query.full_name, listed.full_name) == ("Ismail HANIYA", "Ismail Abdul Salah HANIYA")
    assert query.date_of_birth == listed.date_of_birth == "1962"
    decoy, target = pairs.decoys[0]
    assert decoy.full_name == target.full_name and decoy.date_of_birth != target.date_of_birth


def test_nomenklatura_false_match_rate_meets_the_target() -> None:
    report = evaluate(NOMENKLATURA, population=0)

    assert report.false_match.pairs > 400
    rate = report.false_match.rate(KeyStrength.FUZZY)
    assert rate is not None and rate <= 0.02


def test_random_distinct_people_almost_never_share_a_key() -> None:
    rates = population_rates(4000, seed=3)

    assert rates.pairs == 4000 * 3999 // 2
    assert rates.anchor is not None
    rate = rates.rate(KeyStrength.FUZZY)
    assert rate is not None and rate <= 1e-5
    assert rates.at_least[KeyStrength.EXACT] == 0


def test_cross_script_sample_finds_the_cyrillic_pairs() -> None:
    report = evaluate(WATCHMAN, population=0)

    assert report.recall.pairs == 22
    assert report.recall.at_least[KeyStrength.STRONG] >= 2


def test_yente_rows_pair_by_position_and_altered_dates_are_set_aside(tmp_path: Path) -> None:
    header = "full_name,date_of_birth\n"
    (tmp_path / "x_untreated.csv").write_text(header + "ABDUL BARI,1953\nJAN AGHA,1958\nLI,\n")
    (tmp_path / "x_treated.csv").write_text(header + "ADBUL BARI,1953\nJAN AGHA,1959\nLI,\n")
    pairs = read_yente(tmp_path / "x_untreated.csv")

    assert [(a.full_name, b.full_name) for a, b in pairs.should_match] == [
        ("ABDUL BARI", "ADBUL BARI"),
        ("LI", "LI"),
    ]
    assert pairs.should_match[1][0].date_of_birth == NAMES_ONLY_DATE
    assert [(a.date_of_birth, b.date_of_birth) for a, b in pairs.set_aside] == [("1958", "1959")]


def test_yente_files_of_different_lengths_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x_untreated.csv").write_text("full_name,date_of_birth\nA B,1953\n")
    (tmp_path / "x_treated.csv").write_text("full_name,date_of_birth\n")

    with pytest.raises(InvalidInput, match="rows"):
        read_yente(tmp_path / "x_untreated.csv")


def test_own_pairs_format_counts_recall_and_false_matches(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "name1,name2,is_match,date_of_birth1,date_of_birth2\n"
        "Mohammed Hassan,Muhammad Hassan,true,1970,1970-02-03\n"
        "Ahmed Ali,Ali Ahmed,true,1980-03-05,1980-03-05\n"
        "Olaf Scholz,Octavian Scholz,false,1958,1958\n"
    )
    report = evaluate(path, "pairs", population=0)

    assert report.recall.at_least == {
        KeyStrength.EXACT: 1,
        KeyStrength.STRONG: 1,
        KeyStrength.FUZZY: 2,
    }
    assert report.false_match.at_least[KeyStrength.FUZZY] == 0


def test_malformed_pairs_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name1,name2,is_match\nA,B,maybe\n")

    with pytest.raises(InvalidInput, match="line 2: is_match"):
        evaluate(path, "pairs", population=0)


def test_unknown_format_and_unknown_name_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown pairs format"):
        evaluate(tmp_path / "x.csv", "xml", population=0)
    with pytest.raises(InvalidInput, match="unknown key spec"):
        evaluate(tmp_path / "x.csv", "pairs", population=0, key_spec="9")
    with pytest.raises(InvalidInput, match="cannot tell"):
        detect_format(tmp_path / "x.csv")


def test_the_report_renders_as_a_table_and_as_json() -> None:
    report = evaluate(WATCHMAN, population=200)
    table = render_table(report)
    data = json.loads(render_json(report))

    assert table.splitlines()[1].split() == [
        "at",
        "least",
        "recall",
        "false",
        "match",
        "decoys",
        "set",
        "aside",
        "population",
    ]
    assert [line.split()[0] for line in table.splitlines()[5:7]] == ["anchor", "any/anchor"]
    assert data["schema"] == 2 and data["format"] == "cross-script" and data["key_spec"] == "3"
    assert data["recall"]["pairs"] == 22
    assert set(data["recall"]) == {"pairs", "anchor", "exact", "strong", "fuzzy"}
    assert set(data["recall"]["fuzzy"]) == {"count", "rate", "ratio"}
    assert data["population"]["people"] == 200


def test_pair_strength_of_two_identities() -> None:
    one = Record("a", full_name="Vladimir Putin", date_of_birth="1952-10-07")
    other = Record("b", full_name="Владимир Путин", date_of_birth="1952-10-07")

    assert pair_strength(one, other) is KeyStrength.STRONG


def test_the_anchor_needs_the_same_date_and_a_close_token_set() -> None:
    listed = Record("l", full_name="Ismail Abdul Salah HANIYA", date_of_birth="1962")

    assert anchor_match(Record("q", full_name="ismail haniya", date_of_birth="1962"), listed)
    assert not anchor_match(Record("q", full_name="Ismail HANIYA", date_of_birth="1963"), listed)
    assert not anchor_match(Record("q", full_name="Ismaeel HANIYYA", date_of_birth="1962"), listed)
    assert not anchor_match(Record("q", full_name="Ismail HANIYA"), Record("l", "Ismail HANIYA"))
