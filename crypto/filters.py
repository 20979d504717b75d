"""Filters rebuilt from kept encrypted elements, with no curve work.

openmined-psi's ``ServerSetup`` is, after the curve work, plain hashing over
the encrypted elements (``private_set_intersection/cpp/datastructure``):

* **Golomb-coded set** (``gcs.cpp``, ``golomb.cpp``): with ``c`` the client
  set size and ``n`` the server's, ``corrected_fpr = fpr / c`` and
  ``hash_range = int64(max(c, n) / corrected_fpr)``; each element hashes to
  ``SHA-256(element)`` read as a big-endian integer, modulo ``hash_range``;
  the hashes are sorted and their gaps Golomb-Rice coded with
  ``div = max(0, round(-log2(-log2(1 - 1/avg))))``, ``avg = (last + 1) / n``:
  per gap, ``gap >> div`` zero bits, a one bit, then the ``div`` low bits of
  the gap, least significant first, packed least significant bit first; a
  repeated hash is skipped (but counted in ``n``).
* **Raw** (``raw.cpp``): the encrypted elements, sorted.

This module reproduces both byte for byte (``tests/unit/crypto/test_filters.py``
compares them with the library's own output for the same key and items), so
a node keeps each record's elements once per key epoch and rebuilds its
filter after every import by hashing alone. The structure is chosen by the
same rule as :func:`crypto.psi.build_filter`, which works around the
library's Golomb coder failing on small sparse sets: such sets are sent raw.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from liaison.core.errors import PsiError
from liaison.crypto import psi

#: Bits gathered before whole bytes are flushed out of the Golomb coder's accumulator.
_FLUSH_BITS: Final = 1 << 15


@dataclass(frozen=True, slots=True)
class BuiltFilter:
    """A serialised ``ServerSetup`` and the number of distinct elements it holds."""

    setup: bytes
    key_count: int


def distinct_elements(blobs: Iterable[bytes]) -> set[bytes]:
    """Split records' element blobs (concatenated 33-byte points) into the set of elements.

    Raises:
        PsiError: a blob's length is not a multiple of :data:`crypto.psi.ELEMENT_BYTES`.
    """
    return set(split_elements(blobs))


def uses_gcs(key_count: int, max_client_items: int, fpr: float = psi.FILTER_FPR) -> bool:
    """Whether a filter of ``key_count`` keys is a GCS (else raw), as ``psi.build_filter`` picks."""
    return psi.filter_structure_is_gcs(key_count, max_client_items, fpr)


def hash_range(key_count: int, max_client_items: int, fpr: float = psi.FILTER_FPR) -> int:
    """Return the GCS hash range for ``key_count`` server and ``max_client_items`` client items."""
    client = max(1, max_client_items)
    return int(max(client, key_count) / (fpr / client))


def gcs_hash(element: bytes, hash_range_: int) -> int:
    """Return an element's hash in a GCS of that range (``GCS::Hash``)."""
    return int.from_bytes(hashlib.sha256(element).digest(), "big") % hash_range_


def golomb_div(last: int, count: int) -> int:
    """Return the Golomb-Rice parameter ``golomb_compress`` picks (its double arithmetic).

    Raises:
        PsiError: the parameter is not finite (a set too sparse to code).
    """
    avg = (last + 1) / count
    prob = 1 / avg
    inner = -math.log2(1.0 - prob)
    if inner <= 0:
        raise PsiError("set too sparse for a Golomb-coded filter")
    value = -math.log2(inner)
    if not math.isfinite(value):
        raise PsiError("set too sparse for a Golomb-coded filter")
    # std::round rounds halves away from zero; a negative value becomes 0.
    return max(0, math.floor(value + 0.5))


def golomb_bits(sorted_hashes: list[int], div: int) -> bytes:
    """Golomb-Rice code sorted hashes exactly as ``golomb_compress`` does."""
    out = bytearray()
    acc = 0
    nbits = 0
    prev = 0
    start = True
    low = (1 << div) - 1
    for value in sorted_hashes:
        if not (start or value > prev):
            continue  # a repeated hash
        gap = value - prev
        quotient = gap >> div
        # The unary part ends in a one at bit `quotient`; the remainder follows it.
        acc |= ((((gap & low) << 1) | 1) << quotient) << nbits
        nbits += quotient + 1 + div
        prev = value
        start = False
        if nbits >= _FLUSH_BITS:
            whole = nbits >> 3
            out += (acc & ((1 << (whole * 8)) - 1)).to_bytes(whole, "little")
            acc >>= whole * 8
            nbits -= whole * 8
    if nbits:
        out += acc.to_bytes((nbits + 7) // 8, "little")
    return bytes(out)


def gcs_from_elements(
    elements: Iterable[bytes], key_count: int, *, max_client_items: int, fpr: float = psi.FILTER_FPR
) -> bytes:
    """Return the serialised GCS ``ServerSetup`` of ``key_count`` distinct elements.

    ``elements`` may repeat an element (a key two records share): a repeat
    hashes alike and is skipped by the coder, exactly like the library's
    hash collisions, so only ``key_count`` (the distinct count, which sets
    the hash range and the Golomb parameter) must be exact.

    Raises:
        PsiError: the set is too sparse to code (use :func:`psi.raw_setup`).
    """
    range_ = hash_range(key_count, max(1, max_client_items), fpr)
    # gcs_hash inlined: this line is most of a rebuild's time.
    sha256, from_bytes = hashlib.sha256, int.from_bytes
    hashes = [from_bytes(sha256(element).digest(), "big") % range_ for element in elements]
    hashes.sort()
    if not hashes:
        return psi.gcs_setup(b"", 0, range_)
    div = golomb_div(hashes[-1], key_count)
    return psi.gcs_setup(golomb_bits(hashes, div), div, range_)


def split_elements(blobs: Iterable[bytes]) -> Iterator[bytes]:
    """Yield every element of records' element blobs (repeats included).

    Raises:
        PsiError: a blob's length is not a multiple of :data:`crypto.psi.ELEMENT_BYTES`.
    """
    size = psi.ELEMENT_BYTES
    for blob in blobs:
        if len(blob) % size:
            raise PsiError("a stored element list is not a whole number of elements")
        for i in range(0, len(blob), size):
            yield blob[i : i + size]


def filter_from_elements(
    blobs: Iterable[bytes],
    *,
    max_client_items: int,
    fpr: float = psi.FILTER_FPR,
    key_count: int | None = None,
) -> BuiltFilter:
    """Build a dataset's filter from its records' kept elements: hashing only.

    Byte for byte the filter :func:`crypto.psi.build_filter` makes from the
    dataset's distinct keys under the key the elements were encrypted with.
    With ``key_count`` (the dataset's distinct keys, as its store counts
    them), a Golomb-coded set is built from the elements as they stream
    past, holding one integer per element and no set of elements.

    Raises:
        PsiError: a malformed element blob.
    """
    if key_count is not None and uses_gcs(key_count, max_client_items, fpr):
        setup = gcs_from_elements(
            split_elements(blobs), key_count, max_client_items=max_client_items, fpr=fpr
        )
        return BuiltFilter(setup, key_count)
    elements = distinct_elements(blobs)
    count = len(elements)
    if uses_gcs(count, max_client_items, fpr):
        try:
            return BuiltFilter(
                gcs_from_elements(elements, count, max_client_items=max_client_items, fpr=fpr),
                count,
            )
        except PsiError:
            pass  # too sparse to code: exact, like build_filter's fallback
    return BuiltFilter(psi.raw_setup(elements), count)
