"""Structured logs: one JSON object a line, events with fields, levels from config."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from liaison.core.errors import ConfigError
from liaison.core.logs import (
    JsonFormatter,
    configure_server_logging,
    event,
    parse_level,
    quiet_grpc_core,
)


def formatted(record: logging.LogRecord) -> dict[str, object]:
    line = JsonFormatter("node FR").format(record)
    assert "\n" not in line
    parsed: dict[str, object] = json.loads(line)
    return parsed


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("liaison.test", logging.INFO, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_an_event_carries_its_name_and_fields_beside_the_message() -> None:
    line = formatted(record("query %s served", "q1", **event("query_served", query_id="q1")))
    assert line["message"] == "query q1 served"
    assert (line["event"], line["query_id"], line["process"]) == ("query_served", "q1", "node FR")
    assert line["level"] == "info" and line["logger"] == "liaison.test"
    assert str(line["time"]).endswith("+00:00")


def test_an_event_field_cannot_replace_the_line_s_own_keys() -> None:
    line = formatted(record("x", **event("e", message="forged", level="error")))
    assert (line["message"], line["level"]) == ("x", "info")


def test_an_exception_is_logged_with_its_class_and_traceback() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        made = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = formatted(made)
    assert line["error"] == "ValueError" and "Traceback" in str(line["traceback"])


def test_server_logging_writes_json_lines_at_the_configured_level() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure_server_logging(logging.WARNING, "broker", stream)
        logging.getLogger("liaison.x").info("hidden")
        logging.getLogger("liaison.x").warning("shown")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    [line] = stream.getvalue().splitlines()
    assert json.loads(line)["message"] == "shown"


@pytest.mark.parametrize(("text", "level"), [("debug", 10), ("INFO", 20), ("warning", 30)])
def test_levels_are_read_by_name(text: str, level: int) -> None:
    assert parse_level(text, "node.toml: [node] log_level") == level


def test_an_unknown_level_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"\[node\] log_level: must be one of debug"):
        parse_level("verbose", "node.toml: [node] log_level")


def test_grpc_core_is_quiet_unless_the_operator_set_a_verbosity() -> None:
    environ: dict[str, str] = {}
    quiet_grpc_core(environ)
    assert environ == {"GRPC_VERBOSITY": "NONE"}
    chosen = {"GRPC_VERBOSITY": "ERROR"}
    quiet_grpc_core(chosen)
    assert chosen == {"GRPC_VERBOSITY": "ERROR"}
