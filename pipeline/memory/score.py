"""A candidate unit → a ``Match``: its kind, its similarity and the penalties that lower its score.

Kinds rank first (after Okapi's match lattice and memoQ's context matches):
``in-context`` (same source, same previous and next segment) > ``exact`` >
``normalized`` (equal after NFKC, punctuation width, case and whitespace
folding) > ``fuzzy``. Within a kind, matches rank by score, then by status
(approved > fuzzy > imported), then by origin, so the order never depends on
the order units were stored in.

The score is the similarity (0-100) less named penalties:

- ``numbers``: 2 points per number the query and the candidate source do not
  share (a changed number counts once), at most 10. Both texts are in the
  same language, so a light reading is enough and fast enough to run on
  every candidate (``pipeline.numbers.read`` takes about 0.3 ms a
  sentence): digit runs as values (``1,000`` is ``1000``; ``15億`` is
  ``1500000000``, as is ``十五億``), runs of Chinese numerals as values,
  English number words, ordinals, months and weekdays as words;
- ``glossary``: 3 points per glossary term found in only one of the query and
  the candidate source, at most 15 (when a term matcher is given);
- ``provenance``: 5 points for a unit marked fuzzy, 2 for an imported (TMX)
  unit, none for an approved PO translation.

>>> number_penalty("The index is 102.8 on January 22", "The index is 102.9 on January 21", "en")
4.0
>>> number_penalty("成交額為15億元", "成交額為十五億元", "zh-Hant-HK")
0.0
"""

from __future__ import annotations

import collections
import functools
import re
import typing as t
import unicodedata
from decimal import Decimal

from ..glossary.matcher import TermMatcher
from ..model import Match, MatchKind
from ..numbers.numerals import (
    DECIMAL_POINTS,
    ENGLISH_ORDINALS,
    ENGLISH_SCALES,
    ENGLISH_TENS,
    ENGLISH_UNITS,
    NUMERAL_CHARS,
    chinese_value,
)
from .text import family

KIND_RANK: dict[str, int] = {"in-context": 0, "exact": 1, "normalized": 2, "repaired": 3, "fuzzy": 4, "mt": 5}
STATUS_RANK: dict[str, int] = {"approved": 0, "fuzzy": 1, "imported": 2, "mt": 3}
PROVENANCE: dict[str, float] = {"approved": 0.0, "fuzzy": 5.0, "imported": 2.0}
PER_NUMBER, MAX_NUMBERS = 2.0, 10.0
PER_TERM, MAX_TERMS = 3.0, 15.0


_DIGITS = r"\d[\d,]*(?:\.\d+)?"
_EN_WORDS = sorted([*ENGLISH_UNITS, *ENGLISH_TENS, *ENGLISH_SCALES, *ENGLISH_ORDINALS, "january", "february", "march",
                    "april", "june", "july", "august", "september", "october", "november", "december", "monday",
                    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], key=len, reverse=True)
_EN_NUMBER = re.compile(rf"(?<![\w.]){_DIGITS}|[A-Za-z]+")
_EN_WORD_SET = frozenset(_EN_WORDS)
_ZH_NUMBER = re.compile(rf"(?<![\d.]){_DIGITS}[萬万億亿]?|[{NUMERAL_CHARS}{DECIMAL_POINTS}]+")
_MYRIAD = {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8}


def _value(number: str, chinese: bool) -> str:
    """A number as written → a canonical form: the value where one can be read, else the folded text."""
    if number[:1].isdigit():
        scale = _MYRIAD.get(number[-1], 1)
        try:
            return format((Decimal(number.rstrip("萬万億亿").replace(",", "")) * scale).normalize(), "f")
        except ArithmeticError:
            return number
    if chinese:
        value = chinese_value(number)
        return number if value is None else format(value.normalize(), "f")
    return number.lower()


@functools.lru_cache(maxsize=4096)
def _numbers(text: str, chinese: bool) -> collections.Counter[str]:
    """
    >>> sorted(_numbers("HK$1,000.50 on the fifth of May, twenty", False).items())
    [('1000.5', 1), ('fifth', 1), ('twenty', 1)]
    """
    folded = unicodedata.normalize("NFKC", text)
    if chinese:
        return collections.Counter(_value(number, True) for number in _ZH_NUMBER.findall(folded))
    return collections.Counter(_value(word, False) for word in _EN_NUMBER.findall(folded)
                               if word[0].isdigit() or word.lower() in _EN_WORD_SET)


def number_penalty(query: str, source: str, language: str) -> float:
    """Points off for the numbers that differ between two texts in ``language``."""
    chinese = family(language) == "c"
    ours, theirs = _numbers(query, chinese), _numbers(source, chinese)
    if ours == theirs:
        return 0.0
    differing = max(sum((ours - theirs).values()), sum((theirs - ours).values()))
    return min(PER_NUMBER * differing, MAX_NUMBERS)


def term_penalty(query_terms: frozenset[int], source: str, terms: TermMatcher) -> float:
    """Points off for the glossary terms (by index) found in only one of the query and ``source``."""
    theirs = frozenset(hit.index for hit in terms.find(source))
    return min(PER_TERM * len(query_terms ^ theirs), MAX_TERMS)


def make_match(
    kind: MatchKind,
    similarity: float,
    query: str,
    unit: tuple[str, str, str, str],
    language: str,
    terms: TermMatcher | None,
    query_terms: frozenset[int],
) -> Match:
    """The match for ``unit`` (source, target, status, origin), penalties decomposed."""
    source, target, status, origin = unit
    penalties: list[tuple[str, float]] = []
    if kind not in ("in-context", "exact"):
        if points := number_penalty(query, source, language):
            penalties.append(("numbers", points))
        if terms is not None and (points := term_penalty(query_terms, source, terms)):
            penalties.append(("glossary", points))
    if points := PROVENANCE.get(status, 0.0):
        penalties.append(("provenance", points))
    score = max(0.0, similarity - sum(p for _, p in penalties))
    return Match(source, target, kind, round(score, 2), round(similarity, 2), tuple(penalties), origin, status)


def rank_key(match: Match) -> tuple[t.Any, ...]:
    """Kind, then score (best first), then status, then origin: a total, deterministic order."""
    return (KIND_RANK[match.kind], -match.score, STATUS_RANK.get(match.status, 9), match.origin,
            match.target, match.source)
