"""Release dates and the closing trailer as the Hong Kong Government's press releases write them.

The Information Services Department dates an English release ``January 22,
2026`` and closes it with ``Ends/Thursday, January 22, 2026`` and ``Issued at
HKT 17:02``; the Chinese release writes the date in Chinese numerals
(二○二六年一月二十二日, ○ for zero) and closes with 完, ``2026年1月22日（星期四）``
and ``香港時間17時02分``. Other languages get their CLDR long date and no
trailer. A release's time is Hong Kong time; a time with another offset is
converted to it.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from .. import locales
from ..export import HKT
from ..numbers.style import chinese_numerals

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = "一二三四五六日"
_YEAR_DIGITS = "○一二三四五六七八九"


def release_moment(iso: str) -> tuple[dt.date, dt.time | None]:
    """The day of an ISO 8601 release date and its time of day in Hong Kong, if it gives one.

    Raises ``ValueError`` for a date that is not ISO 8601.

    >>> release_moment("2026-01-22T17:02"), release_moment("2026-01-22T09:02+00:00")[1], release_moment("2026-01-22")
    ((datetime.date(2026, 1, 22), datetime.time(17, 2)), datetime.time(17, 2), (datetime.date(2026, 1, 22), None))
    """
    text = iso.strip()
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(HKT)
    return moment.date(), moment.time() if "T" in text or " " in text else None


def dateline(iso: str, language: str) -> str:
    """The release's date as a release in ``language`` writes it.

    >>> dateline("2026-01-22T17:02", "en"), dateline("2026-01-22", "zh-Hant-HK"), dateline("2026-01-22", "fr")
    ('January 22, 2026', '二○二六年一月二十二日', '22 janvier 2026')
    """
    day, _ = release_moment(iso)
    family, _ = _language_and_script(language)
    if family == "en":
        return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if family == "zh":
        year = "".join(_YEAR_DIGITS[int(digit)] for digit in str(day.year))
        return f"{year}年{chinese_numerals(Decimal(day.month))}月{chinese_numerals(Decimal(day.day))}日"
    return locales.format_release_date(iso, language)


def trailer(iso: str, language: str) -> tuple[str, ...]:
    """The lines that close a release in ``language``; none for a language without a house style.

    >>> trailer("2026-01-22T17:02", "en")
    ('Ends/Thursday, January 22, 2026', 'Issued at HKT 17:02')
    >>> trailer("2026-01-22T17:02", "zh-Hant-HK"), trailer("2026-01-22", "zh-Hans-CN")
    (('完', '2026年1月22日（星期四）', '香港時間17時02分'), ('完', '2026年1月22日（星期四）'))
    """
    day, time = release_moment(iso)
    family, script = _language_and_script(language)
    if family == "en":
        lines = [f"Ends/{_WEEKDAYS[day.weekday()]}, {dateline(iso, language)}"]
        if time is not None:
            lines.append(f"Issued at HKT {time:%H:%M}")
        return tuple(lines)
    if family == "zh":
        lines = ["完", f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS_ZH[day.weekday()]}）"]
        if time is not None:
            hong_kong_time, hours = ("香港时间", "时") if script == "Hans" else ("香港時間", "時")
            lines.append(f"{hong_kong_time}{time:%H}{hours}{time:%M}分")
        return tuple(lines)
    return ()


@functools.lru_cache(maxsize=64)
def _language_and_script(language: str) -> tuple[str, str | None]:
    """The language and script Babel reads in a tag, once per tag (every page asks for the same few)."""
    locale = locales.babel_locale(language)
    return locale.language, locale.script
