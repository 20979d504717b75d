"""Proto <-> domain conversion for the types nodes and the broker share."""

from __future__ import annotations

from typing import Final

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.answers import DatasetAnswer, PartnerStatus
from liaison.core.query import SignedQuery
from liaison.core.versions import DatasetVersion, PartnerVersions
from liaison.crypto.directory_entry import SignedEntry
from liaison.crypto.followup_seal import SealedMessage
from liaison.crypto.receipts import Receipt
from liaison.crypto.tree_head import SignedTreeHead
from liaison.v1 import common_pb2

_STATUS_TO_PROTO = {
    PartnerStatus.OK: common_pb2.PARTNER_STATUS_OK,
    PartnerStatus.UNAVAILABLE: common_pb2.PARTNER_STATUS_UNAVAILABLE,
    PartnerStatus.REFUSED: common_pb2.PARTNER_STATUS_REFUSED,
    PartnerStatus.TIMEOUT: common_pb2.PARTNER_STATUS_TIMEOUT,
}
_STATUS_FROM_PROTO = {value: key for key, value in _STATUS_TO_PROTO.items()}
_LIMIT_TO_PROTO = {
    AlertLimit.DAILY_KEY_BUDGET: common_pb2.ALERT_LIMIT_DAILY_KEY_BUDGET,
    AlertLimit.PARTNER_RATE: common_pb2.ALERT_LIMIT_PARTNER_RATE,
    AlertLimit.BROKER_IN_FLIGHT: common_pb2.ALERT_LIMIT_BROKER_IN_FLIGHT,
    AlertLimit.BROKER_RATE: common_pb2.ALERT_LIMIT_BROKER_RATE,
}
_LIMIT_FROM_PROTO = {value: key for key, value in _LIMIT_TO_PROTO.items()}
#: The audit log's integers are signed 64-bit: a larger alert count is read
#: as this, and a larger key epoch as not declared.
_COUNT_MAX: Final = 2**63 - 1


def status_to_proto(status: PartnerStatus) -> common_pb2.PartnerStatus.ValueType:
    """Return the wire value of a partner status."""
    return _STATUS_TO_PROTO[status]


def status_from_proto(value: common_pb2.PartnerStatus.ValueType) -> PartnerStatus:
    """Return the partner status of a wire value; unknown values read as unavailable."""
    return _STATUS_FROM_PROTO.get(value, PartnerStatus.UNAVAILABLE)


def answer_to_proto(answer: DatasetAnswer) -> common_pb2.DatasetAnswer:
    """Encode a dataset answer (``key_epoch`` left unset when None)."""
    message = common_pb2.DatasetAnswer(
        agency=answer.agency,
        dataset=answer.dataset,
        status=status_to_proto(answer.status),
        reason=answer.reason,
        filter_version=answer.filter_version,
        psi_response=answer.psi_response,
        filter_keys=answer.filter_keys,
        alert=None if answer.alert is None else alert_to_proto(answer.alert),
    )
    if answer.key_epoch is not None:
        message.key_epoch = answer.key_epoch
    return message


def alert_to_proto(alert: Alert) -> common_pb2.Alert:
    """Encode a budget or rate alert."""
    return common_pb2.Alert(
        limit=_LIMIT_TO_PROTO[alert.limit],
        allowed=alert.allowed,
        used=alert.used,
        asked=alert.asked,
    )


def alert_from_proto(message: common_pb2.Alert) -> Alert | None:
    """Decode an alert; an unset or unknown limit is no alert, counts are capped at 2**63 - 1."""
    limit = _LIMIT_FROM_PROTO.get(message.limit)
    if limit is None:
        return None
    return Alert(
        limit,
        allowed=min(message.allowed, _COUNT_MAX),
        used=min(message.used, _COUNT_MAX),
        asked=min(message.asked, _COUNT_MAX),
    )


def answer_from_proto(message: common_pb2.DatasetAnswer) -> DatasetAnswer:
    """Decode a dataset answer."""
    return DatasetAnswer(
        agency=message.agency,
        dataset=message.dataset,
        status=status_from_proto(message.status),
        reason=message.reason,
        filter_version=message.filter_version,
        psi_response=message.psi_response,
        filter_keys=message.filter_keys,
        alert=alert_from_proto(message.alert) if message.HasField("alert") else None,
        key_epoch=_key_epoch(message),
    )


def _key_epoch(message: common_pb2.DatasetAnswer) -> int | None:
    # Above 2**63 - 1 no node counts epochs, and the audit log's integers
    # would refuse it: read as not declared.
    if not message.HasField("key_epoch") or message.key_epoch > _COUNT_MAX:
        return None
    return message.key_epoch


def tree_head_to_proto(head: SignedTreeHead) -> common_pb2.TreeHead:
    """Encode a signed tree head."""
    return common_pb2.TreeHead(
        size=head.size, root=head.root, timestamp_ms=head.timestamp_ms, signature=head.signature
    )


def tree_head_from_proto(message: common_pb2.TreeHead) -> SignedTreeHead:
    """Decode a signed tree head (its signature is checked by the caller)."""
    return SignedTreeHead(
        size=message.size,
        root=message.root,
        timestamp_ms=message.timestamp_ms,
        signature=message.signature,
    )


def signed_query_to_proto(signed: SignedQuery) -> common_pb2.SignedQuery:
    """Encode a signed query: its envelope bytes travel exactly as signed."""
    return common_pb2.SignedQuery(envelope=signed.envelope, signature=signed.signature)


def signed_query_from_proto(message: common_pb2.SignedQuery) -> SignedQuery:
    """Decode a signed query (verified later, by ``liaison.crypto.envelope.open_query``)."""
    return SignedQuery(envelope=message.envelope, signature=message.signature)


def receipt_to_proto(receipt: Receipt) -> common_pb2.AuditReceipt:
    """Encode the broker's receipt for a logged entry."""
    return common_pb2.AuditReceipt(
        entry_index=receipt.entry_index,
        header=receipt.header,
        salt=receipt.salt,
        body=receipt.body,
        tree_head=tree_head_to_proto(receipt.tree_head),
        inclusion_proof=receipt.inclusion_proof,
    )


def receipt_from_proto(message: common_pb2.AuditReceipt) -> Receipt:
    """Decode a receipt (its holder verifies it before relying on it).

    Raises:
        InvalidInput: the tree head or a field is malformed.
    """
    return Receipt(
        entry_index=message.entry_index,
        header=message.header,
        salt=message.salt,
        body=message.body,
        tree_head=tree_head_from_proto(message.tree_head),
        inclusion_proof=tuple(message.inclusion_proof),
    )


def partner_versions_to_proto(versions: PartnerVersions) -> common_pb2.PartnerVersions:
    """Encode one partner's dataset versions."""
    return common_pb2.PartnerVersions(
        agency=versions.agency,
        status=status_to_proto(versions.status),
        reason=versions.reason,
        datasets=[
            common_pb2.DatasetVersion(dataset=d.dataset, content_version=d.content_version)
            for d in versions.datasets
        ],
    )


def partner_versions_from_proto(message: common_pb2.PartnerVersions) -> PartnerVersions:
    """Decode one partner's dataset versions (unknown statuses read as unavailable)."""
    return PartnerVersions(
        agency=message.agency,
        status=status_from_proto(message.status),
        reason=message.reason,
        datasets=tuple(DatasetVersion(d.dataset, d.content_version) for d in message.datasets),
    )


def sealed_to_proto(sealed: SealedMessage) -> common_pb2.FollowupEnvelope:
    """Return the wire form of a sealed follow-up message."""
    return common_pb2.FollowupEnvelope(
        header=sealed.header, enc=sealed.enc, ciphertext=sealed.ciphertext
    )


def sealed_from_proto(message: common_pb2.FollowupEnvelope) -> SealedMessage:
    """Return the sealed follow-up message of its wire form (checked when opened)."""
    return SealedMessage(message.header, message.enc, message.ciphertext)


def signed_entry_to_proto(signed: SignedEntry) -> common_pb2.SignedDirectoryEntry:
    """Return the wire form of a signed directory entry."""
    return common_pb2.SignedDirectoryEntry(
        entry=signed.entry, signature=signed.signature, certificate=signed.certificate
    )


def signed_entry_from_proto(message: common_pb2.SignedDirectoryEntry) -> SignedEntry:
    """Return the signed directory entry of its wire form (verified by its reader)."""
    return SignedEntry(message.entry, message.signature, message.certificate)
