from __future__ import annotations

import pytest

from pipeline.checks.punctuation import check_punctuation


def problems(source: str, target: str, chinese: bool = True) -> list[str]:
    return [p.message for p in check_punctuation(source, target, target_is_chinese=chinese)]


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("會議今日舉行,商討合作。", "half-width ','"),
        ("他說:兩地合作。", "half-width ':'"),
        ("香港金融管理局(金管局)今日公布。", "half-width '('"),
        ("總結餘(進行貼現窗活動前)上升。", "half-width '('"),
        ("會議今日舉行.", "half-width '.'"),
        ("你好嗎?", "half-width '?'"),
        ("他說：「兩地合作。", "'「' is never closed"),
        ("他說：兩地合作。」", "'」' closes nothing"),
        ("《基本法（第一章》）", "'》' closes nothing"),
        ("會議今日舉行", "does not end with a full stop"),
    ],
)
def test_planted_slips_are_found(target: str, fragment: str) -> None:
    found = problems("The meeting was held today.", target)
    assert any(fragment in message for message in found), found


@pytest.mark.parametrize(
    "target",
    [
        "會議今日舉行，商討合作。",
        "撥款為2,440萬元，增長3.5%。",
        "詳情請瀏覽www.info.gov.hk。",
        "他說：「兩地合作將進一步加強。」",
        "《內地與香港關於建立更緊密經貿關係的安排》（CEPA）已實施。",
        "會議於下午3:30舉行。",
        "HKMA與SFC今日會面。",
        "他問：「為甚麼？」",
        "分布式分類帳技術(DLT)已應用。",
        "(i) 保障資本；第3(1)條。",
        "網址以「.gov.hk」結尾。",
    ],
)
def test_correct_chinese_is_left_alone(target: str) -> None:
    assert problems("The meeting was held today.", target) == []


def test_no_full_stop_is_needed_where_the_source_has_none() -> None:
    assert problems("Expert group meets", "專家小組會面") == []


def test_english_translations_must_not_hold_full_width_marks() -> None:
    assert problems("會議今日舉行。", "The meeting was held today，in Foshan.", chinese=False) == [
        "full-width '，' in a translation that is not Chinese"
    ]
    assert problems("會議今日舉行。", "The meeting was held today.", chinese=False) == []
