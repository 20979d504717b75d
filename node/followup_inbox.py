"""The data owner's side of step two: intake, the officer's queue and answer, hit notices.

A request is accepted only if (1) its query is one this node answered for
that very requester, with an ``ok`` answer for the dataset named (its own
ledger says so), and (2) the identifiers derive match keys that a current
record of that dataset holds. Anything else is rejected at intake and never
reaches an officer: no fishing through follow-ups. An officer then approves
chosen fields with a handling code, or refuses; source fields
(``source.*``) are never released, whoever asks for them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from liaison.core.errors import InvalidInput, LiaisonError, NotFound
from liaison.core.records import KeyRole
from liaison.crypto.entity_keys import derive_record_keys
from liaison.crypto.envelope import from_epoch_ms
from liaison.crypto.followup_seal import MessageKind
from liaison.node.agreements import AgreementStore
from liaison.node.followup_messages import Messenger, Opened
from liaison.node.followup_model import (
    HANDLING_CODES,
    Followup,
    FollowupState,
    HitNotice,
    ReleasedRecord,
    Side,
    check_field_names,
    check_message,
    record_fields,
    record_from_json,
    released_fields,
)
from liaison.node.ledger.chain import format_time

log = logging.getLogger(__name__)


class Inbox:
    """Follow-ups and hit notices this node receives as a data owner."""

    def __init__(self, messenger: Messenger, agreements: AgreementStore) -> None:
        """Answer through ``messenger``; accept hit notices where ``agreements`` say so."""
        self._m = messenger
        self._agreements = agreements

    def _answered(self, query_id: str, requester: str, dataset: str) -> str | None:
        """Return the case id if this node answered ``requester``'s query ok for ``dataset``."""
        case_id, outcomes = self._m.store.served(query_id, requester)
        for outcome in outcomes:
            for part in outcome.split(";"):
                name, _, rest = part.partition(":")
                if name == dataset and rest.startswith("ok"):
                    return case_id
        return None

    def receive_request(self, opened: Opened) -> tuple[bool, str]:
        """Check and queue a follow-up request; return (accepted, reason)."""
        header, body = opened.header, opened.body
        dataset = str(body.get("dataset", ""))
        identifiers = record_from_json(body.get("identifiers"))
        message = check_message(str(body.get("message", "")))
        case_id = self._answered(header.query_id, header.sender, dataset)
        if case_id is None:
            return self._reject(
                header.query_id,
                header.sender,
                header.message_id,
                "not a query this node answered for that requester and dataset",
            )
        keys = [key.value for key in derive_record_keys(identifiers, KeyRole.QUERY)]
        refs = self._m.store.records_with_keys(dataset, keys)
        if not refs:
            return self._reject(
                header.query_id,
                header.sender,
                header.message_id,
                "the identifiers match no current record of the dataset",
            )
        now = self._m.clock()
        deadline = from_epoch_ms(header.deadline_ms) if header.deadline_ms else now
        followup = Followup(
            id=header.message_id,
            side=Side.RECEIVED,
            query_id=header.query_id,
            partner=header.sender,
            dataset=dataset,
            row=int(body.get("row", 0)),
            row_ref=str(body.get("row_ref", "")),
            investigator=str(body.get("investigator", "")),
            message=message,
            created_at=now,
            deadline=deadline,
            state=FollowupState.QUEUED,
            identifiers=identifiers,
            case_id=case_id,
            matched_refs=tuple(refs),
        )
        self._m.store.add(followup)
        self._m.note(
            header.query_id,
            header.sender,
            followup.investigator,
            case_id,
            f"request {followup.id} from {header.sender} on {dataset}: queued, "
            f"{len(refs)} records; deadline {format_time(deadline)}",
        )
        return True, ""

    def _reject(self, query_id: str, sender: str, message_id: str, reason: str) -> tuple[bool, str]:
        self._m.note(
            query_id, sender, "", "", f"request {message_id} from {sender}: rejected: {reason}"
        )
        return False, reason

    def records(self, followup: Followup) -> tuple[ReleasedRecord, ...]:
        """Return the matched records as they are now, every field (source ones marked)."""
        found = []
        for ref in followup.matched_refs:
            record = self._m.store.record(followup.dataset, ref)
            if record is not None:
                found.append(ReleasedRecord(followup.dataset, ref, record_fields(record)))
        return tuple(found)

    def answer(
        self,
        officer: str,
        followup_id: str,
        *,
        approve: bool,
        fields: tuple[str, ...] = (),
        handling: str = "",
        note: str = "",
        reason: str = "",
    ) -> Followup:
        """Approve chosen fields with a handling code, or refuse; send the reply.

        Raises:
            NotFound: no such received follow-up.
            InvalidInput: answered already, an unknown field, a missing or
                unknown handling code, or a refusal without a reason.
            LiaisonError: the reply could not be delivered (the follow-up stays queued).
        """
        followup = self._m.store.get(followup_id, Side.RECEIVED)
        if followup.state is not FollowupState.QUEUED:
            raise InvalidInput("the follow-up was answered already")
        released: list[ReleasedRecord] = []
        if approve:
            check_field_names(fields)
            if handling not in HANDLING_CODES:
                raise InvalidInput("an approval needs a handling code: H0, H1, H2 or H3")
            for record in self.records(followup):
                chosen, _ = released_fields(record.fields, fields)
                released.append(ReleasedRecord(record.dataset, record.ref, chosen))
        elif not reason.strip():
            raise InvalidInput("a refusal needs a reason")
        state = FollowupState.APPROVED if approve else FollowupState.REFUSED
        header = self._m.header(
            MessageKind.REPLY,
            followup.partner,
            followup.query_id,
            reply_to=followup.id,
            decision=state.value,
            handling=handling if approve else "",
        )
        body = {
            "officer": officer,
            "note": note,
            "reason": "" if approve else reason,
            "records": [
                {
                    "dataset": r.dataset,
                    "ref": r.ref,
                    "fields": [[f.name, f.value] for f in r.fields],
                }
                for r in released
            ],
        }
        ack = self._m.send(header, body)
        now = self._m.clock()
        answered = replace(
            followup,
            state=state,
            answered_at=now,
            officer=officer,
            handling=header.handling,
            note=note,
            reason="" if approve else reason,
        )
        self._m.store.update(answered)
        count = sum(len(r.fields) for r in released)
        late = " (after its deadline)" if now > followup.deadline else ""
        delivered = "" if ack.accepted else f"; the requester rejected the reply: {ack.reason}"
        self._m.note(
            followup.query_id,
            followup.partner,
            officer,
            followup.case_id,
            f"reply {followup.id}: {state.value}"
            + (f", handling {handling}, {count} values released" if approve else "")
            + late
            + delivered,
        )
        return answered

    def receive_notice(self, opened: Opened) -> tuple[bool, str]:
        """Keep a hit notice if the agreement with its sender says so; return (accepted, reason)."""
        header, body = opened.header, opened.body
        agreement = self._agreements.get(header.sender)
        if agreement is None or not agreement.hit_notices:
            self._m.note(
                header.query_id,
                header.sender,
                "",
                "",
                f"hit notice {header.message_id}: rejected: not agreed",
            )
            return False, "hit notices are not agreed with this node"
        dataset = str(body.get("dataset", ""))
        keys = body.get("keys")
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return False, "malformed notice"
        case_id = self._answered(header.query_id, header.sender, dataset)
        refs = self._m.store.records_with_keys(dataset, keys) if case_id is not None else []
        if not refs:
            self._m.note(
                header.query_id,
                header.sender,
                "",
                "",
                f"hit notice {header.message_id}: rejected: no record of an answered query",
            )
            return False, "no current record of a query this node answered"
        notice = HitNotice(
            header.message_id, header.sender, header.query_id, dataset, tuple(refs), self._m.clock()
        )
        self._m.store.add_notice(notice)
        self._m.note(
            header.query_id,
            header.sender,
            "",
            case_id or "",
            f"hit notice {notice.id} from {header.sender} on {dataset}: {len(refs)} records",
        )
        return True, ""


def flag_overdue(m: Messenger, followup: Followup, now: datetime) -> Followup:
    """Record that a queued follow-up passed its deadline, here and at the other side."""
    flagged = replace(followup, overdue_flagged=True)
    m.store.update(flagged)
    m.note(
        followup.query_id,
        followup.partner,
        "",
        followup.case_id,
        f"overdue {followup.id}: deadline {format_time(followup.deadline)} passed unanswered",
    )
    header = m.header(
        MessageKind.OVERDUE,
        followup.partner,
        followup.query_id,
        reply_to=followup.id,
        deadline=followup.deadline,
    )
    try:
        m.send(header, {})
    except LiaisonError as exc:  # a flag that does not reach the partner stays local
        log.warning("overdue flag of %s not delivered: %s", followup.id, exc)
    return flagged


def receive_overdue(m: Messenger, opened: Opened) -> tuple[bool, str]:
    """Note the other side's overdue flag on a follow-up both keep."""
    header = opened.header
    for side in Side:
        try:
            followup = m.store.get(header.reply_to, side)
        except NotFound:
            continue
        if followup.partner == header.sender:
            if not followup.overdue_flagged:
                m.store.update(replace(followup, overdue_flagged=True))
            m.note(
                followup.query_id,
                header.sender,
                "",
                followup.case_id,
                f"overdue {followup.id}: flagged by {header.sender}",
            )
            return True, ""
    return False, "no such follow-up"


def _row(value: object) -> int:
    """The requester's row number as it says (display only); anything else reads as 0."""
    return value if type(value) is int and 0 <= value < 2**31 else 0
