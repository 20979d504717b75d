"""Per-agency admission at the broker: in-flight and per-minute limits."""

from __future__ import annotations

import pytest

from liaison.broker.admission import AgencyLimits, AgencyThrottle
from liaison.core.alerts import Alert, AlertLimit
from liaison.core.errors import InvalidInput, QuotaExceeded


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_agency_over_its_in_flight_limit_is_refused_and_others_are_not() -> None:
    throttle = AgencyThrottle(AgencyLimits(max_in_flight=2, max_per_minute=100))
    with throttle.admit("TR"), throttle.admit("TR"):
        with pytest.raises(QuotaExceeded, match="in flight"), throttle.admit("TR"):
            pass
        with throttle.admit("NL"):
            assert (throttle.in_flight("TR"), throttle.in_flight("NL")) == (2, 1)
    assert throttle.in_flight("TR") == 0


def test_a_slot_is_released_when_the_block_raises() -> None:
    throttle = AgencyThrottle(AgencyLimits(max_in_flight=1, max_per_minute=100))
    with pytest.raises(RuntimeError), throttle.admit("TR"):
        raise RuntimeError
    with throttle.admit("TR"):
        assert throttle.in_flight("TR") == 1


def test_the_rate_is_per_agency_over_a_sliding_minute() -> None:
    clock = Clock()
    throttle = AgencyThrottle(AgencyLimits(max_in_flight=10, max_per_minute=3), monotonic=clock)
    for second in range(3):
        clock.now = float(second)
        with throttle.admit("TR"):
            pass
    with pytest.raises(QuotaExceeded, match="last minute"), throttle.admit("TR"):
        pass
    with throttle.admit("NL"):
        pass
    clock.now = 60.0  # the call at t=0 leaves the window, not the others
    with throttle.admit("TR"):
        pass
    with pytest.raises(QuotaExceeded), throttle.admit("TR"):
        pass


def test_a_refused_call_is_not_counted() -> None:
    clock = Clock()
    throttle = AgencyThrottle(AgencyLimits(max_in_flight=1, max_per_minute=2), monotonic=clock)
    with throttle.admit("TR"):
        for _ in range(5):
            with pytest.raises(QuotaExceeded), throttle.admit("TR"):
                pass
    with throttle.admit("TR"):
        pass


@pytest.mark.parametrize(("in_flight", "per_minute"), [(0, 1), (1, 0)])
def test_limits_below_one_are_invalid(in_flight: int, per_minute: int) -> None:
    with pytest.raises(InvalidInput):
        AgencyLimits(in_flight, per_minute)


def test_a_throttle_refusal_carries_its_alert() -> None:
    clock = Clock()
    throttle = AgencyThrottle(AgencyLimits(max_in_flight=1, max_per_minute=2), monotonic=clock)
    with throttle.admit("TR"), pytest.raises(QuotaExceeded) as in_flight, throttle.admit("TR"):
        pass
    assert in_flight.value.alert == Alert(AlertLimit.BROKER_IN_FLIGHT, 1, used=1, asked=1)
    with throttle.admit("TR"):
        pass
    with pytest.raises(QuotaExceeded) as rate, throttle.admit("TR"):
        pass
    assert rate.value.alert == Alert(AlertLimit.BROKER_RATE, 2, used=2, asked=1)
