"""Turning forms into domain requests and domain results into what a person reads."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from liaison.core.errors import InvalidInput
from liaison.core.query import Justification
from liaison.core.records import KeyStrength, Record
from liaison.crypto.directory_entry import ContactPoint
from liaison.node.input_files import PARSED_FORMATS, parse_bytes
from liaison.node.model import MatchResult
from liaison.web.context import Form, form_text

#: What each strength means to the person who reads a hit.
STRENGTH_WORDS: Final[Mapping[str, str]] = {
    KeyStrength.EXACT.value: "exact: an identifier (document, number) is the same",
    KeyStrength.STRONG.value: "strong: full name and date of birth agree",
    KeyStrength.FUZZY.value: "fuzzy: a similar name only; confirm before acting",
}


def strength_words(strength: str) -> str:
    """The strength of a hit in words."""
    return STRENGTH_WORDS.get(strength, strength)


def justification(form: Form) -> Justification:
    """The case, purpose and legal basis of a form; the node fills in the investigator.

    Raises:
        InvalidInput: one of them is blank (said before any key is derived).
    """
    why = Justification(
        case_id=form_text(form, "case_id"),
        purpose=form_text(form, "purpose"),
        legal_basis=form_text(form, "legal_basis"),
        investigator_id="",
    )
    for name in ("case_id", "purpose", "legal_basis"):
        if not getattr(why, name):
            raise InvalidInput(f"{name.replace('_', ' ')} is required")
    return why


def form_records(form: Form) -> list[Record]:
    """The rows of a form: an uploaded file (CSV, JSON Lines or FtM) or typed CSV text.

    Raises:
        InvalidInput: neither given, an unknown format, or invalid rows.
    """
    fmt = form_text(form, "format") or "csv"
    if fmt not in PARSED_FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(PARSED_FORMATS)}")
    if "file" in form.files:
        filename, data = form.files["file"]
        return parse_bytes(data, fmt, filename)
    typed = form_text(form, "rows")
    if not typed:
        raise InvalidInput("upload a file or type the identifiers (CSV with its header line)")
    return parse_bytes(typed.encode("utf-8"), "csv", "typed rows")


def json_records(rows: object) -> list[Record]:
    """The rows of an API request: JSON objects as in a JSON Lines input file.

    Raises:
        InvalidInput: not a non-empty list of objects, or invalid rows.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput("identities must be a non-empty list of objects")
    lines = "\n".join(json.dumps(r) for r in rows) + "\n"
    return parse_bytes(lines.encode("utf-8"), "jsonl", "identities")


@dataclass(frozen=True, slots=True)
class HitRow:
    """One line of the result table: an input row that matched one partner dataset."""

    row: int
    ref: str
    agency: str
    dataset: str
    strength: str
    words: str
    keys: str
    #: Whom to contact at the partner about this dataset, in words.
    contact: str


def contact_words(contact: ContactPoint | None, agency: str) -> str:
    """Whom to contact, on one line: the signed directory's contact point of that dataset."""
    if contact is None:
        return f"{agency} published no contact point; ask through a follow-up"
    parts = [contact.unit, contact.role, contact.phone, contact.email, contact.hours]
    if contact.languages:
        parts.append("languages " + ", ".join(contact.languages))
    return " · ".join(p for p in parts if p)


def hit_rows(result: MatchResult, refs: Sequence[str]) -> list[HitRow]:
    """Every hit of a result, by input row then partner."""
    found: dict[int, list[HitRow]] = defaultdict(list)
    for partner in result.results:
        for hit in partner.hits:
            found[hit.row].append(
                HitRow(
                    hit.row,
                    refs[hit.row] if hit.row < len(refs) else hit.ref,
                    partner.agency,
                    partner.dataset,
                    hit.strength.value,
                    strength_words(hit.strength.value),
                    ", ".join(hit.keys),
                    contact_words(partner.contact, partner.agency),
                )
            )
    return [h for row in sorted(found) for h in sorted(found[row], key=lambda h: h.agency)]


def result_json(result: MatchResult) -> dict[str, Any]:
    """The API's JSON of a match result (the CLI's ``--json`` schema, strength in words)."""
    return {
        "query_id": result.query_id,
        "state": "done",
        "key_count": result.key_count,
        "count_only": result.count_only,
        "results": [
            {
                "agency": r.agency,
                "dataset": r.dataset,
                "status": r.status.value,
                "reason": r.reason,
                "filter_version": r.filter_version,
                "match_count": r.match_count,
                "contact": contact_words(r.contact, r.agency) if r.hits else None,
                "hits": [
                    {
                        "row": h.row,
                        "ref": h.ref,
                        "keys": list(h.keys),
                        "strength": h.strength.value,
                        "strength_words": strength_words(h.strength.value),
                    }
                    for h in r.hits
                ],
            }
            for r in result.results
        ],
    }
