"""Why an input file is rejected: its problems, and the one message that lists them.

Shared by every input parser (:mod:`node.records` for CSV and JSON Lines,
:mod:`node.ftm` for FollowTheMoney). A file is accepted whole or not at
all: the parsers collect every :class:`Problem` and raise one
:class:`~core.errors.InvalidInput` listing ``line N: <field>: <reason>``.
Messages never repeat a value from the file, because they reach logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from liaison.core.errors import InvalidInput

MAX_LISTED_PROBLEMS = 50

#: NUL, the other C0 controls but tab and line breaks (blanks to the key
#: spec; a quoted CSV cell may hold a line break), DEL and the C1 controls:
#: never part of a name or an identifier. PostgreSQL cannot store NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Why a value with a control character is refused.
CONTROL_CHARACTER = "contains a control character (NUL, escape, ...)"


#: Longest line an input file may have, in characters (a record's line is a
#: few hundred): a longer one is refused after reading this much of it.
MAX_LINE_CHARS = 1024 * 1024
#: What bytes that are not UTF-8 become when a file is read with
#: ``errors="surrogateescape"`` (as :func:`liaison.node.input_files.parse_file` does).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def bounded_lines(
    lines: Iterable[str], source: str, *, max_chars: int = MAX_LINE_CHARS
) -> Iterator[str]:
    """Yield the lines of an input, refusing one longer than ``max_chars``.

    From a stream (anything with ``readline``, an open text file say) no
    more than ``max_chars + 1`` characters of a line are ever read, so a
    1 GiB line costs no more memory than a short one.

    Raises:
        InvalidInput: a line is too long, or holds bytes that were not
            UTF-8 (surrogate escapes); the message names the line.
    """
    readline = getattr(lines, "readline", None)
    if callable(readline):
        iterator: Iterator[str] = iter(lambda: str(readline(max_chars + 1)), "")
    else:
        iterator = iter(lines)
    for number, line in enumerate(iterator, start=1):
        if len(line.rstrip("\r\n")) > max_chars:
            reason = f"longer than {max_chars} characters"
            raise InvalidInput(report([Problem(number, "line", reason)], source))
        if _NOT_UTF8.search(line):
            raise InvalidInput(report([Problem(number, "encoding", "not valid UTF-8")], source))
        yield line


def has_control_character(text: str) -> bool:
    """Tell whether ``text`` holds a control character (see :data:`CONTROL_CHARACTER`)."""
    return _CONTROL.search(text) is not None


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
