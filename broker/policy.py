"""Federation policy: what the broker checks before it relays a query."""

from __future__ import annotations

from dataclasses import dataclass

from liaison.core.answers import missing_justification
from liaison.core.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
)
from liaison.v1 import common_pb2


@dataclass(frozen=True, slots=True)
class FederationPolicy:
    """The federation-wide rules (purposes, size limit)."""

    #: Accepted purposes; empty accepts any non-empty purpose.
    purposes: tuple[str, ...]
    max_keys_per_query: int

    def check(self, envelope: common_pb2.QueryEnvelope, admitted: set[str]) -> None:
        """Check a verified envelope against the federation rules.

        Raises:
            QueryRefused: missing case, purpose, legal basis or investigator, or
                a purpose the federation does not accept.
            PermissionDenied: the requester is not (or no longer) admitted.
            InvalidInput: no target, a repeated target, or the requester itself.
            NotFound: a target is not a participant.
            QuotaExceeded: more keys than the federation relays.
        """
        if envelope.requesting_agency not in admitted:
            raise PermissionDenied("requesting agency is not a participant")
        missing = missing_justification(
            case_id=envelope.case_id,
            purpose=envelope.purpose,
            legal_basis=envelope.legal_basis,
            investigator_id=envelope.investigator_id,
        )
        if missing:
            raise QueryRefused(f"query carries no {missing}")
        if self.purposes and envelope.purpose not in self.purposes:
            raise QueryRefused("purpose not accepted by the federation")
        if envelope.key_count > self.max_keys_per_query:
            raise QuotaExceeded(
                f"query holds {envelope.key_count} keys; the federation relays at most "
                f"{self.max_keys_per_query}"
            )
        agencies = [t.agency for t in envelope.targets]
        if not agencies:
            raise InvalidInput("query names no partner")
        if len(set(agencies)) != len(agencies):
            raise InvalidInput("query names a partner twice")
        if envelope.requesting_agency in agencies:
            raise InvalidInput("query names its own agency as a partner")
        unknown = sorted(set(agencies) - admitted)
        if unknown:
            raise NotFound(f"unknown partner(s): {', '.join(unknown)}")
