"""Watch and notice codecs round-trip; the rows of a watch never leave the node."""

from __future__ import annotations

from datetime import UTC, datetime

from liaison.core.answers import PartnerStatus
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.core.versions import DatasetVersion, PartnerVersions
from liaison.node.notices import Notice
from liaison.node.watch_codec import (
    WatchRequest,
    notice_from_proto,
    notice_to_proto,
    watch_from_proto,
    watch_hit_from_proto,
    watch_hit_to_proto,
    watch_request_from_proto,
    watch_request_to_proto,
    watch_to_proto,
)
from liaison.node.watches import Watch, WatchHit, WatchState
from liaison.wire.common_codec import partner_versions_from_proto, partner_versions_to_proto

T = datetime(2026, 12, 1, 9, 0, 0, 123000, tzinfo=UTC)
WHY = Justification("CASE-1", "counter-terrorism", "art. 7", "jane@fr")
ROWS = (Record(ref="S-1", full_name="Karim Haddad", phones=("+33612000001",)),)


def test_a_watch_request_round_trips_with_the_authenticated_owner() -> None:
    asked = WatchRequest(WHY, ROWS, ("NL", "TR"), T)
    message = watch_request_to_proto(asked)
    assert watch_request_from_proto(message, "jane@fr") == asked
    assert watch_request_from_proto(message, "mallory@fr").justification.investigator_id == (
        "mallory@fr"
    )


def test_a_watch_is_shown_without_its_rows() -> None:
    watch = Watch("w1", WHY, ("NL",), ROWS, 4, T, None, WatchState.LIVE, 2, 1, T, "q2", "NL/x:ok")
    message = watch_to_proto(watch)
    assert "Karim" not in str(message) and "+33612000001" not in str(message)
    view = watch_from_proto(message)
    assert (view.watch_id, view.owner, view.rows, view.until, view.last_run_at) == (
        "w1", "jane@fr", 1, None, T,
    )  # fmt: skip


def test_hits_notices_and_versions_round_trip() -> None:
    hit = WatchHit("NL", "watchlist", 3, "S-4", ("document",), KeyStrength.STRONG, "q1", T)
    assert watch_hit_from_proto(watch_hit_to_proto(hit)) == hit
    notice = Notice(7, "jane@fr", "watch_hits", "CASE-1", "w1", "1 new hits", T, None)
    assert notice_from_proto(notice_to_proto(notice), "jane@fr") == notice
    versions = PartnerVersions("NL", PartnerStatus.OK, "", (DatasetVersion("watchlist", 5),))
    assert partner_versions_from_proto(partner_versions_to_proto(versions)) == versions
