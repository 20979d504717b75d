"""The contract of :class:`node.store.NodeStore`, run against every implementation.

Each test runs once per implementation and database: SQLite always, and
PostgreSQL when ``LIAISON_TEST_POSTGRES_URL`` is set (see ``tests/conftest.py``).
The derive function here is a stand-in for the real key spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from liaison.core.errors import InvalidInput, NotFound
from liaison.core.records import EntityType, KeyKind, MatchKey, Record
from liaison.node.sql_store import SqlNodeStore
from liaison.node.store import DatasetInfo, NodeStore, StoredFilter

SEALED_KEY = b"sealed-server-key"
SPEC = "test-1"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

#: Every implementation of NodeStore, built from a database URL. A store that
#: needs no database would ignore the URL.
IMPLEMENTATIONS: dict[str, Callable[[str, Callable[[], datetime]], NodeStore]] = {
    "sql": lambda url, clock: SqlNodeStore(url, clock=clock),
}


class Clock:
    """A settable clock for the store's timestamps."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def open_store(
    request: pytest.FixtureRequest, db_url: str, clock: Clock
) -> Iterator[Callable[[], NodeStore]]:
    """Yield a function opening another store on the same database (all closed at teardown)."""
    factory = IMPLEMENTATIONS[request.param]
    opened: list[NodeStore] = []

    def open_() -> NodeStore:
        store = factory(db_url, clock)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], NodeStore]) -> NodeStore:
    return open_store()


def person(ref: str, *phones: str, name: str = "Jane Roe") -> Record:
    return Record(ref=ref, full_name=name, date_of_birth="1980-02-03", phones=phones)


def derive(identity: Record) -> list[MatchKey]:
    """Stand-in key spec: one key from the ref, one per phone."""
    keys = [MatchKey(KeyKind.NATIONAL_ID, f"t1|national_id|{identity.ref}")]
    keys += [MatchKey(KeyKind.PHONE, f"t1|phone|{phone}") for phone in identity.phones]
    return keys


def keys_of(*refs: str, phones: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        [f"t1|national_id|{ref}" for ref in refs] + [f"t1|phone|{phone}" for phone in phones]
    )


def load(store: NodeStore, identities: list[Record], *, replace: bool = False) -> int:
    """Import into dataset "ds" and return the new version."""
    return store.import_records("ds", identities, derive, replace=replace, key_spec=SPEC).version


@pytest.fixture
def ds(store: NodeStore) -> DatasetInfo:
    return store.create_dataset("ds", SEALED_KEY)


# -- datasets ---------------------------------------------------------------


def test_new_dataset_is_empty_at_version_zero(store: NodeStore) -> None:
    info = store.create_dataset("police.persons-2026", SEALED_KEY)

    assert info == DatasetInfo("police.persons-2026", records=0, keys=0, version=0, updated_at=T0)
    assert store.get_dataset("police.persons-2026") == info
    assert store.sealed_server_key("police.persons-2026") == SEALED_KEY


def test_dataset_version_follows_imports_that_change_something(store: NodeStore) -> None:
    store.create_dataset("ds", SEALED_KEY)
    assert store.dataset_version("ds") == 0
    assert load(store, [person("r1", "+33612345678")]) == store.dataset_version("ds") == 1
    load(store, [person("r1", "+33612345678")])
    assert store.dataset_version("ds") == 1
    load(store, [], replace=True)
    assert store.dataset_version("ds") == store.get_dataset("ds").version == 2


def test_datasets_are_listed_by_name(store: NodeStore) -> None:
    for name in ("b", "a", "C"):
        store.create_dataset(name, SEALED_KEY)

    assert [info.name for info in store.list_datasets()] == ["C", "a", "b"]
    assert store.dataset_names() == ["C", "a", "b"]


def test_no_datasets_lists_nothing(store: NodeStore) -> None:
    assert store.list_datasets() == [] == store.dataset_names()


def test_duplicate_dataset_is_refused(store: NodeStore) -> None:
    store.create_dataset("ds", SEALED_KEY)

    with pytest.raises(InvalidInput, match="already exists"):
        store.create_dataset("ds", b"other")
    assert store.sealed_server_key("ds") == SEALED_KEY


@pytest.mark.parametrize(
    "name", ["", "-ds", ".ds", "_ds", "a" * 65, "a b", "a/b", "ä", "ds\n", "ds;drop"]
)
def test_invalid_dataset_name_is_refused(store: NodeStore, name: str) -> None:
    with pytest.raises(InvalidInput, match="dataset name"):
        store.create_dataset(name, SEALED_KEY)
    assert store.list_datasets() == []


@pytest.mark.parametrize("name", ["a", "0", "A.b_c-9", "a" * 64])
def test_valid_dataset_name_is_accepted(store: NodeStore, name: str) -> None:
    assert store.create_dataset(name, SEALED_KEY).name == name


def test_empty_sealed_key_is_refused(store: NodeStore) -> None:
    with pytest.raises(InvalidInput, match="key"):
        store.create_dataset("ds", b"")


UNKNOWN_DATASET_CALLS: dict[str, Callable[[NodeStore], object]] = {
    "get_dataset": lambda s: s.get_dataset("nope"),
    "dataset_version": lambda s: s.dataset_version("nope"),
    "sealed_server_key": lambda s: s.sealed_server_key("nope"),
    "import_records": lambda s: s.import_records(
        "nope", [person("r1")], derive, replace=False, key_spec=SPEC
    ),
    "get_record": lambda s: s.get_record("nope", "r1"),
    "key_snapshot": lambda s: s.key_snapshot("nope"),
    "key_values": lambda s: s.key_values("nope"),
    "key_count": lambda s: s.key_count("nope"),
    "get_filter": lambda s: s.get_filter("nope", 0),
    "put_filter": lambda s: s.put_filter(StoredFilter("nope", 0, 0, b"setup")),
}


@pytest.mark.parametrize("call", UNKNOWN_DATASET_CALLS.values(), ids=UNKNOWN_DATASET_CALLS.keys())
def test_unknown_dataset_is_not_found(
    store: NodeStore, call: Callable[[NodeStore], object]
) -> None:
    store.create_dataset("ds", SEALED_KEY)

    with pytest.raises(NotFound, match="nope"):
        call(store)


# -- imports ----------------------------------------------------------------


def test_import_inserts_records_and_keys(store: NodeStore, ds: DatasetInfo, clock: Clock) -> None:
    clock.now = T0 + timedelta(hours=1)

    summary = store.import_records(
        "ds", [person("r1", "+331"), person("r2")], derive, replace=False, key_spec=SPEC
    )

    assert (summary.inserted, summary.updated, summary.unchanged, summary.removed) == (2, 0, 0, 0)
    assert summary.dataset == "ds"
    assert summary.version == 1
    assert store.get_dataset("ds") == DatasetInfo("ds", 2, 3, 1, T0 + timedelta(hours=1))
    assert store.key_values("ds") == keys_of("r1", "r2", phones=("+331",))
    assert store.key_count("ds") == 3


def test_imported_record_reads_back_as_imported(store: NodeStore, ds: DatasetInfo) -> None:
    full = Record(
        ref="r1",
        full_name="Ana María Pérez",
        date_of_birth="1990-12-31",
        nationality="ES",
        document_numbers=("X1", "Y2"),
        document_countries=("", "FR"),
        national_ids=("12345678Z",),
        phones=("+34600000000", "+34600000001"),
        emails=("ana@example.org",),
        ibans=("ES9121000418450200051332",),
        wallets=("bc1qxyz",),
    )
    load(store, [full, Record(ref="r2")])

    assert store.get_record("ds", "r1") == full
    assert store.get_record("ds", "r2") == Record(ref="r2")
    with pytest.raises(NotFound):
        store.get_record("ds", "r3")


def test_an_entity_reads_back_with_its_type_dates_and_identifiers(
    store: NodeStore, ds: DatasetInfo
) -> None:
    company = Record(
        ref="c1",
        full_name="Acme Trading LLC",
        entity_type=EntityType.ORGANISATION,
        country="AE",
        registration_numbers=("CN-1", "CN-2"),
        leis=("54930084UKLVMY22DS16",),
        transactions=("eb6305c9-1f7f-49de-aed0-16487c27b42d",),
    )
    ship = Record(ref="v1", entity_type=EntityType.VESSEL, imo_numbers=("9074729",))
    person = Record(ref="p1", date_of_birth="1970", other_dates_of_birth=("1971", "1972"))
    load(store, [company, ship, person])

    assert [store.get_record("ds", ref) for ref in ("c1", "v1", "p1")] == [company, ship, person]


def test_reimporting_same_data_changes_nothing(store: NodeStore, ds: DatasetInfo) -> None:
    records = [person("r1", "+331"), person("r2")]
    load(store, records)
    before = store.get_dataset("ds")
    calls: list[Record] = []

    def counting_derive(identity: Record) -> list[MatchKey]:
        calls.append(identity)
        return derive(identity)

    summary = store.import_records("ds", records, counting_derive, replace=True, key_spec=SPEC)

    assert (summary.inserted, summary.updated, summary.unchanged, summary.removed) == (0, 0, 2, 0)
    assert summary.version == 1
    assert store.get_dataset("ds") == before
    assert calls == []


def test_changed_record_is_updated_and_its_keys_replaced(store: NodeStore, ds: DatasetInfo) -> None:
    load(store, [person("r1", "+331"), person("r2", "+332")])

    summary = store.import_records(
        "ds", [person("r1", "+339"), person("r2", "+332")], derive, replace=False, key_spec=SPEC
    )

    assert (summary.inserted, summary.updated, summary.unchanged, summary.removed) == (0, 1, 1, 0)
    assert summary.version == 2
    assert store.key_values("ds") == keys_of("r1", "r2", phones=("+339", "+332"))
    assert store.get_record("ds", "r1") == person("r1", "+339")


def test_new_key_spec_rederives_every_record(store: NodeStore, ds: DatasetInfo) -> None:
    records = [person("r1"), person("r2")]
    load(store, records)

    summary = store.import_records("ds", records, derive, replace=False, key_spec="test-2")

    assert (summary.updated, summary.unchanged, summary.version) == (2, 0, 2)


def test_replace_removes_absent_records_and_their_keys(store: NodeStore, ds: DatasetInfo) -> None:
    load(store, [person("r1", "+331"), person("r2", "+332"), person("r3")])

    summary = store.import_records(
        "ds", [person("r2", "+332")], derive, replace=True, key_spec=SPEC
    )

    assert (summary.inserted, summary.updated, summary.unchanged, summary.removed) == (0, 0, 1, 2)
    assert summary.version == 2
    assert store.key_values("ds") == keys_of("r2", phones=("+332",))
    assert store.get_dataset("ds").records == 1
    with pytest.raises(NotFound):
        store.get_record("ds", "r1")


def test_import_without_replace_keeps_absent_records(store: NodeStore, ds: DatasetInfo) -> None:
    load(store, [person("r1"), person("r2")])

    summary = store.import_records("ds", [person("r3")], derive, replace=False, key_spec=SPEC)

    assert (summary.inserted, summary.removed) == (1, 0)
    assert store.key_values("ds") == keys_of("r1", "r2", "r3")


def test_replace_with_empty_input_empties_the_dataset(store: NodeStore, ds: DatasetInfo) -> None:
    load(store, [person("r1"), person("r2")])

    assert load(store, [], replace=True) == 2
    assert store.get_dataset("ds").records == 0
    assert store.key_values("ds") == []


def test_keys_shared_by_records_are_counted_once(store: NodeStore, ds: DatasetInfo) -> None:
    load(store, [person("r1", "+331", "+331"), person("r2", "+331")])

    assert store.key_values("ds") == keys_of("r1", "r2", phones=("+331",))
    assert store.key_count("ds") == 3


def test_key_snapshot_gives_sorted_keys_with_their_version(
    store: NodeStore, ds: DatasetInfo
) -> None:
    load(store, [person("r2", "+339"), person("r1")])

    snapshot = store.key_snapshot("ds")

    assert (snapshot.dataset, snapshot.version) == ("ds", 1)
    assert list(snapshot.values) == keys_of("r1", "r2", phones=("+339",))


def test_imports_leave_other_datasets_alone(store: NodeStore, ds: DatasetInfo) -> None:
    store.create_dataset("other", SEALED_KEY)
    store.import_records("other", [person("r1", "+331")], derive, replace=False, key_spec=SPEC)

    load(store, [person("r1", "+332")], replace=True)
    load(store, [], replace=True)

    assert store.key_values("other") == keys_of("r1", phones=("+331",))
    assert store.get_dataset("other").version == 1


def test_generator_input_is_accepted(store: NodeStore, ds: DatasetInfo) -> None:
    summary = store.import_records(
        "ds", (person(f"r{i}") for i in range(3)), derive, replace=False, key_spec=SPEC
    )

    assert summary.inserted == 3


def test_large_import_reports_progress_in_batches(store: NodeStore, ds: DatasetInfo) -> None:
    reported: list[int] = []
    records = [person(f"r{i:05}", f"+33{i}") for i in range(12_345)]

    summary = store.import_records(
        "ds", records, derive, replace=False, key_spec=SPEC, progress=reported.append
    )

    assert summary.inserted == 12_345
    assert store.key_count("ds") == 2 * 12_345
    assert reported[-1] == 12_345
    assert reported == sorted(reported)
    assert all(b - a <= 1000 for a, b in zip([0, *reported], reported, strict=False))
    assert len(reported) <= 13


# -- atomicity --------------------------------------------------------------


class BoomError(Exception):
    """Raised on purpose by a test's derive or progress function."""


@pytest.mark.parametrize("fail_at", [1, 2_100], ids=["first-row", "after-two-batches"])
def test_failing_derive_leaves_dataset_as_it_was(
    store: NodeStore, ds: DatasetInfo, fail_at: int
) -> None:
    load(store, [person("r1", "+331"), person("r2")])
    before = (store.get_dataset("ds"), store.key_values("ds"), store.get_record("ds", "r1"))
    calls = 0

    def failing_derive(identity: Record) -> list[MatchKey]:
        nonlocal calls
        calls += 1
        if calls == fail_at:
            raise BoomError
        return derive(identity)

    # r1 changed, r2 absent (replace), 2,500 new records.
    records = [person("r1", "+339"), *(person(f"n{i}") for i in range(2_500))]
    with pytest.raises(BoomError):
        store.import_records("ds", records, failing_derive, replace=True, key_spec=SPEC)

    after = (store.get_dataset("ds"), store.key_values("ds"), store.get_record("ds", "r1"))
    assert after == before


def test_failing_progress_rolls_the_import_back(store: NodeStore, ds: DatasetInfo) -> None:
    def cancel(rows: int) -> None:
        raise BoomError

    records = [person(f"r{i}") for i in range(1_500)]
    with pytest.raises(BoomError):
        store.import_records("ds", records, derive, replace=False, key_spec=SPEC, progress=cancel)

    assert store.get_dataset("ds") == ds


@pytest.mark.parametrize(
    ("bad_ref", "message"),
    [("r5", "row 1502: ref repeats"), ("", "row 1502: ref is empty"), ("x" * 257, "row 1502")],
)
def test_bad_ref_is_refused_and_nothing_written(
    store: NodeStore, ds: DatasetInfo, bad_ref: str, message: str
) -> None:
    records = [*(person(f"r{i}") for i in range(1_501)), person(bad_ref)]

    with pytest.raises(InvalidInput, match=message):
        load(store, records)

    assert store.get_dataset("ds") == ds


def test_empty_key_spec_is_refused(store: NodeStore, ds: DatasetInfo) -> None:
    with pytest.raises(InvalidInput, match="key_spec"):
        store.import_records("ds", [person("r1")], derive, replace=False, key_spec="")


def test_readers_see_the_previous_version_until_the_import_commits(
    open_store: Callable[[], NodeStore], store: NodeStore, ds: DatasetInfo
) -> None:
    load(store, [person("r1")])
    server = open_store()  # as the node server would, beside the import CLI
    seen_during: list[tuple[int, list[str]]] = []

    def peek(rows: int) -> None:
        seen_during.append((server.get_dataset("ds").version, server.key_values("ds")))

    store.import_records("ds", [person("r2")], derive, replace=True, key_spec=SPEC, progress=peek)

    assert seen_during == [(1, keys_of("r1"))]
    assert server.key_snapshot("ds").values == tuple(keys_of("r2"))


# -- filters ----------------------------------------------------------------


def bump_to(store: NodeStore, version: int) -> None:
    """Import into "ds" until it reaches ``version``."""
    while store.get_dataset("ds").version < version:
        load(store, [person(f"v{store.get_dataset('ds').version}")])


def test_filter_round_trips(store: NodeStore, ds: DatasetInfo) -> None:
    bump_to(store, 1)
    stored = StoredFilter("ds", 1, key_count=7, setup=b"\x00setup\xff")

    store.put_filter(stored)

    assert store.get_filter("ds", 1) == stored
    assert store.get_filter("ds", 0) is None


def test_putting_a_filter_twice_keeps_the_first(store: NodeStore, ds: DatasetInfo) -> None:
    store.put_filter(StoredFilter("ds", 0, 0, b"first"))
    store.put_filter(StoredFilter("ds", 0, 0, b"second"))

    assert store.get_filter("ds", 0) == StoredFilter("ds", 0, 0, b"first")


def test_only_the_newest_two_filters_are_kept(store: NodeStore, ds: DatasetInfo) -> None:
    bump_to(store, 3)

    for version in (1, 2, 3):
        store.put_filter(StoredFilter("ds", version, version, b"f%d" % version))

    assert store.get_filter("ds", 1) is None
    assert [store.get_filter("ds", v) is not None for v in (2, 3)] == [True, True]


def test_old_filter_put_late_is_pruned_at_once(store: NodeStore, ds: DatasetInfo) -> None:
    bump_to(store, 3)
    store.put_filter(StoredFilter("ds", 3, 0, b"f3"))
    store.put_filter(StoredFilter("ds", 2, 0, b"f2"))

    store.put_filter(StoredFilter("ds", 1, 0, b"f1"))

    assert store.get_filter("ds", 1) is None
    assert store.get_filter("ds", 3) is not None


@pytest.mark.parametrize("version", [-1, 2])
def test_filter_of_no_dataset_version_is_refused(
    store: NodeStore, ds: DatasetInfo, version: int
) -> None:
    bump_to(store, 1)

    with pytest.raises(InvalidInput, match="version"):
        store.put_filter(StoredFilter("ds", version, 0, b"f"))


def test_filters_are_per_dataset(store: NodeStore, ds: DatasetInfo) -> None:
    store.create_dataset("other", SEALED_KEY)
    store.put_filter(StoredFilter("ds", 0, 0, b"ds"))

    assert store.get_filter("other", 0) is None


# -- replay guard -----------------------------------------------------------


def test_a_query_id_is_accepted_once(store: NodeStore) -> None:
    expires = T0 + timedelta(minutes=5)

    assert store.remember_query("broker", "q1", expires, now=T0) is True
    assert store.remember_query("broker", "q1", expires, now=T0 + timedelta(minutes=1)) is False
    assert store.remember_query("AGENCY-B", "q1", expires, now=T0) is True


def test_replay_guard_survives_reopening(open_store: Callable[[], NodeStore]) -> None:
    first = open_store()
    first.remember_query("broker", "q1", T0 + timedelta(minutes=5), now=T0)
    first.close()

    assert open_store().remember_query("broker", "q1", T0 + timedelta(minutes=5), now=T0) is False


def test_expired_ids_are_pruned(store: NodeStore) -> None:
    store.remember_query("broker", "q1", T0 + timedelta(minutes=5), now=T0)

    later = T0 + timedelta(minutes=5)
    assert store.remember_query("broker", "q1", later + timedelta(minutes=5), now=later) is True


def test_replay_guard_compares_instants_not_zones(store: NodeStore) -> None:
    paris = timezone(timedelta(hours=2))
    store.remember_query("broker", "q1", (T0 + timedelta(minutes=5)).astimezone(paris), now=T0)

    # Four minutes later in UTC, expressed in UTC: not yet expired.
    assert store.remember_query("broker", "q1", T0, now=T0 + timedelta(minutes=4)) is False


@pytest.mark.parametrize(
    ("scope", "query_id", "expires", "now"),
    [
        ("", "q1", T0, T0),
        ("broker", "", T0, T0),
        ("broker", "q" * 129, T0, T0),
        ("broker", "q1", T0.replace(tzinfo=None), T0),
        ("broker", "q1", T0, T0.replace(tzinfo=None)),
    ],
    ids=["empty-scope", "empty-id", "long-id", "naive-expiry", "naive-now"],
)
def test_bad_replay_guard_input_is_refused(
    store: NodeStore, scope: str, query_id: str, expires: datetime, now: datetime
) -> None:
    with pytest.raises(InvalidInput):
        store.remember_query(scope, query_id, expires, now=now)


# -- time -------------------------------------------------------------------


def test_timestamps_come_back_aware_in_utc(store: NodeStore, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 1, 14, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))

    updated = store.create_dataset("ds", SEALED_KEY).updated_at

    assert updated.tzinfo == UTC
    assert updated == clock.now
