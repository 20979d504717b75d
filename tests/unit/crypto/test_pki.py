"""The federation CA: what it writes, what the leaves it issues carry."""

from __future__ import annotations

import ipaddress
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from liaison.core.errors import ConfigError, InvalidInput
from liaison.crypto.certificates import Role, load_certificate, load_private_key
from liaison.crypto.pki import init_ca, issue

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEDERATION = "EU Pilot"


@pytest.fixture
def ca_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "pki"
    init_ca(directory, FEDERATION, now=NOW)
    return directory


def _ca(directory: Path) -> x509.Certificate:
    return load_certificate(directory / "ca.pem")


class TestInitCa:
    def test_writes_a_ca_certificate_and_a_private_key(self, ca_dir: Path) -> None:
        ca = _ca(ca_dir)
        assert ca.subject.rfc4514_string() == "O=EU Pilot,CN=EU Pilot Liaison CA"
        assert ca.issuer == ca.subject
        constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
        assert constraints.critical
        assert constraints.value.ca
        assert constraints.value.path_length == 0
        usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.key_cert_sign
        assert usage.crl_sign
        assert ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        assert isinstance(ca.signature_hash_algorithm, hashes.SHA256)
        key = load_private_key(ca_dir / "ca.key")
        assert key.public_key() == ca.public_key()

    def test_ca_key_is_pkcs8_and_readable_by_owner_only(self, ca_dir: Path) -> None:
        assert stat.S_IMODE((ca_dir / "ca.key").stat().st_mode) == 0o600
        assert (ca_dir / "ca.key").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")

    def test_validity_covers_now_and_the_requested_days(self, tmp_path: Path) -> None:
        init_ca(tmp_path, FEDERATION, now=NOW, days=10)
        ca = _ca(tmp_path)
        assert ca.not_valid_before_utc <= NOW
        assert ca.not_valid_after_utc - ca.not_valid_before_utc == timedelta(days=10)

    def test_existing_ca_is_not_overwritten(self, ca_dir: Path) -> None:
        before = (ca_dir / "ca.key").read_bytes()
        with pytest.raises(ConfigError, match="already exists"):
            init_ca(ca_dir, FEDERATION, now=NOW)
        assert (ca_dir / "ca.key").read_bytes() == before

    @pytest.mark.parametrize("federation", ["", " EU", "EU\n", "x" * 54, "EU/Pilot", "É"])
    def test_unacceptable_federation_name_is_refused(self, tmp_path: Path, federation: str) -> None:
        with pytest.raises(InvalidInput, match="federation"):
            init_ca(tmp_path, federation, now=NOW)
        assert not (tmp_path / "ca.key").exists()

    def test_naive_time_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match="timezone-aware"):
            init_ca(tmp_path, FEDERATION, now=datetime(2026, 3, 1))


class TestIssue:
    def test_leaf_names_its_holder_in_cn_ou_o_and_san_uri(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, hosts=["127.0.0.1", "localhost", "::1"], now=NOW)
        cert = load_certificate(files.certificate)
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "FR"
        assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == FEDERATION
        assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == (
            "node"
        )
        assert cert.issuer == _ca(ca_dir).subject
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert san.get_values_for_type(x509.IPAddress) == [
            ipaddress.ip_address("127.0.0.1"),
            ipaddress.ip_address("::1"),
        ]
        assert san.get_values_for_type(x509.DNSName) == ["localhost"]
        assert san.get_values_for_type(x509.UniformResourceIdentifier) == ["urn:liaison:node:FR"]

    def test_leaf_is_a_tls_server_and_client_end_entity(self, ca_dir: Path) -> None:
        cert = load_certificate(issue(ca_dir, "broker", Role.BROKER, now=NOW).certificate)
        assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
            ExtendedKeyUsageOID.SERVER_AUTH,
            ExtendedKeyUsageOID.CLIENT_AUTH,
        ]
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        ski = _ca(ca_dir).extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        assert aki.key_identifier == ski.digest
        assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)

    def test_leaf_file_holds_the_leaf_alone_and_key_is_owner_only(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "NL", Role.NODE, now=NOW)
        assert files.certificate == ca_dir / "NL.pem"
        assert files.private_key == ca_dir / "NL.key"
        assert files.certificate.read_bytes().count(b"BEGIN CERTIFICATE") == 1
        assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
        key = load_private_key(files.private_key)
        assert key.public_key() == load_certificate(files.certificate).public_key()

    def test_validity_runs_from_not_before_for_the_given_days(self, ca_dir: Path) -> None:
        start = NOW - timedelta(days=3)
        files = issue(ca_dir, "FR", Role.NODE, now=NOW, not_before=start, days=2)
        cert = load_certificate(files.certificate)
        assert cert.not_valid_before_utc == start
        assert cert.not_valid_after_utc == start + timedelta(days=2)

    def test_existing_leaf_is_not_overwritten(self, ca_dir: Path) -> None:
        issue(ca_dir, "FR", Role.NODE, now=NOW)
        with pytest.raises(ConfigError, match="already exists"):
            issue(ca_dir, "FR", Role.AUDITOR, now=NOW)

    @pytest.mark.parametrize(
        "name", ["", "ca", "CA", "-FR", ".FR", "F R", "FR/..", "../x", "x" * 65, "FŘ"]
    )
    def test_unacceptable_name_is_refused(self, ca_dir: Path, name: str) -> None:
        with pytest.raises(InvalidInput, match="name"):
            issue(ca_dir, name, Role.NODE, now=NOW)

    @pytest.mark.parametrize("host", ["", "*.example.org", "exa mple", "-a.org", "a..b", "ä.de"])
    def test_unacceptable_host_is_refused(self, ca_dir: Path, host: str) -> None:
        with pytest.raises(InvalidInput, match=r"hosts\[1\]"):
            issue(ca_dir, "FR", Role.NODE, hosts=["localhost", host], now=NOW)
        assert not (ca_dir / "FR.key").exists()

    def test_unknown_role_is_refused(self, ca_dir: Path) -> None:
        with pytest.raises(InvalidInput, match="role"):
            issue(ca_dir, "FR", "admin", now=NOW)  # type: ignore[arg-type]

    def test_non_positive_days_are_refused(self, ca_dir: Path) -> None:
        with pytest.raises(InvalidInput, match="days"):
            issue(ca_dir, "FR", Role.NODE, now=NOW, days=0)

    def test_missing_ca_is_a_config_error(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"ca\.pem"):
            issue(tmp_path, "FR", Role.NODE, now=NOW)
