"""The gRPC boundary helpers that need no socket: status table, chunking."""

from __future__ import annotations

import grpc
import pytest

from liaison.core import errors
from liaison.core.errors import LiaisonError, PsiError
from liaison.wire.rpc import (
    CHUNK_BYTES,
    STATUS_BY_ERROR,
    error_from_rpc,
    filter_chunks,
    join_filter_chunks,
    status_for,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.EnvelopeRejected("x"), grpc.StatusCode.PERMISSION_DENIED),
        (errors.PermissionDenied("x"), grpc.StatusCode.PERMISSION_DENIED),
        (errors.QueryRefused("x"), grpc.StatusCode.PERMISSION_DENIED),
        (errors.QuotaExceeded("x"), grpc.StatusCode.RESOURCE_EXHAUSTED),
        (errors.NotFound("x"), grpc.StatusCode.NOT_FOUND),
        (errors.PsiError("x"), grpc.StatusCode.INVALID_ARGUMENT),
        (errors.InvalidInput("x"), grpc.StatusCode.INVALID_ARGUMENT),
        (errors.PartnerUnavailable("x"), grpc.StatusCode.UNAVAILABLE),
        (errors.StorageUnavailable("x"), grpc.StatusCode.UNAVAILABLE),
        (errors.ConfigError("x"), grpc.StatusCode.FAILED_PRECONDITION),
        (errors.LiaisonError("x"), grpc.StatusCode.INTERNAL),
    ],
)
def test_each_error_class_has_its_status(error: LiaisonError, code: grpc.StatusCode) -> None:
    assert status_for(error) == code


class FailedCall(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        self._code = code
        self._details = details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details


@pytest.mark.parametrize(("error_type", "code"), STATUS_BY_ERROR)
def test_statuses_map_back_to_an_error_of_the_same_family(
    error_type: type[LiaisonError], code: grpc.StatusCode
) -> None:
    error = error_from_rpc(FailedCall(code, "why"))
    assert status_for(error) == code
    assert str(error) == "why"


def test_deadline_exceeded_reads_as_unavailable() -> None:
    error = error_from_rpc(FailedCall(grpc.StatusCode.DEADLINE_EXCEEDED, "late"))
    assert isinstance(error, errors.PartnerUnavailable)


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, 2 * CHUNK_BYTES + 5])
def test_filters_survive_chunking(size: int) -> None:
    setup = bytes(i % 251 for i in range(size))
    chunks = list(filter_chunks("NL", "watchlist", 4, setup))
    assert [c.last for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert all(len(c.data) <= CHUNK_BYTES for c in chunks)
    assert join_filter_chunks(chunks, max_bytes=size + 1) == setup


def test_corrupted_chunk_is_detected() -> None:
    chunks = list(filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10)))
    chunks[0].data = b"y" + chunks[0].data[1:]
    with pytest.raises(PsiError, match="digest"):
        join_filter_chunks(chunks, max_bytes=10 * CHUNK_BYTES)


def test_truncated_stream_is_detected() -> None:
    chunks = list(filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10)))
    with pytest.raises(PsiError, match="ended early"):
        join_filter_chunks(chunks[:-1], max_bytes=10 * CHUNK_BYTES)


def test_oversized_stream_is_refused() -> None:
    chunks = filter_chunks("NL", "w", 1, b"x" * (CHUNK_BYTES + 10))
    with pytest.raises(PsiError, match="size limit"):
        join_filter_chunks(chunks, max_bytes=CHUNK_BYTES)
