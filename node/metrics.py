"""The node's Prometheus metrics (``docs/operations.md``, "Metrics").

Labels come from small fixed sets only: ``partner`` is an agency code of the
federation, ``dataset`` a dataset name the operator chose, ``outcome`` a
status (``ok``, ``refused``, ``unavailable``, ``timeout``, ``alert``) or an
error class of ``liaison.core.errors``. Never an identifier, a match key, a
query id or a case id: each would be a series of its own, and a leak.

Served on ``[node] metrics_listen`` (loopback only) by :mod:`node.server`.
``liaison node import`` is a process of its own: it writes its durations to
``[node] metrics_textfile`` for the node exporter's textfile collector.
"""

from __future__ import annotations

from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

#: Seconds: from a few milliseconds (a cached filter) to a minute (the match deadline).
LATENCY_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
#: Seconds: imports and filter builds take from under a second to many minutes.
BUILD_BUCKETS: Final = (0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600)

QUERIES_SENT: Final = Counter(
    "liaison_queries_sent",
    "Partner datasets asked by this node's matches, by partner and outcome",
    ["partner", "outcome"],
)
MATCHES_FAILED: Final = Counter(
    "liaison_matches_failed",
    "Matches that failed as a whole (the broker refused or was not reached), by error class",
    ["outcome"],
)
MATCH_SECONDS: Final = Histogram(
    "liaison_match_seconds",
    "Duration of a federated match asked by a local user (all partners)",
    buckets=LATENCY_BUCKETS,
)
QUERIES_SERVED: Final = Counter(
    "liaison_queries_served",
    "Queries of partners this node answered, by requesting partner and outcome",
    ["partner", "outcome"],
)
ANSWER_SECONDS: Final = Histogram(
    "liaison_answer_seconds",
    "Time this node took to answer a partner's query",
    buckets=LATENCY_BUCKETS,
)
PARTNER_AVAILABLE: Final = Gauge(
    "liaison_partner_available",
    "1 if the partner answered (ok or refused) in this node's last match that asked it, else 0",
    ["partner"],
)
BUDGET_KEYS_USED: Final = Gauge(
    "liaison_budget_keys_used",
    "Keys the partner spent today from its agreement's daily budget",
    ["partner"],
)
BUDGET_KEYS_LIMIT: Final = Gauge(
    "liaison_budget_keys_limit", "The partner agreement's daily key budget", ["partner"]
)
DATASET_RECORDS: Final = Gauge("liaison_dataset_records", "Records per dataset", ["dataset"])
DATASET_KEYS: Final = Gauge("liaison_dataset_keys", "Match keys per dataset", ["dataset"])
DATASET_VERSION: Final = Gauge(
    "liaison_dataset_version", "Current (filter) version per dataset", ["dataset"]
)
DATASET_KEY_EPOCH: Final = Gauge(
    "liaison_dataset_key_epoch", "Current PSI key epoch per dataset", ["dataset"]
)
DATASET_UPDATED: Final = Gauge(
    "liaison_dataset_updated_timestamp_seconds",
    "When the dataset last changed (Unix time): its last import that changed something",
    ["dataset"],
)
#: Every per-dataset gauge (cleared and set again at each refresh).
DATASET_GAUGES: Final = (
    DATASET_RECORDS, DATASET_KEYS, DATASET_VERSION, DATASET_KEY_EPOCH, DATASET_UPDATED
)  # fmt: skip
LEDGER_ENTRIES: Final = Gauge("liaison_ledger_entries", "Entries in the node's ledger")
HEALTHY: Final = Gauge(
    "liaison_healthy", "1 when database, keys and broker link are usable (the health check)"
)


def import_registry() -> tuple[CollectorRegistry, Gauge, Gauge, Gauge]:
    """Return a registry for one ``liaison node import`` run and its gauges.

    The gauges are the import's duration (rows written), the index build's
    (the filter, after the rows), both in seconds, and the rows read, each
    labelled by dataset.
    """
    registry = CollectorRegistry()
    imported = Gauge(
        "liaison_import_seconds",
        "Duration of the last import's row writes",
        ["dataset"],
        registry=registry,
    )
    built = Gauge(
        "liaison_index_build_seconds",
        "Duration of the last import's filter (index) build",
        ["dataset"],
        registry=registry,
    )
    rows = Gauge(
        "liaison_import_rows", "Rows read by the last import", ["dataset"], registry=registry
    )
    return registry, imported, built, rows
