"""Why a peer was not reached, in words an operator can act on.

gRPC reports a failed connection as one line of C-core detail ("failed to
connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:7000: Peer
name 127.0.0.1 is not in peer certificate"). :func:`explain_unreachable`
turns it into a sentence naming the process that was not reached, the
address dialled and the likely cause. For a certificate naming other hosts
than the one dialled, it reads the names the peer's certificate holds with a
TLS handshake of its own (no certificate presented, nothing sent after it,
nothing trusted from it: the names only go into the message).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl

import grpc
from cryptography import x509

from liaison.core.config_file import split_address
from liaison.core.errors import LiaisonError, Unreachable
from liaison.wire.status import error_from_rpc

#: Seconds the certificate probe may take.
PROBE_TIMEOUT_S = 2.0


def peer_error(failed: grpc.RpcError, peer: str, target: str) -> LiaisonError:
    """Return the error a call to ``peer`` at ``target`` failed with (see :func:`error_from_rpc`).

    A call that never reached the peer says so in words: who, where, why.
    """
    error = error_from_rpc(failed)
    return explain_unreachable(peer, target, error) if isinstance(error, Unreachable) else error


def explain_unreachable(peer: str, target: str, error: Unreachable) -> Unreachable:
    """Return ``error`` reworded: who (``peer``, say "the broker") at ``target``, and why."""
    details = str(error)
    return Unreachable(f"{peer} at {target} {_cause(target, details)}")


def _cause(target: str, details: str) -> str:
    lowered = details.lower()
    if "is not in peer certificate" in lowered:
        return _name_mismatch(target)
    if "connection refused" in lowered:
        return (
            "refused the connection: it is not running, or listens on another address "
            "or port (is its serve command running?)"
        )
    if "dns resolution failed" in lowered or "name or service not known" in lowered:
        return f"could not be reached: its host name does not resolve ({_host(target)})"
    if "certificate verify failed" in lowered or "certificate_verify_failed" in lowered:
        return (
            "presented a certificate the federation CA did not sign (another federation's "
            "ca.pem on one side?)"
        )
    if "handshake" in lowered or "socket closed" in lowered or "ssl" in lowered:
        return (
            "ended the TLS handshake: it does not accept this certificate (another "
            f"federation's CA, or a revoked or expired certificate?): {details}"
        )
    if "timeout" in lowered or "timed out" in lowered:
        return f"did not answer the connection in time (firewall or wrong host?): {details}"
    return f"could not be reached: {details}"


def _host(target: str) -> str:
    try:
        return split_address(target)[0]
    except ValueError:
        return target


def _name_mismatch(target: str) -> str:
    dialled = _host(target)
    names = peer_certificate_names(target)
    holds = (
        f"its certificate holds {', '.join(names)}"
        if names
        else "its certificate names other hosts"
    )
    return (
        f"was refused: {holds}, not {dialled} (the name dialled). Dial a name the "
        f"certificate holds, or have it reissued with 'liaison pki issue ... --host {dialled}'"
    )


def peer_certificate_names(target: str) -> tuple[str, ...]:
    """Return the DNS names and IP addresses of the certificate served at ``target``.

    Best effort, for error messages only: an empty tuple if it cannot be read.
    """
    try:
        host, port = split_address(target)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # we read names, we trust nothing
        context.set_alpn_protocols(["h2"])
        with (
            socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S) as raw,
            context.wrap_socket(raw, server_hostname=None if _is_ip(host) else host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
        if not der:
            return ()
        san = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        )
    except (OSError, ValueError, x509.ExtensionNotFound):
        return ()
    dns = san.value.get_values_for_type(x509.DNSName)
    ips = [str(ip) for ip in san.value.get_values_for_type(x509.IPAddress)]
    return (*dns, *ips)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
