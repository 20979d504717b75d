"""Why an input file is rejected: its problems, and the one message that lists them.

Shared by every input parser (:mod:`node.records` for CSV and JSON Lines,
:mod:`node.ftm` for FollowTheMoney). A file is accepted whole or not at
all: the parsers collect every :class:`Problem` and raise one
:class:`~core.errors.InvalidInput` listing ``line N: <field>: <reason>``.
Messages never repeat a value from the file, because they reach logs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from liaison.core.errors import InvalidInput

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file is rejected; ``str()`` gives ``line N: field: reason``."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


def raise_if(problems: list[Problem], source: str) -> None:
    """Raise the report of ``problems`` if there is any.

    Raises:
        InvalidInput: ``problems`` is not empty; the message is :func:`report`.
    """
    if problems:
        raise InvalidInput(report(problems, source))


def report(problems: list[Problem], source: str) -> str:
    """Return the message listing ``problems`` in line order, the first fifty of them."""
    # Stable sort: a row's structural problems (JSON) come before its values'.
    ordered = sorted(problems, key=lambda problem: problem.line)
    listed = [str(problem) for problem in ordered[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(f"and {len(problems) - MAX_LISTED_PROBLEMS} more")
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return f"{source}: {count}, nothing imported:\n" + "\n".join(listed)


def json_line(
    text: str,
    line: int,
    problems: list[Problem],
    *,
    object_pairs_hook: Callable[[list[tuple[str, object]]], object] | None = None,
) -> tuple[bool, object]:
    """Decode one JSON line: ``(True, value)``, or ``(False, None)`` with the
    reason recorded in ``problems`` (never quoting the text).

    Shared by the JSON Lines and FollowTheMoney readers.
    """
    try:
        return True, json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as error:
        # error.msg is a fixed description ("Expecting value"), never the text.
        problems.append(
            Problem(line, "json", f"not valid JSON ({error.msg}, column {error.colno})")
        )
    except (ValueError, RecursionError):
        # Integers too long to convert, or nesting too deep for the decoder.
        problems.append(
            Problem(line, "json", "not valid JSON (number too long or nesting too deep)")
        )
    return False, None


def json_type(value: object) -> str:
    """Name the JSON type of a decoded value (``"a string"``), never the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
