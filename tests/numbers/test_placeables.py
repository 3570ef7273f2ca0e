"""Placeables: what a sentence says by value, and the masked tokens leverage compares."""

from __future__ import annotations

import pytest

from pipeline.glossary import TermMatcher
from pipeline.model import Rendering, Term
from pipeline.numbers.placeables import find_placeables, masked_tokens

ZH = "zh-Hant-HK"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The index on Thursday, November 13, 2025 is 104.4 (down 0.1 against yesterday's index).", "en",
         [("date", "Thursday, November 13, 2025"), ("number", "104.4"), ("number", "down 0.1")]),
        ("二○二五年十一月十三日（星期四）的港幣匯率指數為一百零四點四（和昨日指數比較下降零點一）。", ZH,
         [("date", "二○二五年十一月十三日（星期四）"), ("number", "一百零四點四"), ("number", "下降零點一")]),
        ("The talk will be held at 3.30pm on November 20 (Thursday).", "en",
         [("time", "3.30pm"), ("date", "November 20 (Thursday)")]),
        ("A passenger was sentenced to 40 days' imprisonment and fined $4,000.", "en",
         [("duration", "40 days'"), ("money", "$4,000")]),
        ("被判處監禁四十日及罰款四千元，發行編號02GB2711001，電郵crimereport@customs.gov.hk", ZH,
         [("duration", "四十日"), ("money", "四千"), ("code", "02GB2711001"), ("email", "crimereport@customs.gov.hk")]),
        ("Details are on www.cfs.gov.hk/english/index.html, rising 3.5 per cent.", "en",
         [("url", "www.cfs.gov.hk/english/index.html"), ("percent", "3.5 per cent")]),
    ],
)
def test_placeables_by_kind(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.kind, p.text) for p in find_placeables(text, language)] == expected


def test_a_signed_change_carries_its_sign_and_two_sentences_differing_in_placeables_mask_alike() -> None:
    up, down = find_placeables("(up 0.1)", "en")[0], find_placeables("(down 0.1)", "en")[0]
    assert (up.sign, down.sign) == (1, -1) and up.value != down.value
    old = "The index on Thursday, November 13, 2025 is 104.4 (down 0.1 against yesterday's index)."
    new = "The index on Friday, January 23, 2026 is 102.8 (up 0.3 against yesterday's index)."
    assert [t.text for t in masked_tokens(old, "en")] == [t.text for t in masked_tokens(new, "en")]
    assert [t.text for t in masked_tokens(old, "en")] != [t.text for t in masked_tokens(old.replace("index", "rate"), "en")]


def test_glossary_terms_are_placeables_too() -> None:
    terms = TermMatcher([Term((("en", Rendering("Sha Tin")), (ZH, Rendering("沙田"))))], "en", ZH)
    [court] = find_placeables("at the Sha Tin Magistrates' Courts", "en", terms)
    assert (court.kind, court.text, court.term) == ("term", "Sha Tin", 0)
