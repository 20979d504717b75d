"""The requester's side of step two: hit rows kept, follow-ups asked, replies read, notices sent.

After a reveal match, the hit rows are kept (this agency's own identifiers)
so that an investigator can follow one up by query id and row. A request
carries that row's identifiers, sealed to the data owner; its
acknowledgement says at once whether the owner accepted it (a hit of a
query it answered for us) or rejected it; the officer's reply comes later,
sealed too. Per agreement, hit notices tell data owners which of their
records we hit.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from liaison.core.errors import InvalidInput, LiaisonError, NotFound
from liaison.core.records import RecordField
from liaison.crypto.followup_seal import Header, MessageKind
from liaison.node.agreements import AgreementStore
from liaison.node.followup_messages import Messenger, Opened
from liaison.node.followup_model import (
    DEFAULT_DEADLINE,
    Followup,
    FollowupState,
    ReleasedRecord,
    Side,
    StoredHit,
    check_message,
    identifiers_only,
    record_to_json,
)
from liaison.node.ledger.chain import format_time
from liaison.node.model import MatchRequest, MatchResult

log = logging.getLogger(__name__)


class Outbox:
    """Follow-ups this node asks, and the hit notices it sends."""

    def __init__(self, messenger: Messenger, agreements: AgreementStore) -> None:
        """Send through ``messenger``; hit notices go where ``agreements`` say so."""
        self._m = messenger
        self._agreements = agreements

    def remember(self, request: MatchRequest, result: MatchResult) -> None:
        """Keep the hit rows of a reveal match (its own identifiers only)."""
        case_id = request.justification.case_id
        hits = [
            StoredHit(
                result.query_id,
                r.agency,
                r.dataset,
                hit.row,
                identifiers_only(request.records[hit.row]),
                case_id,
            )
            for r in result.results
            for hit in r.hits
        ]
        if hits:
            self._m.store.remember_hits(hits)

    def request(
        self,
        user: str,
        query_id: str,
        partner: str,
        dataset: str,
        row: int,
        message: str,
        deadline: timedelta | None = None,
    ) -> Followup:
        """Ask ``partner`` about one hit row of one of this node's queries.

        Raises:
            NotFound: that row was not a hit of that query at that partner.
            InvalidInput: a bad message or deadline, or the row hit several
                datasets of the partner and none is named.
            EnvelopeRejected: the acknowledgement does not open.
            LiaisonError: the broker or the partner refused the message.
        """
        check_message(message)
        hits = [h for h in self._m.store.hits(query_id, partner, row) if dataset in ("", h.dataset)]
        if not hits:
            raise NotFound("that row was not a hit of that query at that partner")
        if len(hits) > 1:
            raise InvalidInput("the row hit several datasets of the partner: name one (--dataset)")
        hit = hits[0]
        now = self._m.clock()
        due = now + (deadline or DEFAULT_DEADLINE)
        header = self._m.header(MessageKind.REQUEST, partner, query_id, deadline=due)
        body = {
            "dataset": hit.dataset,
            "row": row,
            "row_ref": hit.record.ref,
            "investigator": user,
            "message": message,
            "identifiers": record_to_json(hit.record),
        }
        where = f"{partner}/{hit.dataset} row {row}"
        followup = Followup(
            id=header.message_id,
            side=Side.SENT,
            query_id=query_id,
            partner=partner,
            dataset=hit.dataset,
            row=row,
            row_ref=hit.record.ref,
            investigator=user,
            message=message,
            created_at=now,
            deadline=due,
            state=FollowupState.QUEUED,
            identifiers=hit.record,
            case_id=hit.case_id,
        )
        # Kept before it leaves: if the acknowledgement is lost, the owner's
        # reply still finds it (state "undelivered" until then).
        self._m.store.add(followup)
        try:
            ack = self._m.send(header, body)
        except LiaisonError as exc:
            self._m.store.update(
                replace(followup, state=FollowupState.UNDELIVERED, reason=f"not delivered: {exc}")
            )
            self._m.note(
                query_id, partner, user, hit.case_id,
                f"request {followup.id} to {where} failed: {exc}",
            )  # fmt: skip
            raise
        state = FollowupState.QUEUED if ack.accepted else FollowupState.REJECTED
        followup = replace(followup, state=state, reason=ack.reason)
        self._m.store.update(followup)
        outcome = "accepted" if ack.accepted else f"rejected: {ack.reason}"
        self._m.note(
            query_id,
            partner,
            user,
            hit.case_id,
            f"request {followup.id} to {where}: {outcome}; deadline {format_time(due)}",
        )
        return followup

    def receive_reply(self, opened: Opened) -> tuple[bool, str]:
        """Take an officer's reply to one of our requests; return (accepted, reason)."""
        header, body = opened.header, opened.body
        try:
            followup = self._m.store.get(header.reply_to, Side.SENT)
        except NotFound:
            return self._reject_reply(header, "no such follow-up")
        if followup.partner != header.sender or followup.query_id != header.query_id:
            return self._reject_reply(header, "no such follow-up")
        if followup.state not in (FollowupState.QUEUED, FollowupState.UNDELIVERED):
            return self._reject_reply(header, "the follow-up was answered already")
        approved = header.decision == FollowupState.APPROVED.value
        answered = replace(
            followup,
            state=FollowupState.APPROVED if approved else FollowupState.REFUSED,
            answered_at=self._m.clock(),
            officer=str(body.get("officer", "")),
            handling=header.handling,
            note=str(body.get("note", "")),
            reason=str(body.get("reason", "")),
            released=_released(body.get("records", [])) if approved else (),
        )
        self._m.store.update(answered)
        late = (
            " (after its deadline)"
            if answered.answered_at and answered.answered_at > followup.deadline
            else ""
        )
        self._m.note(
            followup.query_id,
            followup.partner,
            "",
            followup.case_id,
            f"reply {followup.id}: {answered.state.value}"
            + (f", handling {header.handling}" if approved else "")
            + late,
        )
        return True, ""

    def _reject_reply(self, header: Header, reason: str) -> tuple[bool, str]:
        self._m.note(
            header.query_id, header.sender, "", "",
            f"reply {header.reply_to} from {header.sender}: rejected: {reason}",
        )  # fmt: skip
        return False, reason

    def send_notices(self, request: MatchRequest, result: MatchResult) -> None:
        """Tell each data owner of our hits on its records, where the agreement says so.

        Failures are logged and written to the ledger; they never fail the match.
        """
        user = request.justification.investigator_id
        for partner_result in result.results:
            if not partner_result.matched_keys:
                continue
            agreement = self._agreements.get(partner_result.agency)
            if agreement is None or not agreement.hit_notices:
                continue
            partner = partner_result.agency
            header = self._m.header(MessageKind.NOTICE, partner, result.query_id)
            body: dict[str, Any] = {
                "dataset": partner_result.dataset,
                "keys": list(partner_result.matched_keys),
            }
            case_id = request.justification.case_id
            try:
                ack = self._m.send(header, body)
            except LiaisonError as exc:
                log.warning("hit notice to %s not delivered: %s", partner, exc)
                self._m.note(result.query_id, partner, user, case_id, f"hit notice failed: {exc}")
                continue
            outcome = "accepted" if ack.accepted else f"rejected: {ack.reason}"
            self._m.note(
                result.query_id,
                partner,
                user,
                case_id,
                f"hit notice {header.message_id} to {partner}/{partner_result.dataset}: "
                f"{len(partner_result.matched_keys)} keys, {outcome}",
            )


def _released(records: object) -> tuple[ReleasedRecord, ...]:
    if not isinstance(records, list):
        raise InvalidInput("reply records are malformed")
    released = []
    for item in records:
        if not isinstance(item, dict) or not isinstance(item.get("fields"), list):
            raise InvalidInput("reply records are malformed")
        pairs = item["fields"]
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise InvalidInput("reply records are malformed")
        fields = tuple(RecordField(str(name), str(value)) for name, value in pairs)
        released.append(
            ReleasedRecord(str(item.get("dataset", "")), str(item.get("ref", "")), fields)
        )
    return tuple(released)
