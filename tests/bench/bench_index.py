"""The node's index: full import, a 1% update, a rotation, parallel curve work, memory.

Each figure is measured in one run beside its reference:

* ``library_us_per_key``: openmined-psi's own single-thread ``CreateSetupMessage``
  over a sample of the dataset's keys (the reference of every rate below);
* ``import_s``: a full import of ``--records`` synthetic people until their
  filter is stored (key derivation, rows, curve work on every core, filter);
* ``update_s`` and ``incremental_ratio``: an import changing 1% of the
  records (half updated, a quarter new, a quarter deleted) ÷ the full import;
* ``rotation_s`` and ``build_parallel_efficiency``: a key-epoch rotation
  (every record's keys encrypted under a new key, then the filter) and its
  rate ÷ (cores x the library's single-thread rate);
* ``encrypt_parallel_efficiency``: the same for the curve work alone, in memory;
* ``peak_rss_mb``: this process's peak resident memory (the generated
  records included).

Nothing asserts a threshold: ``python -m tests.bench.bench_index --records 20000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from liaison.core.records import MatchKey, Record
from liaison.crypto import psi
from liaison.crypto.keys import derive_keys_v2
from liaison.crypto.keystore import MasterKey
from liaison.node.datasets import Datasets
from liaison.node.sql_store import SqlNodeStore
from liaison.tools.demo_data import generate_federation

DATASET = "persons"
#: Keys in the sample the library's single-thread rate is measured on.
SAMPLE_KEYS = 20_000


def library_us_per_key(keys: list[str]) -> tuple[float, float]:
    """openmined-psi's single-thread setup time per key (GCS, as a node builds): wall, CPU."""
    key = psi.new_server_key()
    start, cpu = time.perf_counter(), cpu_s()
    psi.build_filter(key, keys, max_client_items=10_000)
    return (
        (time.perf_counter() - start) / len(keys) * 1e6,
        (cpu_s() - cpu) / len(keys) * 1e6,
    )


def encrypt_us_per_key(records: list[list[str]], workers: int | None) -> tuple[float, float]:
    """Curve work alone, in memory, on ``workers`` threads: wall and CPU time per key."""
    with psi.PsiEncryptor(psi.new_server_key(), workers=workers) as encryptor:
        start, cpu = time.perf_counter(), cpu_s()
        for i in range(0, len(records), 1000):
            encryptor.encrypt(records[i : i + 1000])
        elapsed, used = time.perf_counter() - start, cpu_s() - cpu
    count = sum(len(r) for r in records)
    return elapsed / count * 1e6, used / count * 1e6


def one_percent_change(people: Sequence[Record]) -> list[Record]:
    """Update 0.5% of the records, delete 0.25%, insert 0.25% new ones."""
    step = 200
    changed = []
    for i, person in enumerate(people):
        if i % step == 0:
            changed.append(dataclasses.replace(person, phones=(f"+3161{i:07d}",)))
        elif i % (2 * step) == step // 2:
            continue  # deleted
        else:
            changed.append(person)
    changed.extend(
        dataclasses.replace(
            p, ref=f"new-{i}", full_name=f"{p.full_name} Jr", phones=(f"+3162{i:07d}",)
        )
        for i, p in enumerate(people[step // 4 :: 2 * step])
    )
    return changed


def cpu_s() -> float:
    """CPU seconds this process has used so far, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench(records: int, url: str | None, workers: int | None) -> dict[str, float]:
    """Run every measurement once on ``records`` people."""
    people = generate_federation(7, ("NL", "FR"), persons_per_agency=records).datasets["NL"]
    update = one_percent_change(people)
    phases: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = SqlNodeStore(url or f"sqlite:///{Path(folder) / 'node.db'}")
        try:
            datasets = Datasets(
                store, MasterKey(bytes(32)), max_client_items=10_000, workers=workers
            )
            start = time.perf_counter()
            datasets.import_records(
                DATASET, people, replace=True, phases=lambda p, d, t: phases.update({p: d})
            )
            import_s = time.perf_counter() - start
            keys = store.key_values(DATASET)
            info = datasets.info(DATASET)
            start = time.perf_counter()
            summary = datasets.import_records(DATASET, update, replace=True)
            update_s = time.perf_counter() - start
            start = time.perf_counter()
            datasets.rotate(DATASET)
            rotation_s = time.perf_counter() - start
            key_rows = sum(len({k.value for k in store_keys(p)}) for p in update)
        finally:
            store.close()
    library, library_cpu = library_us_per_key(keys[:SAMPLE_KEYS])
    sample = [sorted({k.value for k in store_keys(p)}) for p in people[: SAMPLE_KEYS // 20]]
    encrypt, encrypt_cpu = encrypt_us_per_key(sample, workers)
    cores = psi.worker_count(workers)
    rotation_us = rotation_s / key_rows * 1e6
    return {
        "records": info.records,
        "keys": info.keys,
        "cores": cores,
        "load_average_1min": os.getloadavg()[0],
        "library_us_per_key": library,
        "import_s": import_s,
        "import_records_per_s": info.records / import_s,
        "update_changed": summary.inserted + summary.updated + summary.removed,
        "update_s": update_s,
        "incremental_ratio": update_s / import_s,
        "rotation_s": rotation_s,
        "rotation_us_per_key_row": rotation_us,
        "build_parallel_efficiency": library / rotation_us / cores,
        "encrypt_us_per_key": encrypt,
        "encrypt_parallel_efficiency": library / encrypt / cores,
        # CPU per key against the library's: the overhead of our path, whatever the load.
        "encrypt_cpu_vs_library": encrypt_cpu / library_cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def store_keys(person: Record) -> list[MatchKey]:
    """The match keys a node derives from a record (the key spec's, as the import does)."""
    return list(derive_keys_v2(person))


def main() -> None:
    """Run the benchmark and print its figures (``--json`` writes them too)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--url", help="a database URL (default: a throwaway SQLite file)")
    parser.add_argument("--workers", type=int, help="threads for the curve work (default: cores)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = bench(args.records, args.url, args.workers)
    for name, value in figures.items():
        print(f"{name:>30}  {value:,.3f}" if isinstance(value, float) else f"{name:>30}  {value:,}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
