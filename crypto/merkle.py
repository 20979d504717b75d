"""The Merkle tree of the audit log (RFC 9162, section 2.1).

Hashes are SHA-256. A leaf hash is ``SHA-256(0x00 || data)`` and an interior
node hash ``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1), so a leaf can
never be passed off as an interior node.

The tree works on leaf *hashes*: the broker stores each entry's leaf hash and
hands the tree nothing else. :class:`MerkleTree` builds inclusion proofs
(§2.1.3.1) and consistency proofs (§2.1.4.1); :func:`verify_inclusion` and
:func:`verify_consistency` check them (§2.1.3.2, §2.1.4.2) and raise
:class:`~crypto.errors.ProofError` on any failure, including every malformed
input (an index not below the size, a hash that is not 32 bytes, a proof of
the wrong length).

Consistency from the empty tree, which RFC 9162 leaves undefined: every tree
extends the empty tree, so the proof from size 0 is the empty list, and it is
accepted only when the old root is the empty tree's root (``EMPTY_ROOT``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from liaison.core.errors import InvalidInput, LiaisonError, ProofError

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
#: The root of the empty tree: the hash of the empty string (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 hash of a leaf holding ``data``."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 hash of an interior node over two child hashes."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash of a list of leaf hashes (RFC 9162 §2.1.1).

    Args:
        leaves: The leaves' hashes (each ``leaf_hash(data)``), in log order.

    Returns:
        ``MTH(D[n])``; :data:`EMPTY_ROOT` for no leaves.

    Raises:
        InvalidInput: a leaf hash is not 32 bytes.
    """
    return MerkleTree(leaves).root()


class MerkleTree:
    """An in-memory, append-only Merkle tree over leaf hashes.

    Each complete subtree (``2**h`` leaves starting at a multiple of ``2**h``)
    is hashed once, when its last leaf arrives, and kept: appending costs one
    node hash amortised, and a root or a proof for any size costs
    ``O(log n)`` hashes, since the RFC's recursion splits every range into a
    complete left subtree and a smaller right part (§2.1.1). Memory is about
    64 bytes per leaf. Not thread-safe: the caller serialises appends.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        """Start a tree, optionally with leaves already in it.

        Raises:
            InvalidInput: a leaf hash is not 32 bytes.
        """
        # _levels[h] concatenates the hashes of the complete subtrees of 2**h
        # leaves, left to right: node i covers leaves [i * 2**h, (i + 1) * 2**h).
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        for hashed in leaf_hashes:
            self.append(hashed)

    @property
    def size(self) -> int:
        """The number of leaves."""
        return self._size

    def append(self, leaf_hash: bytes) -> int:
        """Add a leaf hash at the end of the log.

        Returns:
            The new leaf's index.

        Raises:
            InvalidInput: ``leaf_hash`` is not 32 bytes.
        """
        _require_hash(leaf_hash, "leaf hash", InvalidInput)
        index = self._size
        self._levels[0] += leaf_hash
        self._size += 1
        # Level h holds size >> h nodes; each time that count turns even, the
        # last two nodes of level h close a complete subtree one level up.
        level, count = 0, self._size
        while count % 2 == 0:
            row = self._levels[level]
            if level + 1 == len(self._levels):
                self._levels.append(bytearray())
            self._levels[level + 1] += node_hash(bytes(row[-64:-32]), bytes(row[-32:]))
            level, count = level + 1, count // 2
        return index

    def leaf(self, index: int) -> bytes:
        """Return the hash of leaf ``index``.

        Raises:
            InvalidInput: unless ``0 <= index < self.size``.
        """
        index = _require_count(index, "index", InvalidInput)
        if index >= self._size:
            raise InvalidInput(f"no leaf {index} in a tree of {self._size}")
        return self._node(0, index)

    def root(self, size: int | None = None) -> bytes:
        """Return the tree hash of the first ``size`` leaves (RFC 9162 §2.1.1).

        Args:
            size: A past size of the tree; the current size when omitted.

        Returns:
            ``MTH(D[0:size])``; :data:`EMPTY_ROOT` for size 0.

        Raises:
            InvalidInput: ``size`` is negative or beyond the tree's size.
        """
        size = self._size if size is None else _require_count(size, "size", InvalidInput)
        if size > self._size:
            raise InvalidInput(f"size {size} is beyond the tree's {self._size} leaves")
        return EMPTY_ROOT if size == 0 else self._mth(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the audit path of leaf ``index`` in the tree of ``size`` leaves.

        This is ``PATH(index, D[0:size])`` of RFC 9162 §2.1.3.1, from the leaf's
        sibling up to the root's child.

        Raises:
            InvalidInput: unless ``0 <= index < size <= self.size``.
        """
        index = _require_count(index, "index", InvalidInput)
        size = _require_count(size, "size", InvalidInput)
        if not index < size <= self._size:
            raise InvalidInput(f"need index < size <= {self._size}, got index {index}, size {size}")
        siblings: list[bytes] = []
        start, end = 0, size
        # §2.1.3.1, unrolled from the root down: PATH(m, D[n]) is the path in
        # the half holding m, followed by the other half's MTH.
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                siblings.append(self._mth(start + k, end))
                end = start + k
            else:
                siblings.append(self._mth(start, start + k))
                start += k
        siblings.reverse()
        return siblings

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """Return the proof that the tree of ``old_size`` is a prefix of ``new_size``.

        This is ``PROOF(old_size, D[0:new_size])`` of RFC 9162 §2.1.4.1. Equal
        sizes give the empty proof (``SUBPROOF(m, D[m], true)``), and so does
        ``old_size == 0`` (this module's policy: every tree extends the empty
        tree; RFC 9162 defines the proof only for ``0 < old_size``).

        Raises:
            InvalidInput: unless ``0 <= old_size <= new_size <= self.size``.
        """
        old_size = _require_count(old_size, "old size", InvalidInput)
        new_size = _require_count(new_size, "new size", InvalidInput)
        if not old_size <= new_size <= self._size:
            raise InvalidInput(
                f"need old size <= new size <= {self._size}, got {old_size} and {new_size}"
            )
        if old_size == 0:
            return []
        nodes: list[bytes] = []
        start, end, whole = 0, new_size, True
        # §2.1.4.1 SUBPROOF(m, D[start:end], b), unrolled from the root down.
        while old_size != end:
            k = _split(end - start)
            if old_size - start <= k:
                nodes.append(self._mth(start + k, end))
                end = start + k
            else:
                nodes.append(self._mth(start, start + k))
                start, whole = start + k, False
        if not whole:
            # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's last
            # complete subtree, which the verifier cannot know from old_root.
            nodes.append(self._mth(start, end))
        nodes.reverse()
        return nodes

    def _mth(self, start: int, end: int) -> bytes:
        # MTH(D[start:end]) for a non-empty range the RFC's recursion reaches:
        # such a range starts at a multiple of its largest complete subtree,
        # so a power-of-two range is a cached node (§2.1.1).
        n = end - start
        if n & (n - 1) == 0:
            level = n.bit_length() - 1
            return self._node(level, start >> level)
        k = _split(n)
        return node_hash(self._mth(start, start + k), self._mth(start + k, end))

    def _node(self, level: int, position: int) -> bytes:
        offset = position * HASH_SIZE
        return bytes(self._levels[level][offset : offset + HASH_SIZE])


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree ``(size, root)``.

    The algorithm of RFC 9162 §2.1.3.2 with all its preconditions: ``index <
    size``, every hash 32 bytes, and exactly as many proof hashes as the
    path from ``index`` to the root of a tree of ``size`` has siblings.

    Args:
        leaf_hash: The leaf's hash, ``leaf_hash(data)``.
        index: The leaf's index.
        size: The size of the tree the proof was made for.
        proof: The audit path, as :meth:`MerkleTree.inclusion_proof` returns it.
        root: The root hash of that tree (from a verified signed tree head).

    Raises:
        ProofError: the proof does not verify, or an argument is malformed.
    """
    index = _require_count(index, "index", ProofError)
    size = _require_count(size, "size", ProofError)
    if index >= size:
        raise ProofError(f"leaf index {index} is not below the tree size {size}")
    _require_hash(leaf_hash, "leaf hash", ProofError)
    _require_hash(root, "root", ProofError)
    path = _require_proof(proof, _inclusion_length(index, size))
    # §2.1.3.2 steps 2-5.
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path")
    _require_equal(r, root, "inclusion proof does not lead to the root")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Check that the tree ``(old_size, old_root)`` is a prefix of ``(new_size, new_root)``.

    The algorithm of RFC 9162 §2.1.4.2 with all its preconditions:
    ``old_size <= new_size``, every hash 32 bytes, and exactly as many proof
    hashes as :meth:`MerkleTree.consistency_proof` gives for these sizes.
    Equal sizes need the empty proof and equal roots. A root of size 0 must
    be :data:`EMPTY_ROOT`.

    Consistency from the empty tree (``old_size == 0 < new_size``), undefined
    in RFC 9162, is accepted only with the empty proof and ``old_root ==
    EMPTY_ROOT``: every tree extends the empty tree, so the claim holds
    whatever ``new_root`` is, and it says nothing about ``new_root``.

    Args:
        old_size: The earlier tree's size.
        new_size: The later tree's size.
        proof: The consistency proof between them.
        old_root: The earlier tree's root (from a verified signed tree head).
        new_root: The later tree's root (from a verified signed tree head).

    Raises:
        ProofError: the proof does not verify, or an argument is malformed.
    """
    old_size = _require_count(old_size, "old size", ProofError)
    new_size = _require_count(new_size, "new size", ProofError)
    if old_size > new_size:
        raise ProofError(f"old size {old_size} is beyond the new size {new_size}")
    _require_hash(old_root, "old root", ProofError)
    _require_hash(new_root, "new root", ProofError)
    if old_size == 0:
        _require_proof(proof, 0)
        _require_equal(old_root, EMPTY_ROOT, "old root is not the empty tree's root")
        if new_size == 0:
            _require_equal(new_root, EMPTY_ROOT, "new root is not the empty tree's root")
        return
    if old_size == new_size:
        _require_proof(proof, 0)
        _require_equal(old_root, new_root, "trees of the same size have different roots")
        return
    path = _require_proof(proof, _consistency_length(old_size, new_size))
    # §2.1.4.2 step 1 (a non-empty proof) holds: the expected length is >= 1.
    # Step 2: a complete old tree is its own first node.
    if old_size & (old_size - 1) == 0:
        path = [old_root, *path]
    # Steps 3-4.
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    # Steps 5-6.
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than the path")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    # Step 7.
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path")
    _require_equal(fr, old_root, "consistency proof does not lead to the old root")
    _require_equal(sr, new_root, "consistency proof does not lead to the new root")


def _split(n: int) -> int:
    # k of RFC 9162 §2.1.1: the largest power of two smaller than n (n > 1).
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_length(index: int, size: int) -> int:
    # The path of `index` and that of the last leaf share every node above the
    # level where they diverge: below it one sibling per level ("inner"), above
    # it one per left turn of the right border ("border"). §2.1.3.1.
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def _consistency_length(old_size: int, new_size: int) -> int:
    # The suffix of the inclusion path of leaf old_size - 1 above the old
    # tree's last complete subtree (2**shift leaves), plus that subtree's hash
    # unless it is the whole old tree (§2.1.4.1, 0 < old_size < new_size).
    shift = (old_size & -old_size).bit_length() - 1
    seed = 0 if old_size == 1 << shift else 1
    return seed + _inclusion_length(old_size - 1, new_size) - shift


def _require_count(value: object, what: str, error: type[LiaisonError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what} must be an integer")
    if value < 0:
        raise error(f"{what} must not be negative")
    return value


def _require_hash(value: object, what: str, error: type[LiaisonError]) -> bytes:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise error(f"{what} must be {HASH_SIZE} bytes")
    return value


def _require_proof(proof: object, length: int) -> list[bytes]:
    if not isinstance(proof, Sequence) or isinstance(proof, (bytes, bytearray, str)):
        raise ProofError("proof must be a list of hashes")
    if len(proof) != length:
        raise ProofError(f"proof has {len(proof)} hashes, {length} expected")
    return [_require_hash(item, f"proof[{i}]", ProofError) for i, item in enumerate(proof)]


def _require_equal(computed: bytes, expected: bytes, message: str) -> None:
    if not hmac.compare_digest(computed, expected):
        raise ProofError(message)
