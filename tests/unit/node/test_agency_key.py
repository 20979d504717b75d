"""The agency key sealed under the node's master key, and plain keys of older deployments."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from liaison.core.config_file import TlsPaths
from liaison.core.errors import ConfigError
from liaison.crypto.certificates import load_certificate
from liaison.crypto.keystore import MasterKey, create_master_key
from liaison.node.agency_key import load_agency_key, seal_agency_key
from tests.pki_support import Federation, make_federation


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    return make_federation(
        tmp_path_factory.mktemp("pki"), agencies=("FR", "NL"), now=datetime.now(UTC)
    )


@pytest.fixture
def master(tmp_path: Path) -> MasterKey:
    create_master_key(tmp_path / "master.key")
    return MasterKey.load(tmp_path / "master.key")


def sealed_paths(pki: Federation, tmp_path: Path, agency: str = "FR") -> TlsPaths:
    files = pki.nodes[agency]
    return TlsPaths(pki.ca_certificate, files.certificate, tmp_path / "agency.key.sealed", True)


def test_the_sealed_key_holds_no_pem_and_opens_as_tls_material_and_signing_key(
    pki: Federation, tmp_path: Path, master: MasterKey
) -> None:
    tls = sealed_paths(pki, tmp_path)
    seal_agency_key("FR", pki.nodes["FR"].private_key, tls, tls.key, master)
    assert b"-----BEGIN" not in tls.key.read_bytes()
    key = load_agency_key("FR", tls, master)
    assert key.tls.private_key == pki.nodes["FR"].private_key.read_bytes()
    assert key.tls.certificate_chain == pki.nodes["FR"].certificate.read_bytes()
    # The signing key is the certificate's: a signature verifies with its public key.
    signature = key.signing.sign(b"envelope", ec.ECDSA(hashes.SHA256()))
    public = load_certificate(pki.nodes["FR"].certificate).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"envelope", ec.ECDSA(hashes.SHA256()))


def test_a_key_that_is_not_the_certificates_is_refused_before_anything_is_written(
    pki: Federation, tmp_path: Path, master: MasterKey
) -> None:
    tls = sealed_paths(pki, tmp_path)
    with pytest.raises(ConfigError, match="does not match"):
        seal_agency_key("FR", pki.nodes["NL"].private_key, tls, tls.key, master)
    assert not tls.key.exists()


def test_a_key_sealed_for_another_agency_does_not_open(
    pki: Federation, tmp_path: Path, master: MasterKey
) -> None:
    tls = sealed_paths(pki, tmp_path)
    seal_agency_key("FR", pki.nodes["FR"].private_key, tls, tls.key, master)
    with pytest.raises(ConfigError, match=re.escape(str(tls.key))):
        load_agency_key("NL", tls, master)


def test_a_plain_key_still_loads_with_a_warning(
    pki: Federation, master: MasterKey, caplog: pytest.LogCaptureFixture
) -> None:
    files = pki.nodes["FR"]
    tls = TlsPaths(pki.ca_certificate, files.certificate, files.private_key)
    with caplog.at_level(logging.WARNING, logger="liaison.node.agency_key"):
        key = load_agency_key("FR", tls, master)
    assert key.tls.private_key == files.private_key.read_bytes()
    assert any("not sealed" in record.getMessage() for record in caplog.records)


def test_a_sealed_key_loads_without_a_warning(
    pki: Federation, tmp_path: Path, master: MasterKey, caplog: pytest.LogCaptureFixture
) -> None:
    tls = sealed_paths(pki, tmp_path)
    seal_agency_key("FR", pki.nodes["FR"].private_key, tls, tls.key, master)
    with caplog.at_level(logging.WARNING, logger="liaison.node.agency_key"):
        load_agency_key("FR", tls, master)
    assert not caplog.records
