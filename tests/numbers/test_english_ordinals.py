"""English ordinals and dates written by Duet in the zh → en direction (issue 13: ``the 24rd batch``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numbers.read import english_numbers
from pipeline.numbers.style import ordinal_suffix, rewrite
from pipeline.translate.repair import plan_repair


@pytest.mark.parametrize(("number", "written"), [
    (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
    (22, "22nd"), (23, "23rd"), (24, "24th"), (101, "101st"), (102, "102nd"), (111, "111th"), (112, "112th"),
    (113, "113th"), (121, "121st"), (1001, "1001st"),
])
def test_ordinal_suffixes(number: int, written: str) -> None:
    assert f"{number}{ordinal_suffix(number)}" == written


@given(new=st.integers(min_value=1, max_value=10_000), kind=st.sampled_from(["ordinal", "day", "number"]))
def test_a_rewritten_ordinal_reads_back_as_its_value_with_its_own_suffix(new: int, kind: str) -> None:
    written = rewrite("23rd", Decimal(23), Decimal(new), kind, "en")
    assert written == f"{new}{ordinal_suffix(new)}"
    [read] = english_numbers(f"the {written} batch")
    assert (read.value, read.kind) == (new, "ordinal")


@pytest.mark.parametrize(("chinese", "english"), [
    ("第十一批", "the 11th batch"), ("第十二批", "the 12th batch"), ("第十三批", "the 13th batch"),
    ("第二十一批", "the 21st batch"), ("第二十二批", "the 22nd batch"), ("第二十四批", "the 24th batch"),
    ("第一百零一批", "the 101st batch"), ("第一百一十一批", "the 111th batch"),
])
def test_a_chinese_ordinal_repairs_an_english_translation(chinese: str, english: str) -> None:
    done = plan_repair(f"食物安全中心已檢驗{chinese}樣本。", "食物安全中心已檢驗第二十三批樣本。",
                       "The CFS has tested the 23rd batch of samples.", source_language="zh-Hant-HK", target_language="en")
    assert done.complete and done.target == f"The CFS has tested {english} of samples."


@pytest.mark.parametrize(("chinese", "english"), [
    ("一月二十一日", "January 21st"), ("一月二十二日", "January 22nd"), ("二月十三日", "February 13th"),
])
def test_a_day_written_as_an_ordinal_keeps_a_fitting_suffix(chinese: str, english: str) -> None:
    done = plan_repair(f"會議於{chinese}舉行。", "會議於一月二十三日舉行。", "The meeting is held on January 23rd.",
                       source_language="zh-Hant-HK", target_language="en")
    assert done.complete and done.target == f"The meeting is held on {english}."


def test_a_date_repaired_in_the_governments_english_order() -> None:
    done = plan_repair("二○二六年一月二十二日（星期四）的指數", "二○二五年十一月十三日（星期四）的指數",
                       "the index on Thursday, November 13, 2025", source_language="zh-Hant-HK", target_language="en")
    assert done.complete and done.target == "the index on Thursday, January 22, 2026"
