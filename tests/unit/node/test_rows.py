"""One row checked into a Record: the key spec vectors and a single row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from liaison.core.errors import InvalidInput
from liaison.core.records import Record
from liaison.crypto.keys import derive_keys
from liaison.node.rows import record_from_mapping

VECTORS_PATH = Path(__file__).parents[2] / "data" / "keyspec_v1_vectors.json"


def test_identity_from_mapping_validates_one_row() -> None:
    assert record_from_mapping({"ref": " r1 ", "email": "a@x.fr"}, 7) == Record(
        ref="r1", emails=("a@x.fr",)
    )
    with pytest.raises(InvalidInput, match=r"line 7: email: not an e-mail address"):
        record_from_mapping({"ref": "r1", "email": "nobody"}, 7)


# Vectors whose values the parser refuses (they yield no key for a reason the
# user can fix); every other vector must parse to exactly the vector's keys.
# v06, a document number without any country, is accepted: it gives an
# identifier key (number only), not a v1 key.
REJECTED_VECTORS = {"v05", "v26", "v31", "v32", "v33", "v36", "v39", "v45", "v49", "v51"}


def test_parser_agrees_with_the_key_spec_vectors() -> None:
    vectors: list[dict[str, Any]] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    rejected = set()
    for number, vector in enumerate(vectors, start=1):
        try:
            identity = record_from_mapping(vector["identity"], number)
        except InvalidInput:
            rejected.add(vector["identity"]["ref"])
            continue
        keys = [{"kind": key.kind.value, "value": key.value} for key in derive_keys(identity)]
        assert keys == vector["keys"], vector["description"]

    assert rejected == REJECTED_VECTORS
