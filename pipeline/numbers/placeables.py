"""Sentence → its placeables: the spans a translation carries over by value, not by wording.

Numbers, amounts, percentages, ordinals, times, dates (a weekday, month, day
and year written together are one date: ``Thursday, November 13, 2025``,
``二○二五年十一月十三日（星期四）``), durations and other counted units
(``40 days``, ``三個月``), URLs, e-mail addresses, codes (``02GB2711001``) and
glossary terms. A number after a word that gives it its sign (``up 0.1``,
``下降零點一``) is a signed change: the word is part of the placeable, and
flipping the sign flips the word to its opposite (``SIGNS``). Two sentences that differ only in placeables have the same
*masked* tokens (each placeable one token, its kind), which is what the
memory's leverage compares; the values then say what to rewrite.

>>> [(p.kind, p.text) for p in find_placeables("On Thursday, November 13, 2025 the index was 104.4, see www.hkma.gov.hk.", "en")]
[('date', 'Thursday, November 13, 2025'), ('number', '104.4'), ('url', 'www.hkma.gov.hk')]
>>> [(p.kind, p.text) for p in find_placeables("二○二五年十一月十三日（星期四）監禁四十日", "zh-Hant-HK")]
[('date', '二○二五年十一月十三日（星期四）'), ('duration', '四十日')]
>>> [t.text for t in masked_tokens("It was 3.5 per cent in March.", "en")]
['it', 'was', '\\x00percent', 'in', '\\x00date', '.']
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
import unicodedata
from dataclasses import dataclass

from .read import URL, Quantity, chinese_numbers, code_matches, english_numbers

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher

PlaceableKind = t.Literal["date", "time", "number", "money", "percent", "ordinal", "duration", "url", "email", "code",
                          "term"]
DATE_PARTS = ("year", "month", "day", "weekday")

_KINDS: dict[str, PlaceableKind] = {"time": "time", "clock": "time", "money": "money", "percent": "percent",
                                    "ordinal": "ordinal"}
_DATE_GLUE = re.compile(r"[\s,，]*(?:年|月份?|日|號)?[\s,，]*[（(]?\s*")
_DATE_END = {"year": "年", "month": "月", "day": "日號"}
_EN_UNIT = re.compile(r"[\s-]?(day|week|month|year|hour|minute)s?\b(?!-old)'?", re.I)
_ZH_UNIT = re.compile(r"\s?(個?(?:月|星期|小時)|日|天|週|周|年|分鐘)")
_ZH_UNITS = {"月": "month", "星期": "week", "小時": "hour", "日": "day", "天": "day", "週": "week", "周": "week",
             "年": "year", "分鐘": "minute"}
# Words that give the number after them a sign, with the word for the other sign.
SIGNS = {"en": {"up": "down", "rose": "fell", "rise": "fall", "rises": "falls", "increased": "decreased",
                "increase": "decrease", "increases": "decreases"},
         "zh": {"上升": "下降", "上漲": "下跌", "增加": "減少", "上揚": "下挫", "回升": "回落"}}
SIGNS = {language: {**words, **{other: word for word, other in words.items()}} for language, words in SIGNS.items()}
_POSITIVE = {*SIGNS["en"], *SIGNS["zh"]} - {"down", "fell", "fall", "falls", "decreased", "decrease", "decreases",
                                             "下降", "下跌", "減少", "下挫", "回落"}
_EN_SIGN = re.compile(rf"\b(?P<word>{'|'.join(SIGNS['en'])})(?:\s+by)?\s+$", re.I)
_ZH_SIGN = re.compile(rf"(?P<word>{'|'.join(SIGNS['zh'])})了?\s?$")
_EN_TOKEN = re.compile(r"\w+|[^\w\s]")
_ZH_TOKEN = re.compile(r"[A-Za-z0-9]+|\S")


@dataclass(frozen=True, slots=True)
class Placeable:
    """A span of a sentence that says a value: its kind, where it is, and the values it says.

    ``parts`` are the numbers read in it (a date's year, month, day and
    weekday; a duration's count); ``unit`` is a duration's (``day``,
    ``week``, ``month``, ``year``, ``hour``, ``minute``); ``term`` a glossary
    term's index; ``sign`` is 1 or -1 for a signed change (``up 0.1``), the
    sign word starting the span.
    """

    kind: PlaceableKind
    start: int
    end: int
    text: str
    parts: tuple[Quantity, ...] = ()
    unit: str = ""
    term: int = -1
    sign: int = 0

    @property
    def value(self) -> cabc.Hashable:
        """What two placeables must share to say the same thing, in either language."""
        if self.kind == "date":
            return frozenset((q.kind, q.value) for q in self.parts)
        if self.kind in ("url", "email", "code"):
            return self.text
        if self.kind == "term":
            return self.term
        quantity = self.parts[0]
        return (self.kind, quantity.value, self.unit, self.sign)

    def date_part(self, kind: str) -> Quantity | None:
        return next((q for q in self.parts if q.kind == kind), None)


@dataclass(frozen=True, slots=True)
class Token:
    """A token of a sentence as leverage compares it: a folded word or character, or a placeable's kind."""

    text: str
    start: int
    end: int
    placeable: Placeable | None = None


def find_placeables(text: str, language: str, terms: TermMatcher | None = None) -> list[Placeable]:
    """The placeables of ``text`` in ``language`` (BCP 47), in text order, none overlapping."""
    chinese = _chinese(language)
    found = _dates_and_counts(text, chinese_numbers(text) if chinese else english_numbers(text), chinese)
    for match in URL.finditer(text):
        kind: PlaceableKind = "email" if "@" in match.group() and "/" not in match.group() else "url"
        found.append(Placeable(kind, match.start(), match.end(), match.group()))
    found += [Placeable("code", match.start(), match.end(), match.group()) for match in code_matches(text)]
    if terms is not None:
        found += [Placeable("term", hit.start, hit.end, hit.text, term=hit.index) for hit in terms.find(text)]
    chosen: list[Placeable] = []
    for placeable in sorted(found, key=lambda p: (p.start, -(p.end - p.start))):
        if not chosen or placeable.start >= chosen[-1].end:
            chosen.append(placeable)
        elif placeable.kind not in ("url", "email", "code", "term") and chosen[-1].kind == "term":
            chosen[-1] = placeable  # a number inside a term is the number (a code is read first anyway)
    return chosen


def masked_tokens(text: str, language: str, placeables: cabc.Sequence[Placeable] | None = None,
                  terms: TermMatcher | None = None) -> list[Token]:  # fmt: skip
    """The tokens leverage compares: words (characters in Chinese), NFKC and case folded, each placeable one token."""
    if placeables is None:
        placeables = find_placeables(text, language, terms)
    pattern = _ZH_TOKEN if _chinese(language) else _EN_TOKEN
    out: list[Token] = []
    at = 0
    for placeable in [*placeables, None]:
        stop = len(text) if placeable is None else placeable.start
        for match in pattern.finditer(text, at, stop):
            out.append(Token(unicodedata.normalize("NFKC", match.group()).casefold(), match.start(), match.end()))
        if placeable is not None:
            signed = "±" if placeable.sign else ""
            out.append(Token(f"\0{placeable.kind}{signed}", placeable.start, placeable.end, placeable))
            at = placeable.end
    return out


def _dates_and_counts(text: str, quantities: list[Quantity], chinese: bool) -> list[Placeable]:
    """Quantities → placeables: date parts written together become one date, a count with its unit a duration."""
    out: list[Placeable] = []
    group: list[Quantity] = []

    def close() -> None:
        if group:
            end = group[-1].end
            suffix = _DATE_END.get(group[-1].kind, "")
            if suffix and chinese and end < len(text) and text[end] in suffix:
                end += 1
            opened = text[group[0].start:end]
            closing = text[end:end + 1]
            if closing in (")", "）") and opened.count({")": "(", "）": "（"}[closing]) > opened.count(closing):
                end += 1  # November 20 (Thursday): the bracket the date opened
            out.append(Placeable("date", group[0].start, end, text[group[0].start:end], tuple(group)))
            group.clear()

    for quantity in quantities:
        if quantity.kind in DATE_PARTS:
            joined = group and _DATE_GLUE.fullmatch(text, group[-1].end, quantity.start) \
                and all(q.kind != quantity.kind for q in group)
            if not joined:
                close()
            group.append(quantity)
            continue
        close()
        unit = (_ZH_UNIT if chinese else _EN_UNIT).match(text, quantity.end) if quantity.kind == "number" else None
        if unit:
            name = _ZH_UNITS[unit.group(1).lstrip("個")] if chinese else unit.group(1).lower()
            out.append(Placeable("duration", quantity.start, unit.end(), text[quantity.start:unit.end()], (quantity,), name))
        else:
            kind = _KINDS.get(quantity.kind, "number")
            signed = (_ZH_SIGN if chinese else _EN_SIGN).search(text, 0, quantity.start) \
                if kind in ("number", "percent", "money") else None
            start = signed.start() if signed else quantity.start
            sign = (1 if signed["word"].lower() in _POSITIVE else -1) if signed else 0
            out.append(Placeable(kind, start, quantity.end, text[start:quantity.end], (quantity,), sign=sign))
    close()
    return out


def _chinese(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() == "zh"
