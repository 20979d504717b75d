"""A node's datasets: imports, PSI server keys and filters by version.

Each dataset has its own PSI server key, sealed at rest under the node's
master key. Its filter (the dataset's match keys encrypted under that key,
see :mod:`crypto.psi`) is built once per dataset version, stored, and reused
by every query until an import changes the data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from liaison.core.errors import NotFound
from liaison.core.records import Record
from liaison.crypto import psi
from liaison.crypto.keys import KEY_SPEC_V2, derive_keys_v2
from liaison.crypto.keystore import MasterKey
from liaison.node.store import DatasetInfo, ImportSummary, NodeStore, StoredFilter

log = logging.getLogger(__name__)


def _key_context(dataset: str) -> bytes:
    return b"liaison/psi-server-key/v1/" + dataset.encode()


class Datasets:
    """The node's datasets, safe to share between server threads."""

    def __init__(self, store: NodeStore, master_key: MasterKey, *, max_client_items: int) -> None:
        """Wrap a store; ``max_client_items`` sizes every filter's false-positive rate."""
        self._store = store
        self._master = master_key
        self._max_client_items = max_client_items
        self._servers: dict[str, psi.PsiServer] = {}
        self._lock = threading.Lock()
        self._build_locks: dict[str, threading.Lock] = {}
        #: Dataset versions whose filter is known to be stored.
        self._built: dict[str, int] = {}
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

    def import_records(
        self,
        name: str,
        records: Sequence[Record],
        *,
        replace: bool,
        progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Create the dataset if new, import rows atomically, rebuild its filter.

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
        self.current_filter(name)
        return summary

    def server(self, name: str) -> psi.PsiServer:
        """Return the PSI server of a dataset (built once, then cached).

        Raises:
            NotFound: no such dataset.
        """
        with self._lock:
            server = self._servers.get(name)
        if server is None:
            key = self._master.unseal(
                self._store.sealed_server_key(name), context=_key_context(name)
            )
            server = psi.PsiServer(key)
            with self._lock:
                self._servers.setdefault(name, server)
        return server

    def current_filter(self, name: str) -> StoredFilter:
        """Return the filter of the dataset's current version, building it if needed.

        Raises:
            NotFound: no such dataset.
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
        version = self._store.dataset_version(name)
        with self._lock:
            if self._built.get(name) == version:
                return version
        built = self.current_filter(name).version
        with self._lock:
            self._built[name] = built
        return built

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
        # One consistent read: a concurrent import cannot mislabel the filter.
        snapshot = self._store.key_snapshot(name)
        key = self._master.unseal(self._store.sealed_server_key(name), context=_key_context(name))
        setup = psi.build_filter(key, snapshot.values, max_client_items=self._max_client_items)
        stored = StoredFilter(name, snapshot.version, len(snapshot.values), setup)
        self._store.put_filter(stored)
        log.info(
            "built filter of %s v%d: %d keys, %d bytes",
            name,
            snapshot.version,
            len(snapshot.values),
            len(setup),
        )
        return stored

    def filter(self, name: str, version: int) -> StoredFilter:
        """Return a stored filter by version (the current one is built if needed).

        Raises:
            NotFound: no such dataset, or that version is no longer kept.
        """
        stored = self._store.get_filter(name, version)
        if stored is not None:
            return stored
        current = self.current_filter(name)
        if current.version != version:
            raise NotFound(f"filter version {version} of dataset {name!r} is not kept")
        return current
