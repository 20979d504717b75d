"""End-to-end encryption of follow-up messages: HPKE (RFC 9180) in auth mode.

A follow-up travels from one node to another through the broker, which must
learn nothing of it but its metadata. Each message is a clear
:class:`Header` (what the broker logs: kind, ids, parties, times, decision,
handling code) and a body sealed with HPKE to the recipient node's
encryption key from the signed directory:

* suite DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM;
* **auth mode** (RFC 9180 section 5.1.3): the sender's own X25519 key (also
  published in its signed directory entry) takes part in the key schedule,
  so only the holder of that key can have sealed a message that opens;
* ``info`` names the scheme, the sender and the recipient, and the header's
  canonical bytes are the AEAD's associated data: a header altered in
  transit (another query id, party, decision or deadline), a body cut or
  flipped, or a message re-addressed makes :func:`open_message` fail;
* every header has a fresh random 128-bit ``message_id``: the recipient
  remembers each id it accepted, so a replay is refused.

pycryptodome's ``Crypto.Protocol.HPKE`` is used because it offers auth
mode and associated data; the HPKE module of ``cryptography`` 50 is base mode
only (no sender authentication) and takes no associated data
(``docs/followups.md``, "Why this HPKE").
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Final

from Crypto.Protocol import HPKE
from Crypto.Protocol.DH import import_x25519_public_key
from Crypto.PublicKey import ECC

from liaison.core.config_file import NAME_PATTERN
from liaison.core.errors import EnvelopeRejected, InvalidInput

#: Version of the header and of the key schedule's ``info``.
FOLLOWUP_VERSION: Final = 1
_INFO_DOMAIN: Final = b"liaison-followup-v1"
_KEY_DOMAIN: Final = b"liaison-followup-key-v1"
PUBLIC_KEY_BYTES: Final = 32
#: Largest header the broker or a node parses.
MAX_HEADER_BYTES: Final = 4096
#: Largest sealed body a node opens (a follow-up holds a few records).
MAX_BODY_BYTES: Final = 1024 * 1024


class MessageKind(StrEnum):
    """What a follow-up message is (``docs/followups.md``, "Messages")."""

    #: Requester to data owner: the matched identifiers of one hit row.
    REQUEST = "request"
    #: The recipient's synchronous answer to any message: accepted or rejected.
    ACK = "ack"
    #: Data owner to requester: the officer's decision and released fields.
    REPLY = "reply"
    #: Requester to data owner: a hit on one of its records (per agreement).
    NOTICE = "notice"
    #: Either side: a request passed its deadline unanswered.
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Header:
    """The clear part of a follow-up message: what the broker sees and logs.

    ``reply_to`` names the message this one answers (an ack, a reply, an
    overdue flag); ``deadline_ms`` is 0 where none applies; ``decision`` and
    ``handling`` are empty where none applies. Nothing here is an identifier.
    """

    kind: MessageKind
    message_id: str
    query_id: str
    sender: str
    recipient: str
    sent_at_ms: int
    reply_to: str = ""
    deadline_ms: int = 0
    decision: str = ""
    handling: str = ""

    def __post_init__(self) -> None:
        """Refuse a header that could not be logged or bound faithfully."""
        if not isinstance(self.kind, MessageKind):
            raise InvalidInput("follow-up header: unknown kind")
        for name in ("sender", "recipient"):
            if not NAME_PATTERN.fullmatch(getattr(self, name)):
                raise InvalidInput(f"follow-up header: {name} is not an agency code")
        for name in ("message_id", "query_id", "reply_to", "decision", "handling"):
            value = getattr(self, name)
            if not isinstance(value, str) or len(value) > 128 or not value.isprintable():
                raise InvalidInput(f"follow-up header: {name} must be short printable text")
        if len(self.message_id) != 32:
            raise InvalidInput("follow-up header: message_id must be 128 bits of hex")
        for name in ("sent_at_ms", "deadline_ms"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise InvalidInput(f"follow-up header: {name} must be a non-negative integer")

    def to_bytes(self) -> bytes:
        """Return the canonical bytes (sorted-key JSON, version 1): the AEAD's associated data."""
        document: dict[str, Any] = {"v": FOLLOWUP_VERSION, **asdict(self)}
        document["kind"] = self.kind.value
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True, slots=True)
class SealedMessage:
    """A follow-up message on the wire: clear header, HPKE encapsulated key, ciphertext."""

    header: bytes
    enc: bytes
    ciphertext: bytes


class FollowupKey:
    """A node's X25519 key for follow-ups: it receives with it and authenticates with it."""

    def __init__(self, private: ECC.EccKey) -> None:
        """Wrap an X25519 private key."""
        if private.curve != "Curve25519" or not private.has_private():
            raise InvalidInput("a follow-up key is an X25519 private key")
        self._private = private

    @classmethod
    def derive(cls, secret: bytes, agency: str) -> FollowupKey:
        """Derive the agency's key from a 32-byte secret (the node's master key)."""
        seed = hashlib.sha256(_KEY_DOMAIN + b"\n" + agency.encode() + b"\n" + secret).digest()
        return cls(ECC.construct(curve="Curve25519", seed=seed))

    @classmethod
    def generate(cls) -> FollowupKey:
        """Return a fresh random key (tests, and hostile parties in them)."""
        return cls(ECC.construct(curve="Curve25519", seed=secrets.token_bytes(32)))

    @property
    def private(self) -> ECC.EccKey:
        """The private key (for HPKE only)."""
        return self._private

    def public_bytes(self) -> bytes:
        """Return the 32-byte public key, as the directory publishes it."""
        raw: bytes = self._private.public_key().export_key(format="raw")
        return raw


def public_key(raw: bytes) -> ECC.EccKey:
    """Return the X25519 public key of 32 raw bytes.

    Raises:
        EnvelopeRejected: not a usable X25519 public key.
    """
    if not isinstance(raw, bytes) or len(raw) != PUBLIC_KEY_BYTES:
        raise EnvelopeRejected("not an X25519 public key")
    try:
        key: ECC.EccKey = import_x25519_public_key(raw)
    except ValueError:
        raise EnvelopeRejected("not an X25519 public key") from None
    return key


def new_message_id() -> str:
    """Return a fresh random 128-bit message id, lowercase hex."""
    return secrets.token_hex(16)


def _info(sender: str, recipient: str) -> bytes:
    return b"\n".join((_INFO_DOMAIN, sender.encode(), recipient.encode()))


def seal_message(
    header: Header, body: bytes, sender: FollowupKey, recipient_public: bytes
) -> SealedMessage:
    """Seal ``body`` to the recipient, authenticated as ``sender``, bound to ``header``.

    Raises:
        EnvelopeRejected: the recipient's public key is unusable.
        InvalidInput: the body is too large.
    """
    if len(body) > MAX_BODY_BYTES:
        raise InvalidInput("follow-up body too large")
    header_bytes = header.to_bytes()
    cipher = HPKE.new(
        receiver_key=public_key(recipient_public),
        sender_key=sender.private,
        aead_id=HPKE.AEAD.AES256_GCM,
        info=_info(header.sender, header.recipient),
    )
    ciphertext = cipher.seal(body, header_bytes)
    return SealedMessage(header_bytes, cipher.enc, ciphertext)


def parse_header(data: bytes) -> Header:
    """Parse a message's clear header (the broker does, to log and route it).

    Raises:
        InvalidInput: not a version-1 header of the expected shape.
    """
    if not isinstance(data, bytes) or len(data) > MAX_HEADER_BYTES:
        raise InvalidInput("follow-up header missing or too large")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("follow-up header is not JSON") from None
    if not isinstance(document, dict) or document.pop("v", None) != FOLLOWUP_VERSION:
        raise InvalidInput("follow-up header of an unknown version")
    try:
        document["kind"] = MessageKind(str(document.get("kind")))
        header = Header(**document)
    except (TypeError, ValueError):
        raise InvalidInput("follow-up header has unknown or missing fields") from None
    if header.to_bytes() != data:
        raise InvalidInput("follow-up header is not in canonical form")
    return header


def open_message(
    sealed: SealedMessage, recipient: FollowupKey, sender_public: bytes, *, me: str
) -> tuple[Header, bytes]:
    """Open a message addressed to agency ``me``; return its header and body.

    Raises:
        EnvelopeRejected: not addressed to ``me``, or it does not open: altered
            header or body, another sender, another recipient key. Deliberately
            says no more.
        InvalidInput: the header is malformed.
    """
    header = parse_header(sealed.header)
    if header.recipient != me:
        raise EnvelopeRejected("follow-up not addressed to this agency")
    if len(sealed.ciphertext) > MAX_BODY_BYTES + 16:
        raise EnvelopeRejected("follow-up body too large")
    try:
        cipher = HPKE.new(
            receiver_key=recipient.private,
            sender_key=public_key(sender_public),
            aead_id=HPKE.AEAD.AES256_GCM,
            enc=sealed.enc,
            info=_info(header.sender, header.recipient),
        )
        body: bytes = cipher.unseal(sealed.ciphertext, sealed.header)
    except (ValueError, TypeError):
        raise EnvelopeRejected(
            "follow-up does not open (altered, or not from its sender)"
        ) from None
    return header, body
