from __future__ import annotations

from pipeline.glossary import TermMatcher, load_glossary
from pipeline.model import Catalog, Message, Rendering, Term
from pipeline.translate.derive import derive_catalog

from paths import REPO

GLOSSARY = load_glossary(REPO / "locales" / "glossary.csv")


def derive(derived: Catalog, base: Catalog):
    return derive_catalog(derived, base, base_locale="zh_Hant_HK",
                          terms=GLOSSARY.matcher("en", "zh-Hans-CN"), base_terms=GLOSSARY.matcher("en", "zh-Hant-HK"))


def test_converted_from_traditional_with_a_note_and_fuzzy_carried_over() -> None:
    base = Catalog(Message(""), (Message("A.", "會議結束。"), Message("B.", "專家小組開會。", flags=("fuzzy",)), Message("C.")))
    derived, report = derive(Catalog(Message(""), (Message("A."), Message("B."), Message("C."))), base)
    a, b, c = derived.messages
    assert (a.string, a.fuzzy, a.notes) == ("会议结束。", False, ("duet: converted from zh_Hant_HK",))
    assert (b.string, b.fuzzy) == ("专家小组开会。", True)
    assert c.string == "" and (report.converted, report.missing) == (2, 1)


def test_a_human_simplified_translation_is_never_overwritten_and_conversions_follow_the_base() -> None:
    base = Catalog(Message(""), (Message("A.", "會議結束。"), Message("B.", "會議完結。")))
    human = Message("A.", "会议已结束。")
    stale = Message("B.", "旧的。", notes=("duet: converted from zh_Hant_HK",))
    derived, report = derive(Catalog(Message(""), (human, stale)), base)
    assert derived.messages[0] == human and derived.messages[1].string == "会议完结。"
    assert (report.human, report.converted) == (1, 1)


def test_the_glossary_simplified_column_wins_over_the_conversion() -> None:
    term = Term((("en", Rendering("Bay Area")), ("zh-Hant-HK", Rendering("大灣區")), ("zh-Hans-CN", Rendering("湾区"))))
    source = "The Bay Area grows."
    base = Catalog(Message(""), (Message(source, "大灣區發展。"),))
    derived, _ = derive_catalog(Catalog(Message(""), (Message(source),)), base, base_locale="zh_Hant_HK",
                                terms=TermMatcher([term], "en", "zh-Hans-CN"), base_terms=TermMatcher([term], "en", "zh-Hant-HK"))
    assert derived.messages[0].string == "湾区发展。"
