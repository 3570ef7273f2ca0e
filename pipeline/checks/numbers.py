"""The ``number-mismatch`` check: source and translation → the values one has and the other lacks.

Each side is read into a multiset of :class:`Quantity` values by the number
grammar (``pipeline.numbers.read``: what counts as a number, and which numbers
are implicit); what is left after pairing equal values is reported. Signs are
not compared (``-2.6%`` ↔ 下跌2.6%: the words carry the sign).
"""

from __future__ import annotations

import collections.abc as cabc
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..numbers.footnotes import footnote_marks, without_marks
from ..numbers.numerals import format_chinese, format_english
from ..numbers.read import MONTHS, SMALL, WEEKDAYS, Quantity, chinese_numbers, english_numbers
from ..numbers.style import ordinal_suffix

__all__ = ["NumberMismatch", "compare_numbers"]


@dataclass(frozen=True, slots=True)
class NumberMismatch:
    """A value the source has and the translation lacks (``missing``), or the reverse (``extra``).

    ``repeated_only`` when both sides say the value, only not as often: a
    translation says a repeated value once (``January ... its January peak``
    ↔ ``1月底 ... 該月份``), which is a warning, not an error.
    """

    message: str
    missing: tuple[Quantity, ...] = ()
    extra: tuple[Quantity, ...] = ()
    repeated_only: bool = False


# Comparing ----------------------------------------------------------------------------------------


def compare_numbers(
    source: str, target: str, *, source_language: str = "en", target_language: str = "zh-Hant-HK"
) -> list[NumberMismatch]:
    """What the source and the translation disagree on, as values; empty when they agree.

    Works either way round (English or Chinese source); languages other than
    English and Chinese are not checked.

    >>> [m.message for m in compare_numbers("a total grant of around $24.4 million", "總資助金額約二千五百四十萬元")]
    ['source has 24.4 million ($24.4 million) but the translation has 2,540萬 (二千五百四十萬) instead of 2,440萬']
    >>> compare_numbers("on Thursday, January 22, 2026, 1.4%", "二○二六年一月二十二日（星期四），1.4%")
    []
    """
    read_source, read_target = _reader(source_language), _reader(target_language)
    if read_source is None or read_target is None:
        return []
    ours, theirs = read_source(source), read_target(target)
    missing, extra = _unmatched(ours, theirs)
    if extra:
        extra = without_marks(extra, target, _language(target_language), footnote_marks(source, _language(source_language)))
    if missing:
        missing = without_marks(missing, source, _language(source_language), footnote_marks(target, _language(target_language)))
    reported_missing = [q for q in missing if _reported(q, extra, ours, theirs)]
    reported_extra = [q for q in extra if _reported(q, missing, theirs, ours)]
    return _mismatches(reported_missing, reported_extra, ours, theirs, _language(source_language),
                       _language(target_language))


def _reader(language: str) -> cabc.Callable[[str], list[Quantity]] | None:
    return {"en": english_numbers, "zh": chinese_numbers}.get(_language(language))


def _language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _group(quantity: Quantity) -> str:
    """Quantities compare within a group: a percent never equals a count, nor a time a day."""
    if quantity.kind in ("time", "clock"):
        return "time"
    if quantity.kind in ("percent", "weekday"):
        return quantity.kind
    return "number"


def _key(quantity: Quantity) -> tuple[str, Decimal | Fraction]:
    """A quantity's group and value. A Decimal and a Fraction of the same value are equal and hash
    alike, so the value serves as it is (no Fraction to build)."""
    return _group(quantity), quantity.value


def _unmatched(ours: list[Quantity], theirs: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The quantities of each side left over after pairing equal values.

    Pairs are made best first, so that what is left over is what matters:
    an implicit number left over is no finding, an explicit one is. So
    January pairs with 一月 and not with the 一 of 一名 ("an"), and ``three``
    pairs with 3 rather than with the 三 of a later 這三個.
    """
    if not ours or not theirs:
        return list(ours), list(theirs)
    missing = [(q, _key(q)) for q in ours]
    left = [(q, _key(q)) for q in theirs]

    def paired(one: Quantity, key: tuple[str, Decimal | Fraction], other: Quantity,
               other_key: tuple[str, Decimal | Fraction], step: int) -> bool:
        if step >= 5:
            return _same_clock(one, other) if step == 5 else _same_ratio(one, other)
        if key != other_key:
            return False
        if step <= 1:
            explicit = not one.implicit and not other.implicit
        elif step <= 3:
            explicit = not one.implicit or not other.implicit
        else:
            return True
        return explicit and (step % 2 == 1 or one.kind == other.kind)

    for step in range(7):
        still: list[tuple[Quantity, tuple[str, Decimal | Fraction]]] = []
        for quantity, key in missing:
            index = next((i for i, (other, other_key) in enumerate(left) if paired(quantity, key, other, other_key, step)), None)
            if index is None:
                still.append((quantity, key))
            else:
                del left[index]
        missing = still
    return [q for q, _ in missing], [q for q, _ in left]


def _same_ratio(one: Quantity, other: Quantity) -> bool:
    """Soared 230% is 急增2.3倍: a rise of n times is a rise of 100n per cent."""
    kinds = {one.kind, other.kind}
    if kinds != {"percent", "times"}:
        return False
    percent, times = (one, other) if one.kind == "percent" else (other, one)
    return Fraction(percent.value) == 100 * Fraction(times.value)


def _same_clock(one: Quantity, other: Quantity) -> bool:
    if _group(one) != "time" or _group(other) != "time" or "clock" not in (one.kind, other.kind):
        return False
    return Fraction(one.value) % 12 == Fraction(other.value) % 12


def _reported(quantity: Quantity, others: list[Quantity], side: list[Quantity], other_side: list[Quantity]) -> bool:
    """Whether a left-over quantity is a finding.

    An explicit one always is. An implicit one is only when it was replaced:
    the other side has a left-over of the same role (a year for a year, a
    small count for a small count) and both sides say as many of that role,
    so that nothing was merely dropped (``the year`` for 2015) or added, and
    neither value is said on both sides (a repeat is no replacement).
    The words for one are never reported, nor taken as a replacement:
    ``first``, 首, 一 come and go (``the coming year`` is 未來一年).
    """
    if not quantity.implicit:
        return True
    role = _role(quantity)
    if quantity.value == 1 and role == "small":
        return False
    values = {_key(q) for q in side}
    if role is None or _key(quantity) in {_key(q) for q in other_side}:
        return False  # the other side says it too, here or there: a repeat left unsaid
    if not any(_role(other) == role and _key(other) not in values and not (other.implicit and other.value == 1)
               for other in others):
        return False
    def counted(q: Quantity) -> bool:  # ordinals and counts are counted apart: "ninth meeting ... two places"
        return _role(q) == role and (q.kind == "ordinal") == (quantity.kind == "ordinal")

    return sum(map(counted, side)) == sum(map(counted, other_side))


def _role(quantity: Quantity) -> str | None:
    if quantity.kind in ("year", "weekday", "list"):
        return quantity.kind
    if quantity.kind in ("number", "ordinal", "times") and 1 <= quantity.value <= SMALL:
        return "small"
    return None


def _mismatches(
    missing: list[Quantity], extra: list[Quantity], ours: list[Quantity], theirs: list[Quantity], ours_language: str,
    theirs_language: str,
) -> list[NumberMismatch]:
    out: list[NumberMismatch] = []
    if len(missing) == 1 and len(extra) == 1 and _group(missing[0]) == _group(extra[0]):
        [lost], [instead] = missing, extra
        return [NumberMismatch(
            f"source has {_shown(lost, ours_language)} but the translation has {_shown(instead, theirs_language)} "
            f"instead of {_render(lost, theirs_language)}",
            (lost,), (instead,),
        )]
    for key, quantities in _by_value(missing):
        have = sum(1 for q in theirs if _key(q) == key)
        times = f" {len(quantities) + have} times" if len(quantities) + have > 1 else ""
        lacks = f"has {_render(quantities[0], theirs_language)} only {_times(have)}" if have else f"has no {_render(quantities[0], theirs_language)}"
        out.append(NumberMismatch(f"source has {_shown(quantities[0], ours_language)}{times} but the translation {lacks}",
                                  tuple(quantities), repeated_only=have > 0))
    for key, quantities in _by_value(extra):
        said = sum(1 for q in ours if _key(q) == key)
        shown = _shown(quantities[0], theirs_language)
        out.append(NumberMismatch(
            f"the translation has {shown} {len(quantities) + said} times but the source only {_times(said)}" if said else
            f"the translation has {shown}{f' {len(quantities)} times' if len(quantities) > 1 else ''} that the source "
            "does not have",
            extra=tuple(quantities), repeated_only=said > 0,
        ))
    return out


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _by_value(quantities: list[Quantity]) -> list[tuple[tuple[str, Fraction], list[Quantity]]]:
    groups: dict[tuple[str, Fraction], list[Quantity]] = {}
    for quantity in quantities:
        groups.setdefault(_key(quantity), []).append(quantity)
    return list(groups.items())


def _shown(quantity: Quantity, language: str) -> str:
    """A value as its language writes it, with the text as written when that differs: 24.4 million ($24.4 million)."""
    rendered = _render(quantity, language)
    return rendered if quantity.text == rendered else f"{rendered} ({quantity.text})"


def _render(quantity: Quantity, language: str) -> str:
    value = quantity.value
    chinese = language == "zh"
    if isinstance(value, Fraction) and quantity.kind not in ("time", "clock"):
        if value.denominator != 1:
            return f"{value.denominator}分之{value.numerator}" if chinese else f"{value.numerator}/{value.denominator}"
        value = Decimal(value.numerator)
    if quantity.kind in ("time", "clock"):
        minutes = int(Fraction(value) * 60)
        hour, minute = divmod(minutes, 60)
        if quantity.kind == "clock":
            return f"{hour}時" + (f"{minute}分" if minute else "") if chinese else f"{hour}:{minute:02d}"
        twelve = hour % 12 or 12
        if chinese:
            period = "上午" if hour < 12 else "中午" if hour == 12 else "下午"
            return f"{period}{twelve}時" + (f"{minute}分" if minute else "")
        if hour == 12 and not minute:
            return "noon"
        return f"{twelve}" + (f".{minute:02d}" if minute else "") + ("am" if hour < 12 else "pm")
    assert isinstance(value, Decimal)
    if quantity.kind == "weekday":
        return f"星期{'一二三四五六日'[int(value) - 1]}" if chinese else WEEKDAYS[int(value) - 1].capitalize()
    if quantity.kind == "month" and 1 <= value <= 12:
        return f"{value}月" if chinese else MONTHS[int(value) - 1].capitalize()
    if quantity.kind == "year":
        return f"{value}年" if chinese else str(value)
    if quantity.kind == "ordinal":
        return f"第{format_chinese(value)}" if chinese else f"{int(value)}{ordinal_suffix(int(value))}"
    return format_chinese(value, quantity.kind) if chinese else format_english(value, quantity.kind)

