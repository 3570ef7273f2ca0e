"""Okapi's Trados-compatibility gold: TradosTest.html segmented with tradosSegmentation.srx.

Text units are the HTML block elements (title, headings, paragraphs) with
whitespace collapsed, as Okapi's HTML filter extracts them. Okapi renumbers
inline codes (``<1>one!</1>``); here inline markup is dropped on both sides,
so a gold line is compared with its codes removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from lxml import html

from pipeline.segment import load_rules, segment_text

TRADOS = Path(__file__).resolve().parents[1] / "data" / "segmentation" / "okapi-trados"
_BLOCKS = ("title", "h1", "h2", "p")


def text_units(path: Path) -> list[str]:
    tree = html.parse(str(path))
    units = (" ".join(e.text_content().split()) for e in tree.iter(*_BLOCKS))
    return [u for u in units if u]


def gold_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [regex.sub(r"</?\d+>", "", line) for line in lines if line.strip()]


def segmented(name: str) -> list[str]:
    rules = load_rules(TRADOS / "tradosSegmentation.srx")
    return [s.text for unit in text_units(TRADOS / f"{name}.html") for s in segment_text(unit, "en", rules)]


def test_trados_gold_matches_line_by_line() -> None:
    got = segmented("TradosTest")
    gold = gold_lines(TRADOS / "TradosTest.tmx.txt")
    assert got == gold


@pytest.mark.xfail(
    strict=True,
    reason="the Issues gold keeps 'Here too. Dr. Holmes' together, against its own SRX break rule; "
    "no Okapi test reads this pair either",
)
def test_trados_issues_pair() -> None:
    got = segmented("TradosTestIssues")
    gold = gold_lines(TRADOS / "TradosTestIssues.tmx.txt")
    assert got[: len(gold)] == gold
