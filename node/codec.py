"""Proto <-> domain conversion for the node's services (pure functions)."""

from __future__ import annotations

from liaison.core.answers import PartnerStatus
from liaison.core.errors import InvalidInput
from liaison.core.query import Justification
from liaison.core.records import EntityType, KeyStrength, Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.crypto.envelope import epoch_ms
from liaison.node.model import Hit, MatchRequest, MatchResult, PartnerResult
from liaison.node.store import DatasetInfo, KeyEpoch
from liaison.v1 import node_pb2


def record_to_proto(record: Record) -> node_pb2.Identity:
    """Encode one canonical record."""
    return node_pb2.Identity(
        ref=record.ref,
        full_name=record.full_name,
        date_of_birth=record.date_of_birth,
        nationality=record.nationality,
        document_numbers=record.document_numbers,
        document_countries=record.document_countries,
        national_ids=record.national_ids,
        phones=record.phones,
        emails=record.emails,
        ibans=record.ibans,
        wallets=record.wallets,
        aliases=record.aliases,
        entity_type=record.entity_type.value,
        country=record.country,
        other_dates_of_birth=record.other_dates_of_birth,
        registration_numbers=record.registration_numbers,
        leis=record.leis,
        imo_numbers=record.imo_numbers,
        transactions=record.transactions,
    )


def record_from_proto(message: node_pb2.Identity) -> Record:
    """Decode one canonical record.

    Raises:
        InvalidInput: an unknown entity type.
    """
    return Record(
        ref=message.ref,
        full_name=message.full_name,
        date_of_birth=message.date_of_birth,
        nationality=message.nationality,
        document_numbers=tuple(message.document_numbers),
        document_countries=tuple(message.document_countries),
        national_ids=tuple(message.national_ids),
        phones=tuple(message.phones),
        emails=tuple(message.emails),
        ibans=tuple(message.ibans),
        wallets=tuple(message.wallets),
        aliases=tuple(message.aliases),
        entity_type=entity_type_from_text(message.entity_type),
        country=message.country,
        other_dates_of_birth=tuple(message.other_dates_of_birth),
        registration_numbers=tuple(message.registration_numbers),
        leis=tuple(message.leis),
        imo_numbers=tuple(message.imo_numbers),
        transactions=tuple(message.transactions),
    )


def match_request_to_proto(request: MatchRequest) -> node_pb2.LocalMatchRequest:
    """Encode an investigator's match request."""
    return node_pb2.LocalMatchRequest(
        case_id=request.justification.case_id,
        purpose=request.justification.purpose,
        legal_basis=request.justification.legal_basis,
        investigator_id=request.justification.investigator_id,
        partners=request.partners,
        datasets=request.datasets,
        identities=[record_to_proto(r) for r in request.records],
        min_strength=request.min_strength.value if request.min_strength else "",
        count_only=request.count_only,
        split=request.split,
    )


def match_request_from_proto(message: node_pb2.LocalMatchRequest) -> MatchRequest:
    """Decode an investigator's match request."""
    return MatchRequest(
        justification=Justification(
            case_id=message.case_id,
            purpose=message.purpose,
            legal_basis=message.legal_basis,
            investigator_id=message.investigator_id,
        ),
        partners=tuple(message.partners),
        datasets=tuple(message.datasets),
        records=tuple(record_from_proto(i) for i in message.identities),
        min_strength=strength_from_text(message.min_strength) if message.min_strength else None,
        count_only=message.count_only,
        split=message.split,
    )


def match_result_to_proto(result: MatchResult) -> node_pb2.LocalMatchReply:
    """Encode the answer to a match."""
    return node_pb2.LocalMatchReply(
        query_id=result.query_id,
        key_count=result.key_count,
        count_only=result.count_only,
        query_ids=result.query_ids,
        results=[
            node_pb2.LocalPartnerResult(
                agency=r.agency,
                dataset=r.dataset,
                status=r.status.value,
                reason=r.reason,
                filter_version=r.filter_version,
                hits=[
                    node_pb2.Hit(row=h.row, ref=h.ref, keys=h.keys, strength=h.strength.value)
                    for h in r.hits
                ],
                match_count=r.match_count,
                contact=None if r.contact is None else contact_to_proto(r.contact),
            )
            for r in result.results
        ],
    )


def match_result_from_proto(message: node_pb2.LocalMatchReply) -> MatchResult:
    """Decode the answer to a match (unknown statuses read as unavailable)."""
    known = {s.value for s in PartnerStatus}
    return MatchResult(
        query_id=message.query_id,
        key_count=message.key_count,
        count_only=message.count_only,
        query_ids=tuple(message.query_ids),
        results=tuple(
            PartnerResult(
                agency=r.agency,
                dataset=r.dataset,
                status=PartnerStatus(r.status if r.status in known else "unavailable"),
                reason=r.reason,
                filter_version=r.filter_version,
                hits=tuple(
                    Hit(h.row, h.ref, tuple(h.keys), strength_from_text(h.strength or "exact"))
                    for h in r.hits
                ),
                match_count=r.match_count,
                contact=contact_from_proto(r.contact) if r.HasField("contact") else None,
            )
            for r in message.results
        ),
    )


def contact_to_proto(contact: ContactPoint) -> node_pb2.ContactPoint:
    """Encode a contact point."""
    return node_pb2.ContactPoint(
        category=contact.category,
        unit=contact.unit,
        role=contact.role,
        phone=contact.phone,
        email=contact.email,
        languages=contact.languages,
        hours=contact.hours,
        time_zone=contact.time_zone,
    )


def contact_from_proto(message: node_pb2.ContactPoint) -> ContactPoint:
    """Decode a contact point.

    Raises:
        InvalidInput: it is not a valid contact point.
    """
    return ContactPoint(
        category=message.category,
        unit=message.unit,
        role=message.role,
        phone=message.phone,
        email=message.email,
        languages=tuple(message.languages),
        hours=message.hours,
        time_zone=message.time_zone,
    )


def dataset_info_to_proto(info: DatasetInfo, epoch: KeyEpoch | None = None) -> node_pb2.DatasetInfo:
    """Encode a dataset summary, with its current key epoch if given."""
    message = node_pb2.DatasetInfo(
        name=info.name, records=info.records, keys=info.keys, filter_version=info.version
    )
    if epoch is not None:
        message.key_epoch = epoch.epoch
        message.key_epoch_started_ms = epoch_ms(epoch.started_at)
    return message


def strength_from_text(text: str) -> KeyStrength:
    """Parse a key strength ("exact", "strong", "fuzzy").

    Raises:
        InvalidInput: another word.
    """
    try:
        return KeyStrength(text)
    except ValueError:
        raise InvalidInput("min_strength must be exact, strong or fuzzy") from None


def entity_type_from_text(text: str) -> EntityType:
    """Parse an entity type ("person" or empty, "organisation", "vessel").

    Raises:
        InvalidInput: another word.
    """
    try:
        return EntityType(text or EntityType.PERSON.value)
    except ValueError:
        raise InvalidInput("entity_type must be person, organisation or vessel") from None
