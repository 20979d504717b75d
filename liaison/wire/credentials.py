"""Mutual TLS on the gRPC edge: credentials, channels and the authenticated caller.

The caller's identity comes from its certificate in the TLS session, never
from metadata. Only servicer, server and client modules import this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import grpc
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.errors import PermissionDenied
from liaison.crypto.certificates import PeerIdentity, Role, TlsMaterial, identity_from_certificate

#: Largest message either side accepts. A 10,000-key PSI request is about
#: 350 KB; filters are streamed in chunks, so 16 MiB is generous and bounded.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
#: Metadata key a client may use to claim an identity; it is only ever
#: compared with the certificate, and a mismatch is refused.
CLAIMED_IDENTITY_HEADER = "liaison-agency"


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


#: Reconnection after a refused dial: gRPC's default backoff grows to two
#: minutes, so a node started before its broker (or a broker restarted under
#: running nodes) would refuse matches for that long after the peer is back.
RECONNECT_OPTIONS: Final = [
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5000),
]


def secure_channel(target: str, tls: TlsMaterial) -> grpc.Channel:
    """Open a mutual-TLS channel to ``target`` (``host:port``), reconnecting within seconds."""
    return grpc.secure_channel(
        target, channel_credentials(tls), options=channel_options() + RECONNECT_OPTIONS
    )
