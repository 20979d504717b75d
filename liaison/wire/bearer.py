"""Bearer credentials on the gRPC edge: one interceptor admits every call of a server.

The server side, :class:`AdmitInterceptor`, wraps every method of the server
it is installed on: before the handler runs it reads the ``authorization:
Bearer <token>`` metadata and hands the method's name and the token to an
``admit`` function (the node's :meth:`node.users.Users.admit`), whose errors
become statuses through :class:`~liaison.wire.status.translate_errors`
(UNAUTHENTICATED, PERMISSION_DENIED). What ``admit`` returns is the call's
principal, read by the handler with :func:`principal`. A new RPC on that
server is covered without a line of its own. The client side,
:func:`with_bearer`, adds the metadata to every call of a channel.
"""

from __future__ import annotations

import collections
import contextvars
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

import grpc

from liaison.core.errors import Unauthenticated
from liaison.wire.status import translate_errors

AUTHORIZATION_HEADER = "authorization"
_SCHEME = "Bearer "

#: Whatever ``admit`` returned for the call being served in this thread.
_PRINCIPAL: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "liaison_principal", default=None
)

P = TypeVar("P")

Admit = Callable[[str, str | None], object]


def bearer_token(metadata: Any) -> str | None:
    """Return the bearer token of a call's metadata, or None."""
    for key, value in metadata or ():
        if key == AUTHORIZATION_HEADER and isinstance(value, str) and value.startswith(_SCHEME):
            return value[len(_SCHEME) :].strip()
    return None


def principal(kind: type[P]) -> P:
    """Return the principal admitted for the call being served.

    Raises:
        Unauthenticated: the call did not pass an :class:`AdmitInterceptor`.
    """
    found = _PRINCIPAL.get()
    if not isinstance(found, kind):
        raise Unauthenticated("a credential is required")
    return found


class AdmitInterceptor(grpc.ServerInterceptor):
    """Admit every call of the server it is installed on, or refuse it."""

    def __init__(self, admit: Admit, *, public: Collection[str] = ()) -> None:
        """Check each call with ``admit(method_name, token)``.

        Calls to the services named in ``public`` (full names: the standard
        health and reflection services, which disclose no data) pass without
        a credential.
        """
        self._admit = admit
        self._public = frozenset(public)

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        """Return the method's handler, wrapped so that it runs only once admitted."""
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        service, _, method = str(handler_call_details.method).lstrip("/").rpartition("/")
        if service in self._public:
            return handler
        token = bearer_token(handler_call_details.invocation_metadata)
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(handler.unary_unary, method, token),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._stream(handler.unary_stream, method, token),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        # Client-streaming methods take no credential here: none is served.
        return None

    def _enter(self, context: grpc.ServicerContext, method: str, token: str | None) -> object:
        with translate_errors(context, method):
            return self._admit(method, token)

    def _unary(self, behaviour: Any, method: str, token: str | None) -> Any:
        def admitted(request: Any, context: grpc.ServicerContext) -> Any:
            reset = _PRINCIPAL.set(self._enter(context, method, token))
            try:
                return behaviour(request, context)
            finally:
                _PRINCIPAL.reset(reset)

        return admitted

    def _stream(self, behaviour: Any, method: str, token: str | None) -> Any:
        def admitted(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            reset = _PRINCIPAL.set(self._enter(context, method, token))
            try:
                yield from behaviour(request, context)
            finally:
                _PRINCIPAL.reset(reset)

        return admitted


class _CallDetails(
    collections.namedtuple(
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    """Call details with the metadata replaced."""


class _BearerMetadata(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    def __init__(self, token: str) -> None:
        self._header = (AUTHORIZATION_HEADER, _SCHEME + token)

    def _details(self, details: Any) -> Any:
        return _CallDetails(
            details.method,
            details.timeout,
            [*(details.metadata or ()), self._header],
            details.credentials,
            details.wait_for_ready,
            details.compression,
        )

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)


def with_bearer(channel: grpc.Channel, token: str) -> grpc.Channel:
    """Return ``channel`` sending ``authorization: Bearer <token>`` on every call."""
    return grpc.intercept_channel(channel, _BearerMetadata(token))
