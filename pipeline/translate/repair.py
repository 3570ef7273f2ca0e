"""Repair a near match: where a new sentence differs from a remembered one only in numbers,
dates or glossary terms, put the new ones into the remembered translation.

``ninth meeting`` → ``tenth meeting`` turns 第九次會議 into 第十次會議, and
``$1.5 billion`` → ``$2 billion`` turns 15億 into 20億: each number is
rewritten in the style the translator used (Chinese numerals, ○ digits,
Arabic digits with their grouping and their 萬/億 scale). A repair that the
number check would not accept is no repair: ``None`` is returned and the
match stays an ordinary fuzzy one.
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
from decimal import Decimal

from ..checks.numbers import Quantity, chinese_numbers, compare_numbers, english_numbers
from ..checks.numerals import chinese_value

if t.TYPE_CHECKING:
    from ..glossary import TermHit, TermMatcher

_DIGITS = "零一二三四五六七八九"
_ZERO_CIRCLE = "○〇"
_SCALES = (("萬億", Decimal(10) ** 12), ("億", Decimal(10) ** 8), ("萬", Decimal(10) ** 4))
_ARABIC = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_NUMERAL = re.compile(rf"[{_DIGITS}兩十百千{_ZERO_CIRCLE}]+(?:點[{_DIGITS}]+)?")


def repair(
    new_source: str,
    old_source: str,
    old_target: str,
    *,
    source_language: str = "en",
    target_language: str = "zh-Hant-HK",
    terms: TermMatcher | None = None,
) -> str | None:
    """``old_target`` rewritten for ``new_source``, or ``None`` when the sentences differ otherwise."""
    read_source = chinese_numbers if source_language.startswith("zh") else english_numbers
    read_target = chinese_numbers if target_language.startswith("zh") else english_numbers
    new_numbers, old_numbers = read_source(new_source), read_source(old_source)
    new_terms = terms.find(new_source) if terms else []
    old_terms = terms.find(old_source) if terms else []
    if _masked(new_source, new_numbers, new_terms) != _masked(old_source, old_numbers, old_terms):
        return None
    if len(new_numbers) != len(old_numbers) or len(new_terms) != len(old_terms):
        return None
    target = old_target
    for old, new in zip(old_numbers, new_numbers, strict=True):
        if old.value != new.value:
            rewritten = _renumber(target, old, new, read_target)
            if rewritten is None:
                return None
            target = rewritten
    for old_hit, new_hit in zip(old_terms, new_terms, strict=True):
        if old_hit.index != new_hit.index:
            rewritten = _reterm(target, old_hit, new_hit)
            if rewritten is None:
                return None
            target = rewritten
    if target == old_target:
        return None
    problems = compare_numbers(new_source, target, source_language=source_language, target_language=target_language)
    return None if problems else target


def _masked(text: str, numbers: list[Quantity], hits: cabc.Sequence[TermHit]) -> str:
    """The sentence with each number and term replaced by a marker, to see what else differs."""
    spans = sorted([(q.start, q.end, "\0N") for q in numbers] + [(h.start, h.end, "\0T") for h in hits])
    out, at = [], 0
    for start, end, marker in spans:
        if start < at:
            return "\0overlap" + text
        out += [text[at:start], marker]
        at = end
    return "".join(out) + text[at:]


def _renumber(target: str, old: Quantity, new: Quantity, read: t.Callable[[str], list[Quantity]]) -> str | None:
    """Rewrite the one place in ``target`` that says ``old.value``; ambiguous or absent → ``None``."""
    places = [q for q in read(target) if q.value == old.value and _compatible(q.kind, old.kind)]
    if len(places) != 1:
        return None
    place = places[0]
    written = _restyle(place.text, old.value, new.value)
    return None if written is None else target[: place.start] + written + target[place.end :]


def _compatible(one: str, other: str) -> bool:
    return one == other or {one, other} <= {"number", "money"}


def _restyle(text: str, old: Decimal, new: Decimal) -> str | None:
    """``text`` (which says ``old``) saying ``new`` in the same way: 第九 → 第十, 15億 → 20億, 2,440 → 2,500."""
    scale = next(((name, size) for name, size in _SCALES if name in text), ("", Decimal(1)))
    arabic = _ARABIC.search(text)
    if arabic:
        return text[: arabic.start()] + _arabic(new / scale[1], arabic.group()) + text[arabic.end() :]
    expected = old / scale[1]
    numeral = next((m for m in _NUMERAL.finditer(text) if chinese_value(m.group()) == expected), None)
    if numeral is None:
        return None
    spelled = numeral.group()
    if any(c in _ZERO_CIRCLE for c in spelled) or (len(spelled) == 4 and "十" not in spelled and "百" not in spelled):
        circle = next((c for c in spelled if c in _ZERO_CIRCLE), "○")
        written = "".join(_DIGITS[int(d)] if d != "0" else circle for d in str(new / scale[1]))
    else:
        written = chinese_numerals(new / scale[1])
    if written is None:
        return None
    return text[: numeral.start()] + written + text[numeral.end() :]


def _arabic(value: Decimal, like: str) -> str:
    """``value`` in digits, grouped with commas when ``like`` was, decimals as needed."""
    value = value.normalize()
    plain = f"{value:f}"
    whole, _, fraction = plain.partition(".")
    if "," in like:
        whole = f"{int(whole):,}"
    return whole + (f".{fraction}" if fraction else "")


def chinese_numerals(value: Decimal) -> str | None:
    """A value in Chinese numerals as a HK release writes them: 十, 二十二, 一百零二, 三點五.

    >>> [chinese_numerals(Decimal(n)) for n in ("10", "22", "102", "3.5", "12000")]
    ['十', '二十二', '一百零二', '三點五', '一萬二千']
    """
    if value < 0 or value >= Decimal(10) ** 12:
        return None
    value = value.normalize()
    whole, _, fraction = f"{value:f}".partition(".")
    written = _whole_numerals(int(whole))
    return written + ("點" + "".join(_DIGITS[int(d)] for d in fraction) if fraction else "")


def _whole_numerals(number: int) -> str:
    if number == 0:
        return "零"
    groups = []
    for name in ("億", "萬", ""):
        size = {"億": 10**8, "萬": 10**4, "": 1}[name]
        groups.append((number // size % 10**4 if name != "億" else number // size, name))
    out = ""
    pending_zero = False
    for part, name in groups:
        if part == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or part < 1000):
            out += "零"
        out += _below_10000(part) + name
        pending_zero = False
    return out[1:] if out.startswith("一十") else out


def _below_10000(number: int) -> str:
    out = ""
    zero = False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // size % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + name
    return out


def _reterm(target: str, old: TermHit, new: TermHit) -> str | None:
    """Swap one glossary term's approved rendering for another's, where it stands once."""
    old_form, new_form = old.expected.approved, new.expected.approved
    if not old_form or not new_form or target.count(old_form) != 1:
        return None
    return target.replace(old_form, new_form)
