"""Audit entries: kinds and schemas, canonical bytes, commitments, headers, record checks.

The test vector at the top was computed by hand (plain ``hashlib`` over the
bytes written out below, not with :mod:`crypto.audit`), so that another
implementation of docs/audit.md can check itself against the same hex.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto import audit
from liaison.crypto.audit import AuditEvent, AuditRecord, EntryKind, FieldType
from liaison.crypto.merkle import leaf_hash

# -- the test vector ----------------------------------------------------------

VECTOR_TIME = datetime(2026, 3, 1, 12, 0, 0, 123_000, tzinfo=UTC)
VECTOR_SALT = bytes(range(32))
VECTOR_EVENT_ARGS: dict[str, Any] = {
    "time": VECTOR_TIME,
    "query_id": "q-0001",
    "requesting_agency": "DE-BKA",
    "investigator_id": "inv-7",
    "case_id": "AZ 12/2026",
    "purpose": "Betrug \u2013 \u00a7263 StGB",
    "legal_basis": 'StPO \u00a7161 "Ermittlungen"\n',
    "targets": ("FR-PN:wanted", "NL-POL:*"),
    "key_count": 3,
    "payload_digest": hashlib.sha256(b"blinded").hexdigest(),
    "issued_at_ms": 1_772_366_399_123,
    "expires_at_ms": 1_772_366_700_123,
}
#: Keys sorted, no whitespace, UTF-8 as is; quote and newline escaped by JSON.
VECTOR_BODY = (
    '{"fields":{"case_id":"AZ 12/2026","expires_at_ms":1772366700123,'
    '"investigator_id":"inv-7","issued_at_ms":1772366399123,"key_count":3,'
    '"legal_basis":"StPO \u00a7161 \\"Ermittlungen\\"\\n",'
    '"payload_digest":"3d4bf4b6882f4be6c9d1c41633aa9a19cf8b662e89de93ed9702966e8a061084",'
    '"purpose":"Betrug \u2013 \u00a7263 StGB","query_id":"q-0001","requesting_agency":"DE-BKA",'
    '"targets":["FR-PN:wanted","NL-POL:*"]},"kind":"query_submitted",'
    '"time_ms":1772366400123,"v":1}'
).encode("utf-8")
VECTOR_COMMITMENT = "b459e2c8bb7620a46de94eb518b8288921270e0205991ee640e79edb3cd65b4a"
VECTOR_HEADER = (
    b'{"commitment":"b459e2c8bb7620a46de94eb518b8288921270e0205991ee640e79edb3cd65b4a",'
    b'"kind":"query_submitted","time_ms":1772366400123,"v":1}'
)
VECTOR_LEAF_HASH = "1df0123bce3ebf4be8eb129edf576929e09519f1a13e606966223067ed1e03e9"


def vector_event() -> AuditEvent:
    return audit.query_submitted(**VECTOR_EVENT_ARGS)


def test_vector_body_is_byte_exact() -> None:
    assert audit.encode_body(vector_event()) == VECTOR_BODY


def test_vector_commitment_header_and_leaf_hash() -> None:
    commitment = audit.commitment(VECTOR_SALT, VECTOR_BODY)
    assert commitment.hex() == VECTOR_COMMITMENT
    header = audit.header(EntryKind.QUERY_SUBMITTED, 1_772_366_400_123, commitment)
    assert header == VECTOR_HEADER
    assert leaf_hash(header).hex() == VECTOR_LEAF_HASH


def test_vector_sealed() -> None:
    sealed = audit.seal(vector_event(), salt=VECTOR_SALT)
    assert (sealed.body, sealed.header, sealed.leaf_hash.hex()) == (
        VECTOR_BODY,
        VECTOR_HEADER,
        VECTOR_LEAF_HASH,
    )
    assert (sealed.kind, sealed.time_ms) == (EntryKind.QUERY_SUBMITTED, 1_772_366_400_123)
    record = sealed.at(7)
    record.verify()
    assert record.event() == vector_event()
    assert record.header_fields() == audit.Header(
        EntryKind.QUERY_SUBMITTED, 1_772_366_400_123, bytes.fromhex(VECTOR_COMMITMENT)
    )


def test_vector_body_decodes() -> None:
    event = audit.decode_body(VECTOR_BODY)
    assert event == vector_event()
    assert event.time == VECTOR_TIME
    assert event.fields["targets"] == ("FR-PN:wanted", "NL-POL:*")


# -- kinds and schemas ------------------------------------------------------

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

#: One valid event of every kind, built by its constructor.
EXAMPLES: dict[EntryKind, AuditEvent] = {
    EntryKind.QUERY_SUBMITTED: vector_event(),
    EntryKind.PARTNER_ANSWERED: audit.partner_answered(
        time=T0,
        query_id="q-1",
        agency="FR-PN",
        dataset="wanted",
        status="refused",
        reason="no agreement",
        filter_version=4,
    ),
    EntryKind.QUERY_COMPLETED: audit.query_completed(
        time=T0, query_id="q-1", requesting_agency="DE-BKA", answers=2, ok=1
    ),
    EntryKind.POLICY_DENIAL: audit.policy_denial(
        time=T0, query_id="", requesting_agency="DE-BKA", reason="envelope rejected"
    ),
    EntryKind.PARTICIPANT_ADMITTED: audit.participant_admitted(
        time=T0, agency="FR-PN", endpoint="fr.example:7443"
    ),
    EntryKind.PARTICIPANT_REMOVED: audit.participant_removed(time=T0, agency="FR-PN"),
    EntryKind.LOG_ACCESS: audit.log_access(
        time=T0, accessor="dpo-1", role="auditor", action="entries 0-99"
    ),
    EntryKind.ERASURE: audit.erasure(
        time=T0, first_index=0, last_index=9, count=10, before_ms=1_700_000_000_000
    ),
}


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
def test_every_kind_round_trips(kind: EntryKind) -> None:
    event = EXAMPLES[kind]
    assert event.kind is kind
    assert set(event.fields) == set(audit.SCHEMAS[kind])
    body = audit.encode_body(event)
    assert audit.decode_body(body) == event
    sealed = audit.seal(event)
    sealed.at(0).verify()
    assert audit.parse_header(sealed.header).kind is kind


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
        audit.erasure(time=T0, first_index=0, last_index=1, count="2", before_ms=0)  # type: ignore[arg-type]


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
        audit.participant_removed(time=time, agency="FR-PN")  # type: ignore[arg-type]


def test_time_is_kept_in_utc_to_the_millisecond() -> None:
    paris = timezone(timedelta(hours=1))
    event = audit.participant_removed(
        time=datetime(2026, 3, 1, 13, 0, 0, 999_999, tzinfo=paris), agency="FR-PN"
    )
    assert event.time == datetime(2026, 3, 1, 12, 0, 0, 999_000, tzinfo=UTC)
    assert event.time.tzinfo is UTC
    assert event.time_ms == 1_772_366_400_999
    assert audit.decode_body(audit.encode_body(event)) == event


def test_equal_events_hash_alike() -> None:
    assert len({vector_event(), vector_event(), EXAMPLES[EntryKind.ERASURE]}) == 2


def test_fields_cannot_be_changed_after_construction() -> None:
    event = audit.participant_removed(time=T0, agency="FR-PN")
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


# -- strict decoding ---------------------------------------------------------

GOOD_BODY = audit.encode_body(EXAMPLES[EntryKind.QUERY_COMPLETED])


def _body(document: dict[str, Any], **options: Any) -> bytes:
    settings: dict[str, Any] = {
        "sort_keys": True,
        "separators": (",", ":"),
        "ensure_ascii": False,
        **options,
    }
    return json.dumps(document, **settings).encode("utf-8")


def _good_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(GOOD_BODY)
    return document


def _changed(**changes: Any) -> bytes:
    return _body({**_good_document(), **changes})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not UTF-8 JSON"),
        (b"\xff\xfe", "not UTF-8 JSON"),
        (GOOD_BODY.decode().encode("utf-16"), "not UTF-8 JSON"),
        (b"[]", "not a JSON object"),
        (b"null", "not a JSON object"),
        (b"[" * 100_000, "not UTF-8 JSON"),
        (b'{"v":' + b"9" * 5000 + b"}", "not UTF-8 JSON"),
        (b'{"v":NaN}', "not UTF-8 JSON"),
        (_changed(v=2), "unknown version"),
        (_changed(v=True), "unknown version"),
        (_changed(v=1.0), "unknown version"),
        (_changed(extra=1), "exactly the keys"),
        (_body({k: v for k, v in _good_document().items() if k != "v"}), "exactly the keys"),
        (_changed(kind="query_forgotten"), "unknown audit entry kind"),
        (_changed(kind=["query_completed"]), "unknown audit entry kind"),
        (_changed(time_ms="1772366400000"), "time_ms"),
        (_changed(time_ms=1.5), "time_ms"),
        (_changed(time_ms=-1), "time_ms"),
        (_changed(fields=[]), "fields are not a JSON object"),
        (_changed(fields={**_good_document()["fields"], "ok": 1.0}), "ok must be"),
        (_changed(fields={**_good_document()["fields"], "ok": [1]}), "ok must be"),
        (_changed(fields={**_good_document()["fields"], "more": 1}), "unexpected"),
        (_body(_good_document(), separators=(", ", ": ")), "canonical"),
        (_body(_good_document(), sort_keys=False).replace(b'"v":1', b'"v":1 '), "canonical"),
        (GOOD_BODY + b"\n", "canonical"),
        (b" " + GOOD_BODY, "canonical"),
        (GOOD_BODY.replace(b'"DE-BKA"', b'"\\u0044E-BKA"'), "canonical"),
        (GOOD_BODY.replace(b'"ok":1', b'"ok":1,"ok":1'), "canonical"),
        (GOOD_BODY.replace(b'"ok":1', b'"ok":01'), "not UTF-8 JSON"),
        (GOOD_BODY.replace(b'"ok":1', b'"ok":1e0'), "ok must be"),
        (GOOD_BODY.replace(b'"DE-BKA"', b'"\\ud800"'), "UTF-8 string"),
    ],
)
def test_malformed_bodies_are_invalid_input(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        audit.decode_body(data)
    assert message in str(caught.value)


def test_unsorted_keys_are_not_canonical() -> None:
    document = _good_document()
    reordered = {"v": document["v"], **{k: v for k, v in document.items() if k != "v"}}
    data = _body(reordered, sort_keys=False)
    assert json.loads(data) == document
    with pytest.raises(InvalidInput, match="canonical"):
        audit.decode_body(data)


def test_ascii_escaped_body_is_not_canonical() -> None:
    canonical = audit.encode_body(vector_event())
    escaped = json.dumps(json.loads(canonical), sort_keys=True, separators=(",", ":")).encode()
    assert escaped != canonical
    with pytest.raises(InvalidInput, match="canonical"):
        audit.decode_body(escaped)


@given(st.binary(max_size=400))
def test_decode_body_raises_only_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        audit.decode_body(data)


@given(st.integers(min_value=0, max_value=len(VECTOR_BODY) - 1), st.integers(0, 255))
def test_a_changed_byte_of_a_body_is_refused_or_harmless(position: int, value: int) -> None:
    data = bytearray(VECTOR_BODY)
    data[position] = value
    try:
        event = audit.decode_body(bytes(data))
    except InvalidInput:
        return
    # Accepted only if it is the canonical encoding of what it decodes to.
    assert audit.encode_body(event) == bytes(data)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "fields": _JSON_VALUES,
            "kind": st.sampled_from([*EntryKind, "other"]) | _JSON_VALUES,
            "time_ms": st.integers(-10, 2**64) | _JSON_VALUES,
            "v": st.sampled_from([1, 2, True]) | _JSON_VALUES,
            "commitment": st.just(VECTOR_COMMITMENT) | _JSON_VALUES,
        },
    )
)
def test_structured_garbage_raises_only_invalid_input(document: dict[str, Any]) -> None:
    data = json.dumps(document).encode()
    for parse in (audit.decode_body, audit.parse_header):
        with contextlib.suppress(InvalidInput):
            parse(data)


@given(st.binary(max_size=300))
def test_parse_header_raises_only_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        audit.parse_header(data)


_TEXT = st.text(max_size=20).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
_INT = st.integers(min_value=audit.INT_MIN, max_value=audit.INT_MAX)


@st.composite
def events(draw: st.DrawFn) -> AuditEvent:
    kind = draw(st.sampled_from(list(EntryKind)))
    values: dict[str, object] = {}
    for name, field_type in audit.SCHEMAS[kind].items():
        if name == "status":
            values[name] = draw(st.sampled_from(["ok", "unavailable", "refused", "timeout"]))
        elif name == "payload_digest":
            values[name] = draw(st.binary(min_size=32, max_size=32)).hex()
        elif field_type is FieldType.TEXTS:
            target = st.tuples(_TEXT.filter(bool), _TEXT.filter(bool)).map(":".join)
            values[name] = tuple(draw(st.lists(target, max_size=4)))
        elif field_type is FieldType.INT:
            values[name] = draw(_INT)
        else:
            values[name] = draw(_TEXT)
    time_ms = draw(st.integers(0, audit.MAX_TIME_MS))
    return AuditEvent(kind, audit.ms_to_datetime(time_ms), values)  # type: ignore[arg-type]


@given(events(), st.binary(min_size=32, max_size=32))
def test_events_round_trip_through_every_encoding(event: AuditEvent, salt: bytes) -> None:
    body = audit.encode_body(event)
    assert audit.decode_body(body) == event
    sealed = audit.seal(event, salt=salt)
    assert audit.parse_header(sealed.header) == audit.Header(
        event.kind, event.time_ms, audit.commitment(salt, body)
    )
    record = sealed.at(3)
    record.verify()
    assert record.event() == event


# -- commitments and headers --------------------------------------------------


def test_new_salts_are_32_random_bytes() -> None:
    salts = {audit.new_salt() for _ in range(16)}
    assert len(salts) == 16
    assert {len(salt) for salt in salts} == {32}


@pytest.mark.parametrize("salt", [b"", bytes(31), bytes(33), "0" * 32])
def test_commitment_needs_a_32_byte_salt(salt: object) -> None:
    with pytest.raises(InvalidInput, match="salt"):
        audit.commitment(salt, VECTOR_BODY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="salt"):
        audit.seal(vector_event(), salt=salt)  # type: ignore[arg-type]


def test_commitment_depends_on_salt_and_body() -> None:
    base = audit.commitment(VECTOR_SALT, VECTOR_BODY)
    assert audit.commitment(bytes(32), VECTOR_BODY) != base
    assert audit.commitment(VECTOR_SALT, VECTOR_BODY + b" ") != base


@pytest.mark.parametrize(
    ("kind", "time_ms", "commitment", "message"),
    [
        ("nope", 0, bytes(32), "kind"),
        (EntryKind.ERASURE, -1, bytes(32), "time_ms"),
        (EntryKind.ERASURE, True, bytes(32), "time_ms"),
        (EntryKind.ERASURE, 0, bytes(31), "commitment"),
        (EntryKind.ERASURE, 0, "00" * 32, "commitment"),
    ],
)
def test_header_checks_its_inputs(
    kind: object, time_ms: object, commitment: object, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        audit.header(kind, time_ms, commitment)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        VECTOR_HEADER.replace(b"b459", b"B459"),
        VECTOR_HEADER.replace(b'"b459', b'"b4'),
        VECTOR_HEADER.replace(b'"v":1', b'"v":2'),
        VECTOR_HEADER.replace(b"query_submitted", b"query_forgotten"),
        VECTOR_HEADER.replace(b'"time_ms":1772366400123', b'"time_ms":"1772366400123"'),
        VECTOR_HEADER.replace(b",", b", "),
        VECTOR_HEADER.replace(b'"v":1}', b'"v":1,"x":0}'),
        VECTOR_HEADER.replace(b'"kind"', b'"\\u006bind"'),
        VECTOR_HEADER + b" ",
    ],
)
def test_malformed_headers_are_invalid_input(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        audit.parse_header(data)


# -- records -----------------------------------------------------------------


def _record(**changes: Any) -> AuditRecord:
    return dataclasses.replace(audit.seal(vector_event(), salt=VECTOR_SALT).at(5), **changes)


def test_a_sealed_record_verifies() -> None:
    record = _record()
    record.verify()
    assert not record.erased


def test_an_erased_record_verifies_and_has_no_event() -> None:
    record = _record(salt=None, body=None)
    record.verify()
    assert record.erased
    assert record.event() is None
    assert record.header_fields().kind is EntryKind.QUERY_SUBMITTED


def test_verify_catches_a_modified_body() -> None:
    record = _record(body=VECTOR_BODY.replace(b'"key_count":3', b'"key_count":4'))
    with pytest.raises(ProofError, match=r"^audit entry 5: body does not match"):
        record.verify()


def test_verify_catches_a_modified_salt() -> None:
    with pytest.raises(ProofError, match="entry 5: body does not match"):
        _record(salt=bytes(32)).verify()


def test_verify_catches_a_modified_header() -> None:
    header = VECTOR_HEADER.replace(b"1772366400123", b"1772366400124")
    with pytest.raises(ProofError, match=r"^audit entry 5: leaf hash does not match"):
        _record(header=header).verify()


def test_verify_catches_a_modified_leaf_hash() -> None:
    with pytest.raises(ProofError, match="entry 5: leaf hash does not match"):
        _record(leaf_hash=bytes(32)).verify()
    with pytest.raises(ProofError, match="entry 5: leaf hash"):
        _record(leaf_hash=b"").verify()


def test_verify_catches_half_an_erasure() -> None:
    for changes in ({"salt": None}, {"body": None}, {"salt": bytes(16)}):
        with pytest.raises(ProofError, match="entry 5: salt and body"):
            _record(**changes).verify()


def test_verify_catches_a_header_that_disagrees_with_its_body() -> None:
    # A consistent forgery of the header alone: right commitment, leaf hash
    # recomputed, but another kind and time than the body says.
    commitment = audit.commitment(VECTOR_SALT, VECTOR_BODY)
    for kind, time_ms in (
        (EntryKind.LOG_ACCESS, 1_772_366_400_123),
        (EntryKind.QUERY_SUBMITTED, 0),
    ):
        header = audit.header(kind, time_ms, commitment)
        record = _record(header=header, leaf_hash=leaf_hash(header))
        with pytest.raises(ProofError, match="entry 5: body's kind or time differs"):
            record.verify()


def test_verify_catches_a_committed_but_malformed_body() -> None:
    body = VECTOR_BODY + b" "
    header = audit.header(EntryKind.QUERY_SUBMITTED, 0, audit.commitment(VECTOR_SALT, body))
    record = _record(header=header, leaf_hash=leaf_hash(header), body=body)
    with pytest.raises(ProofError, match="entry 5: body is malformed"):
        record.verify()
    with pytest.raises(InvalidInput, match="canonical"):
        record.event()


def test_verify_catches_a_malformed_header_with_its_own_leaf_hash() -> None:
    header = b"not json"
    with pytest.raises(ProofError, match="entry 5: header is malformed"):
        _record(header=header, leaf_hash=leaf_hash(header)).verify()
