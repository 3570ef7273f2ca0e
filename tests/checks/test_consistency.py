from __future__ import annotations

from pipeline.checks.consistency import inconsistent_translations
from pipeline.model import Location, Message


def test_each_occurrence_lists_every_rendering_with_its_place() -> None:
    a = Location("a.po", 10)
    b = Location("b.po", 20)
    c = Location("c.po", 30)
    entries = [
        ("zh_Hant_HK", a, Message("The meeting ended.", "會議結束。")),
        ("zh_Hant_HK", b, Message("The meeting ended.", "會議完結。")),
        ("zh_Hant_HK", c, Message("The meeting ended.", "會議結束。")),
        ("zh_Hans_CN", Location("d.po", 1), Message("The meeting ended.", "会议结束。")),
    ]
    problems = inconsistent_translations(entries)
    assert set(problems) == {("zh_Hant_HK", a), ("zh_Hant_HK", b), ("zh_Hant_HK", c)}
    assert problems[("zh_Hant_HK", b)].message == (
        "translated 2 ways in the workspace: '會議結束。' (a.po:10, c.po:30); '會議完結。' (b.po:20)"
    )


def test_width_and_spacing_differences_are_the_same_translation() -> None:
    entries = [
        ("zh_Hant_HK", Location("a.po", 1), Message("HK$1", "港幣 1 元")),
        ("zh_Hant_HK", Location("b.po", 1), Message("HK$1", "港幣１元")),
    ]
    assert inconsistent_translations(entries) == {}
