"""A partner stops work once the caller's deadline has passed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.errors import PartnerTimeout
from liaison.crypto import psi
from liaison.crypto.certificates import load_certificate
from liaison.node.agreements import Agreement
from liaison.node.datasets import Answered
from liaison.node.responder import Responder
from tests.pki_support import Federation, make_federation
from tests.query_support import signed_query
from tests.unit.test_match_flow import SHARED, Partner


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pki(tmp_path: Path) -> Federation:
    return make_federation(tmp_path / "pki", agencies=("FR", "NL"), now=datetime.now(UTC))


@pytest.fixture
def partner(tmp_path: Path, pki: Federation) -> Iterator[Partner]:
    made = Partner(tmp_path, pki, "NL", Agreement("FR", ("*",), ("*",)))
    for name in ("a", "b", "c"):
        made.datasets.import_records(name, [SHARED], replace=False)
    yield made
    made.store.close()
    made.ledger_store.close()


def counting(partner: Partner, clock: Clock, *, advance: float) -> list[str]:
    served: list[str] = []
    answer = partner.datasets.answer

    def answer_counted(name: str, psi_request: bytes, *, reveal: bool = True) -> Answered:
        served.append(name)
        clock.now += advance
        return answer(name, psi_request, reveal=reveal)

    partner.datasets.answer = answer_counted  # type: ignore[method-assign]
    return served


def responder(partner: Partner, pki: Federation, clock: Clock) -> Responder:
    inner = partner.responder
    return Responder(
        inner._config,
        partner.datasets,
        partner.store,
        load_certificate(pki.ca_certificate),
        partner.ledger,
        agreements=partner.agreements,
        monotonic=clock,
    )


def test_no_dataset_is_started_after_the_deadline(partner: Partner, pki: Federation) -> None:
    clock = Clock()
    served = counting(partner, clock, advance=1.0)
    psi_request = psi.PsiClient().request(["1|email|x@example.org"])
    certificate = load_certificate(pki.nodes["FR"].certificate).public_bytes(Encoding.DER)
    with pytest.raises(PartnerTimeout, match="deadline"):
        responder(partner, pki, clock).answer(
            signed_query(pki, psi_request), certificate, psi_request, deadline=101.5
        )
    assert served == ["a", "b"]


def test_within_the_deadline_every_dataset_is_answered(partner: Partner, pki: Federation) -> None:
    clock = Clock()
    served = counting(partner, clock, advance=1.0)
    psi_request = psi.PsiClient().request(["1|email|x@example.org"])
    certificate = load_certificate(pki.nodes["FR"].certificate).public_bytes(Encoding.DER)
    answers = responder(partner, pki, clock).answer(
        signed_query(pki, psi_request), certificate, psi_request, deadline=110.0
    )
    assert [a.dataset for a in answers] == served == ["a", "b", "c"]
