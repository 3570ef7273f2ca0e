from __future__ import annotations

import pytest

from pipeline import locales


@pytest.mark.parametrize(
    ("given", "posix", "bcp47"),
    [("zh_Hant_HK", "zh_Hant_HK", "zh-Hant-HK"), ("zh-hant-hk", "zh_Hant_HK", "zh-Hant-HK"),
     ("zh_HK", "zh_HK", "zh-HK"), ("EN", "en", "en"), ("zh-Hans-CN", "zh_Hans_CN", "zh-Hans-CN")],
)
def test_both_forms_normalize(given: str, posix: str, bcp47: str) -> None:
    assert locales.normalize(given) == posix
    assert locales.to_bcp47(given) == bcp47


@pytest.mark.parametrize("bad", ["", "xx", "klingon", "zh_Hant_XX1", "en--US"])
def test_unknown_locales_are_refused(bad: str) -> None:
    with pytest.raises(locales.UnknownLocale):
        locales.normalize(bad)


def test_babel_locale_gives_cldr_data() -> None:
    assert locales.babel_locale("zh_Hant_HK").get_display_name("en") == "Chinese (Traditional, Hong Kong SAR China)"
