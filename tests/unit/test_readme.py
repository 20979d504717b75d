"""The README stays true: CLI reference, commands, and its input example."""

from __future__ import annotations

import re
from pathlib import Path

from liaison.cli.main import usage_reference
from liaison.node.records import parse_csv

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_block(language: str, containing: str) -> str:
    for block in re.findall(rf"```{language}\n(.*?)```", README, flags=re.S):
        if containing in block:
            return str(block)
    raise AssertionError(f"no ```{language} block containing {containing!r} in README.md")


def test_cli_reference_matches_the_parser() -> None:
    assert code_block("text", "liaison match").strip() == usage_reference()


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README and "make demo" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line
        for line in ci.splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    # Only the README's test command, after installing the browser tests' chromium.
    assert commands[-1] == "make test"
    assert commands.count("make test") == 1
    setup = [line.strip() for line in commands[:-1]]
    assert all(
        "chromium" in line or line == "fi" or line.startswith(("(apt-get", "||")) for line in setup
    )
    assert "LIAISON_TEST_POSTGRES_URL" in ci
    assert "export LIAISON_TEST_BROWSER=1" in ci


def test_input_example_is_valid() -> None:
    rows = parse_csv(code_block("csv", "ref,").splitlines(), "README.md")
    assert [r.ref for r in rows] == ["S-001", "S-002"]
