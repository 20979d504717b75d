"""Domain queries for tests: one complete query, any field changed by keyword."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from liaison.core.query import AgencyCode, Justification, Query, QueryId, SignedQuery, Target
from liaison.crypto import envelope
from liaison.crypto.certificates import load_private_key
from tests.pki_support import Federation

ISSUED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_JUSTIFICATION = {"case_id", "purpose", "legal_basis", "investigator_id"}


def target(agency: str, *datasets: str) -> Target:
    """A target naming ``agency`` and ``datasets`` (none: all it shares)."""
    return Target(AgencyCode(agency), datasets)


def make_query(**changes: object) -> Query:
    """FR asks NL and TR about 10 keys; keywords replace query or justification fields."""
    justification = Justification(
        case_id="C-1", purpose="counter-terrorism", legal_basis="art. 1", investigator_id="inv"
    )
    justification = dataclasses.replace(
        justification,
        **{k: v for k, v in changes.items() if k in _JUSTIFICATION},  # type: ignore[arg-type]
    )
    query = Query(
        query_id=QueryId("0" * 32),
        requesting_agency=AgencyCode("FR"),
        justification=justification,
        targets=(target("NL"), target("TR")),
        key_count=10,
        payload_digest=bytes(32),
        issued_at=ISSUED,
        expires_at=ISSUED + timedelta(minutes=5),
        key_spec="2",
    )
    rest = {k: v for k, v in changes.items() if k not in _JUSTIFICATION}
    return dataclasses.replace(query, **rest)  # type: ignore[arg-type]


def signed_query(pki: Federation, psi_request: bytes) -> SignedQuery:
    """FR's signed query of one key to NL's datasets a, b and c, issued now."""
    # Issued now, not at import: a long test run would find it expired.
    issued = envelope.from_epoch_ms(envelope.epoch_ms(datetime.now(UTC)))
    query = make_query(
        query_id=envelope.new_query_id(),
        targets=(Target(AgencyCode("NL"), ("a", "b", "c")),),
        key_count=1,
        payload_digest=envelope.payload_digest(psi_request),
        issued_at=issued,
        expires_at=issued + timedelta(minutes=5),
    )
    return envelope.sign_query(query, load_private_key(pki.nodes["FR"].private_key))
