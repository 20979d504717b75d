"""The audit log's vocabulary: kinds, field schemas, event checks, millisecond times."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from liaison.core import audit, audit_events
from liaison.core.audit import AuditEvent, EntryKind
from liaison.core.errors import InvalidInput
from tests.audit_support import EXAMPLES, T0, vector_event


def test_kinds_are_exactly_those_of_the_design() -> None:
    assert {kind.value for kind in EntryKind} == {
        "query_submitted",
        "partner_answered",
        "query_completed",
        "policy_denial",
        "participant_admitted",
        "participant_removed",
        "log_access",
        "erasure",
        "ledger_checkpoint",
        "fishing_alert",
        "followup",
    }
    assert set(audit.SCHEMAS) == set(EntryKind) == set(EXAMPLES)


def test_schemas_match_the_design() -> None:
    ints = {name for schema in audit.SCHEMAS.values() for name, t in schema.items() if t == "int"}
    assert ints == {
        "key_count",
        "issued_at_ms",
        "expires_at_ms",
        "filter_version",
        "answers",
        "ok",
        "first_index",
        "last_index",
        "count",
        "before_ms",
        "size",
        "allowed",
        "used",
        "asked",
        "suppressed",
        "sent_at_ms",
        "deadline_ms",
    }
    texts = [
        name for schema in audit.SCHEMAS.values() for name, t in schema.items() if t == "texts"
    ]
    assert texts == ["targets"]
    assert set(audit.SCHEMAS[EntryKind.PARTNER_ANSWERED]) == {
        "query_id",
        "agency",
        "dataset",
        "status",
        "reason",
        "filter_version",
    }


@pytest.mark.parametrize("kind", list(EntryKind))
def test_every_kind_has_its_schema_fields(kind: EntryKind) -> None:
    event = EXAMPLES[kind]
    assert event.kind is kind
    assert set(event.fields) == set(audit.SCHEMAS[kind])


def _fields(kind: EntryKind, **changes: object) -> dict[str, object]:
    return {**EXAMPLES[kind].fields, **changes}


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (EntryKind.PARTICIPANT_REMOVED, {}, "missing field(s) agency"),
        (
            EntryKind.PARTICIPANT_REMOVED,
            {"agency": "FR-PN", "endpoint": "x"},
            "unexpected field(s) 'endpoint'",
        ),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, ok="1"), "ok must be"),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, ok=True), "ok must be"),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, ok=1.0), "ok must be"),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, ok=2**63), "64-bit"),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, query_id=1), "query_id"),
        (EntryKind.QUERY_COMPLETED, _fields(EntryKind.QUERY_COMPLETED, query_id=b"q"), "query_id"),
        (
            EntryKind.QUERY_COMPLETED,
            _fields(EntryKind.QUERY_COMPLETED, query_id="\ud800"),
            "query_id must be a UTF-8 string",
        ),
        (
            EntryKind.QUERY_SUBMITTED,
            _fields(EntryKind.QUERY_SUBMITTED, targets=["FR-PN:*"]),
            "targets must be a tuple",
        ),
        (
            EntryKind.QUERY_SUBMITTED,
            _fields(EntryKind.QUERY_SUBMITTED, targets=("FR-PN:*", 3)),
            "targets must be a tuple",
        ),
        (
            EntryKind.QUERY_SUBMITTED,
            _fields(EntryKind.QUERY_SUBMITTED, targets=("FR-PN",)),
            "targets are not AGENCY:dataset",
        ),
        (
            EntryKind.QUERY_SUBMITTED,
            _fields(EntryKind.QUERY_SUBMITTED, payload_digest="AB" * 32),
            "payload_digest is not a hex SHA-256",
        ),
        (
            EntryKind.PARTNER_ANSWERED,
            _fields(EntryKind.PARTNER_ANSWERED, status="maybe"),
            "status is not a partner status",
        ),
        (
            EntryKind.FISHING_ALERT,
            _fields(EntryKind.FISHING_ALERT, limit="patience"),
            "limit is not an alert limit",
        ),
        (
            EntryKind.FISHING_ALERT,
            _fields(EntryKind.FISHING_ALERT, suppressed="3"),
            "suppressed must be a 64-bit integer",
        ),
    ],
)
def test_schema_violations_are_invalid_input(
    kind: EntryKind, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match="^" + kind.value) as caught:
        AuditEvent(kind, T0, fields)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_constructor_checks_types() -> None:
    with pytest.raises(InvalidInput, match="count must be a 64-bit integer"):
        audit_events.erasure(time=T0, first_index=0, last_index=1, count="2", before_ms=0)  # type: ignore[arg-type]


def test_unknown_kind_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown audit entry kind"):
        AuditEvent("query_forgotten", T0, {})  # type: ignore[arg-type]


def test_kind_given_as_string_becomes_the_enum() -> None:
    event = AuditEvent("participant_removed", T0, {"agency": "FR-PN"})  # type: ignore[arg-type]
    assert event.kind is EntryKind.PARTICIPANT_REMOVED


@pytest.mark.parametrize(
    "time",
    [
        datetime(2026, 3, 1, 12, 0),  # naive on purpose
        datetime(1969, 12, 31, 23, 59, tzinfo=UTC),
        "2026-03-01T12:00:00Z",
    ],
)
def test_bad_times_are_invalid_input(time: object) -> None:
    with pytest.raises(InvalidInput, match="time"):
        audit_events.participant_removed(time=time, agency="FR-PN")  # type: ignore[arg-type]


def test_time_is_kept_in_utc_to_the_millisecond() -> None:
    paris = timezone(timedelta(hours=1))
    event = audit_events.participant_removed(
        time=datetime(2026, 3, 1, 13, 0, 0, 999_999, tzinfo=paris), agency="FR-PN"
    )
    assert event.time == datetime(2026, 3, 1, 12, 0, 0, 999_000, tzinfo=UTC)
    assert event.time.tzinfo is UTC
    assert event.time_ms == 1_772_366_400_999


def test_equal_events_hash_alike() -> None:
    assert len({vector_event(), vector_event(), EXAMPLES[EntryKind.ERASURE]}) == 2


def test_fields_cannot_be_changed_after_construction() -> None:
    event = audit_events.participant_removed(time=T0, agency="FR-PN")
    with pytest.raises(TypeError):
        event.fields["agency"] = "NL-POL"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.kind = EntryKind.ERASURE  # type: ignore[misc]


def test_ms_conversions() -> None:
    assert audit.ms_to_datetime(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert audit.ms_to_datetime(audit.MAX_TIME_MS).year == 9999
    assert audit.datetime_to_ms(datetime(1970, 1, 1, 0, 0, 1, 1_999, tzinfo=UTC)) == 1001
    for bad in (-1, audit.MAX_TIME_MS + 1, True, 1.0):
        with pytest.raises(InvalidInput):
            audit.ms_to_datetime(bad)  # type: ignore[arg-type]


def test_entry_kind_reads_the_enum_or_its_value() -> None:
    assert audit.entry_kind(EntryKind.ERASURE) is EntryKind.ERASURE
    assert audit.entry_kind("log_access") is EntryKind.LOG_ACCESS
    for bad in ("LOG_ACCESS", "", 3, None):
        with pytest.raises(InvalidInput, match="unknown audit entry kind"):
            audit.entry_kind(bad)


def test_check_time_ms_accepts_only_ints_in_range() -> None:
    assert audit.check_time_ms(0) == 0
    assert audit.check_time_ms(audit.MAX_TIME_MS) == audit.MAX_TIME_MS
    for bad in (-1, audit.MAX_TIME_MS + 1, True, 1.0, "1"):
        with pytest.raises(InvalidInput, match="time_ms"):
            audit.check_time_ms(bad)


def test_a_fishing_alert_holds_counts_and_names_only() -> None:
    assert set(audit.SCHEMAS[EntryKind.FISHING_ALERT]) == {
        "query_id",
        "requesting_agency",
        "partner",
        "limit",
        "allowed",
        "used",
        "asked",
        "suppressed",
    }


def test_partner_answered_may_carry_a_key_epoch() -> None:
    without = EXAMPLES[EntryKind.PARTNER_ANSWERED]
    fields = _fields(without.kind, key_epoch=2)
    with_epoch = AuditEvent(EntryKind.PARTNER_ANSWERED, T0, fields)  # type: ignore[arg-type]

    assert with_epoch.fields["key_epoch"] == 2
    assert "key_epoch" not in without.fields
    assert audit.OPTIONAL_FIELDS[EntryKind.PARTNER_ANSWERED] == {"key_epoch": "int"}


@pytest.mark.parametrize("value", [-1, "3", True, 2**63])
def test_a_bad_key_epoch_is_invalid_input(value: object) -> None:
    fields = _fields(EntryKind.PARTNER_ANSWERED, key_epoch=value)
    with pytest.raises(InvalidInput, match="key_epoch"):
        AuditEvent(EntryKind.PARTNER_ANSWERED, T0, fields)  # type: ignore[arg-type]


def test_an_optional_field_of_another_kind_is_unexpected() -> None:
    fields = _fields(EntryKind.QUERY_COMPLETED, key_epoch=1)
    with pytest.raises(InvalidInput, match="unexpected field"):
        AuditEvent(EntryKind.QUERY_COMPLETED, T0, fields)  # type: ignore[arg-type]
