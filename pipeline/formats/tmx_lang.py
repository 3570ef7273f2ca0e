"""Which configured locale a TMX ``xml:lang`` stands for: CLDR likely subtags, ranked.

TMX files in the wild tag Chinese every way there is (``zh-HK``, ``ZH-HK``,
``zh_HK``, ``zh-Hant``, ``zh-TW``, ``zh-cn``, bare ``zh``); a workspace is
configured with a few locales (``en``, ``zh_Hant_HK``). A tag *fits* a
configured locale when both have the same language and, after CLDR's
likely-subtags expansion, the same script. Among fitting tags:

* rank 0, the same locale: the expansions are equal (``zh-HK``, ``zh_HK``,
  ``ZH-HK``, ``zh-Hant-HK`` for ``zh_Hant_HK``; ``en``, ``en-US`` for ``en``);
* rank 1, no region to disagree on: one side names no region (``zh-Hant`` for
  ``zh_Hant_HK``; ``en-GB`` for ``en``);
* rank 2, another region of the same script: ``zh-TW``, ``zh-MO`` for
  ``zh_Hant_HK``; ``zh-SG`` for ``zh_Hans_CN``. Used only when nothing
  better is there (see ``assign``).

Bare ``zh`` expands to ``zh_Hans_CN``: it fits a Simplified target, never
``zh_Hant_HK`` (CLDR's reading, and what tools that write bare ``zh`` mean in
practice). Tags Babel does not know (``zh-yue``, ``x-klingon``, ``*all*``)
fit nothing. Variants (``de-1996``) are ignored.

This belongs in ``pipeline.locales`` (as ``maximize``/``fit``) once another
module needs it.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import typing as t

from babel.core import get_global, parse_locale

from .. import locales

Subtags = tuple[str, str | None, str | None]  # language, script, region


class _Tag(t.NamedTuple):
    written: Subtags
    maximal: Subtags


@functools.lru_cache(maxsize=512)
def _tag(value: str) -> _Tag | None:
    try:
        posix = locales.normalize(value)
    except locales.UnknownLocale:
        return None
    language, region, script = parse_locale(posix)[:3]
    return _Tag((language, script, region), maximize(language, script, region))


def maximize(language: str, script: str | None = None, region: str | None = None) -> Subtags:
    """Fill the missing script and region from CLDR's likely subtags.

    >>> maximize("zh", region="HK")
    ('zh', 'Hant', 'HK')
    >>> maximize("zh", "Hant")
    ('zh', 'Hant', 'TW')
    >>> maximize("zh")
    ('zh', 'Hans', 'CN')
    """
    table: dict[str, str] = get_global("likely_subtags")
    keys = (
        f"{language}_{script}_{region}" if script and region else "",
        f"{language}_{region}" if region else "",
        f"{language}_{script}" if script else "",
        language,
    )
    for key in keys:
        if key and key in table:
            likely_language, likely_region, likely_script = parse_locale(table[key])[:3]
            return language, script or likely_script, region or likely_region
    return language, script, region


def fit(tag: str, locale: str) -> int | None:
    """How well the TMX language ``tag`` fits the configured ``locale``: 0 best, None not at all.

    >>> [fit(tag, "zh_Hant_HK") for tag in ("zh_HK", "ZH-HK", "zh-Hant", "zh-TW", "zh-CN", "zh")]
    [0, 0, 1, 2, None, None]
    >>> [fit(tag, "en") for tag in ("EN", "en-US", "en-gb", "fr")]
    [0, 0, 1, None]
    """
    found, wanted = _tag(tag), _tag(locale)
    if found is None or wanted is None or found.maximal[:2] != wanted.maximal[:2]:
        return None
    if found.maximal == wanted.maximal:
        return 0
    if found.written[2] is None or wanted.written[2] is None:
        return 1
    return 2


def assign(tags: cabc.Sequence[str], configured: cabc.Sequence[str]) -> dict[str, int]:
    """For each configured locale, the index in ``tags`` of the variant that stands for it.

    A tag goes only to the configured locales it fits best (``zh-TW`` goes to
    ``zh_Hant_TW`` if that is configured, to ``zh_Hant_HK`` otherwise); each
    locale takes the best-ranked tag, the first one on a tie.

    >>> assign(["zh-TW", "en-US", "zh-HK"], ["en", "zh_Hant_HK"])
    {'en': 1, 'zh_Hant_HK': 2}
    >>> assign(["zh-TW", "zh-HK"], ["zh_Hant_HK", "zh_Hant_TW"])
    {'zh_Hant_HK': 1, 'zh_Hant_TW': 0}
    """
    chosen: dict[str, tuple[int, int]] = {}
    for index, tag in enumerate(tags):
        ranks = {locale: rank for locale in configured if (rank := fit(tag, locale)) is not None}
        if not ranks:
            continue
        best = min(ranks.values())
        for locale, rank in ranks.items():
            if rank == best and (locale not in chosen or rank < chosen[locale][0]):
                chosen[locale] = (rank, index)
    return {locale: chosen[locale][1] for locale in configured if locale in chosen}
