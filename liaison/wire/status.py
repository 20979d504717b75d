"""Liaison errors and gRPC statuses: the one table, both ways."""

from __future__ import annotations

import logging
from types import TracebackType

import grpc

from liaison.core.errors import (
    ConfigError,
    EnvelopeRejected,
    InvalidInput,
    LiaisonError,
    NotFound,
    PartnerUnavailable,
    PermissionDenied,
    QueryRefused,
    QuotaExceeded,
    StorageUnavailable,
)

log = logging.getLogger(__name__)

#: The one catalogue of error classes and their gRPC status, most specific first.
STATUS_BY_ERROR: tuple[tuple[type[LiaisonError], grpc.StatusCode], ...] = (
    (EnvelopeRejected, grpc.StatusCode.PERMISSION_DENIED),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (QueryRefused, grpc.StatusCode.PERMISSION_DENIED),
    (QuotaExceeded, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (InvalidInput, grpc.StatusCode.INVALID_ARGUMENT),
    (PartnerUnavailable, grpc.StatusCode.UNAVAILABLE),
    (StorageUnavailable, grpc.StatusCode.UNAVAILABLE),
    (ConfigError, grpc.StatusCode.FAILED_PRECONDITION),
)


def status_for(error: LiaisonError) -> grpc.StatusCode:
    """Return the gRPC status code for a Liaison error."""
    for error_type, code in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return code
    return grpc.StatusCode.INTERNAL


class translate_errors:  # noqa: N801 - used like a function: `with translate_errors(...)`
    """Turn errors raised inside a servicer method into gRPC statuses.

    Liaison errors keep their (value-free) message; anything else becomes
    INTERNAL with the cause logged, not sent. Code inside must raise
    ``LiaisonError`` rather than call ``context.abort`` itself: ``abort``
    raises a bare ``Exception`` that would be reported as INTERNAL here.
    """

    def __init__(self, context: grpc.ServicerContext, method: str) -> None:
        """Remember the call being served."""
        self._context = context
        self._method = method

    def __enter__(self) -> None:
        """Nothing to set up."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Abort the call with the status matching ``exc`` (never swallows)."""
        if isinstance(exc, LiaisonError):
            code = status_for(exc)
            log.info("%s: %s: %s", self._method, code.name, exc)
            self._context.abort(code, str(exc))
        elif isinstance(exc, Exception):
            log.error("%s: unexpected error", self._method, exc_info=exc)
            self._context.abort(grpc.StatusCode.INTERNAL, "internal error")


def rpc_code(error: grpc.RpcError) -> grpc.StatusCode:
    """Return the status code of a failed call (UNKNOWN if it carries none)."""
    # A failed call's RpcError is also a grpc.Call, which the stubs cannot express.
    code = getattr(error, "code", None)
    result = code() if callable(code) else None
    return result if isinstance(result, grpc.StatusCode) else grpc.StatusCode.UNKNOWN


def error_from_rpc(error: grpc.RpcError) -> LiaisonError:
    """Turn a failed call's status back into the matching Liaison error."""
    code = rpc_code(error)
    details_of = getattr(error, "details", None)
    details = (details_of() if callable(details_of) else None) or code.name
    for error_type, error_code in STATUS_BY_ERROR:
        if code == error_code:
            return error_type(details)
    if code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED):
        return PartnerUnavailable(f"deadline exceeded: {details}")
    return LiaisonError(f"{code.name}: {details}")
