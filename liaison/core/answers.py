"""What a partner answers about one dataset, shared by nodes and the broker."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from liaison.core.alerts import Alert


class PartnerStatus(StrEnum):
    """Outcome of asking one partner about one dataset."""

    OK = "ok"
    UNAVAILABLE = "unavailable"
    REFUSED = "refused"
    TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class DatasetAnswer:
    """A partner's answer for one dataset (``psi_response`` set when OK)."""

    agency: str
    dataset: str
    status: PartnerStatus
    reason: str = ""
    filter_version: int = 0
    psi_response: bytes = b""
    #: Keys in the filter of ``filter_version``, as the partner declares it.
    filter_keys: int = 0
    #: Set on a refusal because a budget or a rate ran out (a fishing alert).
    alert: Alert | None = None
    #: Key epoch of the partner's server key behind ``psi_response`` (OK
    #: answers; None when not declared). See ``docs/epochs.md``.
    key_epoch: int | None = None
