"""TermMatcher: English and Chinese sources, target renderings, forbidden variants."""

from __future__ import annotations

import pytest

from pipeline.glossary import TermHit, TermMatcher
from pipeline.model import Rendering, Term

HANT = "zh-Hant-HK"


def term(source: str, target: str = "", *, variants: tuple[str, ...] = (), forbidden: tuple[str, ...] = (),
         source_variants: tuple[str, ...] = (), case_sensitive: bool = False) -> Term:
    return Term((("en", Rendering(source, source_variants)), (HANT, Rendering(target, variants, forbidden))),
                case_sensitive=case_sensitive)


def found(matcher: TermMatcher, text: str) -> list[str]:
    return [h.text for h in matcher.find(text)]


def en(*terms: Term) -> TermMatcher:
    return TermMatcher(terms, "en", HANT)


@pytest.mark.parametrize("text", [
    "cross-boundary trade", "cross boundary trade", "crossboundary trade", "cross\u2011boundary trade",
    "cross -\n boundary trade", "CROSS-BOUNDARY trade",
])
def test_hyphen_space_and_joined_spellings_match(text: str) -> None:
    assert found(en(term("cross-boundary", "跨境")), text) == [text.removesuffix(" trade")]


def test_a_term_written_without_hyphen_does_not_match_a_hyphenated_text() -> None:
    # documented limit: the glossary should spell the hyphenated form
    assert found(en(term("crossboundary")), "cross-boundary") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("the Bay Areas", "Bay Areas"),
    ("the bank's", "bank's"),
    ("the banks' capital", "banks"),
    ("the bank’s", "bank’s"),
    ("the banks", "banks"),
    ("two boxes", "boxes"),
    ("the companies", "companies"),
])
def test_plurals_and_possessives(text: str, expected: str) -> None:
    matcher = en(term("Bay Area"), term("bank"), term("box"), term("company"))
    assert found(matcher, text) == [expected]


@pytest.mark.parametrize("text", ["finance", "the fintech", "refin", "finish", "fin2", "finé"])
def test_word_boundaries_keep_short_terms_out_of_longer_words(text: str) -> None:
    assert found(en(term("fin")), text) == []


@pytest.mark.parametrize(("text", "expected"), [("fin", "fin"), ("(fin)", "fin"), ("a fin.", "fin"), ("fin-tech", "fin"), ("FIN", "FIN")])
def test_short_term_found_at_word_boundaries(text: str, expected: str) -> None:
    assert found(en(term("fin")), text) == [expected]


def test_ampersand_equals_and_both_ways() -> None:
    matcher = en(term("Financial Services and the Treasury"), term("Research & Development"))
    assert found(matcher, "Financial Services & the Treasury") == ["Financial Services & the Treasury"]
    assert found(matcher, "Financial Services&the Treasury") == ["Financial Services&the Treasury"]
    assert found(matcher, "research and development") == ["research and development"]


def test_case_sensitive_acronym_matches_only_its_case() -> None:
    matcher = en(term("SFC", "證監會", case_sensitive=True), term("HKMA", "金管局", case_sensitive=True))
    assert found(matcher, "The SFC and the HKMA's staff") == ["SFC", "HKMA's"]
    assert found(matcher, "sfc, Sfc, hkma") == []


def test_case_insensitive_by_default() -> None:
    assert found(en(term("renminbi")), "Renminbi and RENMINBI") == ["Renminbi", "RENMINBI"]


def test_whitespace_runs_and_newlines() -> None:
    text = "the Hong\n  Kong\tSpecial Administrative\r\nRegion"
    hits = en(term("Hong Kong Special Administrative Region")).find(text)
    assert [(h.start, h.end, h.text) for h in hits] == [(4, len(text), text[4:])]


def test_leftmost_longest_over_overlapping_terms() -> None:
    matcher = en(term("capital market"), term("market development"), term("capital"))
    assert found(matcher, "capital market development") == ["capital market"]
    matcher = en(term("Hong Kong"), term("Kong Special Administrative Region"), term("Hong Kong Special"))
    assert found(matcher, "Hong Kong Special Administrative Region") == ["Hong Kong Special"]


def test_inner_terms_are_reported_inside_their_outer_term() -> None:
    outer = term("Mainland and Hong Kong Closer Economic Partnership Arrangement", "《內地與香港關於建立更緊密經貿關係的安排》")
    inner = term("Closer Economic Partnership Arrangement", "更緊密經貿關係的安排")
    hong_kong = term("Hong Kong", "香港")
    matcher = en(inner, hong_kong, outer)
    text = "under the Mainland & Hong Kong Closer Economic Partnership Arrangement, Hong Kong"
    hits = matcher.find(text)
    assert [h.text for h in hits] == ["Mainland & Hong Kong Closer Economic Partnership Arrangement", "Hong Kong"]
    assert [(h.text, h.term) for h in hits[0].inner] == [("Hong Kong", hong_kong), ("Closer Economic Partnership Arrangement", inner)]
    assert all(text[h.start:h.end] == h.text for h in (*hits, *hits[0].inner))
    assert matcher.renders("根據《內地與香港關於建立更緊密經貿關係的安排》", hits[0])


def test_hit_fields() -> None:
    t = term("green finance", "綠色金融", variants=("綠色融資",))
    [hit] = en(t).find("Green Finance!")
    assert hit == TermHit(t, 0, 13, "Green Finance", Rendering("綠色金融", ("綠色融資",)), ())


def test_offsets_index_the_original_text_after_nfkc_and_apostrophes() -> None:
    text = "ＨＫＭＡ’s ﬁntech — co‐operation"
    matcher = en(term("HKMA", case_sensitive=True), term("fintech"), term("co-operation"))
    hits = matcher.find(text)
    assert [h.text for h in hits] == ["ＨＫＭＡ’s", "ﬁntech", "co‐operation"]
    assert all(text[h.start:h.end] == h.text for h in hits)


def test_source_variants_are_matched() -> None:
    t = term("Hong Kong Monetary Authority", "香港金融管理局", source_variants=("Monetary Authority",))
    assert found(en(t), "the Monetary Authority said") == ["Monetary Authority"]


def test_terms_without_a_source_rendering_are_ignored() -> None:
    matcher = TermMatcher([Term(((HANT, Rendering("跨境")),))], "en", HANT)
    assert matcher.find("cross-boundary") == []


# --- target side -------------------------------------------------------------

def test_chinese_target_nfkc_and_width_folded() -> None:
    matcher = en(term("Hong Kong Monetary Authority", "香港金融管理局（金管局）"))
    [hit] = matcher.find("Hong Kong Monetary Authority")
    assert matcher.renders("香港金融管理局(金管局)今日", hit)
    assert matcher.renders("香港金融管理局（金管局）", hit)
    assert not matcher.renders("香港金融管理局", hit)


def test_chinese_target_accepts_variants_and_has_no_word_boundaries() -> None:
    matcher = en(term("green finance", "綠色金融", variants=("綠色融資",)))
    [hit] = matcher.find("green finance")
    assert matcher.renders("推動綠色融資發展", hit)
    assert matcher.renders("發展綠色金融", hit)
    assert matcher.renders("綠色 金融", hit)  # a stray space does not hide the term
    assert not matcher.renders("綠色的金融", hit)


def test_chinese_target_tolerates_quotes_inserts_and_conjunctions() -> None:
    matcher = en(term("too big to fail", "大至不能倒"), term("Exchange Fund manager", "外匯基金管理人"),
                 term("credit and interest rate risks", "信用及利率風險"))
    hits = matcher.find("too big to fail; Exchange Fund manager; credit and interest rate risks")
    target = "「大至不能倒」問題；外匯基金（基金）管理人；信用與利率風險"
    assert [matcher.renders(target, hit) for hit in hits] == [True, True, True]
    assert not matcher.renders("外匯基金的管理人", hits[1])


def test_term_with_no_target_rendering_is_always_rendered() -> None:
    matcher = en(term("Foshan", ""))
    [hit] = matcher.find("Foshan")
    assert matcher.renders("", hit)


def test_forbidden_variants() -> None:
    matcher = en(term("cross-boundary", "跨境", forbidden=("跨界",)))
    [hit] = matcher.find("cross-boundary")
    assert matcher.forbidden_in("跨界人民幣業務", hit) == ["跨界"]
    assert matcher.forbidden_in("跨境人民幣業務", hit) == []


def test_forbidden_inside_an_accepted_rendering_does_not_fire() -> None:
    matcher = en(term("Hong Kong Monetary Authority", "香港金融管理局", variants=("香港金融管理局（金管局）",), forbidden=("金管局",)))
    [hit] = matcher.find("Hong Kong Monetary Authority")
    assert matcher.forbidden_in("香港金融管理局(金管局)表示", hit) == []
    assert matcher.forbidden_in("金管局表示", hit) == ["金管局"]
    assert matcher.forbidden_in("香港金融管理局（金管局）表示，金管局會", hit) == ["金管局"]


# --- Chinese source, English target --------------------------------------------

def zh(*terms: Term) -> TermMatcher:
    return TermMatcher(terms, HANT, "en")


def test_chinese_source_no_boundaries_leftmost_longest_nfkc() -> None:
    matcher = zh(term("Guangdong-Hong Kong-Macao Bay Area", "粵港澳大灣區"), term("Bay Area", "大灣區"),
                 term("Hong Kong Monetary Authority", "香港金融管理局（金管局）"))
    text = "粵港澳大灣區和大灣區，香港金融管理局(金管局)"
    hits = matcher.find(text)
    assert [h.text for h in hits] == ["粵港澳大灣區", "大灣區", "香港金融管理局(金管局)"]
    assert [h.text for h in hits[0].inner] == ["大灣區"]
    assert all(text[h.start:h.end] == h.text for h in hits)


def test_english_target_folding_and_boundaries() -> None:
    matcher = zh(term("cross-boundary", "跨境", forbidden=()), term("fin", "鰭"))
    cross, fin = matcher.find("跨境鰭")
    assert matcher.renders("Cross boundary trade", cross)
    assert matcher.renders("crossboundary", cross)
    assert not matcher.renders("cross-border trade", cross)
    assert matcher.renders("a fin's edge", fin)
    assert not matcher.renders("finance", fin)


def test_english_target_forbidden_with_boundaries() -> None:
    t = Term((("en", Rendering("cross-boundary", (), ("cross-border",))), (HANT, Rendering("跨境"))))
    matcher = zh(t)
    [hit] = matcher.find("跨境")
    assert matcher.forbidden_in("Cross-border trade", hit) == ["cross-border"]
    assert matcher.forbidden_in("cross-bordering", hit) == []


def test_cost_is_one_automaton_whatever_the_glossary() -> None:
    terms = [term(f"term{n} word", f"術語{n}") for n in range(2000)]
    matcher = en(*terms)
    assert found(matcher, "the term1999 word and term7 word") == ["term1999 word", "term7 word"]
