"""Lookup: kinds ranked, the score decomposed, penalties, both directions, determinism; on both backends."""

from __future__ import annotations

import pytest
from memory_backends import MemoryAt

from pipeline.glossary.matcher import TermMatcher
from pipeline.memory import MemoryFile, MemoryUnit, TranslationMemory
from pipeline.model import Rendering, Term

TARGET = "zh-Hant-HK"
SOURCE = "The Financial Secretary visited the Bay Area on Monday."


def open_memory(memory_at: MemoryAt, units: list[MemoryUnit]) -> TranslationMemory:
    tm = memory_at()
    tm.refresh([MemoryFile("x.po", "1", lambda: units)])
    return tm


def en(source: str, target: str, origin: str, status: str = "approved", previous: str = "",
       next: str = "") -> MemoryUnit:
    return MemoryUnit(source, target, "en", TARGET, origin, status, previous, next)  # type: ignore[arg-type]


def test_kinds_rank_in_context_exact_normalized_fuzzy(memory_at: MemoryAt) -> None:
    units = [
        en(SOURCE.replace("Monday", "Tuesday"), "財政司司長星期二訪問大灣區。", "x.po:40"),
        en(SOURCE.upper().replace(".", "。"), "財政司司長星期一訪問大灣區（大寫）。", "x.po:30"),
        en(SOURCE, "財政司司長星期一訪問大灣區。", "x.po:20"),
        en(SOURCE, "財政司司長於星期一訪問大灣區。", "x.po:10", previous="He said so.", next="It rained."),
    ]
    with open_memory(memory_at, units) as tm:
        found = tm.lookup(SOURCE, target_language=TARGET, previous="He said so.", next="It rained.")
        assert [(m.kind, m.origin) for m in found] == [
            ("in-context", "x.po:10"), ("exact", "x.po:20"), ("normalized", "x.po:30"), ("fuzzy", "x.po:40")]
        assert [m.score for m in found[:3]] == [100, 100, 100]
        # Without the context, both translations of the one source are exact matches.
        plain = tm.lookup(SOURCE, target_language=TARGET)
        assert [(m.kind, m.origin) for m in plain[:2]] == [("exact", "x.po:10"), ("exact", "x.po:20")]
        assert {m.target for m in plain[:2]} == {"財政司司長於星期一訪問大灣區。", "財政司司長星期一訪問大灣區。"}


def test_fuzzy_score_is_decomposed(memory_at: MemoryAt) -> None:
    units = [en("The index rose 3.5 per cent in March.", "指數於三月上升3.5%。", "x.po:1", "imported")]
    with open_memory(memory_at, units) as tm:
        (match,) = tm.lookup("The index rose 4.5 per cent in April.", target_language=TARGET, min_score=50)
    # 11 tokens each (3 . 5), 9 in common: 2·9/22; 4.5 for 3.5 and April for March: 2 numbers.
    assert match.kind == "fuzzy" and match.similarity == 81.82
    assert match.penalties == (("numbers", 4.0), ("provenance", 2.0))
    assert match.score == 75.82 and match.status == "imported"


def test_min_score_applies_after_penalties(memory_at: MemoryAt) -> None:
    units = [en("The index rose 3.5 per cent in March.", "指數於三月上升3.5%。", "x.po:1", "imported")]
    with open_memory(memory_at, units) as tm:
        assert tm.lookup("The index rose 4.5 per cent in April.", target_language=TARGET, min_score=76) == []
        assert tm.similar("The index rose 4.5 per cent in April.", target_language=TARGET, min_similarity=76)


def test_provenance_ranks_approved_first(memory_at: MemoryAt) -> None:
    query = "The Secretary for Transport and Logistics will visit Tokyo tomorrow."
    base = "The Secretary for Transport and Logistics will visit Seoul tomorrow."
    units = [en(base, "甲", "m.tmx#1", "imported"), en(base, "乙", "x.po:5", "fuzzy"), en(base, "丙", "x.po:9")]
    with open_memory(memory_at, units) as tm:
        found = tm.lookup(query, target_language=TARGET)
    assert [(m.status, m.score) for m in found] == [("approved", 90.91), ("imported", 88.91), ("fuzzy", 85.91)]


def test_glossary_penalty(memory_at: MemoryAt) -> None:
    terms = TermMatcher([Term((("en", Rendering("Bay Area")), (TARGET, Rendering("大灣區")))),
                         Term((("en", Rendering("Northern Metropolis")), (TARGET, Rendering("北部都會區"))))],
                        "en", TARGET)
    units = [en("The Financial Secretary visited the Northern Metropolis on Monday.", "甲", "x.po:1")]
    with open_memory(memory_at, units) as tm:
        (match,) = tm.lookup(SOURCE, target_language=TARGET, min_score=50, terms=terms)
        (plain,) = tm.lookup(SOURCE, target_language=TARGET, min_score=50)
    assert dict(match.penalties) == {"glossary": 6.0}  # Bay Area only in the query, Northern Metropolis only in the unit
    assert plain.penalties == () and match.score == plain.score - 6


def test_chinese_source_is_compared_by_character(memory_at: MemoryAt) -> None:
    units = [MemoryUnit("行政長官今日與代表團會面。", "The Chief Executive met the delegation today.", "zh-Hant-HK", "en",
                        "zh.po:1"),
             MemoryUnit("行政長官今日與代表團會面。", "wrong direction", "en", TARGET, "en.po:1")]
    with open_memory(memory_at, units) as tm:
        found = tm.lookup("行政長官昨日與代表團會面。", source_language="zh-Hant-HK", target_language="en")
        assert tm.lookup("行政長官今日與代表團會面", source_language="zh-Hant-HK", target_language="en")[0].kind == "fuzzy"
    (match,) = found
    assert match.origin == "zh.po:1" and match.similarity == round(100 * 24 / 26, 2)  # 13 characters each, 12 in common


def test_numbers_penalty_reads_chinese_values(memory_at: MemoryAt) -> None:
    units = [MemoryUnit("本年度撥款為十五億元，較去年增加。", "甲", "zh-Hant-HK", "en", "zh.po:1"),
             MemoryUnit("本年度撥款為十六億元，較去年增加。", "乙", "zh-Hant-HK", "en", "zh.po:2")]
    with open_memory(memory_at, units) as tm:
        found = tm.lookup("本年度撥款為15億元，較去年增加。", source_language="zh-Hant-HK", target_language="en",
                          min_score=50)
    assert [(m.origin, dict(m.penalties).get("numbers")) for m in found] == [("zh.po:1", None), ("zh.po:2", 2.0)]


def test_other_target_language_is_not_returned(memory_at: MemoryAt) -> None:
    units = [MemoryUnit(SOURCE, "财政司司长星期一访问大湾区。", "en", "zh-Hans-CN", "cn.po:1")]
    with open_memory(memory_at, units) as tm:
        assert tm.lookup(SOURCE, target_language=TARGET) == []
        assert tm.lookup(SOURCE, target_language="zh_Hans_CN")[0].kind == "exact"


@pytest.mark.parametrize("limit", [1, 2, 3, None])
def test_deterministic_whatever_the_storage_order(memory_at: MemoryAt, limit: int | None) -> None:
    query = "The Secretary for Security will visit the Immigration Department on Friday."
    variants = [query.replace("Friday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday")]
    units = [en(v, f"譯{i}", f"x.po:{i}") for i, v in enumerate(variants)]
    units += [en(v, f"譯{i}", f"y.po:{i}") for i, v in enumerate(variants)]
    with open_memory(memory_at, units) as tm:
        first = tm.lookup(query, target_language=TARGET, limit=limit)
        tm.refresh([MemoryFile("x.po", "2", lambda: units[::-1])])
        assert first == tm.lookup(query, target_language=TARGET, limit=limit)
    assert len(first) == (limit or 8)
    assert [m.origin for m in first] == ["x.po:0", "x.po:1", "x.po:2", "x.po:3", "y.po:0", "y.po:1", "y.po:2",
                                         "y.po:3"][: limit or 8]


def test_similar_agrees_with_brute_force(memory_at: MemoryAt) -> None:
    from rapidfuzz.distance import Indel

    from pipeline.memory.text import tokens

    words = ["the", "fund", "will", "support", "projects", "on", "smart", "mobility", "road", "safety", "and", "data",
             "for", "transport", "users"]
    sources = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
    sources += [" ".join(w for j, w in enumerate(words) if j % k) for k in range(2, 8)]
    units = [en(s, "譯", f"x.po:{i}") for i, s in enumerate(sources)]
    query = " ".join(words[:-1] + ["drivers"])
    with open_memory(memory_at, units) as tm:
        got = {origin for _, _, origin in tm.similar(query, target_language=TARGET, min_similarity=60)}
    want = {u.origin for u in units
            if 100 * Indel.normalized_similarity(tokens(query, "en"), tokens(u.source, "en")) >= 60}
    assert got == want and want
