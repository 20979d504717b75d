"""The CLI's handlers for the tools that are not a node's or a broker's work.

``keys evaluate`` (measuring the key spec), ``demo-data`` and ``demo``: they
live in :mod:`liaison.tools`, apart from the runtime code.
"""

from __future__ import annotations

import argparse

from liaison.cli.commands import split_list
from liaison.tools.demo import CommandLine, run_demo, write_demo_data
from liaison.tools.evaluate import evaluate, render_json, render_table


def keys_evaluate(args: argparse.Namespace) -> None:
    """Measure the key spec, and the plaintext anchor, on a file of labelled name pairs."""
    report = evaluate(args.pairs, args.format, population=args.population, key_spec=args.key_spec)
    print(render_json(report) if args.json else render_table(report))


def demo_data(args: argparse.Namespace) -> None:
    """Write seeded synthetic datasets and a suspects file."""
    written = write_demo_data(
        args.out, seed=args.seed, agencies=split_list(args.agencies), persons=args.persons
    )
    for path in written:
        print(f"wrote {path}")


def demo(args: argparse.Namespace, cli: CommandLine) -> int | None:
    """Run the local federation demo, each step through ``cli`` as a user would type it."""
    return run_demo(
        workdir=args.workdir, seed=args.seed, persons=args.persons, cli=cli, console=args.console
    )
