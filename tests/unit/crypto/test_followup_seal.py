"""HPKE auth-mode follow-up messages open only as sealed, for their recipient, from their sender."""

from __future__ import annotations

import dataclasses

import pytest

from liaison.core.errors import EnvelopeRejected, InvalidInput
from liaison.crypto.followup_seal import (
    FollowupKey,
    Header,
    MessageKind,
    new_message_id,
    open_message,
    parse_header,
    seal_message,
)

FR = FollowupKey.generate()
NL = FollowupKey.generate()
HEADER = Header(MessageKind.REQUEST, new_message_id(), "q" * 32, "FR", "NL", 1_000, deadline_ms=9)
BODY = b'{"identifiers":{"ref":"S-1","document_numbers":["X7741203"]}}'


def test_a_message_opens_for_its_recipient_from_its_sender() -> None:
    message = seal_message(HEADER, BODY, FR, NL.public_bytes())
    assert open_message(message, NL, FR.public_bytes(), me="NL") == (HEADER, BODY)
    assert b"X7741203" not in message.header + message.enc + message.ciphertext


@pytest.mark.parametrize(
    "tamper",
    [
        lambda m: dataclasses.replace(
            m, ciphertext=bytes([m.ciphertext[0] ^ 1]) + m.ciphertext[1:]
        ),
        lambda m: dataclasses.replace(m, ciphertext=m.ciphertext[:-1]),
        lambda m: dataclasses.replace(m, enc=bytes([m.enc[0] ^ 1]) + m.enc[1:]),
        lambda m: dataclasses.replace(
            m, header=dataclasses.replace(HEADER, deadline_ms=10).to_bytes()
        ),
        lambda m: dataclasses.replace(
            m, header=dataclasses.replace(HEADER, query_id="r" * 32).to_bytes()
        ),
    ],
    ids=["body bit", "body cut", "enc bit", "deadline", "query id"],
)
def test_any_alteration_is_detected(tamper: object) -> None:
    message = seal_message(HEADER, BODY, FR, NL.public_bytes())
    with pytest.raises(EnvelopeRejected, match="does not open"):
        open_message(tamper(message), NL, FR.public_bytes(), me="NL")  # type: ignore[operator]


def test_another_sender_key_or_recipient_does_not_open_it() -> None:
    message = seal_message(HEADER, BODY, FR, NL.public_bytes())
    with pytest.raises(EnvelopeRejected):
        open_message(message, NL, FollowupKey.generate().public_bytes(), me="NL")
    with pytest.raises(EnvelopeRejected, match="not addressed"):
        open_message(message, NL, FR.public_bytes(), me="TR")
    readdressed = dataclasses.replace(
        message, header=dataclasses.replace(HEADER, recipient="TR").to_bytes()
    )
    with pytest.raises(EnvelopeRejected):
        open_message(readdressed, NL, FR.public_bytes(), me="TR")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"v":2}',
        HEADER.to_bytes().replace(b'"kind":"request"', b'"kind":"gossip"'),
        HEADER.to_bytes().replace(b'{"', b'{"extra":1,"', 1),
        HEADER.to_bytes().replace(b",", b", ", 1),
        HEADER.to_bytes().replace(b'"sender":"FR"', b'"sender":"f r"'),
        b"{" * 5000,
    ],
)
def test_a_malformed_header_is_invalid_input_only(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_header(data)


def test_the_derived_key_is_stable_and_per_agency() -> None:
    secret = bytes(32)
    assert FollowupKey.derive(secret, "FR").public_bytes() == (
        FollowupKey.derive(secret, "FR").public_bytes()
    )
    assert FollowupKey.derive(secret, "FR").public_bytes() != (
        FollowupKey.derive(secret, "NL").public_bytes()
    )
    assert len(FollowupKey.derive(secret, "FR").public_bytes()) == 32
