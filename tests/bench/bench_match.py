"""``make bench``: the cost of a query with reused filters versus the naive way.

Both ways run in the same process, on the same data, in one run, and the
ratio is printed. The naive way recomputes the partner's openmined-psi setup
(one curve operation per dataset key) for every query; Liaison builds a
dataset's filter once per version and reuses it, so a query costs one curve
operation per query key on each side plus one pass over the filter.

Figures are wall-clock medians on this machine; nothing here asserts a
threshold (speed targets live here, never in a unit test).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from liaison.crypto import psi

QUERY_KEYS = 100
HITS = 10


def timed(function: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``function`` over ``repeats`` runs, in seconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def dataset(size: int) -> list[str]:
    return [f"1|document|NL|X{i:09d}" for i in range(size)]


def query() -> list[str]:
    present = [f"1|document|NL|X{i * 7:09d}" for i in range(HITS)]
    absent = [f"1|document|FR|Y{i:09d}" for i in range(QUERY_KEYS - HITS)]
    return present + absent


def bench(size: int, repeats: int, naive_repeats: int) -> dict[str, float]:
    items = dataset(size)
    key = psi.new_server_key()
    server = psi.PsiServer(key)
    start = time.perf_counter()
    setup = psi.build_filter(key, items, max_client_items=10_000)
    build = time.perf_counter() - start
    request_items = query()

    def reused() -> None:
        client = psi.PsiClient()
        response = server.process(client.request(request_items))
        found = client.intersect(setup, response, request_items=len(request_items))
        assert len(found) == HITS

    def naive() -> None:
        fresh_setup = psi.build_filter(key, items, max_client_items=10_000)
        client = psi.PsiClient()
        response = server.process(client.request(request_items))
        found = client.intersect(fresh_setup, response, request_items=len(request_items))
        assert len(found) == HITS

    liaison = timed(reused, repeats)
    recomputed = timed(naive, naive_repeats)
    return {
        "keys": size,
        "build_s": build,
        "filter_bytes": len(setup),
        "liaison_ms": liaison * 1000,
        "naive_ms": recomputed * 1000,
        "ratio": recomputed / liaison,
    }


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="dataset sizes in keys")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--naive-repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"query: {QUERY_KEYS} keys ({HITS} present); filter fpr {psi.FILTER_FPR:g} at 10,000 keys"
    )
    header = (
        f"{'dataset keys':>12} {'filter build s':>14} {'filter B/key':>12} "
        f"{'query ms (reused)':>17} {'query ms (naive)':>16} {'naive/reused':>12}"
    )
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        row = bench(size, args.repeats, args.naive_repeats)
        print(
            f"{row['keys']:>12,.0f} {row['build_s']:>14.2f} "
            f"{row['filter_bytes'] / row['keys']:>12.2f} {row['liaison_ms']:>17.1f} "
            f"{row['naive_ms']:>16.1f} {row['ratio']:>11.0f}x"
        )


if __name__ == "__main__":
    main()
