from __future__ import annotations

from pipeline.checks.script import check_script, simplified_only, traditional_only


def test_simplified_characters_in_a_traditional_locale_are_named_with_their_traditional_forms() -> None:
    [problem] = check_script("粵港金融合作专家小组今日会面。", "zh-Hant-HK")
    assert problem.check == "script-mismatch"
    assert "专 (專)" in problem.message and "组 (組)" in problem.message and "会 (會)" in problem.message


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


def test_script_comes_from_likely_subtags_and_other_languages_are_skipped() -> None:
    assert list(check_script("这们", "zh-TW")) and list(check_script("這們", "zh-CN"))
    assert list(check_script("这们", "en")) == []


def test_tables_are_opencc_sized() -> None:
    assert len(simplified_only()) > 2000 and len(traditional_only()) > 2000
