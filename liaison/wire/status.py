"""Liaison errors and gRPC statuses: the one table, both ways.

A servicer raises a :class:`~liaison.core.errors.LiaisonError`;
:class:`translate_errors` aborts the call with the class's status code, its
(value-free) message, and the class's name in the trailing metadata
``liaison-error``. On the calling side :func:`error_from_rpc` rebuilds exactly
that class, looked up by name in :data:`~liaison.core.errors.ERROR_CLASSES`
only (nothing is imported or built from an arbitrary name). A status without
a known name (a foreign peer, or gRPC's own transport failure) falls back by
code through :data:`ERROR_BY_STATUS`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType, TracebackType

import grpc

from liaison.core.errors import (
    ERROR_CLASSES,
    AuditUnavailable,
    BudgetExhausted,
    ConfigError,
    EnvelopeRejected,
    InvalidInput,
    LedgerUnavailable,
    LiaisonError,
    NotFound,
    PartnerTimeout,
    PartnerUnavailable,
    PermissionDenied,
    ProofError,
    PsiError,
    QueryRefused,
    QuotaExceeded,
    StaleAppend,
    StorageUnavailable,
    Unauthenticated,
    Unreachable,
)

log = logging.getLogger(__name__)

#: Trailing-metadata key carrying the name of the error class of a failed call.
ERROR_CLASS_HEADER = "liaison-error"

_Code = grpc.StatusCode

#: The one catalogue: the gRPC status of every error class, exactly (no
#: inheritance lookup, so a class without a row is caught by a test).
STATUS_BY_ERROR: Mapping[type[LiaisonError], grpc.StatusCode] = MappingProxyType(
    {
        LiaisonError: _Code.INTERNAL,
        InvalidInput: _Code.INVALID_ARGUMENT,
        PsiError: _Code.INVALID_ARGUMENT,
        ProofError: _Code.INVALID_ARGUMENT,
        StaleAppend: _Code.INVALID_ARGUMENT,
        ConfigError: _Code.FAILED_PRECONDITION,
        NotFound: _Code.NOT_FOUND,
        PermissionDenied: _Code.PERMISSION_DENIED,
        Unauthenticated: _Code.UNAUTHENTICATED,
        EnvelopeRejected: _Code.PERMISSION_DENIED,
        QueryRefused: _Code.PERMISSION_DENIED,
        QuotaExceeded: _Code.RESOURCE_EXHAUSTED,
        BudgetExhausted: _Code.RESOURCE_EXHAUSTED,
        PartnerUnavailable: _Code.UNAVAILABLE,
        PartnerTimeout: _Code.UNAVAILABLE,
        Unreachable: _Code.UNAVAILABLE,
        StorageUnavailable: _Code.UNAVAILABLE,
        AuditUnavailable: _Code.UNAVAILABLE,
        LedgerUnavailable: _Code.UNAVAILABLE,
    }
)

#: Classes that describe the raiser's own call and are relayed as another:
#: a peer that could not reach its partner was itself reached.
RELAYED_AS: Mapping[type[LiaisonError], type[LiaisonError]] = MappingProxyType(
    {Unreachable: PartnerUnavailable}
)

#: The fallback for a status carrying no known class name. gRPC reports its
#: own transport failures as UNAVAILABLE or CANCELLED: the peer was never
#: reached (:class:`Unreachable`). A deadline is a :class:`PartnerTimeout`,
#: not Unreachable: the request may have arrived and had its effect. Any
#: other code becomes a bare :class:`LiaisonError` naming the code.
ERROR_BY_STATUS: Mapping[grpc.StatusCode, type[LiaisonError]] = MappingProxyType(
    {
        _Code.INVALID_ARGUMENT: InvalidInput,
        _Code.FAILED_PRECONDITION: ConfigError,
        _Code.NOT_FOUND: NotFound,
        _Code.PERMISSION_DENIED: PermissionDenied,
        _Code.UNAUTHENTICATED: Unauthenticated,
        _Code.RESOURCE_EXHAUSTED: QuotaExceeded,
        _Code.UNAVAILABLE: Unreachable,
        _Code.CANCELLED: Unreachable,
        _Code.DEADLINE_EXCEEDED: PartnerTimeout,
    }
)


def wire_class(error: LiaisonError) -> type[LiaisonError]:
    """Return the class an error is sent as: its nearest class in the table."""
    for base in type(error).__mro__:
        if base in STATUS_BY_ERROR:
            return RELAYED_AS.get(base, base)
    return LiaisonError


def status_for(error: LiaisonError) -> grpc.StatusCode:
    """Return the gRPC status code for a Liaison error."""
    return STATUS_BY_ERROR[wire_class(error)]


def _aborted(context: grpc.ServicerContext, exc: BaseException) -> bool:
    """Tell whether ``exc`` is the bare exception of a ``context.abort`` already made."""
    # The stubs omit ServicerContext.code(); the server's context has it.
    code = getattr(context, "code", None)
    return type(exc) is Exception and callable(code) and code() is not None


class translate_errors:  # noqa: N801 - used like a function: `with translate_errors(...)`
    """Turn errors raised inside a servicer method into gRPC statuses.

    Liaison errors keep their (value-free) message and send their class name
    in the trailing metadata; anything else becomes INTERNAL with the cause
    logged, not sent. A ``context.abort`` made inside passes through as is.
    Wrap the whole body of a streaming method, ``yield`` included, so errors
    raised while streaming are translated too.
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
        """Abort the call with the status matching ``exc`` (never swallows).

        Raises:
            Exception: the bare exception of ``context.abort``, which ends the call.
        """
        if isinstance(exc, LiaisonError):
            sent_as = wire_class(exc)
            code = STATUS_BY_ERROR[sent_as]
            log.info("%s: %s: %s", self._method, code.name, exc)
            self._context.set_trailing_metadata(((ERROR_CLASS_HEADER, sent_as.__name__),))
            self._context.abort(code, str(exc))
        elif isinstance(exc, Exception) and not _aborted(self._context, exc):
            log.error("%s: unexpected error", self._method, exc_info=exc)
            self._context.abort(grpc.StatusCode.INTERNAL, "internal error")


def rpc_code(error: grpc.RpcError) -> grpc.StatusCode:
    """Return the status code of a failed call (UNKNOWN if it carries none)."""
    # A failed call's RpcError is also a grpc.Call, which the stubs cannot express.
    code = getattr(error, "code", None)
    result = code() if callable(code) else None
    return result if isinstance(result, grpc.StatusCode) else grpc.StatusCode.UNKNOWN


def _sent_class(error: grpc.RpcError) -> type[LiaisonError] | None:
    """Return the registered class named in a failed call's trailing metadata, if any."""
    trailing = getattr(error, "trailing_metadata", None)
    for key, value in (trailing() if callable(trailing) else None) or ():
        if key == ERROR_CLASS_HEADER:
            name = value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)
            return ERROR_CLASSES.get(name)
    return None


def error_from_rpc(error: grpc.RpcError) -> LiaisonError:
    """Turn a failed call back into the Liaison error the peer raised.

    The class named in the trailing metadata is used if it is registered and
    agrees with the status code; otherwise :data:`ERROR_BY_STATUS` decides.
    """
    code = rpc_code(error)
    details_of = getattr(error, "details", None)
    details = (details_of() if callable(details_of) else None) or code.name
    sent = _sent_class(error)
    if sent is not None and STATUS_BY_ERROR.get(sent) == code:
        return RELAYED_AS.get(sent, sent)(details)
    fallback = ERROR_BY_STATUS.get(code)
    if fallback is not None:
        return fallback(details)
    return LiaisonError(f"{code.name}: {details}")
