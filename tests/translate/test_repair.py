from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numbers.numerals import chinese_value
from pipeline.numbers.style import chinese_numerals
from pipeline.glossary import TermMatcher
from pipeline.model import Rendering, Term
from pipeline.translate.repair import repair


@pytest.mark.parametrize(
    ("new", "old", "target", "expected"),
    [
        ("The group held its tenth meeting today.", "The group held its ninth meeting today.",
         "小組今日舉行第九次會議。", "小組今日舉行第十次會議。"),
        ("The bond raised $2 billion.", "The bond raised $1.5 billion.", "債券集資15億元。", "債券集資20億元。"),
        ("The Fund approved $25 million on January 23, 2026.", "The Fund approved $24.4 million on January 22, 2026.",
         "基金於二○二六年一月二十二日批出2,440萬元。", "基金於二○二六年一月二十三日批出2,500萬元。"),
        ("Exports rose 4.5 per cent.", "Exports rose 3.5 per cent.", "出口上升百分之三點五。", "出口上升百分之四點五。"),
        ("Exports rose 4.5 per cent.", "Exports rose 3.5 per cent.", "出口上升3.5%。", "出口上升4.5%。"),
        ("The 2027 plan has 1,250 places.", "The 2026 plan has 1,200 places.", "二○二六年計劃有1,200個名額。",
         "二○二七年計劃有1,250個名額。"),
    ],
)
def test_numbers_and_dates_are_rewritten_in_the_translators_style(new: str, old: str, target: str, expected: str) -> None:
    assert repair(new, old, target) == expected


def test_glossary_terms_are_swapped_for_their_renderings() -> None:
    def term(en: str, zh: str) -> Term:
        return Term((("en", Rendering(en)), ("zh-Hant-HK", Rendering(zh))))

    terms = TermMatcher([term("credit market", "信貸市場"), term("capital market", "資本市場")], "en", "zh-Hant-HK")
    assert repair("They discussed the capital market.", "They discussed the credit market.", "他們討論信貸市場。",
                  terms=terms) == "他們討論資本市場。"


@pytest.mark.parametrize(
    ("new", "old", "target"),
    [
        ("The group held its tenth meeting in Foshan today.", "The group held its ninth meeting today.", "小組今日舉行第九次會議。"),
        ("The group held its ninth meeting today.", "The group held its ninth meeting today.", "小組今日舉行第九次會議。"),
        ("Nine members met nine times.", "Eight members met nine times.", "九名成員開會九次。"),
        ("The group held its tenth meeting today.", "The group held its ninth meeting today.", "小組今日開會。"),
    ],
)
def test_anything_else_is_no_repair(new: str, old: str, target: str) -> None:
    assert repair(new, old, target) is None


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_numerals_read_back(number: int) -> None:
    written = chinese_numerals(Decimal(number))
    assert written is not None and chinese_value(written) == number
