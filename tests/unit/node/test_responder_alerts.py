"""A partner whose agreement's budget ran out answers with a structured alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from liaison.core.alerts import Alert, AlertLimit
from liaison.core.answers import PartnerStatus
from liaison.crypto import psi
from liaison.crypto.certificates import load_certificate
from liaison.node.agreements import Agreement
from tests.pki_support import Federation, make_federation
from tests.query_support import signed_query
from tests.unit.test_match_flow import SHARED, Partner

NOW = datetime.now(UTC)


@pytest.fixture
def pki(tmp_path: Path) -> Federation:
    return make_federation(tmp_path / "pki", agencies=("FR", "NL"), now=NOW)


@pytest.fixture
def partner(tmp_path: Path, pki: Federation) -> Iterator[Partner]:
    made = Partner(tmp_path, pki, "NL", Agreement("FR", ("*",), ("*",), max_keys_per_day=1))
    for name in ("a", "b", "c"):
        made.datasets.import_records(name, [SHARED], replace=False)
    yield made
    made.store.close()
    made.ledger_store.close()
    made.agreements.close()


def test_an_exhausted_budget_is_a_refusal_with_its_alert_and_a_ledger_alert(
    partner: Partner, pki: Federation
) -> None:
    certificate = load_certificate(pki.nodes["FR"].certificate).public_bytes(Encoding.DER)
    answers = []
    for _ in range(2):
        psi_request = psi.PsiClient().request(["1|email|x@example.org"])
        answers.append(
            partner.responder.answer(signed_query(pki, psi_request), certificate, psi_request)
        )
    assert [a.status for a in answers[0]] == [PartnerStatus.OK] * 3
    assert all(a.alert is None for a in answers[0])
    refused = answers[1]
    assert [(a.dataset, a.status) for a in refused] == [
        ("a", PartnerStatus.REFUSED), ("b", PartnerStatus.REFUSED), ("c", PartnerStatus.REFUSED),
    ]  # fmt: skip
    expected = Alert(AlertLimit.DAILY_KEY_BUDGET, allowed=1, used=1, asked=1)
    assert all(a.alert == expected for a in refused)
    assert all(a.reason.startswith("alert: daily key budget exhausted") for a in refused)
    assert not any(a.psi_response for a in refused)
    outcomes = [entry.outcome for entry in partner.ledger_store.all()]
    assert outcomes[-1].startswith("alert: daily key budget exhausted")
