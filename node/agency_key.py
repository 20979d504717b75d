"""The agency's certificate key at rest: sealed under the node's master key.

The agency key does two jobs: mutual TLS on both of the node's connections
and signing the query envelopes and ledger heads. The federation operator
hands it over as a plain PEM file (``AGENCY.key``); ``liaison node init``
writes it sealed into the node's folder (``agency.key.sealed``, AES-256-GCM
under the master key, the associated data naming its purpose and the
agency), ``[tls] sealed_key`` names that file, and the node unseals it in
memory at start: gRPC takes the PEM bytes and the signing key is built from
them, so the clear key never touches the disk again. A config that still
names a plain PEM file (``[tls] key``) keeps working, with a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.config_file import TlsPaths
from liaison.core.errors import ConfigError
from liaison.core.files import read_file
from liaison.crypto.certificates import TlsMaterial, parse_private_key, tls_material
from liaison.crypto.keystore import MasterKey, read_sealed, sealed_key_context, write_sealed

log = logging.getLogger(__name__)

#: The sealed agency key's file name, in the node's folder.
AGENCY_KEY_FILE = "agency.key.sealed"


@dataclass(frozen=True, slots=True)
class AgencyKey:
    """The agency key, unsealed in memory: as gRPC wants it, and as a signing key."""

    tls: TlsMaterial
    signing: ec.EllipticCurvePrivateKey


def agency_key_context(agency: str) -> bytes:
    """Return the associated data that binds a sealed key to this agency's certificate key."""
    return sealed_key_context("agency-key", agency)


def seal_agency_key(
    agency: str, plain: Path, tls: TlsPaths, sealed: Path, master: MasterKey
) -> None:
    """Write the handed-over PEM key ``plain`` sealed to ``sealed`` (mode 0600).

    The key is checked first (an unencrypted P-256 key that belongs to
    ``tls.cert``), so a wrong file is refused before anything is written.

    Raises:
        ConfigError: a file is missing or not what it should be, the key does
            not match the certificate, or ``sealed`` exists already.
    """
    if sealed.exists():
        raise ConfigError(f"{sealed} already exists; refusing to overwrite it")
    pem = read_file(plain)
    tls_material(tls.cert, pem, tls.ca, key_where=str(plain))
    write_sealed(sealed, pem, master, context=agency_key_context(agency))


def load_agency_key(agency: str, tls: TlsPaths, master: MasterKey) -> AgencyKey:
    """Return the agency key named by ``[tls]``, unsealed in memory.

    Raises:
        ConfigError: the key file is missing, truncated, altered, sealed under
            another master key or for another agency, or the key does not
            match the certificate; the message names the file, never the key.
    """
    if tls.sealed:
        pem = read_sealed(tls.key, master, context=agency_key_context(agency))
    else:
        log.warning(
            "%s: the agency key is a plain PEM file, not sealed with the master key "
            "(seal it with 'liaison node seal-key')",
            tls.key,
        )
        pem = read_file(tls.key)
    where = str(tls.key)
    return AgencyKey(
        tls=tls_material(tls.cert, pem, tls.ca, key_where=where),
        signing=parse_private_key(pem, where=where),
    )
