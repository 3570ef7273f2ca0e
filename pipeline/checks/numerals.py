"""Numerals, read and written: kept importable here for the modules that still import it from ``checks``.

The grammar itself lives in :mod:`pipeline.numbers.numerals`.
"""

from __future__ import annotations

from ..numbers.numerals import (
    CHINESE_DIGITS,
    CHINESE_MYRIADS,
    CHINESE_TENS,
    CHINESE_UNITS,
    DECIMAL_POINTS,
    ENGLISH_ORDINALS,
    ENGLISH_SCALES,
    ENGLISH_TENS,
    ENGLISH_UNITS,
    NUMERAL_CHARS,
    ZEROS,
    chinese_value,
    english_value,
    english_word,
    format_chinese,
    format_english,
    is_digit_string,
)

__all__ = [
    "CHINESE_DIGITS", "CHINESE_MYRIADS", "CHINESE_TENS", "CHINESE_UNITS", "DECIMAL_POINTS", "ENGLISH_ORDINALS",
    "ENGLISH_SCALES", "ENGLISH_TENS", "ENGLISH_UNITS", "NUMERAL_CHARS", "ZEROS", "chinese_value", "english_value",
    "english_word", "format_chinese", "format_english", "is_digit_string",
]
