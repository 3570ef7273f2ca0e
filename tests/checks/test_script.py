from __future__ import annotations

import pytest

from pipeline.checks.script import check_script, simplified_only, traditional_only


def test_simplified_characters_in_a_traditional_locale_are_named_with_their_traditional_forms() -> None:
    [problem] = check_script("粵港金融合作专家小组今日会面。", "zh-Hant-HK")
    assert problem.check == "script-mismatch"
    assert problem.message == "Simplified characters in a Traditional Chinese translation: 专 (專), 组 (組)"


def test_traditional_characters_in_a_simplified_locale() -> None:
    [problem] = check_script("粤港金融合作專家小组", "zh-Hans-CN")
    assert problem.message == "Traditional characters in a Simplified Chinese translation: 專 (专)"


def test_characters_valid_in_both_scripts_are_never_flagged() -> None:
    shared = "干后只台里面云系范制准几余斗舍卷才表"
    assert not any(char in simplified_only() for char in shared)
    assert not any(char in traditional_only() for char in shared)
    assert list(check_script("政府干預市場；皇后像廣場；只有一隻", "zh-Hant-HK")) == []


def test_hong_kong_and_taiwan_standard_forms_are_traditional() -> None:
    assert list(check_script("裏面的綫路着實不錯", "zh-Hant-HK")) == []
    assert list(check_script("秘書處表示峰值溫和，群組温和", "zh-Hant-HK")) == []


@pytest.mark.parametrize("target", [
    "恒生指數全年上升36%。",
    "金管局副總裁阮國恒先生在香港銀行學會年會上發言。",
    "李慧琼辭任「愛國主義教育工作小組」組長",
])  # fmt: skip
def test_forms_hong_kong_writes_are_traditional(target: str) -> None:
    """恒 and 琼 are in Big5-HKSCS: Hong Kong writes them in indices and names every day."""
    assert list(check_script(target, "zh-Hant-HK")) == []


def test_a_simplified_sentence_is_still_flagged_by_its_characters_outside_hkscs() -> None:
    """HKSCS holds 国, 经, 济 and 会 too, so they pass; 这, 议 and 们 are what the finding names."""
    [problem] = check_script("这些国家的经济会议们", "zh-Hant-HK")
    assert problem.message == "Simplified characters in a Traditional Chinese translation: 这 (這), 议 (議), 们 (們)"


def test_no_simplified_only_character_is_in_big5_hkscs() -> None:
    for char in simplified_only():
        with pytest.raises(UnicodeEncodeError):
            char.encode("big5hkscs")


def test_script_comes_from_likely_subtags_and_other_languages_are_skipped() -> None:
    assert list(check_script("这们", "zh-TW")) and list(check_script("這們", "zh-CN"))
    assert list(check_script("这们", "en")) == []


def test_tables_are_opencc_sized() -> None:
    assert len(simplified_only()) > 2000 and len(traditional_only()) > 2000
