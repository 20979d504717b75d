"""What a standing watch polls: the content versions of the datasets a partner shares.

A partner's dataset *content version* grows with every import that changed
its records and stays put when the PSI server key rotates (it is the filter
version minus the key epoch: both grow by one at a rotation). A watch
compares the versions it last matched against with the polled ones and
re-runs only for partners whose content changed (``docs/watches.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison.core.answers import PartnerStatus


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """One dataset's content version at a partner."""

    dataset: str
    content_version: int


@dataclass(frozen=True, slots=True)
class PartnerVersions:
    """One partner's dataset versions, or the status that says why there are none."""

    agency: str
    status: PartnerStatus
    reason: str = ""
    datasets: tuple[DatasetVersion, ...] = ()

    def as_map(self) -> dict[str, int]:
        """Return ``{dataset: content_version}``."""
        return {d.dataset: d.content_version for d in self.datasets}
