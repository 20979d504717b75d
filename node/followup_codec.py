"""Proto <-> domain conversion for the local face's directory and follow-up calls."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from liaison.core.records import RecordField
from liaison.crypto.envelope import epoch_ms
from liaison.node.codec import contact_to_proto
from liaison.node.followup_model import Followup, HitNotice, ReleasedRecord, record_fields
from liaison.node.partner_directory import Listing
from liaison.v1 import node_pb2


def listing_to_proto(listing: Listing) -> node_pb2.DirectoryListing:
    """Encode one participant's verified entry (or its problem)."""
    entry = listing.entry
    if entry is None:
        return node_pb2.DirectoryListing(agency=listing.agency, problem=listing.problem)
    return node_pb2.DirectoryListing(
        agency=listing.agency,
        contacts=[contact_to_proto(c) for c in entry.contacts],
        verified=True,
        published_at_ms=entry.published_at_ms,
        key_fingerprint=hashlib.sha256(entry.encryption_key).hexdigest(),
    )


def records_to_proto(records: Sequence[ReleasedRecord]) -> list[node_pb2.FollowupRecord]:
    """Encode records with their fields, source fields marked."""
    return [
        node_pb2.FollowupRecord(
            dataset=r.dataset,
            ref=r.ref,
            fields=[_field(f) for f in r.fields],
        )
        for r in records
    ]


def _field(field: RecordField) -> node_pb2.FollowupField:
    return node_pb2.FollowupField(name=field.name, value=field.value, source=field.source)


def followup_to_proto(
    followup: Followup, now: datetime, records: Sequence[ReleasedRecord] = ()
) -> node_pb2.FollowupView:
    """Encode a follow-up as one side sees it at ``now`` (with the owner's records, if given)."""
    return node_pb2.FollowupView(
        id=followup.id,
        direction=followup.side.value,
        query_id=followup.query_id,
        partner=followup.partner,
        dataset=followup.dataset,
        state=followup.state.value,
        investigator=followup.investigator,
        message=followup.message,
        created_ms=epoch_ms(followup.created_at),
        deadline_ms=epoch_ms(followup.deadline),
        answered_ms=0 if followup.answered_at is None else epoch_ms(followup.answered_at),
        overdue=followup.overdue(now),
        handling=followup.handling,
        note=followup.note,
        reason=followup.reason,
        officer=followup.officer,
        row=followup.row,
        row_ref=followup.row_ref,
        records=records_to_proto(records),
        released=records_to_proto(followup.released),
        asked=records_to_proto(
            [
                ReleasedRecord(
                    followup.dataset, followup.row_ref, record_fields(followup.identifiers)
                )
            ]
        )[0],
    )


def notice_to_proto(notice: HitNotice) -> node_pb2.HitNoticeView:
    """Encode a received hit notice."""
    return node_pb2.HitNoticeView(
        id=notice.id,
        requester=notice.requester,
        query_id=notice.query_id,
        dataset=notice.dataset,
        refs=notice.refs,
        received_ms=epoch_ms(notice.received_at),
    )
