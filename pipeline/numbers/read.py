"""Text → the numbers it says, as exact values with their kind and place (English and Chinese readers).

Numbers are read as values, not digit strings: ``$24.4 million`` is
``二千四百四十萬元`` is ``2,440萬``, ``January 22, 2026`` is
``二○二六年一月二十二日``, ``ninth`` is ``第九``, ``3.6 per cent`` is ``3.6%``
is ``百分之三點六``. The ``number-mismatch`` check compares what the two sides
of a translation say (``pipeline.checks.numbers``); repair and the memory's
scoring read the same values (``pipeline.numbers.placeables``).

Precision comes first, because professional translations were measured with
it (see ``tests/checks/test_numbers.py``):

- numeral characters inside words are not numbers (進一步, 一直, 統一, 萬一,
  十分, 一帶一路, 九龍), nor are URLs, e-mail addresses and codes (B14, 2A,
  CO2, COVID-19);
- some numbers are *implicit*: either language may leave them unsaid. They are
  the words for one (``one``, ``first``, 一), small numbers written as words
  (``two separate tenders`` ↔ 分別招標), list numbers, the year of a date
  (``January 22`` ↔ 二○二六年一月二十二日) and weekdays. An implicit number
  is reported only when the other side has a different number in its place;
- signs are not read (``-2.6%`` ↔ 下跌2.6%: the words carry the sign),
  nor are approximations with no digits (數百, 兩三, ``dozens``), ``half`` /
  半 / 一半 (減半 is "reduce by half"), ``twice`` / 倍, or ``a dozen``.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import re
import typing as t
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from .footnotes import EN_FOOTNOTE, EN_YEAR_FOOTNOTE, ZH_FOOTNOTE, listed_again
from .numerals import (
    CHINESE_DIGITS,
    CHINESE_MYRIADS,
    CHINESE_UNITS,
    DECIMAL_POINTS,
    ENGLISH_SCALES,
    ENGLISH_TENS,
    ENGLISH_UNITS,
    NUMERAL_CHARS,
    ZEROS,
    chinese_value,
    english_value,
    english_word,
    is_digit_string,
    normal,
)

Kind = t.Literal[
    "number", "ordinal", "percent", "money", "fraction", "times", "year", "month", "day", "weekday", "time", "clock", "list"
]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written in a text: its exact value, what it counts, and where it is.

    ``kind`` says how to read ``value``: a ``percent`` of 3.6 is 3.6%; a
    ``time`` is hours after midnight (15.5 is 3.30pm) and a ``clock`` one whose
    morning or afternoon is not said; a ``weekday`` runs from 1 (Monday) to 7.
    ``implicit`` marks numbers the other language may leave unsaid.
    """

    value: Decimal | Fraction
    kind: Kind
    start: int
    end: int
    text: str
    implicit: bool = False


# Shared by both languages: ASCII numbers, and what is not a number although it has digits.
URL = re.compile(
    r"(?:https?://|www\.)[!-~]*[A-Za-z0-9/]"
    r"|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![A-Za-z0-9.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:hk|com|org|net|gov|edu|top|one|info|io|cn|mo)\b(?:/[!-~]*[A-Za-z0-9/])?"
)
# A code is a digit glued to a capital (B14, 1D, Phase 2A, CO2, 5G) or after one and a hyphen (COVID-19).
_CODE = re.compile(
    r"(?<![A-Za-z])(?!(?:RMB|HKD|USD|MOP|EUR|GBP|JPY|HK|US)\d|Q[1-4]\b)[A-Za-z]+\d[A-Za-z0-9]*"
    r"|(?<![A-Za-z0-9.])\d+(?!AM|PM)[A-Z][A-Za-z0-9]*(?![A-Za-z0-9])|(?:[A-Z]{2,}|CoV|Covid)-\d+"
)
_ARABIC = r"(?:(?<=RMB)|(?<=HKD)|(?<=USD)|(?<=MOP)|(?<=No\.)|(?<![A-Za-z0-9.,]))(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,])|\d+)(?:\.\d+)?(?![\d])"
_RANGE = r"\s*(?:-|–|—|to|and|至|到|/)\s*"


# English ------------------------------------------------------------------------------------------

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = sorted(
    [*ENGLISH_UNITS, *ENGLISH_TENS, *ENGLISH_SCALES, "first", "second", "third", "fourth", "fifth", "sixth",
     "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
     "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth",
     "sixtieth", "seventieth", "eightieth", "ninetieth", "hundredth", "thousandth", "millionth"],
    key=len, reverse=True,
)
_WORD = "(?:" + "|".join(_NUMBER_WORDS) + ")"
_EN_WORDS = re.compile(rf"\b(?:a\s+(?=hundred|thousand|million|billion))?{_WORD}(?:(?:-|\s+|\s+and\s+){_WORD})*\b", re.I)
_EN_SCALE = r"(?:\s?(?P<scale>(?i:thousand|million|billion|trillion))\b|(?P<short>mn|bn|m|b|k)\b)"
_EN_PERCENT = r"(?P<percent>\s?%|\s?per[ -]?cent\b|\s?percent\b|[\s-]?percentage[ -]points?\b)"
_CURRENCY = r"(?P<currency>(?:HK|US|NT|A|C|S|NZ|MOP|RMB)\s?\$|\$|RMB\s?|HKD\s?|USD\s?|€|£|¥)"
_EN_NUMBER = re.compile(rf"{_CURRENCY}?(?P<number>{_ARABIC})(?:{_EN_PERCENT}|{_EN_SCALE}|(?P<ordinal>st|nd|rd|th)\b)?")
_EN_TIME = re.compile(
    r"(?<![\d.])(?P<hour>\d{1,2})(?:[.:](?P<minute>[0-5]\d))?\s?(?P<period>a\.m\.|p\.m\.|am|pm)(?![A-Za-z])"
    r"|\b(?:12\s+)?(?P<noon>noon|midday)\b|\b(?:12\s+)?(?P<midnight>midnight)\b"
    r"|(?<![\d.])(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?![\d])",
    re.I,
)
_EN_MONTH = re.compile(
    r"\b(?P<name>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?",
    re.I,
)
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_EN_WEEKDAY = re.compile(r"\b(?P<name>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_EN_FRACTION = re.compile(
    r"\b(?P<count>a|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?P<part>thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)(?=\s+of\b)",
    re.I,
)
_EN_FRACTION_PARTS = {"third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                      "ninth": 9, "tenth": 10}
# Words with a number in them that say no number in the other language.
_EN_IDIOMS = re.compile(
    r"\bone[\s-]+(?:off|stop|another|by[\s-]+one|to[\s-]+one|way|sided|size)\b|\bno[\s-]one\b|\bone\s+country,?\s+two\s+systems\b"
    r"|\b(?:first|second)[\s-]hand\b|\bat\s+first\b|\bfirst\s+and\s+foremost\b|\bfirst\s+of\s+all\b"
    r"|\b(?:a|per|one|each|every|split|\d+)\s+second\b|\bsecond\s+to\s+none\b|\bone\s+day\b|\bsecond(?=s)"
    r"|\b(?:first|second)\s+half\b"  # the first half (of the year) is 上半年
    r"|\b(?:single|double|triple)-digit\b",
    re.I,
)
_EN_ROMAN = re.compile(
    r"\b(?:Basel|Phase|Grade|Part|Tier|Level|Type|Schedule|Pillar|Stage|Annex|Volume|Article)\s+(?P<roman>VIII|VII|III|II|IV|IX|VI|V|X|I)\b"
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_MAY_CONTEXT = re.compile(r"(?:\b(?:in|of|since|from|until|till|by|early|late|mid|end|last|next|this|to|and|between|before|after|during)\s+|mid-)$", re.I)


# Cheap tests that tell which of the patterns above can match at all, so that a text
# without digits or number words costs a few set look-ups. Under re.I these four
# non-ASCII letters match ASCII ones (K is the Kelvin sign); they are folded first.
_I_FOLD = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")
_LETTERS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_WORD_TOKENS = frozenset(_NUMBER_WORDS)
_TIME_TOKENS = frozenset({"noon", "midday", "midnight"})
_MONTH_TOKENS = frozenset(_MONTH_NAMES.lower().split("|") + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                                                            "oct", "nov", "dec"])
_WEEKDAY_TOKENS = frozenset([*WEEKDAYS, *(day + "s" for day in WEEKDAYS)])
_FRACTION_TOKENS = frozenset([*_EN_FRACTION_PARTS, *(part + "s" for part in _EN_FRACTION_PARTS)])
_IDIOM_TOKENS = frozenset({"one", "first", "digit"})
_TIMES_TOKENS = frozenset({"double", "doubled", "triple", "tripled", "quadruple", "quadrupled"})
_ROMAN_TOKENS = frozenset({"basel", "phase", "grade", "part", "tier", "level", "type", "schedule", "pillar", "stage", "annex",
                           "volume", "article"})
_FIRST_IDIOM_TOKENS = frozenset({"hand", "at", "foremost", "all", "half"})
_ONE_IDIOM_TOKENS = frozenset({"off", "stop", "another", "by", "to", "way", "sided", "size", "no", "country", "day"})
_WORD_STARTS = _WORD_TOKENS | {"a"}
_URL_TLD = re.compile(r"\.(?:hk|com|org|net|gov|edu|top|one|info|io|cn|mo)\b")  # URL's third kind needs one
_EN_NUMBER_START = re.compile(r"[\dHUNACSMR$€£¥]")  # where _EN_NUMBER can begin: a currency or a digit
_CODE_RUN = re.compile(r"[A-Za-z\d-]*")  # what a _CODE match is made of
_EN_Q = re.compile(r"\bQ(?P<n>[1-4])\b")
_EN_FOLD = re.compile(r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)fold\b", re.I)
_EN_DECADE = re.compile(r"\b(?:a|the|past|last|next|this|one|previous)\s+(?P<w>decade)\b", re.I)
_EN_TIMES = re.compile(r"\b(?P<w>doubled?|tripled?|quadrupled?)\b", re.I)
_EN_LAST_QUARTER = re.compile(r"\b(?:final|last|fourth)\s+quarter\b", re.I)
_EN_24_7 = re.compile(r"\b24/7\b")
_DIGIT_AFTER = re.compile(r"\s*\d")
_DIGIT_BEFORE = re.compile(r"\d\s*$")
_LISTED_BEFORE = re.compile(rf"(?:{_MONTH_NAMES}),?\s+(?:and\s+)?$")
_LISTED_AFTER = re.compile(rf",?\s+(?:and\s+)?(?:{_MONTH_NAMES})")
_HEADING_BEFORE = re.compile(r"#*\s*")
_BLANK = re.compile(r"\s*$")
_PERIOD_BEFORE = re.compile(r"\b(?:first|last|past|next|the|these|those|recent|latest)\s+$", re.I)


def _matches_at(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> cabc.Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only the places where ``starts`` (one character) matches.

    For a pattern whose matches are never empty and always begin with a character ``starts``
    matches; lookbehinds and ``\\b`` still see the text before each place.
    """
    pos = 0
    search, match = starts.search, pattern.match
    while (found := search(text, pos)) is not None:
        here = found.start()
        matched = match(text, here)
        if matched is None:
            pos = here + 1
        else:
            yield matched
            pos = matched.end()


def code_matches(text: str) -> cabc.Iterator[re.Match[str]]:
    """``_CODE.finditer(text)``, read only in the runs of letters, digits and hyphens that hold a digit.

    A code is made of such characters and holds a digit, so no match crosses a run's edge;
    each run is read with one character after it, for the lookaheads.
    """
    size = len(text)
    backwards = ""
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        here = digit.start()
        end = _CODE_RUN.match(text, here).end()
        backwards = backwards or text[::-1]
        start = size - _CODE_RUN.match(backwards, size - here).end()
        yield from _CODE.finditer(text, start, min(size, end + 1))
        pos = end


def _english_word_matches(text: str, low: str) -> cabc.Iterator[re.Match[str]]:
    """``_EN_WORDS.finditer(text)``, tried only where a number word or "a" begins.

    ``low`` is ``text`` folded as for the tokens, one character for one.
    """
    if len(low) != len(text):
        yield from _EN_WORDS.finditer(text)
        return
    pos = 0
    for token in _LETTERS.finditer(low):
        here = token.start()
        if here < pos or token.group() not in _WORD_STARTS:
            continue
        matched = _EN_WORDS.match(text, here)
        if matched is not None:
            yield matched
            pos = matched.end()


def _exact(read: cabc.Callable[[str], list[Quantity]]) -> cabc.Callable[[str], list[Quantity]]:
    """Read under a decimal precision that holds the text's longest run of digits, so that no value rounds or traps."""

    @functools.wraps(read)
    def reading(text: str) -> list[Quantity]:
        longest = max(map(len, _DIGIT_RUN.findall(text)), default=0)
        with localcontext(prec=max(28, 2 * longest + 8)):
            return read(text)

    return reading


_DIGIT_RUN = re.compile(r"\d+")


@_exact
def english_numbers(text: str) -> list[Quantity]:
    """The numbers an English text says, in text order.

    >>> [(str(q.value), q.kind) for q in english_numbers("a total grant of around $24.4 million on January 22, 2026")]
    [('24400000', 'money'), ('1', 'month'), ('22', 'day'), ('2026', 'year')]
    >>> [(str(q.value), q.kind) for q in english_numbers("the ninth batch, 3.6 per cent, from 10am to 1pm")]
    [('9', 'ordinal'), ('3.6', 'percent'), ('10', 'time'), ('13', 'time')]
    """
    # Which patterns can match: every name and word they read is a whole run of letters.
    low = (text if text.isascii() else text.translate(_I_FOLD)).lower()
    tokens = set(_LETTERS.findall(low))
    digit = _DIGIT.search(text) is not None
    times = digit or not _TIME_TOKENS.isdisjoint(tokens)
    months = not _MONTH_TOKENS.isdisjoint(tokens)
    weekdays = not _WEEKDAY_TOKENS.isdisjoint(tokens)
    fractions = "of" in tokens and not _FRACTION_TOKENS.isdisjoint(tokens)
    folds = "fold" in low
    decades = "decade" in tokens
    multiples = not _TIMES_TOKENS.isdisjoint(tokens)
    quarters = "quarter" in tokens
    romans = not _ROMAN_TOKENS.isdisjoint(tokens)
    words = not _WORD_TOKENS.isdisjoint(tokens)
    if not (times or months or weekdays or fractions or folds or decades or multiples or quarters or romans or words):
        return []  # digit is in times
    taken = _Spans()
    if "://" in text or "www." in text or "@" in text or _URL_TLD.search(text):
        for match in URL.finditer(text):
            taken.add(match.start(), match.end())
    if digit:
        for match in code_matches(text):
            taken.add(match.start(), match.end())
    if "second" in low or "digit" in tokens or ("first" in tokens and not _FIRST_IDIOM_TOKENS.isdisjoint(tokens)) \
            or ("one" in tokens and not _ONE_IDIOM_TOKENS.isdisjoint(tokens)):
        for match in _EN_IDIOMS.finditer(text):
            taken.add(match.start(), match.end())
    if digit:
        for match in _matches_at(EN_FOOTNOTE, _DIGIT, text):
            taken.add(match.start(), match.end())
    found: list[Quantity] = []

    def keep(start: int, end: int, value: Decimal | Fraction, kind: Kind, implicit: bool = False) -> None:
        if taken.add(start, end):
            found.append(Quantity(value, kind, start, end, text[start:end], implicit))

    if digit:
        for match in EN_YEAR_FOOTNOTE.finditer(text):
            keep(match.start("year"), match.end("year"), Decimal(match["year"]), "number")
            taken.add(match.end("year"), match.end())
    if times:
        for match in _EN_TIME.finditer(text) if not _TIME_TOKENS.isdisjoint(tokens) else _matches_at(_EN_TIME, _DIGIT, text):
            if match["noon"]:
                keep(match.start(), match.end(), Fraction(12), "time")
            elif match["midnight"]:
                keep(match.start(), match.end(), Fraction(0), "time")
            elif match["hh"]:
                hour = int(match["hh"])
                keep(match.start(), match.end(), Fraction(hour * 60 + int(match["mm"]), 60), "time" if hour > 12 else "clock")
            else:
                hour, minute = int(match["hour"]), int(match["minute"] or 0)
                if 1 <= hour <= 12:
                    afternoon = match["period"].lower().startswith("p")
                    keep(match.start(), match.end(), Fraction((hour % 12 + 12 * afternoon) * 60 + minute, 60), "time")
    if months:
        for match in _EN_MONTH.finditer(text):
            _english_month(text, match, keep)
    if weekdays:
        for match in _EN_WEEKDAY.finditer(text):
            keep(match.start(), match.end(), Decimal(WEEKDAYS.index(match["name"].lower()) + 1), "weekday", True)
    if fractions:
        for match in _EN_FRACTION.finditer(text):
            if _PERIOD_BEFORE.search(text[:match.start()]):
                continue  # the first three quarters (of the year) are periods, not a fraction
            count = 1 if match["count"].lower() == "a" else ENGLISH_UNITS[match["count"].lower()]
            part = _EN_FRACTION_PARTS[match["part"].lower().rstrip("s")]
            keep(match.start(), match.end(), Fraction(count, part), "fraction")
    if digit and "Q" in text:
        for match in _EN_Q.finditer(text):
            keep(match.start(), match.end(), Decimal(match["n"]), "ordinal")  # Q4 is 第4季
    if folds:
        for match in _EN_FOLD.finditer(text):
            keep(match.start(), match.end(), Decimal(ENGLISH_UNITS.get(match["n"].lower()) or ENGLISH_TENS.get(
                match["n"].lower()) or 100), "times")  # tenfold is 10倍
    if decades:
        for match in _EN_DECADE.finditer(text):
            keep(match.start("w"), match.end(), Decimal(10), "number", True)  # the past decade is 過去10年
    if multiples:
        for match in _EN_TIMES.finditer(text):
            times_ = {"dou": 2, "tri": 3, "qua": 4}[match["w"][:3].lower()]
            keep(match.start(), match.end(), Decimal(times_), "times", True)  # tripled is 增加兩倍 or 三倍: not checked
    if quarters:
        for match in _EN_LAST_QUARTER.finditer(text):
            keep(match.start(), match.end(), Decimal(4), "ordinal", True)  # the final quarter is 第4季
    if "24/7" in text:
        for match in _EN_24_7.finditer(text):
            keep(match.start(), match.end(), Decimal(24), "number")  # round the clock: 24小時
    if romans:
        for match in _EN_ROMAN.finditer(text):
            keep(match.start("roman"), match.end(), Decimal(_ROMAN[match["roman"]]), "number", True)
    if digit:
        for match in _matches_at(_EN_NUMBER, _EN_NUMBER_START, text):
            _english_number(match, keep)
    if words:
        for match in _english_word_matches(text, low):
            _english_words(text, match, keep)
    found.sort(key=lambda q: q.start)
    return _english_context(text, found)


def _english_month(text: str, match: re.Match[str], keep: cabc.Callable[..., None]) -> None:
    name, lower = match["name"], match["name"].lower()
    full = lower in MONTHS
    near_number = bool(_DIGIT_AFTER.match(text, match.end()) or _DIGIT_BEFORE.search(text[:match.start()]))
    if name.islower() and (lower in ("may", "march") or not full):
        return  # "november 2016" is a typo worth reading; "may" and "march" are verbs
    listed = _LISTED_BEFORE.search(text[:match.start()]) or _LISTED_AFTER.match(text, match.end())  # April, May and August
    heading = _HEADING_BEFORE.fullmatch(text[:match.start()].rpartition("\n")[2]) and _BLANK.match(text, match.end())
    may = name.isupper() or _MAY_CONTEXT.search(text[:match.start()]) or listed or heading  # "# MAY", "# Feb"
    if not near_number and not heading and (not full or (lower == "may" and not may)):
        return
    month = next(n for n, m in enumerate(MONTHS, 1) if m.startswith(name.lower()[:3]))
    keep(match.start(), match.start() + len(name), Decimal(month), "month")


def _english_number(match: re.Match[str], keep: cabc.Callable[..., None]) -> None:
    value = Decimal(re.sub(r"[, ]", "", match["number"]))
    kind: Kind = "money" if match["currency"] else "number"
    end = match.end()
    if match["percent"]:
        kind = "percent"
    elif match["scale"]:
        value *= ENGLISH_SCALES[match["scale"].lower()]
    elif match["short"]:
        if not match["currency"]:
            end = match.end("number")  # 20m is twenty metres, $20m twenty million dollars
        else:
            value *= {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9}[match["short"]]
    elif match["ordinal"]:
        kind = "ordinal"
    text = match.string
    if (decades := re.match(r"\s+decades\b", text[end:])) and kind == "number":
        value, end = value * 10, end + decades.end()  # three decades is 三十年
    version = re.fullmatch(r"\d\.0", match["number"]) and re.search(r"\b[A-Z][A-Za-z]*\s$", text[:match.start()])
    keep(match.start(), end, normal(value), kind, bool(version))  # Sandbox 2.0 may be 升級版


def _english_words(text: str, match: re.Match[str], keep: cabc.Callable[..., None]) -> None:
    """Number words: greedy runs that parse (``one hundred and five``), split where they stop parsing."""
    tokens = [(m.group(), m.start() + match.start(), m.end() + match.start())
              for m in re.finditer(r"[A-Za-z]+", match.group()) if m.group().lower() != "and"]
    position = 0
    while position < len(tokens):
        best: tuple[int, int, bool] | None = None
        for stop in range(len(tokens), position, -1):
            words = [english_word(word)[0] for word, _, _ in tokens[position:stop]]
            ordinal = english_word(tokens[stop - 1][0])[1]
            if any(english_word(word)[1] for word, _, _ in tokens[position:stop - 1]):
                continue  # only the last word of a number is an ordinal: "twenty-first", not "first twenty"
            value = english_value(words)
            if value is not None:
                best = (stop, value, ordinal)
                break
        if best is None:
            position += 1
            continue
        stop, value, ordinal = best
        start, end = tokens[position][1], tokens[stop - 1][2]
        position = stop
        after = text[end:]
        kind: Kind = "ordinal" if ordinal else "number"
        scaled = re.match(r"[\s-]+(?:per[ -]?cent|percent|percentage[ -]points?)\b", after)  # 1個百分點, 5個百分點
        if scaled:
            kind, end = "percent", end + scaled.end()
        elif value == 0:
            continue  # zero-carbon, net zero: 零碳, 淨零 are words too
        elif not ordinal and (decades := re.match(r"\s+decades?\b", after)):
            value, end = value * 10, end + decades.end()
        # Small numbers in words may go unsaid (two separate tenders ↔ 分別招標); so may "first" (首次).
        implicit = value <= SMALL and not scaled
        amount = Decimal(value)
        if (half := re.search(r"\bhalf\s+$", text[:start], re.I)) and value >= 1000:
            amount, start = amount / 2, half.start()  # half a million is 50萬
        keep(start, end, normal(amount), kind, implicit)


def _english_context(text: str, found: list[Quantity]) -> list[Quantity]:
    """Days and years beside a month, year ranges (2020-21), and a range's percent or scale on both ends."""
    out = list(found)
    for index, quantity in enumerate(out):
        if quantity.kind == "month":
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(out) and out[neighbour].kind in ("number", "ordinal"):  # January 23rd
                    other = out[neighbour]
                    between = text[min(other.end, quantity.end):max(other.start, quantity.start)]
                    if re.fullmatch(r"\s*(?:of\s+)?", between) and 1 <= other.value <= 31 and other.value % 1 == 0:
                        out[neighbour] = _replace(other, kind="day")
            for neighbour in (index + 1, index + 2):
                if neighbour < len(out) and out[neighbour].kind == "number" and _is_year(out[neighbour].value):
                    between = text[out[neighbour - 1].end:out[neighbour].start]
                    if re.fullmatch(r",?\s*", between):
                        out[neighbour] = _replace(out[neighbour], kind="year", implicit=True)
    return _ranges(text, out)


# Chinese ------------------------------------------------------------------------------------------

_ZH_DIGITS = "".join(CHINESE_DIGITS)
_ZH_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_ZH_FULLWIDTH_ANY = re.compile("[０-９％．]")
_ZH_RUN = re.compile(
    r"(?<![\d.,])(?P<spaced>\d(?: \d){1,3})(?= ?[年月日])|"  # 2 0 1 5 年: PDF text spaces digits
    rf"(?P<ascii>{_ARABIC})(?P<scale>\s?[十百千萬億万亿]+)?"
    rf"|(?P<cjk>[{NUMERAL_CHARS}]+(?:[{DECIMAL_POINTS}][{_ZH_DIGITS}]+[萬億万亿]*)?)"
)
_ZH_RUN_START = re.compile(rf"[\d{NUMERAL_CHARS}]")  # where a _ZH_RUN match begins
_ZH_FRACTION = re.compile(rf"(?P<whole>[{NUMERAL_CHARS}0-9]+)分之(?P<part>[{NUMERAL_CHARS}{DECIMAL_POINTS}0-9.]+)")
_ZH_PERIODS = {"上午": "am", "早上": "am", "清晨": "am", "凌晨": "am", "中午": "noon", "正午": "noon",
               "下午": "pm", "晚上": "pm", "傍晚": "pm", "黃昏": "pm", "晚間": "pm", "夜間": "pm"}
_ZH_TIME = re.compile(
    rf"(?P<period>{'|'.join(_ZH_PERIODS)})?(?P<hour>[{NUMERAL_CHARS}0-9]+)時(?:(?P<minute>[{NUMERAL_CHARS}0-9]+)分|(?P<half>半))?"
    rf"|(?P<noon>中午|正午)|(?P<midnight>午夜)"
    r"|(?<![\d.])(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?![\d])"
)
_ZH_WEEKDAY = re.compile(
    r"(?:星期|禮拜|週|周)[一二三四五六日天](?![次個間名宗項倍])"
    r"(?:[至到及、和或](?:星期|禮拜|週|周)?[一二三四五六日天](?![時月日號個年次間名宗項倍]))*"
)
# Words with numeral characters in them that are not numbers, and numbers English leaves out.
_ZH_IDIOMS = re.compile(
    rf"(?<![{NUMERAL_CHARS}0-9{DECIMAL_POINTS}])(?:"
    "進一步|一直|統一|萬一|十分(?!之)|一些|一般|一致|唯一|同一|一同|一帶一路|一國兩制|三思|一起|一切|一律|一向|一旦|一再|"
    "一貫|一定|一流|一體|一系列|一併|一并|一度|一連|一經|一方面|一面|一點點|一手|一概|一味|一覽|一心|一道|一樣|一等|"
    "一下|一番|一早|一刀切|第一時間|一線|一站式|一條龍|一籃子|一攬子|一環|一部分|一部份|一分子|一份子|一員|一眾|一行|"
    "一帶|一半|一舉|一如|一目了然|一次性|一方|逐一|不一|單一|劃一|萬分|千萬(?![元港美人])|萬象|千禧|百貨|百姓|百科|"
    "十足|十字|九龍|九州|四川|三藩市|三文治|三文魚|八達通|六合彩|五金|四處|四周|四面八方|三合會|兩岸|二手|"
    "[數幾好][十百千萬億]+|數以[十百千萬億]+計|十萬火急|[十百千]幾|一兩|兩三|三四|四五|五六|六七|七八|八九|"
    "2019冠狀病毒病|2019冠狀病毒|二維碼|二維|獨一無二|一無所|[一二兩]倍|二十國集團|七國集團|八國集團|七大工業國"
    ")"
)
_ZH_PLAN = re.compile(r"十(?P<n>[一二三四五六七八九])五(?=」?規劃)")  # 「十三五」規劃 is the 13th Five-Year Plan
_ZH_FORMAL = set("壹貳贰參叁叄肆伍陸陆柒捌玖拾佰仟")
_ZH_UNIT_PREFIX = re.compile(r"千(?=[克米瓦焦卡帕])")  # 千克 is a kilogram, not a thousand grams
_ZH_CURRENCY = re.compile(r"^\s?(?:萬|億|萬億)?(?:元|港元|港幣|美元|人民幣|圓)")
_ZH_PERCENT = re.compile(r"^\s?(?:%|個?百分點|厘(?![米升]))")  # an interest rate of 0.75厘 is 0.75%
_ZH_TENTHS = re.compile(r"^成(?![為立員功本效果就交長熟份分績])")  # 六成 is 60%; 成為 is "become"

# Every pattern chinese_numbers reads needs one of these: a digit, a numeral, 午 (中午, 正午, 午夜) or
# the first character of 星期, 禮拜, 週, 周.
_ZH_MAYBE = re.compile(rf"[\d{NUMERAL_CHARS}午星禮週周]|全數")


@_exact
def chinese_numbers(text: str) -> list[Quantity]:
    """The numbers a Chinese text says, in text order.

    >>> [(str(q.value), q.kind) for q in chinese_numbers("約二千四百四十萬元，二○二六年一月二十二日（星期四）")]
    [('24400000', 'money'), ('2026', 'year'), ('1', 'month'), ('22', 'day'), ('4', 'weekday')]
    >>> [(str(q.value), q.kind) for q in chinese_numbers("第九批，下降百分之三點六，下午二時至六時，進一步統一")]
    [('9', 'ordinal'), ('3.6', 'percent'), ('14', 'time'), ('18', 'time')]
    """
    scan = text.translate(_ZH_FULLWIDTH) if _ZH_FULLWIDTH_ANY.search(text) else text
    if not _ZH_MAYBE.search(scan):
        return []  # no digit, numeral, time of day or weekday: nothing below can match
    taken = _Spans()
    digit = _DIGIT.search(scan) is not None
    if "://" in scan or "www." in scan or "@" in scan or _URL_TLD.search(scan):
        for match in URL.finditer(scan):
            taken.add(match.start(), match.end())
    if digit:
        for match in code_matches(scan):
            taken.add(match.start(), match.end())
    for match in _ZH_IDIOMS.finditer(scan):
        taken.add(match.start(), match.end())
    if digit:
        for match in _matches_at(ZH_FOOTNOTE, _DIGIT, scan):
            if not listed_again(scan, match.start(), match.end()):
                taken.add(match.start(), match.end())
    found: list[Quantity] = []

    def keep(start: int, end: int, value: Decimal | Fraction, kind: Kind, implicit: bool = False) -> None:
        if taken.add(start, end):
            found.append(Quantity(value, kind, start, end, text[start:end], implicit))

    for match in _ZH_PLAN.finditer(scan):
        keep(match.start(), match.end(), Decimal(10 + CHINESE_DIGITS[match["n"]]), "ordinal")
    for match in _ZH_FRACTION.finditer(scan):
        whole, part = _zh_value(match["whole"]), _zh_value(match["part"])
        if whole is None or part is None or whole == 0:
            continue
        if whole == 100:
            keep(match.start(), match.end(), part, "percent")
        else:
            keep(match.start(), match.end(), Fraction(part) / Fraction(whole), "fraction")
    if "百分百" in scan:
        for match in re.finditer("百分百", scan):
            keep(match.start(), match.end(), Decimal(100), "percent", True)  # also "wholly": 百分百擔保 for a DLGS
    if "全數" in scan:
        for match in re.finditer("全數(?![碼字據位])", scan):
            keep(match.start(), match.end(), Decimal(100), "percent", True)  # 全數贊成: 100% in favour
    if "時" in scan or "午" in scan or ":" in scan:  # every kind of time _ZH_TIME reads has one
        _chinese_times(scan, keep)
    for match in _ZH_WEEKDAY.finditer(scan):
        for number, day in enumerate(re.finditer("[一二三四五六日天]", match.group())):
            value = Decimal(7 if day.group() in "日天" else CHINESE_DIGITS[day.group()])
            start = match.start() + (0 if number == 0 else day.start())  # 星期一至三: the first takes 星期
            keep(start, match.start() + day.end(), value, "weekday", True)
    for match in _matches_at(_ZH_RUN, _ZH_RUN_START, scan):
        _chinese_run(scan, match, keep)
    found.sort(key=lambda q: q.start)
    return _ranges(scan, _chinese_dates(scan, found))


def _chinese_times(scan: str, keep: cabc.Callable[..., None]) -> None:
    """上午十時, 下午3時30分, 中午, and 下午二時至六時, where 六時 is 6pm as its range's start says."""
    period = None
    previous_end = -1
    for match in _ZH_TIME.finditer(scan):
        if match["noon"] or match["midnight"]:
            keep(match.start(), match.end(), Fraction(12 if match["noon"] else 0), "time")
            continue
        if match["hh"]:
            hour = int(match["hh"])
            keep(match.start(), match.end(), Fraction(hour * 60 + int(match["mm"]), 60), "time" if hour > 12 else "clock")
            continue
        hour, minute = _zh_value(match["hour"]), _zh_value(match["minute"]) if match["minute"] else Decimal(0)
        if hour is None or minute is None or not 0 <= hour <= 24 or hour % 1:
            continue
        minute += 30 if match["half"] else 0
        if match["period"]:
            period = _ZH_PERIODS[match["period"]]
        elif not re.fullmatch(r"\s*[至到及、和]\s*", scan[previous_end:match.start()]) or previous_end < 0:
            period = None
        previous_end = match.end()
        if period is None:
            if match["hour"] == "一" and not match["minute"]:
                continue  # 一時 alone is "for a moment"
            keep(match.start(), match.end(), Fraction(int(hour) * 60 + int(minute), 60), "clock")
            continue
        clock = int(hour) % 12 + (12 if period == "pm" or (period == "noon" and hour < 12) else 0)
        if period == "noon" and hour == 12:
            clock = 12
        keep(match.start(), match.end(), Fraction(clock * 60 + int(minute), 60), "time")


def _chinese_run(scan: str, match: re.Match[str], keep: cabc.Callable[..., None]) -> None:
    start, end = match.start(), match.end()
    before, after = scan[:start], scan[end:]
    if match["spaced"]:
        value: Decimal | None = Decimal(match["spaced"].replace(" ", ""))
        written_in_words = False
    elif match["ascii"]:
        value = Decimal(re.sub(r"[, ]", "", match["ascii"]))
        scale = (match["scale"] or "").strip()
        unit = _ZH_UNIT_PREFIX.match(scan, match.end() - 1) if scale else None
        if unit:
            scale, end = scale[:-1], end - 1
            after = scan[end:]
        for ch in scale:
            value *= CHINESE_UNITS.get(ch) or CHINESE_MYRIADS[ch]
        written_in_words = False
    else:
        numeral = match["cjk"]
        unit = _ZH_UNIT_PREFIX.match(scan, match.end() - 1)
        if unit:
            numeral, end = numeral[:-1], end - 1
            after = scan[end:]
        if not numeral or all(ch in CHINESE_UNITS or ch in CHINESE_MYRIADS for ch in numeral) and numeral[0] != "十":
            if not (numeral and (before.endswith(("過", "逾", "近", "上", "破")) or after.startswith(("大", "強", "多", "餘")))):
                return  # 百, 千萬 alone are words (百忙, 千萬不要); 過百 and 百多 are "over a hundred", 百大 "the top 100"
            numeral = "一" + numeral
        formal = sum(ch in _ZH_FORMAL or ch in CHINESE_MYRIADS for ch in numeral)
        if any(ch in _ZH_FORMAL for ch in numeral) and (formal < 2 or not any(ch in "拾佰仟萬億" for ch in numeral)):
            return  # 參與, 隊伍, 大陸, 收拾: 大寫 numerals are only read in amounts like 壹萬貳仟
        if all(ch in ZEROS for ch in numeral) and not after.startswith(("時", "點")):
            return  # 零售, 零碳: 零 alone is rarely a count
        if is_digit_string(numeral) and not any(ch in ZEROS for ch in numeral) and len(numeral) < 3 \
                and not after.lstrip().startswith("年"):
            return  # 三四個 is "three or four"; 二一年度 is 2021 and says 年
        value = chinese_value(numeral)
        written_in_words = True
    if value is None:
        return
    value = normal(value)
    kind: Kind = "number"
    implicit = False
    if written_in_words and re.match(r"\s?倍", after) and value <= SMALL:
        implicit = True
    if before.endswith("第"):
        kind, start = "ordinal", start - 1
    elif (tenths := _ZH_TENTHS.match(after)) and written_in_words and value <= 10:
        keep(start, end + tenths.end(), value * 10, "percent")
        return
    if (percent := _ZH_PERCENT.match(after)):
        kind, end = "percent", end + percent.end()
    elif _ZH_CURRENCY.match(after) or not written_in_words and re.search(r"(?:港幣|港元|人民幣|美元|HK\$|US\$|\$|RMB)\s?$", before):
        kind = "money"
    elif re.match(r"\s?倍", after):
        kind = "times"  # 增長2.3倍 is a rise of 230%
    elif after.lstrip().startswith("年") and (written_in_words and is_digit_string(match["cjk"] or "") or _is_year(value)):
        kind = "year"
    elif re.match(r"\s?月", after) and 1 <= value <= 12:
        kind = "month"
        implicit = value == 12 and bool(re.match(r"\s?月底", after))  # 2020年12月底 is "end-2020"
    if written_in_words and kind in ("number", "ordinal", "times") and value <= SMALL:
        implicit = True  # 一名業主 is "an owner"; small counts go unsaid as often in English
    elif kind == "number" and value == 24 and re.match(r"\s?小時", after):
        implicit = True  # 全日24小時 is "round-the-clock"
    keep(start, end, value, kind, implicit)


def _chinese_dates(scan: str, found: list[Quantity]) -> list[Quantity]:
    """The day after a month (一月二十二日), and the year before one, which English may leave out."""
    out = list(found)
    for index, quantity in enumerate(out):
        if quantity.kind != "month":
            continue
        if index + 1 < len(out) and re.fullmatch(r"\s?月份?\s?", scan[quantity.end:out[index + 1].start]):
            if re.match(r"\s?[日號]", scan[out[index + 1].end:]):
                out[index + 1] = _replace(out[index + 1], kind="day", implicit=False)
        if index > 0 and out[index - 1].kind == "year" and re.fullmatch(r"\s?年\s?", scan[out[index - 1].end:quantity.start]):
            out[index - 1] = _replace(out[index - 1], implicit=True)
    return out


# Both ---------------------------------------------------------------------------------------------

SMALL = 10  # numbers up to ten written as words may go unsaid in the other language


def _ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Year ranges (2020-21 is 2020 to 2021), a range's percent on both ends (2 to 3%), years, list numbers.

    Years, ones and list numbers are implicit: a year may be said as "the
    year" (年內, 去年), 1個月 as "a month", and a list number, ``(1)``,
    ``1.`` or ``（一）`` opening a line, may become ``(a)`` in the other language.
    """
    out = list(found)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        between = text[first.end:second.start]
        if re.fullmatch(r"\s*(?:-|–|/|至|to)\s*", between) and _is_year(first.value) and second.value < 100 \
                and (first.value + 1) % 100 == second.value:
            out[index + 1] = _replace(second, value=first.value + 1, kind="year")
        elif not re.fullmatch(_RANGE, between):
            continue
        elif first.kind in ("number", "money") and _scale(second.text) > _scale(first.text) == 1 \
                and first.value * _scale(second.text) <= second.value \
                and re.fullmatch(r"\s*(?:-|–|to|至|到)\s*", between):
            out[index] = _replace(first, value=normal(Decimal(first.value) * _scale(second.text)))  # HK$200-300 billion
        elif first.kind in ("number", "money") and second.kind == "percent" and not re.fullmatch(r"\d{4}", first.text):
            out[index] = _replace(first, kind="percent", implicit=False)
        elif first.kind == "number" and second.kind in ("time", "clock") and first.value <= 12 and first.value % 1 == 0:
            out[index] = _replace(first, value=Fraction(int(first.value)), kind="clock", implicit=False)
    for index, quantity in enumerate(out):
        if quantity.kind in ("number", "year") and _is_year(quantity.value) and re.fullmatch(r"\d{4}|\D{4}|\d \d \d \d", quantity.text):
            # A year may be said as "the year", 年內, 去年: only a different year is a mismatch.
            out[index] = quantity = _replace(quantity, kind="year", implicit=True)
        if quantity.kind in ("number", "ordinal") and quantity.value == 1 and (
                not quantity.text.isdigit() or re.match(r"\s?[個間名項宗家年月次位份條隻部]", text[quantity.end:])):
            out[index] = quantity = _replace(quantity, implicit=True)  # 1個月 is "a month", 1間銀行 "a bank"
        line = text[:quantity.start].rpartition("\n")[2].strip()
        closing = text[quantity.end:quantity.end + 1]
        if quantity.kind == "number" and (line in ("(", "（") and closing in (")", "）") or line in ("", "#", "-")
                                          and re.match(r"[.、](?!\d)", closing)):
            out[index] = _replace(quantity, kind="list", implicit=True)
    return out


def _scale(text: str) -> int:
    """The multiplier a number's text ends with: 10**9 for ``300 billion``, 10**8 for ``3億``, else 1."""
    english = re.search(r"(?i)(thousand|million|billion|trillion|bn|mn|m)$", text)
    if english:
        return {"thousand": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9,
                "trillion": 10**12}[english.group(1).lower()]
    scale = 1
    for ch in reversed(text):
        if ch not in CHINESE_MYRIADS:
            break
        scale *= CHINESE_MYRIADS[ch]
    return scale


def _is_year(value: Decimal | Fraction) -> bool:
    return value % 1 == 0 and 1900 <= value <= 2100


def _zh_value(numeral: str) -> Decimal | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
        return Decimal(numeral)
    return chinese_value(numeral)


def _replace(quantity: Quantity, **changes: t.Any) -> Quantity:
    import dataclasses

    return dataclasses.replace(quantity, **changes)


class _Spans:
    """The parts of a text already read, so that one number is read once (12 in 12 noon is not also a count)."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> bool:
        if start >= end or any(start < e and s < end for s, e in self._spans):
            return False
        self._spans.append((start, end))
        return True
