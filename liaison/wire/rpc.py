"""The gRPC boundary shared by nodes and the broker.

Mutual-TLS credentials, the caller's identity (from its certificate, never
from metadata), message-size limits, and the one table that turns Liaison
errors into gRPC statuses. Only servicer and server modules import this.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import grpc
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.errors import (
    ConfigError,
    EnvelopeRejected,
    InvalidInput,
    LiaisonError,
    NotFound,
    PartnerUnavailable,
    PermissionDenied,
    PsiError,
    QueryRefused,
    QuotaExceeded,
    StorageUnavailable,
)
from liaison.crypto.certificates import PeerIdentity, Role, TlsMaterial, identity_from_certificate
from liaison.v1.common_pb2 import FilterChunk

log = logging.getLogger(__name__)

#: Largest message either side accepts. A 10,000-key PSI request is about
#: 350 KB; filters are streamed in chunks, so 16 MiB is generous and bounded.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
#: Size of one filter chunk on the wire.
CHUNK_BYTES = 1024 * 1024
#: Metadata key a client may use to claim an identity; it is only ever
#: compared with the certificate, and a mismatch is refused.
CLAIMED_IDENTITY_HEADER = "liaison-agency"

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


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated peer of a call."""

    identity: PeerIdentity
    certificate_der: bytes


def caller(context: grpc.ServicerContext, *roles: Role) -> Caller:
    """Return the caller's identity from its TLS client certificate.

    The TLS layer has already checked that the certificate chains to the
    federation CA; this reads the Liaison identity in it and checks the role.

    Raises:
        PermissionDenied: no client certificate, no Liaison identity, a role
            not in ``roles``, or metadata claiming another identity.
    """
    # The stubs say Mapping[str, bytes]; gRPC really gives a list of bytes per key.
    pems: Any = context.auth_context().get("x509_pem_cert")
    pem = pems[0] if isinstance(pems, list | tuple) and pems else pems
    if not isinstance(pem, bytes) or not pem:
        raise PermissionDenied("a client certificate is required")
    try:
        certificate = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise PermissionDenied("unreadable client certificate") from exc
    identity = identity_from_certificate(certificate)
    if roles and identity.role not in roles:
        raise PermissionDenied(f"role {identity.role} may not call this service")
    for key, value in context.invocation_metadata():
        if key == CLAIMED_IDENTITY_HEADER and value != identity.name:
            raise PermissionDenied("metadata claims another identity than the certificate")
    return Caller(identity, certificate.public_bytes(Encoding.DER))


def server_credentials(tls: TlsMaterial) -> grpc.ServerCredentials:
    """Server credentials that demand a client certificate from the federation CA."""
    return grpc.ssl_server_credentials(
        [(tls.private_key, tls.certificate_chain)],
        root_certificates=tls.root_certificates,
        require_client_auth=True,
    )


def channel_credentials(tls: TlsMaterial) -> grpc.ChannelCredentials:
    """Client credentials presenting our certificate and trusting only the CA."""
    return grpc.ssl_channel_credentials(
        root_certificates=tls.root_certificates,
        private_key=tls.private_key,
        certificate_chain=tls.certificate_chain,
    )


def channel_options() -> list[tuple[str, Any]]:
    """Options every channel and server uses: message-size limits."""
    return [
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ]


def secure_channel(target: str, tls: TlsMaterial) -> grpc.Channel:
    """Open a mutual-TLS channel to ``target`` (``host:port``)."""
    return grpc.secure_channel(target, channel_credentials(tls), options=channel_options())


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


@contextmanager
def termination_signals() -> Iterator[threading.Event]:
    """Catch SIGTERM and SIGINT while inside; yield the event they set.

    Install it before servers start, so a signal that arrives while they
    come up still leads to a clean shutdown; the previous handlers return
    on exit.
    """
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
