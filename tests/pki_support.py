"""A throwaway federation PKI for tests, built with our own :mod:`crypto.pki`.

Integration tests start real servers on 127.0.0.1, so every certificate here
names ``127.0.0.1`` and ``localhost``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from liaison.crypto.certificates import Role, TlsMaterial, load_tls_material
from liaison.crypto.pki import IssuedFiles, init_ca, issue

FEDERATION = "Test Federation"
BROKER_NAME = "broker"
AUDITOR_NAME = "auditor"
HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True, slots=True)
class Federation:
    """Paths of a test federation's CA and of every certificate issued for it."""

    directory: Path
    ca_certificate: Path
    ca_key: Path
    broker: IssuedFiles
    nodes: Mapping[str, IssuedFiles]
    auditor: IssuedFiles

    def ca_pem(self) -> bytes:
        """Return the CA certificate's PEM bytes."""
        return self.ca_certificate.read_bytes()

    def tls(self, files: IssuedFiles) -> TlsMaterial:
        """Return the TLS material (leaf, key, CA) for one issued certificate."""
        return load_tls_material(files.certificate, files.private_key, self.ca_certificate)


def make_federation(tmp: Path, *, agencies: Sequence[str], now: datetime) -> Federation:
    """Create a CA, a broker, one node per agency and an auditor under ``tmp``.

    Args:
        tmp: An empty (or missing) folder, typically pytest's ``tmp_path``.
        agencies: Agency codes, each becoming a node certificate named after it.
        now: The time the certificates are issued at (timezone-aware).

    Returns:
        The paths of everything written.
    """
    ca = init_ca(tmp, FEDERATION, now=now)
    return Federation(
        directory=tmp,
        ca_certificate=ca.certificate,
        ca_key=ca.private_key,
        broker=issue(tmp, BROKER_NAME, Role.BROKER, hosts=HOSTS, now=now),
        nodes={a: issue(tmp, a, Role.NODE, hosts=HOSTS, now=now) for a in agencies},
        auditor=issue(tmp, AUDITOR_NAME, Role.AUDITOR, hosts=HOSTS, now=now),
    )
