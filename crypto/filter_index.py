"""A partner's filter decoded once, answering look-ups without decoding it again.

openmined-psi's client decodes a partner's whole filter (a Golomb-coded set
of hashes, a raw sorted list or a Bloom filter) inside every
``GetIntersection`` call: at 100,000 records that is tens of milliseconds
per partner and per query, most of a warm match. The requester instead
decodes each filter once, when it enters its cache, into a form that
answers a look-up in time that does not grow with the filter:

* Golomb-coded set: the sorted table of its hash values (``array('q')``, 8
  bytes a key), searched by bisection;
* raw list: a set of the encrypted elements;
* Bloom filter: its bit array as is (a look-up reads a few bits).

A look-up takes the *unblinded* elements (the requester's keys encrypted
under the partner's server key, see :meth:`liaison.crypto.psi.Unblinder.unblind`)
and applies exactly the hashing of openmined-psi 2.0.6
(``private_set_intersection/cpp/datastructure/{gcs,golomb,bloom_filter}.cpp``):
SHA-256 of the element read as a big-endian number modulo the hash range
(GCS) or the bit count (Bloom, with ``SHA-256("1" || x) + i SHA-256("2" || x)``).
``tests/unit/crypto/test_filter_index.py`` checks every layout against the
library's own ``GetIntersection`` on the same filter and response.

This module knows the decoded fields, not the protobuf message: parsing
stays in :mod:`liaison.crypto.psi`, the only importer of openmined-psi.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from liaison.core.errors import PsiError

#: Largest Golomb parameter accepted (openmined-psi picks about log2 of the mean gap).
MAX_DIV: Final = 62
#: Window read per code word on the fast path: a code word longer than this
#: (a long unary quotient) takes the slow path.
_WINDOW_BYTES: Final = 16
_INT64_MAX: Final = 2**63 - 1


class FilterIndex(Protocol):
    """A decoded filter: membership of unblinded elements, and its memory cost."""

    @property
    def memory_bytes(self) -> int:
        """Approximate bytes this index holds in memory (for the cache bound)."""
        ...

    def matches(self, elements: Sequence[bytes]) -> list[int]:
        """Return the sorted positions of ``elements`` that the filter holds."""
        ...


def _sha256_int(data: bytes) -> int:
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


@dataclass(frozen=True, slots=True)
class GcsIndex:
    """A Golomb-coded set decoded into its sorted hash values."""

    hash_range: int
    hashes: array[int]

    @property
    def memory_bytes(self) -> int:
        """Eight bytes a key."""
        return self.hashes.itemsize * len(self.hashes)

    def matches(self, elements: Sequence[bytes]) -> list[int]:
        """Positions whose hash (SHA-256 mod the hash range) is in the set."""
        hashes, size, found = self.hashes, len(self.hashes), []
        for position, element in enumerate(elements):
            value = _sha256_int(element) % self.hash_range
            at = bisect_left(hashes, value)
            if at < size and hashes[at] == value:
                found.append(position)
        return found


@dataclass(frozen=True, slots=True)
class RawIndex:
    """An exact filter: the set of encrypted elements."""

    elements: frozenset[bytes]

    @property
    def memory_bytes(self) -> int:
        """About a hundred bytes an element (the bytes object and the set slot)."""
        return 100 * len(self.elements)

    def matches(self, elements: Sequence[bytes]) -> list[int]:
        """Positions of the elements present."""
        return [i for i, element in enumerate(elements) if element in self.elements]


@dataclass(frozen=True, slots=True)
class BloomIndex:
    """A Bloom filter: no decoding needed, a look-up reads its bits."""

    num_hash_functions: int
    bits: bytes

    @property
    def memory_bytes(self) -> int:
        """The bit array."""
        return len(self.bits)

    def matches(self, elements: Sequence[bytes]) -> list[int]:
        """Positions whose every hashed bit is set."""
        num_bits = 8 * len(self.bits)
        if num_bits == 0:
            return []
        found = []
        for position, element in enumerate(elements):
            first = _sha256_int(b"1" + element) % num_bits
            second = _sha256_int(b"2" + element) % num_bits
            for i in range(self.num_hash_functions):
                index = (first + i * second) % num_bits
                if not (self.bits[index // 8] >> (index % 8)) & 1:
                    break
            else:
                found.append(position)
        return found


def gcs_index(bits: bytes, div: int, hash_range: int, *, max_items: int) -> GcsIndex:
    """Decode a Golomb-coded set (openmined-psi's ``golomb_compress`` layout).

    Each value is coded as the gap from the previous one: a unary quotient
    (``gap >> div`` zero bits, then a one bit), then the ``div`` low bits of
    the gap, least significant bit first, bits taken from each byte's least
    significant end. Trailing zero bits end the set. At most ``max_items``
    values are decoded (the partner's declared key count): a hostile filter
    of one-bit code words would otherwise take 8 bytes of memory per bit.

    Raises:
        PsiError: a parameter out of range, a code word running past the
            end, or more than ``max_items`` values.
    """
    # A range past int64 overflows in openmined-psi to -2**63, which its big-number
    # modulo then reads as 2**63: so does this index.
    hash_range = abs(hash_range)
    if not 0 <= div <= MAX_DIV or not 0 < hash_range <= _INT64_MAX + 1:
        raise PsiError("PSI filter has out-of-range Golomb parameters")
    hashes: array[int] = array("q")
    append = hashes.append
    from_bytes = int.from_bytes
    data = bits + bytes(_WINDOW_BYTES)
    total_bits = 8 * len(bits)
    mask = (1 << div) - 1
    fast_limit = 8 * _WINDOW_BYTES - 8
    position = value = 0
    while position < total_bits:
        start = position >> 3
        window = from_bytes(data[start : start + _WINDOW_BYTES], "little") >> (position & 7)
        if window:
            quotient = (window & -window).bit_length() - 1
            if quotient + 1 + div > fast_limit:
                position, gap = _slow_code_word(bits, position, div)
            else:
                gap = (quotient << div) | ((window >> (quotient + 1)) & mask)
                position += quotient + 1 + div
        else:
            position, gap = _slow_code_word(bits, position, div)
            if gap < 0:
                break
        if position > total_bits:
            raise PsiError("PSI filter's Golomb-coded set is truncated")
        value += gap
        if value > _INT64_MAX:
            raise PsiError("PSI filter's Golomb-coded set overflows its range")
        if len(hashes) >= max_items:
            raise PsiError("PSI filter holds more keys than its partner declared")
        append(value)
    return GcsIndex(hash_range, hashes)


def _slow_code_word(bits: bytes, position: int, div: int) -> tuple[int, int]:
    """Read one code word bit by bit; a gap of -1 means only zero bits remain."""
    total_bits = 8 * len(bits)
    quotient = 0
    while position < total_bits and not (bits[position >> 3] >> (position & 7)) & 1:
        if position & 7 == 0 and bits[position >> 3] == 0:
            quotient += 8
            position += 8
            continue
        quotient += 1
        position += 1
    if position >= total_bits:
        return position, -1
    position += 1
    remainder = 0
    for i in range(div):
        if position >= total_bits:
            raise PsiError("PSI filter's Golomb-coded set is truncated")
        remainder |= ((bits[position >> 3] >> (position & 7)) & 1) << i
        position += 1
    return position, (quotient << div) | remainder


def raw_index(elements: Sequence[bytes], *, max_items: int) -> RawIndex:
    """Index an exact filter of at most ``max_items`` elements.

    Raises:
        PsiError: more elements than that.
    """
    if len(elements) > max_items:
        raise PsiError("PSI filter holds more keys than its partner declared")
    return RawIndex(frozenset(elements))


def bloom_index(num_hash_functions: int, bits: bytes) -> BloomIndex:
    """Index a Bloom filter.

    Raises:
        PsiError: a negative or absurd number of hash functions.
    """
    if not 0 < num_hash_functions <= 1024:
        raise PsiError("PSI filter's Bloom filter has an invalid number of hash functions")
    return BloomIndex(num_hash_functions, bytes(bits))
