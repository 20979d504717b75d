"""Shamir shares of a master key: any threshold restore it, fewer or damaged ones do not."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.core.errors import InvalidInput
from liaison.crypto.key_shares import (
    combine_shares,
    share_from_text,
    share_to_text,
    split_key,
)

KEY = bytes(range(32))


def test_any_three_of_five_shares_restore_the_key() -> None:
    shares = split_key(KEY, holder="FR", total=5, threshold=3)
    for chosen in itertools.permutations(shares, 3):
        assert combine_shares(list(chosen)) == KEY
    assert combine_shares(shares) == KEY  # more than the threshold works too


def test_two_of_three_needed_shares_are_refused_naming_the_threshold() -> None:
    shares = split_key(KEY, holder="FR", total=5, threshold=3)
    with pytest.raises(
        InvalidInput, match=r"2 share\(s\) given \(share 1, 4\); this backup needs 3"
    ):
        combine_shares([shares[0], shares[3]])


def test_a_share_says_nothing_alone_and_differs_per_backup() -> None:
    first = split_key(KEY, holder="FR", total=3, threshold=2)
    second = split_key(KEY, holder="FR", total=3, threshold=2)
    assert all(KEY[:16] not in s.data and KEY[16:] not in s.data for s in first)
    assert first[0].data != second[0].data and first[0].backup_id != second[0].backup_id
    with pytest.raises(InvalidInput, match="another backup"):
        combine_shares([first[0], second[1]])


def test_text_round_trip_and_every_block_is_shared() -> None:
    key = os.urandom(32)
    shares = split_key(key, holder="NL", total=4, threshold=2)
    parsed = [share_from_text(share_to_text(s), f"share {s.index}") for s in shares]
    assert parsed == shares
    assert combine_shares([parsed[3], parsed[1]]) == key


def test_a_corrupted_share_is_detected_by_its_checksum() -> None:
    share = split_key(KEY, holder="FR", total=5, threshold=3)[1]
    text = share_to_text(share)
    data_line = next(line for line in text.splitlines() if line.startswith("data: "))
    digit = data_line[6]
    damaged = text.replace(
        data_line, data_line[:6] + ("1" if digit != "1" else "2") + data_line[7:]
    )
    with pytest.raises(InvalidInput, match=r"officer-2\.txt: the share's checksum does not match"):
        share_from_text(damaged, "officer-2.txt")


def test_a_well_formed_wrong_share_is_caught_by_the_key_check() -> None:
    shares = split_key(KEY, holder="FR", total=5, threshold=3)
    forged = dataclasses.replace(shares[2], data=bytes(32))  # checksum recomputed on the fly
    with pytest.raises(InvalidInput, match="do not restore the key"):
        combine_shares([shares[0], shares[1], forged])


def test_the_same_share_twice_is_refused() -> None:
    shares = split_key(KEY, holder="FR", total=5, threshold=3)
    with pytest.raises(InvalidInput, match="twice"):
        combine_shares([shares[0], shares[0], shares[1]])


@pytest.mark.parametrize(("total", "threshold"), [(5, 1), (2, 3), (17, 3), (0, 0)])
def test_counts_out_of_range_are_refused(total: int, threshold: int) -> None:
    with pytest.raises(InvalidInput, match="threshold"):
        split_key(KEY, holder="FR", total=total, threshold=threshold)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no share here",
        "-----BEGIN LIAISON KEY SHARE-----\nversion: 1\n-----END LIAISON KEY SHARE-----",
    ],
)
def test_what_is_not_a_share_is_refused_as_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"x\.txt"):
        share_from_text(text, "x.txt")


@given(st.text(max_size=300))
def test_any_text_in_a_share_block_is_a_share_or_invalid_input(body: str) -> None:
    text = f"-----BEGIN LIAISON KEY SHARE-----\n{body}\n-----END LIAISON KEY SHARE-----"
    with contextlib.suppress(InvalidInput):
        share_from_text(text, "x.txt")
