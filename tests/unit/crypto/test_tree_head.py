"""Signed tree heads: canonical bytes, Ed25519 signing, strict JSON, audit key files."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import re
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import ConfigError, InvalidInput, LiaisonError, ProofError
from liaison.crypto.keystore import MasterKey, create_master_key, sealed_key_context, write_sealed
from liaison.crypto.merkle import EMPTY_ROOT, leaf_hash
from liaison.crypto.tree_head import (
    SignedTreeHead,
    from_json,
    generate_audit_key,
    generate_sealed_audit_key,
    load_audit_private_key,
    load_audit_public_key,
    load_sealed_audit_private_key,
    seal_audit_key,
    sign_tree_head,
    signed_bytes,
    to_json,
    verify_tree_head,
)

NOW = datetime(2025, 1, 2, 3, 4, 5, 678_999, tzinfo=UTC)
NOW_MS = 1_735_787_045_678
ROOT = leaf_hash(b"root stand-in")
KEY = Ed25519PrivateKey.generate()
HEAD = sign_tree_head(5, ROOT, KEY, now=NOW)


def _flip(value: bytes, bit: int = 0) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


# -- canonical bytes and signatures ---------------------------------------------


def test_signed_bytes_are_exactly_the_documented_ones() -> None:
    expected = b"liaison-tree-head-v1\n5\n" + ROOT.hex().encode() + b"\n1735787045678\n"
    assert signed_bytes(5, ROOT, NOW_MS) == expected
    assert signed_bytes(0, EMPTY_ROOT, 0) == (
        b"liaison-tree-head-v1\n0\n"
        b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n0\n"
    )


def test_a_signed_head_verifies_with_the_matching_public_key() -> None:
    assert (HEAD.size, HEAD.root, HEAD.timestamp_ms) == (5, ROOT, NOW_MS)
    assert len(HEAD.signature) == 64
    verify_tree_head(HEAD, KEY.public_key())
    KEY.public_key().verify(HEAD.signature, signed_bytes(5, ROOT, NOW_MS))


def test_the_timestamp_is_exact_milliseconds_in_any_time_zone() -> None:
    elsewhere = NOW.astimezone(timezone(timedelta(hours=-7, minutes=-30)))
    assert sign_tree_head(5, ROOT, KEY, now=elsewhere).timestamp_ms == NOW_MS
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert sign_tree_head(0, EMPTY_ROOT, KEY, now=epoch).timestamp_ms == 0


@pytest.mark.parametrize(
    "tampered",
    [
        dataclasses.replace(HEAD, size=6),
        dataclasses.replace(HEAD, size=4),
        dataclasses.replace(HEAD, root=_flip(ROOT)),
        dataclasses.replace(HEAD, root=_flip(ROOT, 255)),
        dataclasses.replace(HEAD, timestamp_ms=NOW_MS + 1),
        dataclasses.replace(HEAD, signature=_flip(HEAD.signature)),
        dataclasses.replace(HEAD, signature=_flip(HEAD.signature, 511)),
        dataclasses.replace(HEAD, signature=bytes(64)),
    ],
    ids=[
        "size+1",
        "size-1",
        "root bit 0",
        "root bit 255",
        "time+1",
        "sig bit 0",
        "sig bit 511",
        "sig zero",
    ],
)
def test_a_tampered_head_does_not_verify(tampered: SignedTreeHead) -> None:
    with pytest.raises(ProofError, match="does not verify"):
        verify_tree_head(tampered, KEY.public_key())


def test_a_head_signed_by_another_key_does_not_verify() -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(ProofError):
        verify_tree_head(sign_tree_head(5, ROOT, other, now=NOW), KEY.public_key())


def test_a_head_altered_behind_the_dataclass_is_still_a_proof_error() -> None:
    head = sign_tree_head(5, ROOT, KEY, now=NOW)
    object.__setattr__(head, "root", b"short")
    with pytest.raises(ProofError):
        verify_tree_head(head, KEY.public_key())


@pytest.mark.parametrize(
    "now",
    [datetime(2025, 1, 2, 3, 4, 5), datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)],
    ids=["naive", "before 1970"],
)
def test_signing_time_must_be_aware_and_after_the_epoch(now: datetime) -> None:
    with pytest.raises(InvalidInput):
        sign_tree_head(5, ROOT, KEY, now=now)


BAD_FIELDS: dict[str, tuple[Any, Any, Any]] = {
    "size negative": (-1, ROOT, 0),
    "size beyond uint64": (2**64, ROOT, 0),
    "size a bool": (True, ROOT, 0),
    "root 31 bytes": (5, ROOT[:31], 0),
    "root 33 bytes": (5, ROOT + b"\x00", 0),
    "root as hex": (5, ROOT.hex(), 0),
    "timestamp negative": (5, ROOT, -1),
    "timestamp beyond int64": (5, ROOT, 2**63),
    "timestamp a float": (5, ROOT, 1.5),
}


@pytest.mark.parametrize("fields", BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_signed_bytes_refuse_out_of_range_fields(fields: tuple[Any, Any, Any]) -> None:
    with pytest.raises(InvalidInput, match="tree head"):
        signed_bytes(*fields)


@pytest.mark.parametrize(
    ("size", "root"), [(-1, ROOT), (2**64, ROOT), (5, ROOT[:31]), (5, None)], ids=repr
)
def test_signing_refuses_a_bad_size_or_root(size: Any, root: Any) -> None:
    with pytest.raises(InvalidInput, match="tree head"):
        sign_tree_head(size, root, KEY, now=NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"size": -1},
        {"size": 2**64},
        {"size": False},
        {"size": 5.0},
        {"root": ROOT[:31]},
        {"root": bytearray(ROOT)},
        {"timestamp_ms": -1},
        {"timestamp_ms": 2**63},
        {"signature": HEAD.signature[:63]},
        {"signature": HEAD.signature + b"\x00"},
        {"signature": HEAD.signature.hex()},
    ],
    # Named by field and type, not value: the signature is fresh each run, and
    # every test worker must collect the same ids.
    ids=lambda fields: ",".join(
        f"{k}:{type(v).__name__}:{len(v) if isinstance(v, bytes | bytearray | str) else v}"
        for k, v in fields.items()
    ),
)
def test_a_malformed_head_cannot_be_built(fields: dict[str, Any]) -> None:
    with pytest.raises(ProofError, match="tree head"):
        dataclasses.replace(HEAD, **fields)


def test_the_largest_wire_values_are_accepted() -> None:
    head = sign_tree_head(2**64 - 1, ROOT, KEY, now=NOW)
    head = dataclasses.replace(head, timestamp_ms=2**63 - 1)
    with pytest.raises(ProofError):
        verify_tree_head(head, KEY.public_key())  # re-timed, so no longer signed
    assert from_json(to_json(head)) == head


# -- JSON -------------------------------------------------------------------------


def test_json_form_is_the_documented_one() -> None:
    assert to_json(HEAD) == {
        "size": 5,
        "root": ROOT.hex(),
        "timestamp_ms": NOW_MS,
        "signature": base64.b64encode(HEAD.signature).decode(),
    }


def test_json_round_trip_keeps_the_signature_valid() -> None:
    text = json.dumps(to_json(HEAD))
    back = from_json(json.loads(text))
    assert back == HEAD
    verify_tree_head(back, KEY.public_key())


_VALID = to_json(HEAD)
_SIGNATURE = base64.b64encode(HEAD.signature).decode()


def _with(**changes: Any) -> dict[str, Any]:
    return {**_VALID, **changes}


MALFORMED_JSON: dict[str, Any] = {
    "a list": [5, ROOT.hex(), NOW_MS, "sig"],
    "a string": json.dumps(_VALID),
    "null": None,
    "missing size": {k: v for k, v in _VALID.items() if k != "size"},
    "missing signature": {k: v for k, v in _VALID.items() if k != "signature"},
    "an unknown field": _with(extra=1),
    "size as a string": _with(size="5"),
    "size as a float": _with(size=5.0),
    "size as true": _with(size=True),
    "size negative": _with(size=-1),
    "size beyond uint64": _with(size=2**64),
    "size null": _with(size=None),
    "root uppercase hex": _with(root=ROOT.hex().upper()),
    "root short": _with(root=ROOT.hex()[:62]),
    "root not hex": _with(root="zz" * 32),
    "root with spaces": _with(root=" " + ROOT.hex()[1:]),
    "root as base64": _with(root=base64.b64encode(ROOT).decode()),
    "root as a list": _with(root=list(ROOT)),
    "timestamp as a string": _with(timestamp_ms=str(NOW_MS)),
    "timestamp negative": _with(timestamp_ms=-1),
    "signature not base64": _with(signature="!" * 88),
    "signature urlsafe base64": _with(
        signature=base64.urlsafe_b64encode(bytes([251] * 64)).decode()
    ),
    "signature unpadded": _with(signature=_SIGNATURE.rstrip("=")),
    "signature with a newline": _with(signature=_SIGNATURE + "\n"),
    "signature non-canonical bits": _with(signature=_SIGNATURE[:85] + "B=="),
    "signature non-ascii": _with(signature="é" * 88),
    "signature 63 bytes": _with(signature=base64.b64encode(bytes(63)).decode()),
    "signature as hex": _with(signature=HEAD.signature.hex()),
    "signature null": _with(signature=None),
}


@pytest.mark.parametrize("value", MALFORMED_JSON.values(), ids=MALFORMED_JSON.keys())
def test_malformed_json_is_a_proof_error(value: Any) -> None:
    with pytest.raises(ProofError, match="tree head"):
        from_json(value)


def test_non_canonical_base64_decodes_to_a_valid_signature_and_is_still_refused() -> None:
    """b64decode ignores the unused low bits of the last character; we do not."""
    head = dataclasses.replace(HEAD, signature=HEAD.signature[:63] + b"\x00")
    text = to_json(head)["signature"]
    assert isinstance(text, str) and text.endswith("A==")
    loose = text[:-3] + "B=="
    assert base64.b64decode(loose) == head.signature
    with pytest.raises(ProofError):
        from_json({**to_json(head), "signature": loose})


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=90),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=12,
)


@given(_json_values)
def test_any_json_value_parses_or_raises_only_liaison_errors(value: Any) -> None:
    with contextlib.suppress(LiaisonError):
        from_json(value)


@given(st.sampled_from(sorted(_VALID)), _json_values)
def test_one_field_replaced_by_any_json_value_raises_only_liaison_errors(
    field: str, value: Any
) -> None:
    try:
        head = from_json({**_VALID, field: value})
    except LiaisonError:
        return
    # A value that still parses must have kept the field's meaning.
    assert to_json(head) == {**_VALID, field: value}


# -- audit key files --------------------------------------------------------------


@pytest.fixture
def umask_077() -> Iterator[None]:
    """Run with a strict umask, to show the public key is still 0644."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("umask_077")
def test_generated_key_files_have_the_documented_modes_and_formats(tmp_path: Path) -> None:
    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    generate_audit_key(private, public)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    head = sign_tree_head(3, ROOT, load_audit_private_key(private), now=NOW)
    verify_tree_head(head, load_audit_public_key(public))


@pytest.mark.parametrize("existing", ["audit.key", "audit.pub"])
def test_generating_refuses_to_overwrite_either_file(tmp_path: Path, existing: str) -> None:
    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    (tmp_path / existing).write_bytes(b"keep me")
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        generate_audit_key(private, public)
    assert (tmp_path / existing).read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_a_failed_public_key_write_leaves_no_private_key(tmp_path: Path) -> None:
    private = tmp_path / "audit.key"
    with pytest.raises(ConfigError, match="cannot write"):
        generate_audit_key(private, tmp_path / "missing-dir" / "audit.pub")
    assert not private.exists()


def test_a_second_generation_keeps_the_first_key(tmp_path: Path) -> None:
    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    generate_audit_key(private, public)
    before = private.read_bytes(), public.read_bytes()
    with pytest.raises(ConfigError):
        generate_audit_key(private, public)
    assert (private.read_bytes(), public.read_bytes()) == before


def _pem_files(tmp_path: Path) -> dict[str, Path]:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = Ed25519PrivateKey.generate()
    contents = {
        "garbage.pem": b"not a key",
        "empty.pem": b"",
        "ec.key": ec_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        "ec.pub": ec_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "encrypted.key": ed_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"password"),
        ),
        "ed.key": ed_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        "ed.pub": ed_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    paths["missing.pem"] = tmp_path / "missing.pem"
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.pem", "cannot read"),
        ("garbage.pem", "not an unencrypted PEM private key"),
        ("empty.pem", "not an unencrypted PEM private key"),
        ("encrypted.key", "not an unencrypted PEM private key"),
        ("ed.pub", "not an unencrypted PEM private key"),
        ("ec.key", "not an Ed25519 private key"),
    ],
)
def test_loading_a_bad_private_key_names_the_file(tmp_path: Path, name: str, message: str) -> None:
    path = _pem_files(tmp_path)[name]
    with pytest.raises(ConfigError, match=message) as caught:
        load_audit_private_key(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.pem", "cannot read"),
        ("garbage.pem", "not a PEM public key"),
        ("empty.pem", "not a PEM public key"),
        ("ed.key", "not a PEM public key"),
        ("ec.pub", "not an Ed25519 public key"),
    ],
)
def test_loading_a_bad_public_key_names_the_file(tmp_path: Path, name: str, message: str) -> None:
    path = _pem_files(tmp_path)[name]
    with pytest.raises(ConfigError, match=message) as caught:
        load_audit_public_key(path)
    assert str(path) in str(caught.value)


def test_loaded_keys_are_a_matching_pair(tmp_path: Path) -> None:
    paths = _pem_files(tmp_path)
    private = load_audit_private_key(paths["ed.key"])
    public = load_audit_public_key(paths["ed.pub"])
    verify_tree_head(sign_tree_head(1, leaf_hash(b"e"), private, now=NOW), public)


def _master(tmp_path: Path, name: str = "master.key") -> MasterKey:
    create_master_key(tmp_path / name)
    return MasterKey.load(tmp_path / name)


@pytest.mark.usefixtures("umask_077")
def test_a_sealed_audit_key_holds_no_pem_and_signs_for_its_public_half(tmp_path: Path) -> None:
    sealed, public = tmp_path / "audit.key.sealed", tmp_path / "audit.pub"
    master = _master(tmp_path)
    generate_sealed_audit_key(sealed, public, master)
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert b"-----BEGIN" not in sealed.read_bytes()
    head = sign_tree_head(3, ROOT, load_sealed_audit_private_key(sealed, master), now=NOW)
    verify_tree_head(head, load_audit_public_key(public))


def test_a_sealed_audit_key_refuses_another_master_key_naming_the_file(tmp_path: Path) -> None:
    sealed = tmp_path / "audit.key.sealed"
    generate_sealed_audit_key(sealed, tmp_path / "audit.pub", _master(tmp_path))
    with pytest.raises(ConfigError, match=re.escape(str(sealed))):
        load_sealed_audit_private_key(sealed, _master(tmp_path, "other.key"))


def test_a_sealed_agency_key_is_no_audit_key(tmp_path: Path) -> None:
    # The associated data names the purpose: a file sealed for another one does not open.
    master = _master(tmp_path)
    sealed = tmp_path / "audit.key.sealed"
    plain = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_sealed(sealed, plain, master, context=sealed_key_context("agency-key", "FR"))
    with pytest.raises(ConfigError, match="does not open"):
        load_sealed_audit_private_key(sealed, master)


def test_sealing_a_plain_audit_key_keeps_its_public_half(tmp_path: Path) -> None:
    private, public = tmp_path / "audit.key", tmp_path / "audit.pub"
    generate_audit_key(private, public)
    master = _master(tmp_path)
    sealed = tmp_path / "audit.key.sealed"
    seal_audit_key(private, sealed, master)
    assert b"-----BEGIN" not in sealed.read_bytes()
    head = sign_tree_head(1, ROOT, load_sealed_audit_private_key(sealed, master), now=NOW)
    verify_tree_head(head, load_audit_public_key(public))
    with pytest.raises(ConfigError, match="not an unencrypted PEM"):
        seal_audit_key(public, tmp_path / "other.sealed", master)
    assert not (tmp_path / "other.sealed").exists()
