"""The federation CA: what it writes, what leaves carry, what verification refuses."""

from __future__ import annotations

import contextlib
import ipaddress
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import ConfigError, InvalidInput, LiaisonError, PermissionDenied
from liaison.crypto.pki import (
    PeerIdentity,
    Role,
    identity_from_certificate,
    init_ca,
    issue,
    load_certificate,
    load_private_key,
    load_tls_material,
    parse_certificate,
    verify_certificate,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEDERATION = "EU Pilot"


@pytest.fixture
def ca_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "pki"
    init_ca(directory, FEDERATION, now=NOW)
    return directory


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, x509.Certificate]:
    """A node certificate (DER) and its CA, shared: hypothesis needs a wider scope."""
    directory = tmp_path_factory.mktemp("pki")
    init_ca(directory, FEDERATION, now=NOW)
    files = issue(directory, "FR", Role.NODE, hosts=["localhost"], now=NOW)
    der = load_certificate(files.certificate).public_bytes(serialization.Encoding.DER)
    return der, _ca(directory)


def _ca(directory: Path) -> x509.Certificate:
    return load_certificate(directory / "ca.pem")


def _leaf(
    directory: Path,
    subject: x509.Name,
    san: list[x509.GeneralName],
) -> bytes:
    """A leaf signed by the CA in ``directory`` with a hand-made subject and SAN."""
    ca_key = load_private_key(directory / "ca.key")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(_ca(directory).subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def _subject(cn: str, ou: str, o: str = FEDERATION) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
        ]
    )


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


class TestIdentity:
    def test_identity_is_read_from_certificate_object_der_and_pem(self, ca_dir: Path) -> None:
        cert = load_certificate(issue(ca_dir, "FR", Role.NODE, now=NOW).certificate)
        expected = PeerIdentity(name="FR", role=Role.NODE, federation=FEDERATION)
        assert identity_from_certificate(cert) == expected
        assert identity_from_certificate(cert.public_bytes(serialization.Encoding.DER)) == expected
        assert identity_from_certificate(cert.public_bytes(serialization.Encoding.PEM)) == expected

    def test_certificate_without_san_has_no_identity(self, ca_dir: Path) -> None:
        with pytest.raises(PermissionDenied, match="no Liaison identity"):
            identity_from_certificate(_ca(ca_dir))

    def test_certificate_without_liaison_uri_has_no_identity(self, ca_dir: Path) -> None:
        der = _leaf(ca_dir, _subject("FR", "node"), [x509.DNSName("localhost")])
        with pytest.raises(PermissionDenied, match="no Liaison identity"):
            identity_from_certificate(der)

    @pytest.mark.parametrize(
        ("cn", "ou", "uris"),
        [
            ("NL", "node", ["urn:liaison:node:FR"]),  # CN disagrees
            ("FR", "broker", ["urn:liaison:node:FR"]),  # OU disagrees
            ("FR", "admin", ["urn:liaison:admin:FR"]),  # unknown role
            ("FR", "node", ["urn:liaison:node:FR", "urn:liaison:node:NL"]),  # two identities
            ("F R", "node", ["urn:liaison:node:F R"]),  # name outside the alphabet
        ],
    )
    def test_inconsistent_identity_is_refused(
        self, ca_dir: Path, cn: str, ou: str, uris: list[str]
    ) -> None:
        san: list[x509.GeneralName] = [x509.UniformResourceIdentifier(u) for u in uris]
        der = _leaf(ca_dir, _subject(cn, ou), san)
        with pytest.raises(PermissionDenied, match="inconsistent"):
            identity_from_certificate(der)

    @pytest.mark.parametrize(
        ("field", "new"),
        [
            # Fields cryptography parses lazily or reports with its own exception types.
            (b"\xa0\x03\x02\x01\x02", b"\xa0\x03\x02\x01\x49"),  # version 74
            (b"\x06\x03\x55\x04\x03\x0c\x02FR", b"\x06\x03\x55\x04\x03\x01\x02FR"),  # CN type
        ],
        ids=["version", "subject"],
    )
    def test_malformed_fields_are_refused(
        self, issued: tuple[bytes, x509.Certificate], field: bytes, new: bytes
    ) -> None:
        der, ca = issued
        assert der.count(field) == 1
        corrupted = der.replace(field, new)
        with pytest.raises(PermissionDenied, match=r"could not be parsed|not issued"):
            verify_certificate(corrupted, ca, now=NOW)
        with pytest.raises(PermissionDenied):
            identity_from_certificate(corrupted)

    def test_negative_serial_is_refused(self, issued: tuple[bytes, x509.Certificate]) -> None:
        der, ca = issued
        # version [0] v3, then the serial INTEGER: tag, length, first content byte.
        first = der.index(b"\xa0\x03\x02\x01\x02\x02") + 7
        corrupted = der[:first] + bytes([der[first] | 0x80]) + der[first + 1 :]
        with pytest.raises(PermissionDenied):
            verify_certificate(corrupted, ca, now=NOW)

    def test_duplicated_extension_is_refused(self, ca_dir: Path) -> None:
        cert = load_certificate(issue(ca_dir, "FR", Role.NODE, now=NOW).certificate)
        der = cert.public_bytes(serialization.Encoding.DER)
        # Turn the Subject Key Identifier (2.5.29.14) into a second SAN (2.5.29.17).
        patched = der.replace(b"\x06\x03\x55\x1d\x0e", b"\x06\x03\x55\x1d\x11", 1)
        assert patched != der
        with pytest.raises(PermissionDenied, match="could not be parsed"):
            identity_from_certificate(patched)
        with pytest.raises(PermissionDenied):
            verify_certificate(patched, _ca(ca_dir), now=NOW)


class TestVerifyCertificate:
    def test_certificate_of_this_ca_is_accepted(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW)
        identity = verify_certificate(files.certificate.read_bytes(), _ca(ca_dir), now=NOW)
        assert identity == PeerIdentity("FR", Role.NODE, FEDERATION)

    def test_certificate_of_another_ca_is_refused(self, ca_dir: Path, tmp_path: Path) -> None:
        # Same federation name, so same issuer name: only the signature differs.
        other = tmp_path / "other"
        init_ca(other, FEDERATION, now=NOW)
        files = issue(other, "FR", Role.NODE, now=NOW)
        with pytest.raises(PermissionDenied, match="not issued by the federation CA"):
            verify_certificate(files.certificate.read_bytes(), _ca(ca_dir), now=NOW)

    def test_expired_certificate_is_refused(self, ca_dir: Path) -> None:
        start = NOW - timedelta(days=10)
        files = issue(ca_dir, "FR", Role.NODE, now=NOW, not_before=start, days=1)
        with pytest.raises(PermissionDenied, match="expired or not yet valid"):
            verify_certificate(files.certificate.read_bytes(), _ca(ca_dir), now=NOW)

    def test_not_yet_valid_certificate_is_refused(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW, not_before=NOW + timedelta(hours=1))
        with pytest.raises(PermissionDenied, match="expired or not yet valid"):
            verify_certificate(files.certificate.read_bytes(), _ca(ca_dir), now=NOW)

    def test_certificate_is_refused_once_the_ca_expired(self, tmp_path: Path) -> None:
        init_ca(tmp_path, FEDERATION, now=NOW, days=1)
        files = issue(tmp_path, "FR", Role.NODE, now=NOW, days=30)
        later = NOW + timedelta(days=2)
        with pytest.raises(PermissionDenied, match="not issued by the federation CA"):
            verify_certificate(files.certificate.read_bytes(), _ca(tmp_path), now=later)

    def test_ca_certificate_is_not_accepted_as_a_peer(self, ca_dir: Path) -> None:
        with pytest.raises(PermissionDenied, match="not issued by the federation CA"):
            verify_certificate((ca_dir / "ca.pem").read_bytes(), _ca(ca_dir), now=NOW)

    def test_naive_time_is_refused(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW)
        with pytest.raises(InvalidInput):
            verify_certificate(
                files.certificate.read_bytes(), _ca(ca_dir), now=datetime(2026, 3, 1)
            )

    @given(data=st.binary(max_size=2048))
    def test_random_bytes_raise_only_liaison_errors(self, data: bytes) -> None:
        with pytest.raises(LiaisonError):
            identity_from_certificate(data)

    @given(data=st.data())
    def test_corrupted_certificate_raises_only_liaison_errors(
        self, issued: tuple[bytes, x509.Certificate], data: st.DataObject
    ) -> None:
        der, ca = issued
        index = data.draw(st.integers(0, len(der) - 1))
        flip = data.draw(st.integers(1, 255))
        corrupted = der[:index] + bytes([der[index] ^ flip]) + der[index + 1 :]
        # A flip in an unsigned part (the outer length bytes, say) may still be
        # accepted, but then as the same holder; any other outcome is a refusal
        # from the Liaison tree, never a stray ValueError.
        try:
            identity: PeerIdentity | None = verify_certificate(corrupted, ca, now=NOW)
        except LiaisonError:
            identity = None
        assert identity in (None, PeerIdentity("FR", Role.NODE, FEDERATION))
        with contextlib.suppress(LiaisonError):
            identity_from_certificate(corrupted)

    @given(prefix=st.binary(max_size=64))
    def test_random_pem_raises_only_liaison_errors(self, prefix: bytes) -> None:
        pem = b"-----BEGIN CERTIFICATE-----\n" + prefix + b"\n-----END CERTIFICATE-----\n"
        with pytest.raises(PermissionDenied):
            parse_certificate(pem)


class TestLoaders:
    def test_tls_material_holds_the_three_files_bytes(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW)
        tls = load_tls_material(files.certificate, files.private_key, ca_dir / "ca.pem")
        assert tls.certificate_chain == files.certificate.read_bytes()
        assert tls.private_key == files.private_key.read_bytes()
        assert tls.root_certificates == (ca_dir / "ca.pem").read_bytes()

    def test_missing_file_is_named(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW)
        missing = ca_dir / "absent.pem"
        with pytest.raises(ConfigError, match=r"absent\.pem"):
            load_tls_material(files.certificate, files.private_key, missing)

    def test_non_pem_file_is_named(self, ca_dir: Path) -> None:
        files = issue(ca_dir, "FR", Role.NODE, now=NOW)
        files.certificate.write_bytes(b"not a certificate")
        with pytest.raises(ConfigError, match=r"FR\.pem: not a PEM certificate"):
            load_tls_material(files.certificate, files.private_key, ca_dir / "ca.pem")

    def test_key_of_another_certificate_is_refused(self, ca_dir: Path) -> None:
        fr = issue(ca_dir, "FR", Role.NODE, now=NOW)
        nl = issue(ca_dir, "NL", Role.NODE, now=NOW)
        with pytest.raises(ConfigError, match="does not match"):
            load_tls_material(fr.certificate, nl.private_key, ca_dir / "ca.pem")

    def test_certificate_is_not_a_private_key(self, ca_dir: Path) -> None:
        with pytest.raises(ConfigError, match="not an unencrypted PEM private key"):
            load_private_key(ca_dir / "ca.pem")

    def test_key_of_another_curve_is_refused(self, tmp_path: Path) -> None:
        key = ec.generate_private_key(ec.SECP384R1())
        path = tmp_path / "p384.key"
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        with pytest.raises(ConfigError, match="P-256"):
            load_private_key(path)

    def test_encrypted_key_is_refused(self, tmp_path: Path) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        path = tmp_path / "locked.key"
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"secret"),
            )
        )
        with pytest.raises(ConfigError, match="unencrypted"):
            load_private_key(path)
