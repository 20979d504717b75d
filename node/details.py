"""The non-identifier columns of the input format: ``release.*`` and ``source.*``.

A dataset row may carry fields that are not identifiers: ``release.<name>``
(releasable to a partner when an officer approves a follow-up, for example
``release.status``) and ``source.<name>`` (the informant, the origin, the
classification notes: never released, even on approval). They take no part
in matching. Names are lowercase ASCII, digits and ``_`` after the prefix;
each takes one value of at most :data:`MAX_DETAIL_LENGTH` characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

from liaison.core.records import RecordField

DETAIL_COLUMN: Final = re.compile(r"(release|source)\.[a-z][a-z0-9_]{0,39}")
MAX_DETAIL_LENGTH: Final = 2000


def is_detail_column(name: str) -> bool:
    """Whether ``name`` is a ``release.*`` or ``source.*`` column."""
    return DETAIL_COLUMN.fullmatch(name) is not None


def details_of(
    mapping: Mapping[str, object], report: Callable[[str, str], None]
) -> tuple[RecordField, ...]:
    """Return the row's non-empty detail fields; report a bad value (never repeating it)."""
    details: list[RecordField] = []
    for name, raw in mapping.items():
        if not is_detail_column(name) or raw is None:
            continue
        if not isinstance(raw, str):
            report(name, "expected a string")
            continue
        value = raw.strip()
        if len(value) > MAX_DETAIL_LENGTH:
            report(name, f"longer than {MAX_DETAIL_LENGTH} characters")
        elif any(not c.isprintable() for c in value):
            report(name, "holds a control character")
        elif value:
            details.append(RecordField(name, value))
    return tuple(details)
