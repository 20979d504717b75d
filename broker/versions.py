"""Relaying watch polls: each partner's dataset versions, asked in parallel.

A node with standing watches asks the broker, every ``watch_poll_s``
seconds, for the content versions of the datasets its partners share with
it (``docs/watches.md``, "Polling"). The broker asks each named partner
once, in parallel and under its partner deadline, naming the requester as
its certificate says; a partner that fails becomes a status. Nothing is
logged: a poll carries no identifier and discloses nothing but when a
shared dataset last changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Protocol

from liaison.broker.directory import Directory
from liaison.broker.fanout import status_of
from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput, LiaisonError, PermissionDenied
from liaison.core.policy import MAX_TARGETS
from liaison.core.versions import PartnerVersions


class VersionsPort(Protocol):
    """How the broker asks a partner node for its versions (gRPC in production)."""

    def dataset_versions(
        self, endpoint: str, requesting_agency: str, *, timeout: float
    ) -> PartnerVersions:
        """Return the versions the partner at ``endpoint`` shares with the requester."""


class VersionRelay:
    """Asks partners for the dataset versions they share with a participant."""

    def __init__(
        self, directory: Directory, nodes: VersionsPort, *, timeout: float, workers: int = 8
    ) -> None:
        """Relay through ``nodes``, each partner under ``timeout`` seconds."""
        self._directory = directory
        self._nodes = nodes
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="versions")
        self._timeout = timeout

    def close(self) -> None:
        """Stop the workers."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def poll(self, requester: str, agencies: Sequence[str]) -> list[PartnerVersions]:
        """Return each named partner's versions for ``requester``, in the order asked.

        Raises:
            PermissionDenied: ``requester`` is not a participant.
            InvalidInput: more than 64 agencies, or one named twice.
        """
        if self._directory.get(requester) is None:
            raise PermissionDenied("caller is not a participant")
        if len(agencies) > MAX_TARGETS or len(set(agencies)) != len(agencies):
            raise InvalidInput(f"name at most {MAX_TARGETS} distinct agencies")
        calls: list[tuple[str, Future[PartnerVersions] | None]] = []
        for agency in agencies:
            participant = self._directory.get(agency)
            if participant is None or agency == requester:
                calls.append((agency, None))
                continue
            future = self._executor.submit(
                self._nodes.dataset_versions,
                participant.endpoint,
                requester,
                timeout=self._timeout,
            )
            calls.append((agency, future))
        wait([f for _, f in calls if f is not None], timeout=self._timeout + 1.0)
        return [_gathered(agency, future) for agency, future in calls]


def _gathered(agency: str, future: Future[PartnerVersions] | None) -> PartnerVersions:
    if future is None:
        return PartnerVersions(agency, PartnerStatus.REFUSED, "not a partner of the caller")
    if not future.done():
        future.cancel()
        return PartnerVersions(agency, PartnerStatus.TIMEOUT, "no answer in time")
    try:
        answer = future.result()
    except LiaisonError as exc:
        return PartnerVersions(agency, status_of(exc), str(exc))
    except Exception:
        return PartnerVersions(agency, PartnerStatus.UNAVAILABLE, "internal error")
    # A partner speaks for itself only.
    return PartnerVersions(agency, answer.status, answer.reason, answer.datasets)
