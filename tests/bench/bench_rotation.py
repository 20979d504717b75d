"""``make bench``: the cost of moving a dataset's PSI server key to a new epoch.

A rotation (``docs/epochs.md``) seals a fresh key, swaps it in with one
transaction, and rebuilds the dataset's filter from the stored match keys
under the new key: one curve operation per distinct key, done inside one
openmined-psi ``CreateSetupMessage`` call. The dataset is synthetic (the
demo generator's people, about five keys each) in a throwaway SQLite file.

Figures are wall-clock on this machine; nothing here asserts a threshold.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from liaison.crypto.keystore import MasterKey
from liaison.node.datasets import Datasets
from liaison.node.sql_store import SqlNodeStore
from liaison.tools.demo_data import generate_federation

DATASET = "persons"


def bench(records: int) -> dict[str, float]:
    """Import ``records`` people, then time one rotation (and one plain filter build)."""
    people = generate_federation(7, ("NL", "FR"), persons_per_agency=records).datasets["NL"]
    with tempfile.TemporaryDirectory() as folder:
        store = SqlNodeStore(f"sqlite:///{Path(folder) / 'node.db'}")
        try:
            datasets = Datasets(store, MasterKey(bytes(32)), max_client_items=10_000)
            start = time.perf_counter()
            datasets.import_records(DATASET, people, replace=False)
            imported = time.perf_counter() - start
            start = time.perf_counter()
            datasets.rotate(DATASET)
            rotation = time.perf_counter() - start
            info = datasets.info(DATASET)
        finally:
            store.close()
    return {
        "records": info.records,
        "keys": info.keys,
        "import_s": imported,
        "rotation_s": rotation,
        "us_per_key": rotation / max(1, info.keys) * 1e6,
    }


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", default="100000", help="dataset sizes in records")
    args = parser.parse_args()
    print(f"{'records':>9} {'keys':>9} {'import s':>9} {'rotation s':>11} {'us/key':>7}")
    for size in (int(s) for s in args.records.split(",")):
        row = bench(size)
        print(
            f"{row['records']:>9,.0f} {row['keys']:>9,.0f} {row['import_s']:>9.1f} "
            f"{row['rotation_s']:>11.1f} {row['us_per_key']:>7.1f}"
        )


if __name__ == "__main__":
    main()
