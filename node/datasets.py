"""A node's datasets: imports, PSI server keys and their epochs, filters by version.

Each dataset has its own PSI server key, sealed at rest under the node's
master key. Its filter (the dataset's match keys encrypted under that key,
see :mod:`crypto.psi`) is built once per dataset version, stored, and reused
by every query until an import changes the data or the key moves to a new
epoch. Only the current version is answered and served, and a rotation
increments the version, so a filter never meets an answer of another key
(``docs/epochs.md``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from liaison.core.errors import NotFound, StorageUnavailable
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import KEY_SPEC_V2, derive_keys_v2
from liaison.crypto.keystore import MasterKey
from liaison.node.store import (
    DatasetInfo,
    ImportSummary,
    KeyEpoch,
    NodeStore,
    ServingState,
    StoredFilter,
)

log = logging.getLogger(__name__)

#: How long a PSI server key lives unless the node's config says otherwise.
DEFAULT_KEY_EPOCH: Final = timedelta(hours=24)
#: How often a filter build retries when imports keep changing the dataset.
_BUILD_ATTEMPTS: Final = 5


def _key_context(dataset: str) -> bytes:
    return b"liaison/psi-server-key/v1/" + dataset.encode()


def utc_now() -> datetime:
    """The real clock (tests pass their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class KeyRotation:
    """When a dataset's PSI server key moves to a new epoch.

    ``period``: an epoch older than this is rotated at the next import or
    answer. ``on_change``: also rotate after every import that updated or
    removed a record.
    """

    period: timedelta = DEFAULT_KEY_EPOCH
    on_change: bool = False

    def due(self, epoch: KeyEpoch, now: datetime) -> bool:
        """Return whether ``epoch`` has outlived the period at ``now``."""
        return now - epoch.started_at >= self.period


@dataclass(frozen=True, slots=True)
class Answered:
    """A PSI response and the filter version and key epoch it belongs to."""

    version: int
    epoch: int
    psi_response: bytes
    #: Keys in that version's filter, declared so the requester can bound its fetch.
    filter_keys: int


class Datasets:
    """The node's datasets, safe to share between server threads."""

    def __init__(
        self,
        store: NodeStore,
        master_key: MasterKey,
        *,
        max_client_items: int,
        rotation: KeyRotation | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """Wrap a store; ``max_client_items`` sizes every filter's false-positive rate."""
        self._store = store
        self._master = master_key
        self._max_client_items = max_client_items
        self._rotation = rotation or KeyRotation()
        self._clock = clock
        #: Per dataset: the key epoch and the PSI server of that epoch's key.
        self._servers: dict[str, tuple[int, psi.PsiServer]] = {}
        self._lock = threading.Lock()
        self._build_locks: dict[str, threading.Lock] = {}
        #: (version, key count) of each dataset's current filter, as last read.
        self._filter_keys: dict[str, tuple[int, int]] = {}

    def list(self) -> list[DatasetInfo]:
        """Return every dataset of the node."""
        return self._store.list_datasets()

    def info(self, name: str) -> DatasetInfo:
        """Return one dataset.

        Raises:
            NotFound: no such dataset.
        """
        return self._store.get_dataset(name)

    def key_epochs(self, name: str) -> tuple[KeyEpoch, ...]:
        """Return the dataset's key epochs, oldest first; the last is current.

        Raises:
            NotFound: no such dataset.
        """
        return tuple(self._store.key_epochs(name))

    def import_records(
        self,
        name: str,
        records: Sequence[Record],
        *,
        replace: bool,
        progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Create the dataset if new, import rows atomically, rebuild its filter.

        The key is rotated afterwards if its epoch is due, or (with
        ``on_change``) if the import updated or removed a record.

        Raises:
            InvalidInput: the dataset name is invalid.
        """
        try:
            self._store.get_dataset(name)
        except NotFound:
            sealed = self._master.seal(psi.new_server_key(), context=_key_context(name))
            self._store.create_dataset(name, sealed)
        summary = self._store.import_records(
            name,
            records,
            derive_keys_v2,
            replace=replace,
            key_spec=KEY_SPEC_V2,
            progress=progress,
        )
        epoch = self._store.serving_state(name).epoch
        if self._rotation.on_change and (summary.updated or summary.removed):
            self.rotate(name, reason="change", if_epoch=epoch.epoch)
        elif self._rotation.due(epoch, self._clock()):
            self.rotate(name, reason="schedule", if_epoch=epoch.epoch)
        else:
            self.current_filter(name)
        return summary

    def rotate(
        self, name: str, *, reason: str = "operator", if_epoch: int | None = None
    ) -> KeyEpoch:
        """Move the dataset to a new key epoch and rebuild its filter under the new key.

        The new key is sealed like the first; the old sealed key is
        overwritten in the store and its filters deleted. With ``if_epoch``,
        a rotation already made by someone else counts as done.

        Returns:
            The dataset's current epoch afterwards.

        Raises:
            NotFound: no such dataset.
        """
        sealed = self._master.seal(psi.new_server_key(), context=_key_context(name))
        epoch = self._store.rotate_server_key(
            name, sealed, reason=reason, now=self._clock(), if_epoch=if_epoch
        )
        if epoch is None:
            return self._store.serving_state(name).epoch
        with self._lock:
            self._servers.pop(name, None)
        log.info("PSI server key of %s rotated (%s): epoch %d", name, reason, epoch.epoch)
        self.current_filter(name)
        return epoch

    def answer(self, name: str, psi_request: bytes, *, reveal: bool = True) -> Answered:
        """Re-encrypt a requester's blinded keys under the dataset's current key.

        Rotates first if the key's epoch is due, and makes sure the filter of
        the version answered is stored, so that the requester can fetch it.
        ``reveal`` is the query's mode: False answers in cardinality mode, and
        a request made in the other mode is refused.

        Raises:
            NotFound: no such dataset.
            PsiError: the request is malformed.
        """
        state = self._store.serving_state(name)
        if self._rotation.due(state.epoch, self._clock()):
            self.rotate(name, reason="schedule", if_epoch=state.epoch.epoch)
            state = self._store.serving_state(name)
        version, filter_keys = self.current_version_and_keys(name)
        if version != state.version:
            # An import or rotation committed meanwhile: answer the newer version.
            state = self._store.serving_state(name)
            version, filter_keys = self.current_version_and_keys(name)
        response = self._server(state).process(psi_request, reveal=reveal)
        return Answered(state.version, state.epoch.epoch, response, filter_keys)

    def _server(self, state: ServingState) -> psi.PsiServer:
        with self._lock:
            cached = self._servers.get(state.dataset)
        if cached is not None and cached[0] == state.epoch.epoch:
            return cached[1]
        key = self._master.unseal(state.sealed_server_key, context=_key_context(state.dataset))
        server = psi.PsiServer(key)
        with self._lock:
            # The previous epoch's server (and its key) is dropped here.
            self._servers[state.dataset] = (state.epoch.epoch, server)
        return server

    def current_filter(self, name: str) -> StoredFilter:
        """Return the filter of the dataset's current version, building it if needed.

        Raises:
            NotFound: no such dataset.
            StorageUnavailable: imports kept changing the dataset during the build.
        """
        with self._lock:
            build_lock = self._build_locks.setdefault(name, threading.Lock())
        with build_lock:
            stored = self._store.get_filter(name, self._store.dataset_version(name))
            return stored if stored is not None else self._build(name)

    def current_version(self, name: str) -> int:
        """Return the version of the dataset's current filter, building it if needed.

        The per-query path: one small read when the filter is known to exist.

        Raises:
            NotFound: no such dataset.
        """
        return self.current_version_and_keys(name)[0]

    def current_version_and_keys(self, name: str) -> tuple[int, int]:
        """Return the version of the dataset's current filter and its key count.

        What a partner declares with each answer, so that the requester can
        bound the filter it fetches. One small read when the filter is known.

        Raises:
            NotFound: no such dataset.
        """
        version = self._store.dataset_version(name)
        with self._lock:
            known = self._filter_keys.get(name)
        if known is not None and known[0] == version:
            return known
        stored = self.current_filter(name)
        result = (stored.version, stored.key_count)
        with self._lock:
            self._filter_keys[name] = result
        return result

    def _build(self, name: str) -> StoredFilter:
        for _ in range(_BUILD_ATTEMPTS):
            # The key is read before the keys: a rotation or import between
            # the two reads shows as a newer snapshot version, so keys and
            # key belong together when the versions agree.
            state = self._store.serving_state(name)
            snapshot = self._store.key_snapshot(name)
            if snapshot.version == state.version:
                break
        else:
            raise StorageUnavailable("the dataset kept changing while its filter was built")
        key = self._master.unseal(state.sealed_server_key, context=_key_context(name))
        setup = psi.build_filter(key, snapshot.values, max_client_items=self._max_client_items)
        stored = StoredFilter(name, snapshot.version, len(snapshot.values), setup)
        self._store.put_filter(stored)
        log.info(
            "built filter of %s v%d (key epoch %d): %d keys, %d bytes",
            name,
            snapshot.version,
            state.epoch.epoch,
            len(snapshot.values),
            len(setup),
        )
        return stored

    def filter(self, name: str, version: int) -> StoredFilter:
        """Return the filter of the dataset's current version, if that is ``version``.

        Older versions are never served, even while still stored: a record
        deleted or changed since, or a key rotated since, must stop matching.

        Raises:
            NotFound: no such dataset, or ``version`` is not the current one.
        """
        if version == self._store.dataset_version(name):
            stored = self.current_filter(name)
            if stored.version == version:
                return stored
        raise NotFound(f"filter version {version} of dataset {name!r} is not the current one")
