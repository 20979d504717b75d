"""What the broker writes about queries and directory changes."""

from __future__ import annotations

from datetime import UTC, datetime

from liaison.broker.audit.events import (
    answered_events,
    directory_events,
    directory_from_log,
    submitted_event,
    target_labels,
)
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.audit import EntryKind
from tests.query_support import make_query, target

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ENVELOPE = make_query(
    query_id="ab" * 16,
    targets=(target("NL", "watchlist", "passports"), target("TR")),
    key_count=12,
    issued_at=datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=UTC),
    expires_at=datetime(1970, 1, 1, 0, 0, 0, 2000, tzinfo=UTC),
)


def test_targets_name_each_dataset_or_all() -> None:
    assert target_labels(ENVELOPE) == ("NL:watchlist", "NL:passports", "TR:*")


def test_submitted_entry_holds_metadata_only() -> None:
    event = submitted_event(ENVELOPE, NOW)
    assert event.kind is EntryKind.QUERY_SUBMITTED
    assert event.fields["key_count"] == 12 and event.fields["payload_digest"] == "00" * 32
    assert (event.fields["issued_at_ms"], event.fields["expires_at_ms"]) == (1, 2)
    assert set(event.fields) == {
        "query_id", "requesting_agency", "investigator_id", "case_id", "purpose",
        "legal_basis", "targets", "key_count", "payload_digest", "issued_at_ms", "expires_at_ms",
    }  # fmt: skip


def test_answers_then_completion() -> None:
    answers = [
        DatasetAnswer("NL", "watchlist", PartnerStatus.OK, filter_version=3, psi_response=b"x"),
        DatasetAnswer("TR", "*", PartnerStatus.TIMEOUT, "no answer in time"),
    ]
    events = answered_events(ENVELOPE, answers, NOW)
    assert [e.kind for e in events] == [
        EntryKind.PARTNER_ANSWERED,
        EntryKind.PARTNER_ANSWERED,
        EntryKind.QUERY_COMPLETED,
    ]
    assert events[1].fields["status"] == "timeout"
    assert (events[2].fields["answers"], events[2].fields["ok"]) == (2, 1)


def test_an_ok_answer_records_its_key_epoch_and_others_none() -> None:
    answers = [
        DatasetAnswer("NL", "watchlist", PartnerStatus.OK, filter_version=3, key_epoch=2),
        DatasetAnswer("NL", "passports", PartnerStatus.REFUSED, "no", key_epoch=5),
        DatasetAnswer("TR", "*", PartnerStatus.OK, filter_version=1),
    ]
    ok, refused, undeclared, _ = answered_events(ENVELOPE, answers, NOW)
    assert ok.fields["key_epoch"] == 2
    assert "key_epoch" not in refused.fields
    assert "key_epoch" not in undeclared.fields


def test_directory_changes_replay_to_the_current_directory() -> None:
    before = {"FR": "h:1", "NL": "h:2"}
    after = {"FR": "h:1", "NL": "h:9", "TR": "h:3"}
    first = directory_events({}, before, NOW)
    changes = directory_events(before, after, NOW)
    assert [(e.kind.value, e.fields["agency"]) for e in changes] == [
        ("participant_admitted", "NL"),
        ("participant_admitted", "TR"),
    ]
    removal = directory_events(after, {"FR": "h:1"}, NOW)
    assert [(e.kind.value, e.fields["agency"]) for e in removal] == [
        ("participant_removed", "NL"),
        ("participant_removed", "TR"),
    ]
    assert directory_from_log([*first, None, *changes]) == after
    assert directory_from_log([*first, *changes, *removal]) == {"FR": "h:1"}
