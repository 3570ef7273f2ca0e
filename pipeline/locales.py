"""Locale identifiers: Babel/POSIX form (``zh_Hant_HK``) in paths and PO headers,
BCP 47 (``zh-Hant-HK``) in XML, HTML, TMX and XLIFF.

Users write either form in any case; Duet keeps the parts they wrote (``zh_HK``
stays ``zh_HK``, it is not expanded to ``zh_Hant_HK``) so that paths match what
they expect, and asks Babel's CLDR data whether the locale exists at all.
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError
from babel.core import parse_locale


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
