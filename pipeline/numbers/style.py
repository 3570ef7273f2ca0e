"""A value written the way a given text writes it: the translator's own style, learned from one example.

``rewrite("二○二五", 2025, 2026, "year", "zh")`` is ``二○二六``, and
``rewrite("一百零四點四", ...)`` keeps Chinese numerals, ``78,300`` keeps its
comma, ``179 919`` its space, ``15億`` its 億, ``1.660`` its three decimals,
``$24.4 million`` its scale word; English ordinals take the suffix their value
needs (``24th``, never ``24rd``), months and weekdays their names, small
counts their words (``three``) where the example was a word.

>>> rewrite("一百零四點四", Decimal("104.4"), Decimal("102.8"), "number", "zh")
'一百零二點八'
>>> rewrite("23rd", Decimal(23), Decimal(24), "ordinal", "en"), rewrite("23rd", Decimal(23), Decimal(21), "day", "en")
('24th', '21st')
>>> rewrite("Nov", Decimal(11), Decimal(1), "month", "en")
'Jan'
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from .numerals import CHINESE_DIGITS, CHINESE_MYRIADS, ENGLISH_SCALES, ENGLISH_TENS, ENGLISH_UNITS, chinese_value
from .read import MONTHS, WEEKDAYS

Value = Decimal | Fraction

_DIGITS = "零一二三四五六七八九"
_CIRCLES = "○〇"
_ZH_SCALES = {"萬億": Decimal(10) ** 12, "億": Decimal(10) ** 8, "萬": Decimal(10) ** 4}
_ARABIC = re.compile(r"[0-9]+(?:[, ][0-9]{3})*(?:\.[0-9]+)?")
_ZH_NUMERAL = re.compile(rf"[{''.join(CHINESE_DIGITS)}十百千萬億廿卅]+(?:[點点][{''.join(CHINESE_DIGITS)}]+)?")
_EN_ORDINAL_DIGITS = re.compile(r"[0-9](?:st|nd|rd|th)\b")
_EN_SCALE_AFTER = re.compile(r"\s?(thousand|million|billion|trillion|mn|bn|m|b|k)\b", re.I)
_EN_SHORT_SCALES = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9}
_EN_WORD_RUN = re.compile(r"[A-Za-z]+(?:[\s-]+(?:and\s+)?[A-Za-z]+)*")
_ZH_PERIODS = {"上午": "am", "早上": "am", "清晨": "am", "凌晨": "am", "中午": "noon", "正午": "noon",
               "下午": "pm", "晚上": "pm", "傍晚": "pm", "黃昏": "pm", "晚間": "pm", "夜間": "pm"}
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER_WORDS = {value: word for word, value in ENGLISH_UNITS.items()} | {
    value: word for word, value in ENGLISH_TENS.items()}


def rewrite(written: str, old: Value, new: Value, kind: str, language: str) -> str | None:
    """``written`` (which says ``old``, read as ``kind``) saying ``new`` the same way; ``None`` when it cannot."""
    if isinstance(old, Fraction) and kind not in ("time", "clock") or isinstance(new, Fraction) and kind not in ("time", "clock"):
        if Fraction(old).denominator != 1 or Fraction(new).denominator != 1:
            return None  # a fraction (三分之一, two thirds) is left to the translator
        old, new = Decimal(int(old)), Decimal(int(new))
    if new < 0:
        return None
    chinese = language.replace("_", "-").split("-")[0].lower() == "zh"
    if kind in ("time", "clock"):
        return _time_zh(written, Fraction(new)) if chinese else _time_en(written, Fraction(new))
    assert isinstance(old, Decimal) and isinstance(new, Decimal)
    if kind == "weekday":
        return _weekday(written, int(new), chinese)
    if kind == "month" and not chinese and not _ARABIC.search(written):
        return _month_en(written, int(new))
    if not chinese and (kind == "ordinal" or _EN_ORDINAL_DIGITS.search(written)):
        return _ordinal_en(written, new)  # a day or a count written 23rd: 24th, never 24rd
    return _number_zh(written, old, new) if chinese else _number_en(written, old, new)


def ordinal_suffix(number: int) -> str:
    """``st``, ``nd``, ``rd`` or ``th``, as English writes it after ``number``: 11th, 21st, 112th, 123rd."""
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def chinese_numerals(value: Decimal) -> str | None:
    """A value in Chinese numerals as a HK release writes them: 十, 二十二, 一百零二, 三點五.

    >>> [chinese_numerals(Decimal(n)) for n in ("10", "22", "102", "3.5", "12000")]
    ['十', '二十二', '一百零二', '三點五', '一萬二千']
    """
    if value < 0 or value >= Decimal(10) ** 12:
        return None
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    written = _whole_numerals(int(whole))
    return written + ("點" + "".join(_DIGITS[int(d)] for d in fraction) if fraction else "")


def _whole_numerals(number: int) -> str:
    if number == 0:
        return "零"
    out = ""
    pending_zero = False
    for part, name in ((number // 10**8, "億"), (number // 10**4 % 10**4, "萬"), (number % 10**4, "")):
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


# Chinese ------------------------------------------------------------------------------------------


def _number_zh(written: str, old: Decimal, new: Decimal) -> str | None:
    """The one numeral of ``written`` that says ``old`` (digits or numerals, with a 萬/億 after it) rewritten."""
    for match in _ARABIC.finditer(written):
        scale = next((size for name, size in _ZH_SCALES.items() if written.startswith(name, match.end())), Decimal(1))
        if _arabic_value(match.group()) * scale == old:
            digits = _arabic_like(new / scale, match.group(), keep_decimals=scale == 1)
            return None if digits is None else _splice(written, match.start(), match.end(), digits)
    for match in _ZH_NUMERAL.finditer(written):
        numeral = match.group()
        if chinese_value(numeral) != old:
            continue
        spelled = _numerals_like(new, numeral)
        return None if spelled is None else _splice(written, match.start(), match.end(), spelled)
    return None


def _numerals_like(new: Decimal, numeral: str) -> str | None:
    """``new`` in the numerals ``numeral`` uses: digit by digit with its zero (二○二六), or with units (一百零二點八)."""
    whole = numeral.split("點")[0].split("点")[0]
    digit_by_digit = len(whole) > 1 and all(ch in CHINESE_DIGITS for ch in whole) and not any(ch in CHINESE_MYRIADS for ch in whole)
    if digit_by_digit:
        if new % 1:
            return None
        zero = next((ch for ch in whole if ch in _CIRCLES + "零"), "○")
        return "".join(_DIGITS[int(d)] if d != "0" else zero for d in str(int(new)))
    spelled = chinese_numerals(new)
    if spelled is not None and "兩" in numeral and new == 2:
        spelled = "兩"
    return spelled


def _weekday(written: str, day: int, chinese: bool) -> str | None:
    if not 1 <= day <= 7:
        return None
    if chinese:
        last = written[-1:]
        if last not in "一二三四五六日天":
            return None
        return written[:-1] + ("天" if day == 7 and last == "天" else "一二三四五六日"[day - 1])
    name = WEEKDAYS[day - 1]
    plural = "s" if written.lower().endswith("s") and written.lower().rstrip("s") in WEEKDAYS else ""
    return _cased(name, written) + plural


def _time_zh(written: str, hours: Fraction) -> str | None:
    """上午十時, 下午3時30分, 3:30: the new time with the same period word and numerals."""
    minutes = int(hours * 60)
    hour, minute = divmod(minutes, 60)
    if ":" in written:
        return f"{hour}:{minute:02d}" if minutes % 1 == 0 else None
    period = next((p for p in _ZH_PERIODS if written.startswith(p)), "")
    if written in ("中午", "正午"):
        return written if (hour, minute) == (12, 0) else None
    if period:
        if hour == 12 and not minute:
            period = "中午"
        elif hour < 12:
            period = period if _ZH_PERIODS[period] == "am" else "上午"
        else:
            period = period if _ZH_PERIODS[period] == "pm" else "下午"
        hour = hour % 12 or 12
    arabic = bool(re.search(r"[0-9]", written))
    spell = str if arabic else (lambda n: chinese_numerals(Decimal(n)) or "")
    return f"{period}{spell(hour)}時" + (f"{spell(minute)}分" if minute else "")


# English ------------------------------------------------------------------------------------------


def _number_en(written: str, old: Decimal, new: Decimal) -> str | None:
    for match in _ARABIC.finditer(written):
        scale_match = _EN_SCALE_AFTER.match(written, match.end())
        scale = Decimal(1)
        if scale_match:
            name = scale_match.group(1).lower()
            scale = Decimal(ENGLISH_SCALES.get(name) or _EN_SHORT_SCALES[name])
        if _arabic_value(match.group()) * scale != old:
            continue
        digits = _arabic_like(new / scale, match.group(), keep_decimals=scale == 1)
        return None if digits is None else _splice(written, match.start(), match.end(), digits)
    for match in _EN_WORD_RUN.finditer(written):
        if _NUMBER_WORDS.get(int(old)) != match.group().lower() or old % 1:
            continue
        if new % 1 == 0 and int(new) in _NUMBER_WORDS and new <= 10:
            return _splice(written, match.start(), match.end(), _cased(_NUMBER_WORDS[int(new)], match.group()))
        return _splice(written, match.start(), match.end(), _arabic_like(new, "0") or "")
    return None


def _ordinal_en(written: str, new: Decimal) -> str | None:
    if new % 1 or new < 1:
        return None
    number = int(new)
    digits = re.search(r"[0-9]+(?:st|nd|rd|th)", written)
    if digits:
        return _splice(written, digits.start(), digits.end(), f"{number}{ordinal_suffix(number)}")
    word = re.search(r"[A-Za-z]+(?:-[A-Za-z]+)?", written)
    if word is None:
        return None
    spelled = _ORDINAL_WORDS[number - 1] if number <= 10 else f"{number}{ordinal_suffix(number)}"
    return _splice(written, word.start(), word.end(), _cased(spelled, word.group()))


def _month_en(written: str, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    stem = written.rstrip(".")
    name = MONTHS[month - 1]
    if stem.lower() not in MONTHS:  # an abbreviation: Nov, Nov., Sept
        name = "sept" if month == 9 and len(stem) == 4 else name[:3]
    return _cased(name, stem) + written[len(stem):]


def _time_en(written: str, hours: Fraction) -> str | None:
    """3.30pm, 10am, 15:30, noon: the new time written the same way."""
    minutes = hours * 60
    if minutes.denominator != 1:
        return None
    hour, minute = divmod(int(minutes), 60)
    if re.fullmatch(r"[0-9]{1,2}:[0-9]{2}", written):
        return f"{hour}:{minute:02d}"
    if written.lower() in ("noon", "midday", "12 noon"):
        return written if (hour, minute) == (12, 0) else None
    period = re.search(r"(a\.m\.|p\.m\.|am|pm)$", written, re.I)
    if period is None:
        return None
    separator = ":" if ":" in written else "."
    am = period.group()
    pm = {"am": "pm", "a.m.": "p.m.", "AM": "PM", "A.M.": "P.M."}.get(am, am) if hour >= 12 else \
        {"pm": "am", "p.m.": "a.m.", "PM": "AM", "P.M.": "A.M."}.get(am, am)
    space = " " if re.search(r"\s(?:a\.m\.|p\.m\.|am|pm)$", written, re.I) else ""
    clock = hour % 12 or 12
    return f"{clock}" + (f"{separator}{minute:02d}" if minute else "") + space + pm


# Both ---------------------------------------------------------------------------------------------


def _arabic_value(digits: str) -> Decimal:
    return Decimal(digits.replace(",", "").replace(" ", ""))


def _arabic_like(value: Decimal, like: str, *, keep_decimals: bool = True) -> str | None:
    """``value`` in digits grouped as ``like`` is (comma, space, none), with at least its decimals.

    An index or a yield keeps its precision (``1.660``, ``103.0``); an amount
    with a scale does not (``24.4 million`` → ``25 million``).
    """
    if value < 0:
        return None
    decimals = len(like.partition(".")[2]) if keep_decimals else 0
    value = value.normalize()
    needed = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 0
    if needed > 4:
        return None
    text = f"{value:.{max(decimals, needed)}f}"
    whole, point, fraction = text.partition(".")
    grouping = "," if "," in like else " " if re.search(r"[0-9] [0-9]{3}", like) else ""
    if grouping or len(whole) > 4 and "," in like:
        whole = f"{int(whole):,}".replace(",", grouping)
    return whole + point + fraction


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def _splice(text: str, start: int, end: int, middle: str) -> str:
    return text[:start] + middle + text[end:]
