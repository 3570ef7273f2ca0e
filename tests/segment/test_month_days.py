"""A month abbreviation before a day number is a date, also when the day ends the sentence (issue 13)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import segment_document

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")


def texts(text: str) -> list[str]:
    return [segment.text for segment in segment_document(text, "en")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The exhibition runs until Dec. 31. Admission is free.",
     ["The exhibition runs until Dec. 31.", "Admission is free."]),
    ("Applications close on Sept. 30. Late entries will not be accepted.",
     ["Applications close on Sept. 30.", "Late entries will not be accepted."]),
    ("The office is closed (Dec. 25). It reopens on Dec. 27.", ["The office is closed (Dec. 25).", "It reopens on Dec. 27."]),
    ("Held on Sep. 9. (See below.)", ["Held on Sep. 9.", "(See below.)"]),
    ("It opens on Jan. 5 at noon. Tickets are free.", ["It opens on Jan. 5 at noon.", "Tickets are free."]),
    ("Due by Nov. 30, 2026. Send it.", ["Due by Nov. 30, 2026.", "Send it."]),
])  # fmt: skip
def test_a_date_ending_a_sentence(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@settings(max_examples=200)
@given(st.sampled_from(MONTHS), st.integers(1, 31), st.sampled_from(["Admission", "The", "Late", "It", "(See"]))
def test_a_sentence_ends_after_the_day_never_after_the_month(month: str, day: int, word: str) -> None:
    first = f"The fair runs until {month}. {day}."
    assert texts(f"{first} {word} more later.") == [first, f"{word} more later."]


@pytest.mark.parametrize(("text", "expected"), [
    ("Results: 1. Mr Chan won. 2. Ms Lee lost.", ["Results: 1. Mr Chan won.", "2. Ms Lee lost."]),
    ("Key dates: 1. Jan. 20 registration 2. Feb. 3 closing.", ["Key dates: 1. Jan. 20 registration", "2. Feb. 3 closing."]),
    ("It ended in Dec.\n2. Next item here.", ["It ended in Dec.", "2. Next item here."]),
])  # fmt: skip
def test_real_lists_keep_their_items(text: str, expected: list[str]) -> None:
    assert texts(text) == expected
