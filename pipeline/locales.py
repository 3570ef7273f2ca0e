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
from babel.core import get_global, parse_locale
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


def likely_subtags(value: str) -> tuple[str, str, str, str]:
    """Language, script, territory and variant of ``value`` with CLDR's likely subtags filled in.

    Two spellings name the same locale when these agree: ``zh_HK`` is
    ``zh_Hant_HK``, while bare ``zh`` is Simplified Chinese of China.

    >>> likely_subtags("zh_HK")
    ('zh', 'Hant', 'HK', '')
    >>> likely_subtags("zh")
    ('zh', 'Hans', 'CN', '')
    """
    language, territory, script, variant = parse_locale(normalize(value))[:4]
    likely = get_global("likely_subtags")
    for key in ("_".join(p for p in (language, script, territory) if p),
                "_".join(p for p in (language, territory) if p),
                "_".join(p for p in (language, script) if p), language):
        if key in likely:
            full = parse_locale(likely[key])
            return language, script or full[2] or "", territory or full[1] or "", variant or ""
    return language, script or "", territory or "", variant or ""


def same_locale(first: str, second: str) -> bool:
    """Whether two identifiers name one locale (``zh_HK``, ``zh-Hant-HK``, ``zh_Hant_HK``); unknown ones name none.

    >>> same_locale("zh_HK", "zh-hant-hk"), same_locale("zh_TW", "zh_Hant_HK")
    (True, False)
    """
    try:
        return likely_subtags(first) == likely_subtags(second)
    except UnknownLocale:
        return False


def po_language(value: str) -> str:
    """The ``Language`` field of a PO header for locale ``value``: gettext's ``ll_CC`` wherever it says the same.

    gettext documents ``ll_CC`` and ``ll_CC@variant`` for this field, and Poedit
    3.2 keeps only those: it cannot read ``zh_Hant_HK`` (its ``Language::TryParse``
    takes ``ll_CC`` or a BCP 47 tag), guesses Chinese from the translations and
    saves ``zh_TW``. The script is dropped only where CLDR implies it from
    language and territory, so a Simplified Hong Kong locale keeps its full name.

    >>> po_language("zh_Hant_HK"), po_language("zh-Hans-CN"), po_language("zh_Hans_HK"), po_language("en")
    ('zh_HK', 'zh_CN', 'zh_Hans_HK', 'en')
    """
    language, territory, script, variant = parse_locale(normalize(value))[:4]
    if script and territory and not variant and likely_subtags(f"{language}_{territory}")[1] == script:
        return f"{language}_{territory}"
    return normalize(value)


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
    CLDR's ``en_HK`` dates ``24 November 2026``, as ``en_GB`` does. The
    Government's own releases in English write ``November 24, 2026``; pages
    use that house style (``formats/bundle_html_dates.py``), not CLDR's.
    Locales that name a territory keep it.

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
