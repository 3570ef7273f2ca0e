"""Numerals → exact values, and values → the way each language writes them.

The readers (:mod:`pipeline.numbers.read`) find the numbers in a sentence;
this module only reads and writes numerals:

- Chinese numerals in every form a Hong Kong release uses: 小寫 with units
  (``一百零二點八``), digit by digit (``二○二六``, ``二零二五``), 大寫
  (``壹萬``), ``廿``/``卅``, and Arabic digits scaled by 萬/億 (``2,440萬``);
- English number words (``twenty-three``, ``one hundred and five``, ``ninth``);
- renderings for messages (``24.4 million``, ``2,440萬``).

Values are :class:`decimal.Decimal`, exact: ``1.5`` times 億 is
``150000000``, never a float.
"""

from __future__ import annotations

from decimal import Context, Decimal

# 〇 (U+3007) and ○ (U+25CB, the white circle) are both written for zero in years.
CHINESE_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "二": 2, "貳": 2, "贰": 2, "兩": 2, "两": 2,
    "三": 3, "參": 3, "叁": 3, "叄": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
    "六": 6, "陸": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CHINESE_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CHINESE_MYRIADS = {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8}
CHINESE_TENS = {"廿": 20, "卅": 30}  # 廿一 is 21; used in dates and old-style text
ZEROS = "零〇○"
NUMERAL_CHARS = "".join([*CHINESE_DIGITS, *CHINESE_UNITS, *CHINESE_MYRIADS, *CHINESE_TENS])
DECIMAL_POINTS = "點点"


def chinese_value(numeral: str) -> Decimal | None:
    """The value of a Chinese numeral, or None when it is not a well-formed one.

    Digit-by-digit forms (no 十百千萬億) are read as a digit string: that is how
    years (``二○二六``) and decimals after 點 are written.

    >>> chinese_value("一百零二點八"), chinese_value("二千四百四十萬"), chinese_value("二○二六")
    (Decimal('102.8'), Decimal('24400000'), Decimal('2026'))
    >>> chinese_value("廿二"), chinese_value("三點五萬"), chinese_value("十十")
    (Decimal('22'), Decimal('35000'), None)
    """
    whole, point, fraction = numeral.partition("點" if "點" in numeral else "点")
    scale = 1
    if point:
        # 三點五萬: a myriad after the decimals scales the whole number.
        while fraction and fraction[-1] in CHINESE_MYRIADS:
            scale *= CHINESE_MYRIADS[fraction[-1]]
            fraction = fraction[:-1]
        if not fraction or any(ch not in CHINESE_DIGITS for ch in fraction):
            return None
    integer = _chinese_integer(whole) if whole else None
    if integer is None:
        return None
    value = Decimal(integer)
    if point:
        value += Decimal("0." + "".join(str(CHINESE_DIGITS[ch]) for ch in fraction))
    return normal(value * scale)


def is_digit_string(numeral: str) -> bool:
    """True for numerals written digit by digit (``二○二六``), which have no unit characters."""
    return len(numeral) > 1 and all(ch in CHINESE_DIGITS for ch in numeral)


def _chinese_integer(text: str) -> int | None:
    if is_digit_string(text):
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    for myriad in ("億", "亿", "萬", "万"):
        if myriad in text:
            head, _, tail = text.rpartition(myriad) if myriad in "億亿" else text.partition(myriad)
            high = _chinese_integer(head) if head else None
            low = _chinese_integer(tail) if tail else 0
            if high is None or low is None or low >= CHINESE_MYRIADS[myriad]:
                return None
            return high * CHINESE_MYRIADS[myriad] + low
    return _below_myriad(text)


def _below_myriad(text: str) -> int | None:
    """一千零二 → 1002; units must fall (千 before 百 before 十), as they do in a real numeral."""
    total, digit, last_unit = 0, None, 10**4
    for ch in text:
        if ch in CHINESE_DIGITS:
            if digit is not None and digit != 0:
                return None  # 二三 is not a numeral with units
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_UNITS or ch in CHINESE_TENS:
            unit = CHINESE_UNITS.get(ch, 10)
            if unit >= last_unit:
                return None
            if ch in CHINESE_TENS:
                if digit:
                    return None
                total += CHINESE_TENS[ch]
            else:
                if digit == 0 and unit != 10:
                    return None
                total += (1 if not digit else digit) * unit  # 零十萬 is read as 零一十萬
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)


ENGLISH_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
ENGLISH_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
ENGLISH_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
ENGLISH_ORDINALS = {
    "first": "one", "second": "two", "third": "three", "fifth": "five", "eighth": "eight", "ninth": "nine",
    "twelfth": "twelve", "twentieth": "twenty", "thirtieth": "thirty", "fortieth": "forty", "fiftieth": "fifty",
    "sixtieth": "sixty", "seventieth": "seventy", "eightieth": "eighty", "ninetieth": "ninety",
}


def english_word(word: str) -> tuple[str, bool]:
    """The cardinal of ``word`` and whether it was an ordinal: ninth → (nine, True), sixth → (six, True)."""
    word = word.lower()
    if word in ENGLISH_ORDINALS:
        return ENGLISH_ORDINALS[word], True
    if word.endswith("th") and (word[:-2] in ENGLISH_UNITS or word[:-2] in ENGLISH_SCALES):
        return word[:-2], True
    return word, False


def english_value(words: list[str]) -> int | None:
    """The value of a run of English number words (hyphens and ``and`` already removed).

    >>> english_value(["one", "hundred", "five"]), english_value(["twenty", "three"]), english_value(["two", "three"])
    (105, 23, None)
    >>> english_value(["two", "point", "five"]) is None, english_value(["a", "million"])
    (True, 1000000)
    """
    total, current, last = 0, 0, ""  # last: the kind of the previous word, to reject "two three"
    for position, word in enumerate(words):
        if word == "a" and position == 0:
            current, last = 1, "unit"
        elif word in ENGLISH_UNITS:
            if last in ("unit", "teen") or (last == "tens" and ENGLISH_UNITS[word] >= 10):
                return None
            current += ENGLISH_UNITS[word]
            last = "teen" if ENGLISH_UNITS[word] >= 10 else "unit"
        elif word in ENGLISH_TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += ENGLISH_TENS[word]
            last = "tens"
        elif word == "hundred":
            if last not in ("unit", "teen"):
                return None
            current = (current % 100) * 100 + (current - current % 100)
            last = "hundred"
        elif word in ENGLISH_SCALES:
            if not last or last == "scale":
                return None
            total += (current or 1) * ENGLISH_SCALES[word]
            current, last = 0, "scale"
        else:
            return None
    return total + current


def format_english(value: Decimal, kind: str = "number") -> str:
    """How an English release writes ``value``: 24.4 million, 119,900, 3.6%.

    >>> format_english(Decimal(24400000)), format_english(Decimal(119900)), format_english(Decimal("3.6"), "percent")
    ('24.4 million', '119,900', '3.6%')
    """
    if kind == "percent":
        return f"{_plain(value)}%"
    for name, scale in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if abs(value) >= scale and _short(value / scale):
            return f"{_plain(value / scale)} {name}"
    return _grouped(value)


def format_chinese(value: Decimal, kind: str = "number") -> str:
    """How a Hong Kong Chinese release writes ``value`` in digits: 2,440萬, 15億, 119,900, 3.6%.

    >>> format_chinese(Decimal(24400000)), format_chinese(Decimal(1500000000)), format_chinese(Decimal(119900))
    ('2,440萬', '15億', '119,900')
    """
    if kind == "percent":
        return f"{_plain(value)}%"
    for name, scale in (("萬億", 10**12), ("億", 10**8), ("萬", 10**4)):
        if abs(value) >= scale and (value / scale) == (value / scale).to_integral_value():
            return f"{_grouped(value / scale)}{name}"
    for name, scale in (("億", 10**8),):
        if abs(value) >= scale and _short(value / scale):
            return f"{_grouped(value / scale)}{name}"
    return _grouped(value)


def _short(value: Decimal) -> bool:
    """At most two decimals: 24.4 million reads well, 24.4125 million does not."""
    return value * 100 == (value * 100).to_integral_value()


def normal(value: Decimal) -> Decimal:
    """One form per value (1.0 and 1 compare equal already; this keeps their text equal too).

    Integers lose their exponent (``1E+3`` is ``1000``) at whatever precision their digits need.
    """
    value = value.normalize()
    if value != value.to_integral_value():
        return value
    return value.quantize(Decimal(1), context=Context(prec=max(28, value.adjusted() + 1)))


def _plain(value: Decimal) -> str:
    return format(normal(value), "f")


def _grouped(value: Decimal) -> str:
    text = _plain(value)
    whole, point, fraction = text.partition(".")
    return f"{int(whole):,}{point}{fraction}"
