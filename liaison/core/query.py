"""A federated query as the domain sees it: plain frozen values, no protobuf.

The requester builds a :class:`Query`; ``liaison.crypto.envelope`` signs it
into a :class:`SignedQuery` (the exact bytes that travel) and opens those
bytes back into a verified query. Every other layer takes these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType

__all__ = [
    "AgencyCode",
    "Justification",
    "MatchMode",
    "Query",
    "QueryId",
    "SignedQuery",
    "Target",
]

QueryId = NewType("QueryId", str)
AgencyCode = NewType("AgencyCode", str)


class MatchMode(StrEnum):
    """What a partner reveals: the matching keys, or only how many (``MatchMode`` in the proto)."""

    REVEAL = "reveal"
    CARDINALITY = "cardinality"


@dataclass(frozen=True, slots=True)
class Justification:
    """Why a query is made: every query names a case, purpose, legal basis and investigator."""

    case_id: str
    purpose: str
    legal_basis: str
    investigator_id: str

    def first_blank(self) -> str | None:
        """Return the name of the first blank field, or None when all are filled.

        The names are "case", "purpose", "legal basis" and "investigator"; each
        layer words its own refusal around it.
        """
        for name, value in (
            ("case", self.case_id),
            ("purpose", self.purpose),
            ("legal basis", self.legal_basis),
            ("investigator", self.investigator_id),
        ):
            if not value.strip():
                return name
        return None


@dataclass(frozen=True, slots=True)
class Target:
    """One partner a query asks, and its datasets (empty: all it shares with us)."""

    agency: AgencyCode
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """The signed claims of a federated query (times are timezone-aware)."""

    query_id: QueryId
    requesting_agency: AgencyCode
    justification: Justification
    targets: tuple[Target, ...]
    key_count: int
    payload_digest: bytes
    issued_at: datetime
    expires_at: datetime
    key_spec: str
    mode: MatchMode = MatchMode.REVEAL

    def target(self, agency: str) -> Target | None:
        """Return the first target naming ``agency``, or None."""
        return next((t for t in self.targets if t.agency == agency), None)

    def target_agencies(self) -> tuple[AgencyCode, ...]:
        """Return the targeted agencies, in the order the query names them."""
        return tuple(t.agency for t in self.targets)


@dataclass(frozen=True, slots=True)
class SignedQuery:
    """A query as signed: the exact envelope bytes and the signature over them.

    Relay it as is; any re-encoding could change the bytes and void the
    signature.
    """

    envelope: bytes
    signature: bytes
