"""Structured logs: one JSON object per line, events with fields, gRPC's C core quiet.

Servers (``liaison node serve``, ``liaison broker serve``) log through the
standard library with :class:`JsonFormatter`. A line is an object with
``time`` (UTC, ISO 8601), ``level``, ``logger``, ``process`` (``node FR``,
``broker``), ``message`` and, for an event, ``event`` and its fields::

    log.info("query served", extra=event("query_served", query_id=qid, outcome="ok"))

Fields hold ids, agency codes, counts, statuses and error classes only:
never an identifier, a match key or a record value (the integration test
``test_logs.py`` greps every line of a federated run for them).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Final, TextIO

from liaison.core.errors import ConfigError

#: Log levels a config may name (``log_level``).
LEVELS: Final = ("debug", "info", "warning", "error")
#: Record attribute holding an event's name, and the one holding its fields.
EVENT_ATTRIBUTE: Final = "liaison_event"
FIELDS_ATTRIBUTE: Final = "liaison_fields"


def event(name: str, **fields: object) -> dict[str, object]:
    """Return the ``extra`` of a log call that records event ``name`` with ``fields``."""
    return {EVENT_ATTRIBUTE: name, FIELDS_ATTRIBUTE: fields}


class JsonFormatter(logging.Formatter):
    """Format each record as one JSON object on one line."""

    def __init__(self, process: str) -> None:
        """Tag every line with ``process`` (``node FR``, ``broker``)."""
        super().__init__()
        self._process = process

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as JSON: time, level, logger, process, message, event fields."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": self._process,
            "message": record.getMessage(),
        }
        name = getattr(record, EVENT_ATTRIBUTE, None)
        if name is not None:
            line["event"] = name
            fields: Mapping[str, object] = getattr(record, FIELDS_ATTRIBUTE, {})
            line.update({k: v for k, v in fields.items() if k not in line})
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, default=str, ensure_ascii=False)


def parse_level(value: str, where: str) -> int:
    """Return the :mod:`logging` level named by a config value.

    Raises:
        ConfigError: not one of :data:`LEVELS`; names ``where``.
    """
    if value.lower() not in LEVELS:
        raise ConfigError(f"{where}: must be one of {', '.join(LEVELS)}")
    return int(logging.getLevelNamesMapping()[value.upper()])


def configure_server_logging(level: int, process: str, stream: TextIO | None = None) -> None:
    """Send every log record at ``level`` and above to ``stream`` as JSON lines.

    Replaces the root logger's handlers, so a server's output is JSON only.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(process))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def quiet_grpc_core(environ: MutableMapping[str, str] = os.environ) -> None:
    """Keep gRPC's C core from writing its own lines to standard error.

    The C core logs through absl, straight to file descriptor 2, unstructured
    (handshake failures, GOAWAY notices): nothing a JSON log reader can
    parse. It reads ``GRPC_VERBOSITY`` when the first channel or server is
    made, so this runs first thing in ``main``; an operator who sets the
    variable (``ERROR`` while debugging) keeps it. Python-side gRPC logs go
    through :mod:`logging` like ours.
    """
    environ.setdefault("GRPC_VERBOSITY", "NONE")
