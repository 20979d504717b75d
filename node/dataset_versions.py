"""The partner's side of a watch poll: which dataset versions a requester may see.

A requester's standing watches poll, through the broker, the content versions
of the datasets each partner shares with it (``docs/watches.md``,
"Polling"). The partner answers from its agreement with the requester, read
at every poll: no agreement in force, no version; only the datasets the
agreement covers. A poll carries no identifier and costs no budget: it says
when a dataset changed, which the filter version of every answer says too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from liaison.core.answers import PartnerStatus
from liaison.core.versions import DatasetVersion, PartnerVersions
from liaison.node.agreements import AgreementStore
from liaison.node.datasets import Datasets


class VersionSource:
    """Answers version polls for one node."""

    def __init__(
        self,
        agency: str,
        datasets: Datasets,
        agreements: AgreementStore,
        clock: Callable[[], datetime],
    ) -> None:
        """Answer for ``agency`` from its datasets and agreements."""
        self._agency = agency
        self._datasets = datasets
        self._agreements = agreements
        self._clock = clock

    def for_partner(self, requester: str) -> PartnerVersions:
        """Return the content versions of the datasets shared with ``requester``.

        Raises:
            StorageUnavailable: the database failed.
        """
        agreement = self._agreements.get(requester)
        if agreement is None or agreement.expired(self._clock()):
            return PartnerVersions(self._agency, PartnerStatus.REFUSED, "no agreement in force")
        shared = [i for i in self._datasets.list() if agreement.allows_dataset(i.name)]
        return PartnerVersions(
            self._agency,
            PartnerStatus.OK,
            datasets=tuple(
                DatasetVersion(i.name, content_version(i.version, self._epoch(i.name)))
                for i in sorted(shared, key=lambda info: info.name)
            ),
        )

    def _epoch(self, name: str) -> int:
        return self._datasets.key_epochs(name)[-1].epoch


def content_version(filter_version: int, key_epoch: int) -> int:
    """Return the version that changes with the data only.

    A rotation adds one to both the filter version and the key epoch, an
    import that changed records one to the version alone (``docs/epochs.md``).
    """
    return max(0, filter_version - key_epoch)
