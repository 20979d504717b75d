"""The status table, both ways, without a socket."""

from __future__ import annotations

import grpc
import pytest

from liaison.core import errors
from liaison.core.errors import LiaisonError
from liaison.wire.status import STATUS_BY_ERROR, error_from_rpc, status_for


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
