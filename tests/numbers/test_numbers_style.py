"""A value written the way the translator wrote the old one, in both languages; read back by the number grammar."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numbers.read import chinese_numbers, english_numbers
from pipeline.numbers.style import ordinal_suffix, rewrite

D = Decimal


@pytest.mark.parametrize(
    ("written", "old", "new", "kind", "language", "expected"),
    [
        ("二○二五", D(2025), D(2026), "year", "zh", "二○二六"),
        ("二零二五", D(2025), D(2026), "year", "zh", "二零二六"),
        ("2025", D(2025), D(2026), "year", "zh", "2026"),
        ("十一", D(11), D(1), "month", "zh", "一"),
        ("一百零四點四", D("104.4"), D("102.8"), "number", "zh", "一百零二點八"),
        ("78,300", D(78300), D(119900), "money", "zh", "119,900"),
        ("179 919", D(179919), D(198394), "number", "zh", "198 394"),
        ("12.5億", D(1250000000), D(1500000000), "money", "zh", "15億"),
        ("2,440萬", D(24400000), D(25000000), "money", "zh", "2,500萬"),
        ("四千", D(4000), D(5000), "money", "zh", "五千"),
        ("百分之三點五", D("3.5"), D("4.5"), "percent", "zh", "百分之四點五"),
        ("1.660", D("1.66"), D("1.7"), "percent", "zh", "1.700"),
        ("第九", D(9), D(10), "ordinal", "zh", "第十"),
        ("星期四", D(4), D(7), "weekday", "zh", "星期日"),
        ("下午三時三十分", Fraction(31, 2), Fraction(21, 2), "time", "zh", "上午十時三十分"),
        ("$24.4 million", D(24400000), D(25000000), "money", "en", "$25 million"),
        ("$78,300", D(78300), D(119900), "money", "en", "$119,900"),
        ("three", D(3), D(7), "number", "en", "seven"),
        ("three", D(3), D(12), "number", "en", "12"),
        ("23rd", D(23), D(24), "ordinal", "en", "24th"),
        ("ninth", D(9), D(10), "ordinal", "en", "tenth"),
        ("ninth", D(9), D(21), "ordinal", "en", "21st"),
        ("November", D(11), D(1), "month", "en", "January"),
        ("Sept.", D(9), D(10), "month", "en", "Oct."),
        ("Thursday", D(4), D(5), "weekday", "en", "Friday"),
        ("3.30pm", Fraction(31, 2), Fraction(21, 2), "time", "en", "10.30am"),
    ],
)
def test_the_new_value_is_written_as_the_old_one_was(written: str, old: D | Fraction, new: D | Fraction, kind: str,
                                                      language: str, expected: str) -> None:  # fmt: skip
    assert rewrite(written, old, new, kind, language) == expected


@given(st.integers(1, 10**6))
def test_english_ordinals_take_the_suffix_their_value_needs(number: int) -> None:
    written = rewrite("23rd", D(23), D(number), "ordinal", "en")
    assert written == f"{number}{ordinal_suffix(number)}"
    [read] = english_numbers(f"the {written} batch")
    assert (read.value, read.kind) == (number, "ordinal")


@given(st.integers(1, 10**9), st.sampled_from(["一百零四點四", "78,300", "179 919", "二千四百四十萬"]))
def test_chinese_renderings_read_back_as_the_new_value(number: int, like: str) -> None:
    old = chinese_numbers(like)[0].value
    written = rewrite(like, old, D(number), "number", "zh")
    if written is not None:
        assert [q.value for q in chinese_numbers(f"共{written}個")] == [number]
