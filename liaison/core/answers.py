"""What a partner answers about one dataset, shared by nodes and the broker."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


def missing_justification(
    *, case_id: str, purpose: str, legal_basis: str, investigator_id: str
) -> str | None:
    """Return the name of the first blank field every query must carry, or None.

    The names are "case", "purpose", "legal basis" and "investigator"; each
    layer (CLI, requester, broker, partner) words its own refusal around it.
    """
    for name, value in (
        ("case", case_id),
        ("purpose", purpose),
        ("legal basis", legal_basis),
        ("investigator", investigator_id),
    ):
        if not value.strip():
            return name
    return None
