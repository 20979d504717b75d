"""What a store needs to keep a key epoch's elements and build filters from them.

The domain hands a store these (built from a dataset's unsealed server key
by :class:`node.datasets.Datasets`), so that the store can do the curve work
of exactly the records an import touches, inside the import's transaction,
without itself ever holding a key or importing openmined-psi.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

#: Starts encrypting records' keys (per record, its distinct keys) and returns
#: a function that waits for the result: per record, its elements, sorted and
#: concatenated (:meth:`crypto.psi.PsiEncryptor.start`). Starting before
#: waiting lets the store write one batch while the next is encrypted.
Encrypt = Callable[[Sequence[Sequence[str]]], Callable[[], list[bytes]]]
#: Builds a filter from records' element blobs and the dataset's distinct key
#: count (as the store counts them): returns (setup, distinct keys).
BuildFilter = Callable[[Iterable[bytes], int], tuple[bytes, int]]


@dataclass(frozen=True, slots=True)
class FilterBuild:
    """How a store keeps a key epoch's elements and builds its filters, inside a write.

    ``epoch`` is the key epoch ``encrypt`` encrypts under. ``progress(phase,
    done, total)`` reports the phases of the work (``"encrypt"``: records
    whose elements are computed; ``"filter"``: elements hashed).
    """

    epoch: int
    encrypt: Encrypt
    build: BuildFilter
    progress: Callable[[str, int, int], None] | None = None
