"""The requester's cache of partner filters, decoded once, keyed by epoch and version.

A partner dataset's filter changes only with a new version (an import, or a
key rotation, which also starts a new epoch). The requester keeps each
filter it used *decoded* (:func:`liaison.crypto.psi.filter_index`), so a
warm match costs a look-up per query key, not a decode of every partner's
filter. An entry answers only for exactly the (partner, dataset, epoch,
version) it was fetched for: an answer of any other version misses and
fetches that version's filter, so a stale filter never answers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from liaison.crypto.filter_index import FilterIndex

#: Memory the decoded filters of one node may take (about 30 million keys Golomb-coded).
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FilterKey:
    """Which filter: a partner's dataset at one key epoch and version.

    ``epoch`` is None for a partner that does not declare its key epoch; its
    version alone then names the filter (a rotation increments it too).
    """

    agency: str
    dataset: str
    epoch: int | None
    version: int


class FilterCache:
    """Decoded partner filters, least recently used out, bounded by their memory."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        """Bound the cache by the memory of the decoded filters it holds."""
        self._max_bytes = max_bytes
        self._entries: OrderedDict[FilterKey, FilterIndex] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: FilterKey) -> FilterIndex | None:
        """Return the decoded filter of exactly ``key``, or None."""
        with self._lock:
            index = self._entries.get(key)
            if index is not None:
                self._entries.move_to_end(key)
            return index

    def put(self, key: FilterKey, index: FilterIndex) -> None:
        """Cache a decoded filter; every other version of the same dataset is dropped."""
        with self._lock:
            for old in [
                k for k in self._entries if (k.agency, k.dataset) == (key.agency, key.dataset)
            ]:
                self._size -= self._entries.pop(old).memory_bytes
            self._entries[key] = index
            self._size += index.memory_bytes
            while self._size > self._max_bytes and len(self._entries) > 1:
                _, evicted = self._entries.popitem(last=False)
                self._size -= evicted.memory_bytes

    def held(self) -> list[FilterKey]:
        """Return the cached keys, least recently used first."""
        with self._lock:
            return list(self._entries)
