"""The node's domain types: a federated match as asked and as answered."""

from __future__ import annotations

from dataclasses import dataclass

from liaison.core.answers import PartnerStatus
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.crypto.directory_entry import ContactPoint


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """An investigator's federated match for one case."""

    justification: Justification
    records: tuple[Record, ...]
    #: Partners to ask; empty means every other participant.
    partners: tuple[str, ...] = ()
    #: Datasets to ask each partner for; empty means all it shares with us.
    datasets: tuple[str, ...] = ()
    #: Only keys (and so hits) at least this strong; None means all.
    min_strength: KeyStrength | None = None
    #: Ask for counts only (cardinality mode): no hit is revealed.
    count_only: bool = False
    #: Over the per-query key budget, send several queries instead of refusing.
    split: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """An input row that matched, and through which kinds of key."""

    row: int
    ref: str
    keys: tuple[str, ...]
    #: Strength of the strongest key that matched.
    strength: KeyStrength = KeyStrength.EXACT


@dataclass(frozen=True, slots=True)
class PartnerResult:
    """What one partner dataset said about the request."""

    agency: str
    dataset: str
    status: PartnerStatus
    reason: str = ""
    filter_version: int = 0
    hits: tuple[Hit, ...] = ()
    #: How many of the query's distinct keys the dataset holds (both modes).
    match_count: int = 0
    #: The match keys that matched (reveal mode): kept on the node for hit
    #: notices, never sent to the CLI.
    matched_keys: tuple[str, ...] = ()
    #: Whom to contact at the partner about this dataset (signed directory).
    contact: ContactPoint | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The answer to a federated match."""

    query_id: str
    key_count: int
    results: tuple[PartnerResult, ...]
    #: The match asked for counts only: every result has ``match_count``, no hits.
    count_only: bool = False
    #: Every query the match was sent as, ``query_id`` first (several when split).
    query_ids: tuple[str, ...] = ()
