"""Locale identifiers: Babel/POSIX form (``zh_Hant_HK``) in paths and PO headers,
BCP 47 (``zh-Hant-HK``) in XML, HTML, TMX and XLIFF.

Users write either form in any case; Duet keeps the parts they wrote (``zh_HK``
stays ``zh_HK``, it is not expanded to ``zh_Hant_HK``) so that paths match what
they expect, and asks Babel's CLDR data whether the locale exists at all.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale, UnknownLocaleError
from babel.core import parse_locale
from babel.dates import format_date


class UnknownLocale(ValueError):
    """Raised with a message fit for users; callers attach the location."""


@functools.lru_cache(maxsize=256)
def normalize(value: str) -> str:
    """Return the canonical POSIX identifier of ``value`` or raise ``UnknownLocale``.

    >>> normalize("zh-hant-hk")
    'zh_Hant_HK'
    >>> normalize("EN")
    'en'
    """
    if not isinstance(value, str) or not value.strip():
        raise UnknownLocale(f"invalid locale {value!r}")
    try:
        language, territory, script, variant = parse_locale(value.strip().replace("-", "_"))[:4]
        Locale.parse("_".join(p for p in (language, script, territory, variant) if p))
    except (ValueError, UnknownLocaleError) as exc:
        raise UnknownLocale(f"unknown locale {value!r}") from exc
    return "_".join(p for p in (language, script, territory, variant) if p)


def to_bcp47(value: str) -> str:
    """``zh_Hant_HK`` → ``zh-Hant-HK``.

    >>> to_bcp47("zh_Hant_HK")
    'zh-Hant-HK'
    """
    return normalize(value).replace("_", "-")


def babel_locale(value: str) -> Locale:
    """The Babel ``Locale`` for plural forms, display names and dates."""
    return Locale.parse(normalize(value))


HOME_TERRITORY = "HK"
"""The region Duet publishes for: it completes locales that name no territory when dating pages."""


def display_name(value: str, in_locale: str | None = None) -> str:
    """The CLDR name of a locale, in its own language unless ``in_locale`` is given.

    Headings and language links use these, so each language is named as its
    readers write it.

    >>> display_name("zh_Hant_HK")
    '中文 (繁體字, 中國香港特別行政區)'
    >>> display_name("en")
    'English'
    >>> display_name("en", in_locale="zh-Hant-HK")
    '英文'
    """
    locale = babel_locale(value)
    name = locale.get_display_name(babel_locale(in_locale) if in_locale else locale)
    return name or normalize(value)


def date_locale(value: str) -> Locale:
    """The Babel locale whose CLDR date patterns a page in ``value`` uses.

    A locale that names no territory takes Hong Kong's (``HOME_TERRITORY``):
    bare ``en`` in CLDR is American English, which dates ``November 24, 2026``,
    while Hong Kong government releases in English write ``24 November 2026``
    (``en_HK``, the same long pattern as ``en_GB``). Locales that name a
    territory keep it.

    >>> date_locale("en")
    Locale('en', territory='HK')
    >>> date_locale("zh_Hant_HK")
    Locale('zh', territory='HK', script='Hant')
    >>> date_locale("en_US")
    Locale('en', territory='US')
    """
    locale = babel_locale(value)
    if locale.territory:
        return locale
    try:
        return Locale(locale.language, territory=HOME_TERRITORY, script=locale.script, variant=locale.variant)
    except UnknownLocaleError:  # a language CLDR has no Hong Kong data for keeps its own patterns
        return locale


def format_release_date(iso_date: str, value: str) -> str:
    """A release date (ISO ``YYYY-MM-DD``, optionally ``THH:MM``) in the long form of locale ``value``.

    The time, when given, is not shown: pages show it separately if at all.
    Raises ``ValueError`` for a date that is not ISO 8601.

    >>> format_release_date("2026-11-24", "zh_Hant_HK")
    '2026年11月24日'
    >>> format_release_date("2026-11-24T17:02", "en")
    '24 November 2026'
    >>> format_release_date("2026-11-24", "zh-Hans-CN")
    '2026年11月24日'
    """
    moment = dt.datetime.fromisoformat(iso_date.strip())
    return format_date(moment.date(), format="long", locale=date_locale(value))
