from __future__ import annotations

import pytest

from pipeline import checks
from pipeline.checks import CheckedCatalog
from pipeline.checks.consistency import inconsistent_translations
from pipeline.model import Catalog, Location, Message


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


def test_catalogs_not_reported_only_feed_the_consistency_of_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[tuple[str, str]] = []
    original = checks.map_forked

    def recording(function, work, **kwargs):  # type: ignore[no-untyped-def]
        checked.extend((source, target) for _, source, target in work)
        return original(function, work, **kwargs)

    monkeypatch.setattr(checks, "map_forked", recording)
    changed = Catalog(Message(""), (Message("The ninth meeting.", "第九次會議。", line=4),), path="changed.po")
    other = Catalog(Message(""), (Message("The ninth meeting.", "第九次會議召開。", line=7),
                                  Message("It rose 3%.", "上升百分之五。", line=9)), path="other.po")
    findings = checks.check_catalogs(
        [CheckedCatalog(changed, "zh_Hant_HK"), CheckedCatalog(other, "zh_Hant_HK", report=False)],
        source_language="en",
    )
    assert [(f.check, f.loc.path, f.loc.line) for f in findings] == [("inconsistent-translation", "changed.po", 4)]
    assert "other.po:7" in findings[0].message
    assert checked == [("The ninth meeting.", "第九次會議。")]  # the other file's pairs are not checked
