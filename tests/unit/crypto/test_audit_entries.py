"""Audit entries: canonical bytes, commitments, headers, record checks.

The test vector at the top was computed by hand (plain ``hashlib`` over the
bytes written out below, not with :mod:`liaison.crypto.audit_entries`), so that another
implementation of docs/audit.md can check itself against the same hex.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core import audit, audit_events
from liaison.core.alerts import AlertLimit
from liaison.core.audit import AuditEvent, EntryKind, FieldType
from liaison.core.errors import InvalidInput, ProofError
from liaison.crypto import audit_entries
from liaison.crypto.audit_entries import AuditRecord
from liaison.crypto.merkle import leaf_hash
from tests.audit_support import EXAMPLES, VECTOR_TIME, vector_event

# -- the test vector ----------------------------------------------------------

VECTOR_SALT = bytes(range(32))
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


def test_vector_body_is_byte_exact() -> None:
    assert audit_entries.encode_body(vector_event()) == VECTOR_BODY


def test_vector_commitment_header_and_leaf_hash() -> None:
    commitment = audit_entries.commitment(VECTOR_SALT, VECTOR_BODY)
    assert commitment.hex() == VECTOR_COMMITMENT
    header = audit_entries.header(EntryKind.QUERY_SUBMITTED, 1_772_366_400_123, commitment)
    assert header == VECTOR_HEADER
    assert leaf_hash(header).hex() == VECTOR_LEAF_HASH


def test_vector_sealed() -> None:
    sealed = audit_entries.seal(vector_event(), salt=VECTOR_SALT)
    assert (sealed.body, sealed.header, sealed.leaf_hash.hex()) == (
        VECTOR_BODY,
        VECTOR_HEADER,
        VECTOR_LEAF_HASH,
    )
    assert (sealed.kind, sealed.time_ms) == (EntryKind.QUERY_SUBMITTED, 1_772_366_400_123)
    record = sealed.at(7)
    record.verify()
    assert record.event() == vector_event()
    assert record.header_fields() == audit_entries.Header(
        EntryKind.QUERY_SUBMITTED, 1_772_366_400_123, bytes.fromhex(VECTOR_COMMITMENT)
    )


def test_vector_body_decodes() -> None:
    event = audit_entries.decode_body(VECTOR_BODY)
    assert event == vector_event()
    assert event.time == VECTOR_TIME
    assert event.fields["targets"] == ("FR-PN:wanted", "NL-POL:*")


# -- every kind --------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EntryKind))
def test_every_kind_round_trips(kind: EntryKind) -> None:
    event = EXAMPLES[kind]
    assert event.kind is kind
    assert set(event.fields) == set(audit.SCHEMAS[kind])
    body = audit_entries.encode_body(event)
    assert audit_entries.decode_body(body) == event
    sealed = audit_entries.seal(event)
    sealed.at(0).verify()
    assert audit_entries.parse_header(sealed.header).kind is kind


def test_time_survives_the_body_to_the_millisecond() -> None:
    paris = timezone(timedelta(hours=1))
    event = audit_events.participant_removed(
        time=datetime(2026, 3, 1, 13, 0, 0, 999_999, tzinfo=paris), agency="FR-PN"
    )
    assert audit_entries.decode_body(audit_entries.encode_body(event)) == event


# -- strict decoding# -- strict decoding ---------------------------------------------------------

GOOD_BODY = audit_entries.encode_body(EXAMPLES[EntryKind.QUERY_COMPLETED])


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
        audit_entries.decode_body(data)
    assert message in str(caught.value)


def test_unsorted_keys_are_not_canonical() -> None:
    document = _good_document()
    reordered = {"v": document["v"], **{k: v for k, v in document.items() if k != "v"}}
    data = _body(reordered, sort_keys=False)
    assert json.loads(data) == document
    with pytest.raises(InvalidInput, match="canonical"):
        audit_entries.decode_body(data)


def test_ascii_escaped_body_is_not_canonical() -> None:
    canonical = audit_entries.encode_body(vector_event())
    escaped = json.dumps(json.loads(canonical), sort_keys=True, separators=(",", ":")).encode()
    assert escaped != canonical
    with pytest.raises(InvalidInput, match="canonical"):
        audit_entries.decode_body(escaped)


@given(st.binary(max_size=400))
def test_decode_body_raises_only_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        audit_entries.decode_body(data)


@given(st.integers(min_value=0, max_value=len(VECTOR_BODY) - 1), st.integers(0, 255))
def test_a_changed_byte_of_a_body_is_refused_or_harmless(position: int, value: int) -> None:
    data = bytearray(VECTOR_BODY)
    data[position] = value
    try:
        event = audit_entries.decode_body(bytes(data))
    except InvalidInput:
        return
    # Accepted only if it is the canonical encoding of what it decodes to.
    assert audit_entries.encode_body(event) == bytes(data)


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
    for parse in (audit_entries.decode_body, audit_entries.parse_header):
        with contextlib.suppress(InvalidInput):
            parse(data)


@given(st.binary(max_size=300))
def test_parse_header_raises_only_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        audit_entries.parse_header(data)


_TEXT = st.text(max_size=20).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
_INT = st.integers(min_value=audit.INT_MIN, max_value=audit.INT_MAX)


@st.composite
def events(draw: st.DrawFn) -> AuditEvent:
    kind = draw(st.sampled_from(list(EntryKind)))
    values: dict[str, object] = {}
    for name, field_type in audit.SCHEMAS[kind].items():
        if name == "status":
            values[name] = draw(st.sampled_from(["ok", "unavailable", "refused", "timeout"]))
        elif name in ("payload_digest", "head_hash"):
            values[name] = draw(st.binary(min_size=32, max_size=32)).hex()
        elif name == "limit":
            values[name] = draw(st.sampled_from([limit.value for limit in AlertLimit]))
        elif field_type is FieldType.TEXTS:
            agency = _TEXT.filter(lambda s: bool(s) and ":" not in s)
            target = st.tuples(agency, _TEXT.filter(bool)).map(":".join)
            values[name] = tuple(draw(st.lists(target, max_size=4)))
        elif field_type is FieldType.INT:
            values[name] = draw(_INT)
        else:
            values[name] = draw(_TEXT)
    time_ms = draw(st.integers(0, audit.MAX_TIME_MS))
    return AuditEvent(kind, audit.ms_to_datetime(time_ms), values)  # type: ignore[arg-type]


@given(events(), st.binary(min_size=32, max_size=32))
def test_events_round_trip_through_every_encoding(event: AuditEvent, salt: bytes) -> None:
    body = audit_entries.encode_body(event)
    assert audit_entries.decode_body(body) == event
    sealed = audit_entries.seal(event, salt=salt)
    assert audit_entries.parse_header(sealed.header) == audit_entries.Header(
        event.kind, event.time_ms, audit_entries.commitment(salt, body)
    )
    record = sealed.at(3)
    record.verify()
    assert record.event() == event


# -- commitments and headers --------------------------------------------------


def test_new_salts_are_32_random_bytes() -> None:
    salts = {audit_entries.new_salt() for _ in range(16)}
    assert len(salts) == 16
    assert {len(salt) for salt in salts} == {32}


@pytest.mark.parametrize("salt", [b"", bytes(31), bytes(33), "0" * 32])
def test_commitment_needs_a_32_byte_salt(salt: object) -> None:
    with pytest.raises(InvalidInput, match="salt"):
        audit_entries.commitment(salt, VECTOR_BODY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="salt"):
        audit_entries.seal(vector_event(), salt=salt)  # type: ignore[arg-type]


def test_commitment_depends_on_salt_and_body() -> None:
    base = audit_entries.commitment(VECTOR_SALT, VECTOR_BODY)
    assert audit_entries.commitment(bytes(32), VECTOR_BODY) != base
    assert audit_entries.commitment(VECTOR_SALT, VECTOR_BODY + b" ") != base


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
        audit_entries.header(kind, time_ms, commitment)  # type: ignore[arg-type]


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
        audit_entries.parse_header(data)


# -- records -----------------------------------------------------------------


def _record(**changes: Any) -> AuditRecord:
    return dataclasses.replace(
        audit_entries.seal(vector_event(), salt=VECTOR_SALT).at(5), **changes
    )


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
    commitment = audit_entries.commitment(VECTOR_SALT, VECTOR_BODY)
    for kind, time_ms in (
        (EntryKind.LOG_ACCESS, 1_772_366_400_123),
        (EntryKind.QUERY_SUBMITTED, 0),
    ):
        header = audit_entries.header(kind, time_ms, commitment)
        record = _record(header=header, leaf_hash=leaf_hash(header))
        with pytest.raises(ProofError, match="entry 5: body's kind or time differs"):
            record.verify()


def test_verify_catches_a_committed_but_malformed_body() -> None:
    body = VECTOR_BODY + b" "
    header = audit_entries.header(
        EntryKind.QUERY_SUBMITTED, 0, audit_entries.commitment(VECTOR_SALT, body)
    )
    record = _record(header=header, leaf_hash=leaf_hash(header), body=body)
    with pytest.raises(ProofError, match="entry 5: body is malformed"):
        record.verify()
    with pytest.raises(InvalidInput, match="canonical"):
        record.event()


def test_verify_catches_a_malformed_header_with_its_own_leaf_hash() -> None:
    header = b"not json"
    with pytest.raises(ProofError, match="entry 5: header is malformed"):
        _record(header=header, leaf_hash=leaf_hash(header)).verify()


# -- optional fields ----------------------------------------------------------

#: A partner_answered body as written before ``key_epoch`` existed; it must not change.
ANSWERED_BODY = (
    b'{"fields":{"agency":"FR-PN","dataset":"wanted","filter_version":4,"query_id":"q-1",'
    b'"reason":"no agreement","status":"refused"},"kind":"partner_answered",'
    b'"time_ms":1772366400000,"v":1}'
)


def test_an_entry_without_an_optional_field_keeps_its_bytes() -> None:
    event = EXAMPLES[EntryKind.PARTNER_ANSWERED]

    assert audit_entries.encode_body(event) == ANSWERED_BODY
    assert audit_entries.decode_body(ANSWERED_BODY) == event


def test_an_optional_field_is_encoded_in_key_order_and_decodes() -> None:
    event = audit_events.partner_answered(
        time=VECTOR_TIME.replace(microsecond=0),
        query_id="q-1",
        agency="FR-PN",
        dataset="wanted",
        status="ok",
        reason="",
        filter_version=4,
        key_epoch=3,
    )
    body = audit_entries.encode_body(event)

    assert body == (
        b'{"fields":{"agency":"FR-PN","dataset":"wanted","filter_version":4,"key_epoch":3,'
        b'"query_id":"q-1","reason":"","status":"ok"},"kind":"partner_answered",'
        b'"time_ms":1772366400000,"v":1}'
    )
    assert audit_entries.decode_body(body) == event
