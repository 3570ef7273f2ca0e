"""Glossary: loading, column choice by locale, matchers per direction, lint."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.formats.po import read_po
from pipeline.glossary import Glossary, TermHit, dump_glossary, load_glossary
from pipeline.model import Location, Rendering, Term

from paths import REPO

SAMPLE = REPO / "locales" / "glossary.csv"
SAMPLE_PO = REPO / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "hk-gd-financial-cooperation.po"


def glossary(*columns: str) -> Glossary:
    return Glossary([Term(tuple((c, Rendering(f"{c} term")) for c in columns))])


@pytest.mark.parametrize(("columns", "locale", "expected"), [
    (("en", "zh-Hant-HK", "zh-Hans-CN"), "zh_Hant_HK", "zh-Hant-HK"),
    (("en", "zh-Hans-CN", "zh-HK"), "zh_Hant_HK", "zh-HK"),
    (("en", "zh-Hant"), "zh_Hant_HK", "zh-Hant"),
    (("en", "zh-Hant-TW", "zh-Hant-HK"), "zh-Hant-HK", "zh-Hant-HK"),
    (("en", "zh-Hant-TW", "zh-Hant-MO"), "zh_HK", "zh-Hant-TW"),
    (("en", "zh-Hans-CN"), "zh_Hant_HK", None),
    (("en", "zh"), "zh_Hans_CN", "zh"),
    (("en", "zh"), "zh_Hant_HK", None),
    (("en-GB", "zh-Hant-HK"), "en", "en-GB"),
])
def test_column_for_locale(columns: tuple[str, ...], locale: str, expected: str | None) -> None:
    assert glossary(*columns).column_for(locale) == expected


def test_matcher_without_a_column_is_refused_with_the_glossary_path() -> None:
    g = Glossary(glossary("en", "zh-Hant-HK").terms, path="locales/glossary.csv")
    with pytest.raises(InputError, match=r"locales/glossary.csv: the glossary has no column for the target locale zh_Hans_CN"):
        g.matcher("en", "zh_Hans_CN")


def test_matchers_are_built_once_per_direction() -> None:
    g = load_glossary(SAMPLE)
    assert g.matcher("en", "zh_Hant_HK") is g.matcher("en", "zh-Hant-HK")
    assert g.matcher("zh_Hant_HK", "en") is not g.matcher("en", "zh_Hant_HK")


def test_sample_translation_has_every_term_rendered_and_nothing_forbidden() -> None:
    matcher = load_glossary(SAMPLE).matcher("en", "zh_Hant_HK")
    hits = 0
    for message in read_po(SAMPLE_PO).live:
        for hit in matcher.find(message.id):
            hits += 1
            assert matcher.renders(message.string, hit), (hit.text, message.string)
            assert matcher.forbidden_in(message.string, hit) == []
    assert hits >= 20


def test_chinese_source_direction_on_the_sample() -> None:
    matcher = load_glossary(SAMPLE).matcher("zh_Hant_HK", "en")
    hits = matcher.find("粵港澳大灣區的跨境人民幣業務")
    assert [(h.text, h.expected.approved) for h in hits] == [
        ("粵港澳大灣區", "Guangdong-Hong Kong-Macao Bay Area"), ("跨境", "cross-boundary"), ("人民幣", "renminbi")]
    assert matcher.renders("the Guangdong–Hong Kong–Macao Bay Area's cross boundary Renminbi", hits[0])


def test_load_by_suffix_and_dump(tmp_path: Path) -> None:
    sample = load_glossary(SAMPLE)
    dump_glossary(tmp_path / "g.tbx", sample.terms)
    dump_glossary(tmp_path / "g.csv", load_glossary(tmp_path / "g.tbx").terms)
    assert (tmp_path / "g.csv").read_bytes() == SAMPLE.read_bytes()
    with pytest.raises(InputError, match=r"g.xlsx: unknown glossary format '.xlsx'"):
        load_glossary(tmp_path / "g.xlsx")


def test_an_all_empty_csv_column_is_still_a_language(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("en,zh-Hant-HK,zh-Hans-CN\nfintech,金融科技,\n", encoding="utf-8")
    g = load_glossary(path, display="g.csv")
    assert g.languages == ("en", "zh-Hant-HK", "zh-Hans-CN")
    assert [str(i) for i in g.lint()] == ["g.csv:2: warning: empty-target: 'fintech' has no approved zh-Hans-CN rendering"]


LINTED = """\
en,zh-Hant-HK,zh-Hant-HK:variants,zh-Hant-HK:forbidden,note
Bay Area,大灣區,,,
bay area,大灣區,,,
Co-operation,合作,,,
co operation,協作,,,
cross-boundary,跨境,跨界,跨界,
green finance,,綠色融資,,
,金融,,,
Guangdong-Hong Kong-Macao Bay Area,粵港澳大灣區,,,
Hong Kong Monetary Authority (HKMA),香港金融管理局（金管局）,,,
HKMA,金管處,,ＨＫＭＡ,
"""


def test_lint_reports_every_kind_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(LINTED, encoding="utf-8")
    issues = load_glossary(path, display="glossary.csv").lint("en")
    assert [(i.loc.line if i.loc else None, i.code) for i in issues] == [
        (2, "nested-term"),
        (3, "duplicate-term"),
        (3, "nested-term"),
        (5, "conflicting-targets"),
        (6, "forbidden-approved"),
        (7, "empty-target"),
        (8, "empty-source"),
        (11, "nested-term"),
    ]
    text = [str(i) for i in issues]
    assert text[1] == "glossary.csv:3: warning: duplicate-term: 'bay area' repeats the term on line 2"
    assert text[3] == ("glossary.csv:5: warning: conflicting-targets: 'co operation' is entered twice with different "
                       "renderings: zh-Hant-HK '協作' here, '合作' on line 4")
    assert text[4] == ("glossary.csv:6: warning: forbidden-approved: zh-Hant-HK '跨界' is both forbidden and the "
                       "accepted variant rendering '跨界'")
    assert text[5] == "glossary.csv:7: warning: empty-target: 'green finance' has no approved zh-Hant-HK rendering (only variants: 綠色融資)"
    assert text[6] == "glossary.csv:8: warning: empty-source: '金融' has no en term: it can never be found"
    assert text[0] == ("glossary.csv:2: warning: nested-term: 'Bay Area' is nested in 'Guangdong-Hong Kong-Macao Bay Area' "
                       "(line 9); the outer renderings contain its renderings")
    assert text[7] == ("glossary.csv:11: warning: nested-term: 'HKMA' is nested in 'Hong Kong Monetary Authority (HKMA)' "
                       "(line 10); but the outer rendering differs: zh-Hant-HK '香港金融管理局（金管局）' lacks '金管處'")


def test_lint_of_the_sample_glossary() -> None:
    issues = load_glossary(SAMPLE, display="locales/glossary.csv").lint("en")
    assert [str(i) for i in issues] == [
        "locales/glossary.csv:9: warning: nested-term: 'Closer Economic Partnership Arrangement' is nested in "
        "'Mainland and Hong Kong Closer Economic Partnership Arrangement' (line 8); the outer renderings contain its renderings",
    ]


def test_lint_with_chinese_as_the_source() -> None:
    issues = load_glossary(SAMPLE).lint("zh_Hant_HK")
    duplicates = [(i.code, i.term) for i in issues if i.code in ("duplicate-term", "conflicting-targets")]
    assert duplicates == [("conflicting-targets", "金融科技")]  # financial technology and fintech


def test_term_hit_is_a_value() -> None:
    t = Term((("en", Rendering("x")),), loc=Location("g.csv", 2))
    assert TermHit(t, 0, 1, "x", Rendering("")) == TermHit(t, 0, 1, "x", Rendering(""))
