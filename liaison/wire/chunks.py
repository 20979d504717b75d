"""Filters on the wire: cut into chunks, reassembled and checked against their digest."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator

from liaison.core.errors import PsiError
from liaison.v1.common_pb2 import FilterChunk

#: Size of one filter chunk on the wire.
CHUNK_BYTES = 1024 * 1024


def filter_chunks(agency: str, dataset: str, version: int, setup: bytes) -> Iterator[FilterChunk]:
    """Cut a filter into wire chunks; the last carries the SHA-256 of the whole."""
    total = len(setup)
    for offset in range(0, max(total, 1), CHUNK_BYTES):
        last = offset + CHUNK_BYTES >= total
        yield FilterChunk(
            agency=agency,
            dataset=dataset,
            filter_version=version,
            data=setup[offset : offset + CHUNK_BYTES],
            last=last,
            sha256=hashlib.sha256(setup).digest() if last else b"",
        )


def join_filter_chunks(chunks: Iterable[FilterChunk], *, max_bytes: int) -> bytes:
    """Reassemble a streamed filter, checking its end marker and digest.

    Raises:
        PsiError: the stream ended early, grew past ``max_bytes``, or its
            digest does not match.
    """
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        parts.append(chunk.data)
        size += len(chunk.data)
        if size > max_bytes:
            raise PsiError("filter exceeds the size limit")
        if chunk.last:
            setup = b"".join(parts)
            if not hmac.compare_digest(hashlib.sha256(setup).digest(), chunk.sha256):
                raise PsiError("filter digest mismatch")
            return setup
    raise PsiError("filter stream ended early")
