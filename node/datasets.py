"""A node's datasets: imports, PSI server keys and their epochs, filters by version.

Each dataset has its own PSI server key, sealed at rest under the node's
master key. Its filter (the dataset's match keys encrypted under that key,
see :mod:`crypto.psi`) is built once per dataset version, stored, and reused
by every query until an import changes the data or the key moves to a new
epoch. Only the current version is answered and served, and a rotation
increments the version, so a filter never meets an answer of another key
(``docs/epochs.md``). A rotation builds the next epoch's filter before it
swaps the key in, while the current epoch goes on answering; one found due
at answer time runs in the background, so no answer waits for it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from liaison.core.errors import LiaisonError, NotFound
from liaison.core.records import Record
from liaison.crypto import filters, psi
from liaison.crypto.entity_keys import derive_record_keys
from liaison.crypto.keys import KEY_SPEC_V3
from liaison.crypto.keystore import MasterKey
from liaison.node.filter_builds import FilterBuild
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
#: How long a rotation's claim holds; past it another process may take the
#: rotation over (the claimant is presumed dead: ``docs/epochs.md``).
ROTATION_LEASE: Final = timedelta(hours=1)
#: Seconds :meth:`Datasets.close` waits for background rotations.
CLOSE_TIMEOUT_S: Final = 30.0

#: Runs a job (a background rotation) somewhere: a thread by default.
Runner = Callable[[Callable[[], None]], None]
#: Reports the progress of a phase of an import or rotation: (phase, done, total).
PhaseProgress = Callable[[str, int, int], None]


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
        background: Runner | None = None,
        workers: int | None = None,
    ) -> None:
        """Wrap a store; ``max_client_items`` sizes every filter's false-positive rate.

        ``background`` runs a rotation found due at answer time (default: a
        daemon thread, awaited by :meth:`close`). ``workers`` threads do the
        curve work of imports and rotations (default: one per core).
        """
        self._workers = psi.worker_count(workers)
        self._store = store
        self._master = master_key
        self._max_client_items = max_client_items
        self._rotation = rotation or KeyRotation()
        self._clock = clock
        #: Per dataset: the sealed key and the PSI server of that key (compared
        #: by sealed bytes: a new epoch, or a dataset re-created under the same
        #: name, has another key).
        self._servers: dict[str, tuple[bytes, psi.PsiServer]] = {}
        self._lock = threading.Lock()
        self._build_locks: dict[str, threading.Lock] = {}
        #: (version, key count) of each dataset's current filter, as last read.
        self._filter_keys: dict[str, tuple[int, int]] = {}
        self._background = background or self._in_thread
        #: Datasets this process is rotating in the background.
        self._rotating: set[str] = set()
        self._threads: set[threading.Thread] = set()

    def names(self) -> list[str]:
        """Return the name of every dataset, sorted: one small read, no count."""
        return self._store.dataset_names()

    def list(self) -> list[DatasetInfo]:
        """Return every dataset of the node."""
        return self._store.list_datasets()

    def info(self, name: str) -> DatasetInfo:
        """Return one dataset.

        Raises:
            NotFound: no such dataset.
        """
        return self._store.get_dataset(name)

    def remove(self, name: str) -> int:
        """Delete a dataset; it stops matching at once. Return its record count.

        Raises:
            NotFound: no such dataset.
        """
        records = self._store.delete_dataset(name)
        with self._lock:
            self._servers.pop(name, None)
            self._filter_keys.pop(name, None)
        return records

    def key_epochs(self, name: str) -> tuple[KeyEpoch, ...]:
        """Return the dataset's key epochs, oldest first; the last is current.

        Raises:
            NotFound: no such dataset.
        """
        return tuple(self._store.key_epochs(name))

    def import_records(
        self,
        name: str,
        records: Iterable[Record],
        *,
        replace: bool,
        progress: Callable[[int], None] | None = None,
        phases: PhaseProgress | None = None,
    ) -> ImportSummary:
        """Create the dataset if new, import rows atomically with the new version's filter.

        Curve work is done for new and changed records only, on every core;
        the filter is rebuilt from kept elements and committed with the
        rows, so queries answer from the previous version until the import
        returns and from the new one (deleted records gone) right after.
        The key is rotated afterwards if its epoch is due, or (with
        ``on_change``) if the import updated or removed a record.
        ``phases`` reports the encryption and filter phases.

        Raises:
            InvalidInput: the dataset name is invalid.
        """
        try:
            self._store.get_dataset(name)
        except NotFound:
            sealed = self._master.seal(psi.new_server_key(), context=_key_context(name))
            self._store.create_dataset(name, sealed)
        with self._builds(phases) as builds:
            summary = self._store.import_records(
                name,
                records,
                derive_record_keys,
                replace=replace,
                key_spec=KEY_SPEC_V3,
                progress=progress,
                builder=builds.for_state,
            )
        epoch = self._store.serving_state(name).epoch
        if self._rotation.on_change and (summary.updated or summary.removed):
            self.rotate(name, reason="change", if_epoch=epoch.epoch)
        elif self._rotation.due(epoch, self._clock()):
            self.rotate(name, reason="schedule", if_epoch=epoch.epoch)
        # Built here unless a rotation stored it (or one in progress elsewhere will).
        self.current_filter(name)
        return summary

    def rotate(
        self,
        name: str,
        *,
        reason: str = "operator",
        if_epoch: int | None = None,
        phases: PhaseProgress | None = None,
    ) -> KeyEpoch | None:
        """Move the dataset to a new key epoch, its filter built before the key is swapped in.

        A fresh key is drawn and sealed like the first; the next version's
        filter is built under it from the stored keys while the current
        epoch goes on answering; then key, version and filter are swapped in
        one transaction (rebuilt if an import changed the keys meanwhile).
        The old sealed key is overwritten and its filters deleted. The
        rotation is claimed in the store first, so that no two processes
        build one dataset's next epoch at once. With ``if_epoch``, a rotation
        already made by someone else counts as done.

        Returns:
            The dataset's current epoch afterwards, or None if a rotation of
            the dataset is in progress already (it starts the next epoch).

        Raises:
            NotFound: no such dataset.
        """
        token = secrets.token_hex(16)
        now = self._clock()
        if not self._store.claim_rotation(name, token, now=now, until=now + ROTATION_LEASE):
            log.info("a rotation of the key of %s is in progress already", name)
            return None
        try:
            return self._rotate_claimed(name, reason, if_epoch, phases)
        finally:
            self._store.release_rotation(name, token)

    def _rotate_claimed(
        self, name: str, reason: str, if_epoch: int | None, phases: PhaseProgress | None
    ) -> KeyEpoch:
        key = psi.new_server_key()
        sealed = self._master.seal(key, context=_key_context(name))
        current = self._store.serving_state(name).epoch
        if if_epoch is not None and current.epoch != if_epoch:
            return current
        with self._builds(phases) as builds:
            build = builds.for_key(key, current.epoch + 1)
            # The old epoch goes on answering while every core fills the new one.
            self._store.fill_elements(name, build, fresh=True)
            epoch = self._store.rotate_server_key(
                name, sealed, reason=reason, now=self._clock(), if_epoch=if_epoch, build=build
            )
        if epoch is None:
            # Rotated by someone else meanwhile (the claim makes it rare).
            return self._store.serving_state(name).epoch
        with self._lock:
            self._servers.pop(name, None)  # the old epoch's key is dropped here
            self._filter_keys.pop(name, None)
        log.info("PSI server key of %s rotated (%s): epoch %d", name, reason, epoch.epoch)
        return epoch

    def _rotate_in_background(self, name: str, if_epoch: int) -> None:
        with self._lock:
            if name in self._rotating:
                return
            self._rotating.add(name)

        def job() -> None:
            try:
                self.rotate(name, reason="schedule", if_epoch=if_epoch)
            except LiaisonError as exc:
                # Still due: the next answer or import tries again.
                log.warning("scheduled rotation of %s failed: %s", name, exc)
            except Exception as exc:
                # A thread has no caller to raise to; only the type: no data in logs.
                log.error("scheduled rotation of %s failed: %s", name, type(exc).__name__)
            finally:
                with self._lock:
                    self._rotating.discard(name)

        self._background(job)

    def _in_thread(self, job: Callable[[], None]) -> None:
        def run() -> None:
            try:
                job()
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name="liaison-rotate-key", daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        """Wait up to ``timeout`` seconds for rotations running in the background.

        One still running afterwards is abandoned with the process: its
        claim expires after :data:`ROTATION_LEASE` and the rotation is made
        again when next due.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def answer(self, name: str, psi_request: bytes, *, reveal: bool = True) -> Answered:
        """Re-encrypt a requester's blinded keys under the dataset's current key.

        If the key's epoch is due, a rotation is started in the background
        and this answer (like every one until the swap) is given under the
        current epoch. The filter of the version answered is stored, so that
        the requester can fetch it. ``reveal`` is the query's mode: False
        answers in cardinality mode, and a request made in the other mode is
        refused.

        Raises:
            NotFound: no such dataset.
            PsiError: the request is malformed.
        """
        state = self._store.serving_state(name)
        if self._rotation.due(state.epoch, self._clock()):
            self._rotate_in_background(name, state.epoch.epoch)
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
        if cached is not None and cached[0] == state.sealed_server_key:
            return cached[1]
        key = self._master.unseal(state.sealed_server_key, context=_key_context(state.dataset))
        server = psi.PsiServer(key)
        with self._lock:
            # The previous epoch's server (and its key) is dropped here.
            self._servers[state.dataset] = (state.sealed_server_key, server)
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

    def _builds(self, phases: PhaseProgress | None) -> _Builds:
        return _Builds(
            self._master, workers=self._workers, max_client_items=self._max_client_items,
            phases=phases,
        )  # fmt: skip

    def _build(self, name: str) -> StoredFilter:
        """Build the current version's filter from kept elements (curve work only where missing)."""
        with self._builds(None) as builds:
            stored = self._store.refresh_filter(name, builds.for_state)
        log.info(
            "built filter of %s v%d: %d keys, %d bytes",
            name,
            stored.version,
            stored.key_count,
            len(stored.setup),
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


class _Builds:
    """The filter builds of one operation, and the worker threads they start (closed on exit)."""

    def __init__(
        self, master: MasterKey, *, workers: int, max_client_items: int,
        phases: PhaseProgress | None,
    ) -> None:  # fmt: skip
        self._master = master
        self._workers = workers
        self._max_client_items = max_client_items
        self._phases = phases
        self._encryptors: list[psi.PsiEncryptor] = []

    def __enter__(self) -> _Builds:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for encryptor in self._encryptors:
            encryptor.close()

    def for_key(self, key: bytes, epoch: int) -> FilterBuild:
        """The build of key epoch ``epoch`` under ``key``: every core for the curve work."""
        encryptor = psi.PsiEncryptor(key, workers=self._workers)
        self._encryptors.append(encryptor)
        max_items = self._max_client_items

        def build(blobs: Iterable[bytes], key_count: int) -> tuple[bytes, int]:
            built = filters.filter_from_elements(
                blobs, max_client_items=max_items, key_count=key_count
            )
            return built.setup, built.key_count

        return FilterBuild(epoch, encryptor.start, build, self._phases)

    def for_state(self, state: ServingState) -> FilterBuild:
        """The build of the dataset's current epoch (its key unsealed here)."""
        key = self._master.unseal(state.sealed_server_key, context=_key_context(state.dataset))
        return self.for_key(key, state.epoch.epoch)
