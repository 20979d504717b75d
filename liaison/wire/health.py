"""The standard gRPC health service, reporting what a periodic check finds.

A server is SERVING only while every check of its :class:`HealthMonitor`
passes (the node: its database, its keys and certificate, its link to the
broker; the broker: its database and keys), NOT_SERVING otherwise, and
NOT_SERVING before the first check. The checks run once at start, then
every ``interval`` seconds in a daemon thread, and the status is set on
every health servicer given (the node has one per face).

:func:`probe` is the client side, used by ``liaison health`` and by the
node's check of its broker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from liaison.core.logs import event

log = logging.getLogger(__name__)

#: The health and reflection services' full names (open on the local face).
HEALTH_SERVICE = health.SERVICE_NAME
REFLECTION_SERVICES = (reflection.SERVICE_NAME,)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING

#: A named check: returns if usable, raises (anything) if not.
Check = tuple[str, Callable[[], None]]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The last round of checks: the names that failed, with why."""

    problems: tuple[tuple[str, str], ...]

    @property
    def serving(self) -> bool:
        """Whether every check passed."""
        return not self.problems


class HealthMonitor:
    """Runs the checks on a schedule and sets the health servicers' status."""

    def __init__(
        self,
        checks: Sequence[Check],
        servicers: Sequence[health.HealthServicer],
        *,
        services: Sequence[str] = (),
        interval: float = 10.0,
        on_verdict: Callable[[Verdict], None] | None = None,
    ) -> None:
        """Report for the overall server ("") and for each of ``services``."""
        self._checks = tuple(checks)
        self._servicers = tuple(servicers)
        self._services = ("", *services)
        self._interval = interval
        self._on_verdict = on_verdict
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.verdict = Verdict((("started", "not checked yet"),))
        #: When the last check ran (Unix time), or None before the first.
        self.checked_at: float | None = None
        self._set(NOT_SERVING)

    def on_verdict(self, callback: Callable[[Verdict], None]) -> None:
        """Call ``callback`` after every check (it runs in the checking thread)."""
        self._on_verdict = callback

    def check_now(self) -> Verdict:
        """Run every check once, set the status, and return the verdict."""
        problems: list[tuple[str, str]] = []
        for name, check in self._checks:
            try:
                check()
            except Exception as exc:
                problems.append((name, str(exc) or type(exc).__name__))
        verdict = Verdict(tuple(problems))
        if verdict != self.verdict:
            log.log(
                logging.INFO if verdict.serving else logging.WARNING,
                "health: %s",
                "serving" if verdict.serving else "not serving",
                extra=event(
                    "health_changed",
                    serving=verdict.serving,
                    problems=dict(verdict.problems),
                ),
            )
        self.verdict = verdict
        self.checked_at = time.time()
        self._set(SERVING if verdict.serving else NOT_SERVING)
        if self._on_verdict is not None:
            try:
                self._on_verdict(verdict)
            except Exception:
                log.exception("health: reporting the verdict failed")
        return verdict

    def start(self) -> None:
        """Check at once, then every ``interval`` seconds until :meth:`stop`, in a thread.

        The first check runs in the thread too: a broker that is down must
        not hold up the node's start by a probe's deadline.
        """
        self._thread = threading.Thread(target=self._run, name="health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop checking; the servers go NOT_SERVING for anyone still asking."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._interval + 5)
        self._set(NOT_SERVING)

    def _run(self) -> None:
        self.check_now()
        while not self._stop.wait(self._interval):
            self.check_now()

    def _set(self, status: health_pb2.HealthCheckResponse.ServingStatus.ValueType) -> None:
        for servicer in self._servicers:
            for service in self._services:
                servicer.set(service, status)


def add_health(server: grpc.Server) -> health.HealthServicer:
    """Add a health servicer to ``server`` (NOT_SERVING until a monitor says otherwise)."""
    servicer = health.HealthServicer()
    servicer.set("", NOT_SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    return servicer


def add_reflection(server: grpc.Server, services: Sequence[str]) -> None:
    """Serve reflection of ``services`` (full names) and of the health service."""
    reflection.enable_server_reflection((*services, HEALTH_SERVICE, *REFLECTION_SERVICES), server)


def probe(
    channel: grpc.Channel, service: str = "", *, timeout: float, wait_for_ready: bool = False
) -> str:
    """Return the server's status name for ``service`` (``SERVING``, ``NOT_SERVING``, ...).

    With ``wait_for_ready``, a channel backing off after a failed connection
    tries again within ``timeout`` instead of failing at once (a periodic
    check of a peer that came back).

    Raises:
        grpc.RpcError: the server could not be asked (unreachable, refused).
    """
    stub = health_pb2_grpc.HealthStub(channel)
    reply = stub.Check(
        health_pb2.HealthCheckRequest(service=service),
        timeout=timeout,
        wait_for_ready=wait_for_ready,
    )
    name: str = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    return name
