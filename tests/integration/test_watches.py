"""Standing watches end to end: real broker and nodes, the poll driven by the test.

FR's investigator watches a case; NL and TR are partners. Each test polls
FR's watcher itself (``servers.watcher.poll()``), so when a re-run happens is
the test's choice, and one test checks that the node's own loop polls too.
Each runs on SQLite and, when enabled, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from liaison.cli.main import main
from liaison.core.query import Justification
from liaison.core.records import Record
from liaison.node.datasets import Datasets
from liaison.node.ledger.chain import Direction, LedgerEntry, entry_object
from liaison.node.ledger.sql_store import SqlLedgerStore
from liaison.node.server import open_datasets
from liaison.node.users import LocalRole
from liaison.node.watch_codec import WatchRequest, watch_request_to_proto
from liaison.node.watcher import Watcher
from liaison.v1 import broker_pb2, common_pb2, node_pb2, node_pb2_grpc
from liaison.wire.credentials import secure_channel
from tests.conftest import DbUrlFactory
from tests.integration.harness import RunningFederation, investigator_name, open_agreement
from tests.integration.harness import start_federation as start

AGENCIES = ("FR", "NL", "TR")
DATASET = "watchlist"
#: The suspects of FR's case: only the first will turn up at NL, "the next day".
SUSPECTS = (
    Record(ref="S-1", full_name="Karim Haddad", date_of_birth="1990-04-02",
           document_numbers=("X1234567",), document_countries=("FR",)),
    Record(ref="S-2", full_name="Lena Vogel", date_of_birth="1985-11-30", phones=("+33612999001",)),
)  # fmt: skip
#: What NL imports later: the first suspect's passport.
ARRIVING = Record(ref="NL-77", full_name="Karim Haddad", date_of_birth="1990-04-02",
                  document_numbers=("X1234567",), document_countries=("FR",))  # fmt: skip
#: An unrelated record: NL's data changes, no suspect is in it.
UNRELATED = Record(ref="NL-78", full_name="Piet Jansen", date_of_birth="1970-01-01",
                   phones=("+31612000078",))  # fmt: skip
OK = common_pb2.PARTNER_STATUS_OK
REFUSED = common_pb2.PARTNER_STATUS_REFUSED
BACKGROUND = [Record(ref=f"B-{i}", phones=(f"+3161200{i:04d}",)) for i in range(20)]


class Clock:
    """FR's wall clock: real time plus an offset the test moves."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def federation(
    tmp_path: Path, make_db_url: DbUrlFactory, clock: Clock
) -> Iterator[RunningFederation]:
    running = start(tmp_path, {a: make_db_url(a) for a in AGENCIES}, agencies=AGENCIES)
    try:
        for agency in ("NL", "TR"):
            running.import_rows(agency, DATASET, BACKGROUND)
        running.nodes.pop("FR").stop(0)
        running.start_node("FR", clock=clock)
        yield running
    finally:
        running.stop()


def watcher(federation: RunningFederation) -> Watcher:
    found = federation.nodes["FR"].watcher
    assert found is not None
    return found


def add_watch(
    federation: RunningFederation, *, token: str | None = None, **changes: object
) -> node_pb2.WatchReply:
    request = WatchRequest(
        Justification("CASE-W-1", "counter-terrorism", "art. 7 of the test act", ""), SUSPECTS
    )
    message = watch_request_to_proto(dataclasses.replace(request, **changes))  # type: ignore[arg-type]
    return federation.local("FR", token=token).AddWatch(message, timeout=60)


def ledger(federation: RunningFederation, agency: str) -> list[LedgerEntry]:
    with SqlLedgerStore(federation.node_configs[agency].database) as store:
        return store.all()


def notices(federation: RunningFederation) -> list[node_pb2.Notice]:
    reply = federation.local("FR").ListNotices(node_pb2.ListNoticesRequest(), timeout=10)
    return list(reply.notices)


def rotate(federation: RunningFederation, agency: str) -> None:
    store, datasets = open_datasets(federation.node_configs[agency])
    try:
        assert isinstance(datasets, Datasets)
        datasets.rotate(DATASET)
    finally:
        store.close()


def served_from_fr(federation: RunningFederation, agency: str) -> list[str]:
    return [e.query_id for e in ledger(federation, agency)
            if e.direction is Direction.SERVED and e.counterpart == "FR"]  # fmt: skip


def test_a_watch_fires_exactly_once_when_a_partner_imports_a_matching_record(
    federation: RunningFederation,
) -> None:
    reply = add_watch(federation)
    watch_id = reply.watch.watch_id
    assert (reply.watch.state, reply.watch.runs, reply.watch.hits, len(reply.hits)) == (
        "live", 1, 0, 0,
    )  # fmt: skip
    assert reply.watch.owner == investigator_name("FR")
    # Nothing changed: a poll costs one versions call and runs no query.
    assert watcher(federation).poll().reran == ()
    # A key rotation changes NL's filter version but not its data: no re-run either.
    rotate(federation, "NL")
    assert watcher(federation).poll().reran == ()
    assert len(served_from_fr(federation, "NL")) == 1
    # The next day NL imports the first suspect's passport.
    federation.import_rows("NL", DATASET, [ARRIVING])
    report = watcher(federation).poll()
    assert (report.reran, report.new_hits) == ((watch_id,), 1)
    (notice,) = notices(federation)
    assert (notice.kind, notice.case_id, notice.reference) == ("watch_hits", "CASE-W-1", watch_id)
    assert "NL/watchlist row 0 (S-1" in notice.text
    # Polled again, and after an unrelated change at NL: never reported twice.
    assert watcher(federation).poll().reran == ()
    federation.import_rows("NL", DATASET, [UNRELATED])
    again = watcher(federation).poll()
    assert (again.reran, again.new_hits) == ((watch_id,), 0)
    assert [n.kind for n in notices(federation)] == ["watch_hits"]
    shown = federation.local("FR").ShowWatch(node_pb2.WatchIdRequest(watch_id=watch_id), timeout=10)
    assert (shown.watch.runs, shown.watch.hits) == (3, 1)
    assert [(h.agency, h.dataset, h.row, h.ref) for h in shown.hits] == [("NL", DATASET, 0, "S-1")]
    # Only the partner that changed was asked again: TR served the first run only.
    assert len(served_from_fr(federation, "TR")) == 1
    assert len(served_from_fr(federation, "NL")) == 3
    # FR's ledger: the watch's steps beside ordinary sent queries, metadata only.
    entries = ledger(federation, "FR")
    steps = [e.outcome.split(" ")[0] for e in entries if e.direction is Direction.WATCH]
    assert steps == ["registered,", "first", "re-run", "re-run"]
    watch_steps = [e for e in entries if e.direction is Direction.WATCH]
    reruns = [e for e in watch_steps if e.outcome.startswith("re-run")]
    assert [e.outcome.endswith(": 1 new hits") for e in reruns] == [True, False]
    sent = {e.query_id for e in entries if e.direction is Direction.SENT}
    assert all(e.outcome.split(" ")[1].rstrip(":") in sent for e in reruns)
    assert all(e.case_id == "CASE-W-1" and e.investigator_id == investigator_name("FR")
               for e in entries if e.direction is not Direction.SERVED)  # fmt: skip
    text = json.dumps([entry_object(e) for e in entries])
    for value in ("Karim", "Haddad", "X1234567", "Vogel", "+33612999001", "S-1"):
        assert value not in text


def test_a_rerun_counts_against_the_partner_budget_and_exhaustion_is_reported(
    federation: RunningFederation,
) -> None:
    if datetime.now(UTC).hour == 23 and datetime.now(UTC).minute >= 58:
        pytest.skip("too close to the end of the UTC day (the partner's budget renews)")
    reply = add_watch(federation, partners=("NL",))
    keys = reply.watch.key_count
    # NL's budget for FR today: exactly what the first run spent.
    federation.set_agreement("NL", open_agreement("FR", max_keys_per_day=keys))
    federation.import_rows("NL", DATASET, [ARRIVING])
    report = watcher(federation).poll()
    assert (report.reran, report.new_hits) == ((reply.watch.watch_id,), 0)
    (notice,) = notices(federation)
    assert notice.kind == "watch_problem"
    assert "daily key budget" in notice.text
    shown = federation.local("FR").ShowWatch(
        node_pb2.WatchIdRequest(watch_id=reply.watch.watch_id), timeout=10
    )
    assert ":refused:" in shown.watch.last_outcome and shown.watch.hits == 0
    # Held back for watch_retry_s: the next poll does not spend again.
    assert watcher(federation).poll().reran == ()
    served = [e.outcome for e in ledger(federation, "NL") if e.counterpart == "FR"]
    assert [o.startswith("alert: daily key budget") for o in served] == [False, True]


def test_an_expired_watch_is_not_rerun(federation: RunningFederation, clock: Clock) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    reply = add_watch(federation, until=until)
    federation.import_rows("NL", DATASET, [ARRIVING])
    clock.offset = timedelta(hours=2)
    report = watcher(federation).poll()
    assert (report.expired, report.reran, report.polled) == ((reply.watch.watch_id,), (), ())
    assert len(served_from_fr(federation, "NL")) == 1
    shown = federation.local("FR").ShowWatch(
        node_pb2.WatchIdRequest(watch_id=reply.watch.watch_id), timeout=10
    )
    assert shown.watch.state == "expired"
    assert [e.outcome for e in ledger(federation, "FR") if e.direction is Direction.WATCH][-1] == (
        "expired"
    )
    with pytest.raises(grpc.RpcError) as past:
        add_watch(federation, until=datetime.now(UTC) - timedelta(minutes=1))
    assert past.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_only_investigators_add_and_only_the_owner_or_an_operator_removes(
    federation: RunningFederation,
) -> None:
    officer = federation.add_user("FR", "officer@fr", LocalRole.OFFICER)
    with pytest.raises(grpc.RpcError) as refused:
        add_watch(federation, token=officer)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    watch_id = add_watch(federation).watch.watch_id
    other = federation.add_user("FR", "other@fr", LocalRole.INVESTIGATOR)
    request = node_pb2.WatchIdRequest(watch_id=watch_id)
    for call in ("RemoveWatch", "ShowWatch"):
        with pytest.raises(grpc.RpcError) as denied:
            getattr(federation.local("FR", token=other), call)(request, timeout=10)
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = federation.local("FR", token=other).ListWatches(node_pb2.ListWatchesRequest())
    assert list(listed.watches) == []
    operator = federation.add_user("FR", "operator@fr", LocalRole.OPERATOR)
    removed = federation.local("FR", token=operator).RemoveWatch(request, timeout=10)
    assert (removed.watch.state, removed.watch.ended_by) == ("removed", "operator@fr")
    with pytest.raises(grpc.RpcError) as twice:
        federation.local("FR").RemoveWatch(request, timeout=10)
    assert twice.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    federation.import_rows("NL", DATASET, [ARRIVING])
    assert watcher(federation).poll() == type(watcher(federation).poll())()
    assert [e.outcome for e in ledger(federation, "FR") if e.direction is Direction.WATCH][-1] == (
        "removed by operator@fr"
    )


def test_the_node_polls_in_the_background(federation: RunningFederation) -> None:
    federation.nodes.pop("FR").stop(0)
    config = federation.node_configs["FR"]
    federation.node_configs["FR"] = dataclasses.replace(config, watch_poll_s=0.05)
    federation.start_node("FR")
    loop = federation.nodes["FR"].watch_loop
    assert loop is not None
    watch_id = add_watch(federation).watch.watch_id
    federation.import_rows("NL", DATASET, [ARRIVING])
    # Two full polls after the import: the first may have started before it.
    assert loop.wait_polls(loop.polls + 2, timeout=60)
    shown = federation.local("FR").ShowWatch(node_pb2.WatchIdRequest(watch_id=watch_id))
    assert shown.watch.hits == 1
    assert [n.kind for n in notices(federation)] == ["watch_hits"]


def test_the_cli_workflow_and_a_bad_file_named_by_line(
    federation: RunningFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(federation.node_configs["FR"].path)
    token = str(federation.token_file("FR"))
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,full_name,date_of_birth\nS-1,Karim Haddad,1990-04-02\nS-2,,1985-13-45\n")
    common = ["--config", config, "--token-file", token]
    add = ["watch", "add", *common, "--case", "CASE-W-2", "--purpose", "counter-terrorism",
           "--legal-basis", "art. 7", "--partners", "NL"]  # fmt: skip
    assert main([*add, "--file", str(bad)]) == 1
    error = capsys.readouterr().err
    assert "line 3" in error and "date_of_birth" in error
    assert main(["watch", "list", *common, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    good = tmp_path / "suspects.csv"
    good.write_text(
        "ref,full_name,date_of_birth,document_number,document_country\n"
        "S-1,Karim Haddad,1990-04-02,X1234567,FR\n"
    )
    assert main([*add, "--file", str(good), "--until", "2099-12-31", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert (added["state"], added["partners"], added["until"]) == (
        "live", ["NL"], "2100-01-01T00:00:00Z",
    )  # fmt: skip
    federation.import_rows("NL", DATASET, [ARRIVING])
    watcher(federation).poll()
    assert main(["inbox", *common, "--json"]) == 0
    (notice,) = json.loads(capsys.readouterr().out)
    assert (notice["kind"], notice["reference"], notice["read"]) == (
        "watch_hits", added["watch_id"], None,
    )  # fmt: skip
    assert main(["inbox", *common, "--unread", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["watch", "show", added["watch_id"], *common, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(h["partner"], h["ref"]) for h in shown["hit_list"]] == [("NL", "S-1")]
    assert main(["watch", "remove", added["watch_id"], *common]) == 0
    assert "removed watch" in capsys.readouterr().out
    # The auditor: the ledgers with their watch entries verify, and the report counts them.
    federation.wait_anchored()
    exports = []
    for agency, node in federation.node_configs.items():
        path = tmp_path / f"{agency}.jsonl"
        assert (
            main(["node", "ledger", "export", "--config", str(node.path), "--out", str(path)]) == 0
        )
        exports += ["--ledger", str(path)]
    auditor = str(federation.auditor_config())
    assert main(["audit", "verify", "--config", auditor, *exports]) == 0
    today = datetime.now(UTC).date().isoformat()
    out = tmp_path / "report.json"
    assert main(["audit", "report", "--config", auditor, "--since", today, "--until", today,
                 "--format", "json", "--out", str(out), *exports]) == 0  # fmt: skip
    figures = json.loads(out.read_text())["watches"]["FR"]
    assert figures == {"live": 0, "live_per_case": {}, "registered": 1, "reruns": 1,
                       "new_hits": 1}  # fmt: skip


def test_a_partner_discloses_versions_only_under_its_agreement(
    federation: RunningFederation,
) -> None:
    stub = federation.broker_stub("FR")
    ask = broker_pb2.DatasetVersionsRequest(agencies=["NL", "TR", "FR", "XX"])
    first = stub.DatasetVersions(ask, timeout=10).partners
    assert [(p.agency, p.status) for p in first] == [
        ("NL", OK), ("TR", OK), ("FR", REFUSED), ("XX", REFUSED),
    ]  # fmt: skip
    assert [(d.dataset, d.content_version) for d in first[0].datasets] == [(DATASET, 1)]
    rotate(federation, "NL")
    federation.import_rows("NL", "other", [UNRELATED])
    federation.set_agreement("NL", open_agreement("FR", datasets=("other",)))
    federation.set_agreement("TR", open_agreement("FR", expires_at=datetime.now(UTC)))
    nl, tr, *_ = stub.DatasetVersions(ask, timeout=10).partners
    # The rotation moved no content version; "watchlist" is no longer shared.
    assert [(d.dataset, d.content_version) for d in nl.datasets] == [("other", 1)]
    assert (tr.status, list(tr.datasets)) == (REFUSED, [])
    with pytest.raises(grpc.RpcError) as too_many:
        stub.DatasetVersions(
            broker_pb2.DatasetVersionsRequest(agencies=[f"A{i}" for i in range(65)]),
            timeout=10,
        )
    assert too_many.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    # Only the broker reaches a partner's federation face: a node asking NL directly is refused.
    channel = secure_channel(
        federation.node_configs["NL"].federation_listen,
        federation.pki.tls(federation.pki.nodes["FR"]),
    )
    try:
        with pytest.raises(grpc.RpcError) as direct:
            node_pb2_grpc.NodeFederationStub(channel).DatasetVersions(
                node_pb2.NodeVersionsRequest(requesting_agency="FR"), timeout=10
            )
        assert direct.value.code() == grpc.StatusCode.PERMISSION_DENIED
    finally:
        channel.close()
    # A partner that is down is a status of its own; the others still answer.
    federation.nodes.pop("TR").stop(0)
    nl, tr, *_ = stub.DatasetVersions(ask, timeout=30).partners
    assert (nl.status, tr.status) == (OK, common_pb2.PARTNER_STATUS_UNAVAILABLE)
