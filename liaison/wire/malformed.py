"""Malformed requests get INVALID_ARGUMENT, not INTERNAL with a traceback.

gRPC's Python server parses a request with the method's deserializer before
any servicer code runs; when the bytes are not the message it logs a
traceback and answers INTERNAL ("Exception deserializing request!"). That is
the peer's mistake, not ours, so :class:`RejectMalformed`, a server
interceptor installed on every server of ours, swaps in a deserializer that
turns a :class:`~google.protobuf.message.DecodeError` into a marker, and a
behaviour that answers the marker with INVALID_ARGUMENT "malformed request"
(class :class:`~liaison.core.errors.InvalidInput` in the trailing metadata,
as :func:`liaison.wire.status.error_from_rpc` expects) and logs one line
without the bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from liaison.core.errors import InvalidInput
from liaison.wire.status import ERROR_CLASS_HEADER

log = logging.getLogger(__name__)

__all__ = ["MALFORMED_REQUEST", "RejectMalformed"]

#: The status details of a request whose bytes are not the method's message.
MALFORMED_REQUEST = "malformed request"

_Behaviour = Callable[[Any, grpc.ServicerContext], Any]


class _Malformed:
    """Stands in for a request that did not parse."""


_MARKER = _Malformed()


def _tolerant(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    if deserializer is None:
        return None
    parse = deserializer

    def deserialize(data: bytes) -> Any:
        try:
            return parse(data)
        except DecodeError:
            return _MARKER

    return deserialize


def _guarded(method: str, behaviour: _Behaviour | None) -> _Behaviour | None:
    if behaviour is None:
        return None
    serve = behaviour

    def guarded(request: Any, context: grpc.ServicerContext) -> Any:
        if request is _MARKER:
            log.info("%s: INVALID_ARGUMENT: %s", method, MALFORMED_REQUEST)
            context.set_trailing_metadata(((ERROR_CLASS_HEADER, InvalidInput.__name__),))
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, MALFORMED_REQUEST)
        return serve(request, context)

    return guarded


class RejectMalformed(grpc.ServerInterceptor):
    """Answer a request that does not parse with INVALID_ARGUMENT.

    Applies to unary-request methods (all of ours); a streaming request is
    passed through unchanged.
    """

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        """Return the method's handler with a tolerant deserializer and a guard."""
        handler = continuation(handler_call_details)
        if handler is None or handler.request_streaming:
            return handler
        method = handler_call_details.method
        replaced: grpc.RpcMethodHandler[Any, Any] = handler._replace(  # type: ignore[attr-defined]
            request_deserializer=_tolerant(handler.request_deserializer),
            unary_unary=_guarded(method, handler.unary_unary),
            unary_stream=_guarded(method, handler.unary_stream),
        )
        return replaced
