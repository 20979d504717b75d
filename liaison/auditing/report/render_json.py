"""The report as the JSON document of docs/audit.md ("Reports"), and its plain values.

The CSV table (:mod:`.render_csv`) carries the same values as this document,
and the HTML page (:mod:`.render_html`) writes times as it does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any, Final

from liaison.auditing.report.tally import Alerts, HitRate, PartnerAnswers, Report
from liaison.auditing.report.watches import WatchFigures

#: Version of the JSON document (its ``"schema"``) and of the CSV layout.
SCHEMA: Final = 1


def iso_time(when: datetime) -> str:
    """Return ``when`` as ISO 8601 UTC with milliseconds and a ``Z``."""
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def render_json(report: Report) -> str:
    """Return the report as the JSON document of docs/audit.md ("Reports"), ``"schema": 1``."""
    return json.dumps(_document(report), ensure_ascii=False, indent=2) + "\n"


def _document(report: Report) -> dict[str, Any]:
    hit_rates = None
    if report.hit_rates is not None:
        hit_rates = {h.agency: hit_rate_values(h) for h in report.hit_rates}
    return {
        "schema": SCHEMA,
        "period": {
            "since": report.since.isoformat(),
            "until": report.until.isoformat(),
            "days": len(report.queries_per_day),
        },
        "totals": asdict(report.totals),
        "queries": {
            "per_agency": {c.key: c.count for c in report.queries_per_agency},
            "per_purpose": {c.key: c.count for c in report.queries_per_purpose},
            "per_day": {d.day.isoformat(): d.count for d in report.queries_per_day},
        },
        "partners": {p.agency: partner_values(p) for p in report.partners},
        "policy_denials": [plain_row(d) for d in report.denials],
        "alerts": [alert_values(a) for a in report.alerts],
        "participants": [plain_row(p) for p in report.participants],
        "log_accesses": [plain_row(a) for a in report.log_accesses],
        "erasures": [plain_row(e) for e in report.erasures],
        "erased_entries": {c.key: c.count for c in report.erased_per_kind},
        "hit_rates": hit_rates,
        "followups": asdict(report.followups),
        "notes": list(report.notes),
        "watches": None
        if report.watches is None
        else {w.agency: watch_values(w) for w in report.watches},
    }


def plain_row(row: Any) -> dict[str, Any]:
    """A row dataclass as a JSON object: times in ISO 8601 UTC, kinds as their names."""
    values = {f.name: getattr(row, f.name) for f in fields(row)}
    return {k: iso_time(v) if isinstance(v, datetime) else v for k, v in values.items()}


def alert_values(row: Alerts) -> dict[str, Any]:
    """One group of fishing alerts as a JSON object: its keys, entries, suppressed, alerts."""
    return plain_row(row) | {"alerts": row.alerts}


def hit_rate_values(h: HitRate) -> dict[str, Any]:
    """One agency's hit rate as a JSON object: its counts and the rate, rounded."""
    values = {k: v for k, v in plain_row(h).items() if k != "agency"}
    return values | {"rate": _ratio(h.rate)}


def partner_values(partner: PartnerAnswers) -> dict[str, Any]:
    """One partner's answers as a JSON object: asked, each status, availability."""
    counts = {str(status): n for status, n in partner.by_status().items()}
    return {"asked": partner.asked, **counts, "availability": _ratio(partner.availability)}


def watch_values(w: WatchFigures) -> dict[str, Any]:
    """One agency's standing watches as a JSON object (docs/watches.md, "Audit")."""
    return {
        "live": w.live,
        "live_per_case": {c.case_id: c.live for c in w.live_per_case},
        "registered": w.registered,
        "reruns": w.reruns,
        "new_hits": w.new_hits,
    }
