"""The health monitor: SERVING only while every check passes, on every servicer."""

from __future__ import annotations

from grpc_health.v1 import health, health_pb2

from liaison.wire.health import NOT_SERVING, SERVING, HealthMonitor, Verdict


def status(servicer: health.HealthServicer, service: str = "") -> int:
    reply = servicer.Check(health_pb2.HealthCheckRequest(service=service), None)
    code: int = reply.status
    return code


class Switch:
    """A check that fails while ``broken`` is set."""

    def __init__(self) -> None:
        self.broken: str | None = None

    def __call__(self) -> None:
        if self.broken:
            raise RuntimeError(self.broken)


def test_not_serving_until_checked_then_as_the_checks_say() -> None:
    database, broker = Switch(), Switch()
    faces = (health.HealthServicer(), health.HealthServicer())
    seen: list[Verdict] = []
    monitor = HealthMonitor(
        [("database", database), ("broker", broker)], faces,
        services=("liaison.v1.NodeLocal",), on_verdict=seen.append,
    )  # fmt: skip
    assert [status(f) for f in faces] == [NOT_SERVING, NOT_SERVING]

    assert monitor.check_now().serving
    assert [status(f) for f in faces] == [SERVING, SERVING]
    assert status(faces[1], "liaison.v1.NodeLocal") == SERVING

    broker.broken = "the broker could not be reached"
    verdict = monitor.check_now()
    assert verdict.problems == (("broker", "the broker could not be reached"),)
    assert [status(f) for f in faces] == [NOT_SERVING, NOT_SERVING]
    assert monitor.checked_at is not None

    broker.broken = None
    assert monitor.check_now().serving and status(faces[0]) == SERVING
    assert [v.serving for v in seen] == [True, False, True]
    monitor.stop()
    assert status(faces[0]) == NOT_SERVING


def test_a_failing_verdict_callback_does_not_stop_the_checks() -> None:
    def explode(verdict: Verdict) -> None:
        raise RuntimeError("gauges unavailable")

    face = health.HealthServicer()
    monitor = HealthMonitor([], (face,), on_verdict=explode)
    assert monitor.check_now().serving
    assert status(face) == SERVING


def test_the_periodic_thread_checks_at_once_and_stops() -> None:
    checked = Switch()
    calls: list[int] = []

    def counting() -> None:
        calls.append(1)
        checked()

    face = health.HealthServicer()
    monitor = HealthMonitor([("db", counting)], (face,), interval=3600)
    monitor.start()
    monitor.stop()  # joins the thread: its first check has run
    assert calls == [1]
