"""What ``liaison broker status`` shows: the running broker's state, read when asked.

Each participant's federation face is probed with the standard health check
(in parallel, a short deadline each) when the status is asked, and the
result is also kept in the ``liaison_broker_participant_reachable`` gauge.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from liaison import __version__
from liaison.broker import metrics
from liaison.broker.audit.log import AuditLog
from liaison.broker.directory import Directory

#: Deadline of each participant's health probe.
PROBE_TIMEOUT_S: Final = 2.0


class NodeHealth(Protocol):
    """Probes a node's federation face (``GrpcNodes``)."""

    def health(self, endpoint: str, *, timeout: float) -> str:
        """The node's status name, or ``unreachable: <code>``."""


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant and how it answered the probe."""

    agency: str
    endpoint: str
    health: str


@dataclass(frozen=True, slots=True)
class BrokerStatus:
    """The broker's state, for its operator and the auditors."""

    federation: str
    version: str
    problems: tuple[str, ...]
    participants: tuple[Participant, ...]
    purposes: tuple[str, ...]
    audit_entries: int
    audit_root: bytes
    started_at: datetime
    checked_at: datetime | None


class BrokerStatusReader:
    """Reads the broker's status from its directory, audit log and health monitor."""

    def __init__(
        self,
        federation: str,
        directory: Directory,
        audit_log: AuditLog,
        nodes: NodeHealth,
        health: Callable[[], tuple[tuple[str, ...], datetime | None]],
        *,
        clock: Callable[[], datetime],
    ) -> None:
        """Read from these; ``health`` returns the last check's problems and time."""
        self._federation = federation
        self._directory = directory
        self._audit_log = audit_log
        self._nodes = nodes
        self._health = health
        self._started_at = clock()

    def status(self) -> BrokerStatus:
        """Return the state now, every participant probed."""
        participants = self._directory.participants()
        with ThreadPoolExecutor(max_workers=max(1, min(16, len(participants)))) as pool:
            healths = list(
                pool.map(
                    lambda p: self._nodes.health(p.endpoint, timeout=PROBE_TIMEOUT_S),
                    participants,
                )
            )
        for participant, health in zip(participants, healths, strict=True):
            metrics.PARTICIPANT_REACHABLE.labels(participant.agency).set(health == "SERVING")
        problems, checked_at = self._health()
        head = self._audit_log.tree_head()
        return BrokerStatus(
            federation=self._federation,
            version=__version__,
            problems=problems,
            participants=tuple(
                Participant(p.agency, p.endpoint, h)
                for p, h in zip(participants, healths, strict=True)
            ),
            purposes=self._directory.policy_context().purposes,
            audit_entries=head.size,
            audit_root=head.root,
            started_at=self._started_at,
            checked_at=checked_at,
        )
