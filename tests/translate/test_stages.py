from __future__ import annotations

from pipeline.glossary import TermMatcher
from pipeline.model import Catalog, Match, Message, Rendering, Term
from pipeline.translate.stages import pretranslate

TERMS = TermMatcher([Term((("en", Rendering("Bay Area")), ("zh-Hant-HK", Rendering("大灣區"))))], "en", "zh-Hant-HK")


def memory(*matches: Match):
    table: dict[str, list[Match]] = {}
    for match in matches:
        table.setdefault(match.source, []).append(match)

    def lookup(text: str, previous: str, following: str) -> list[Match]:
        found = [m for m in table.get(text, [])]
        found += [m for source, ms in table.items() if source != text for m in ms if m.kind == "fuzzy" and text.startswith(source[:10])]
        return found

    return lookup


def exact(source: str, target: str, origin: str = "a.po:3", kind: str = "exact", context: int | None = None) -> Match:
    return Match(source, target, kind, 100, 100, origin=origin, context=context)  # type: ignore[arg-type]


def run(*messages: Message, lookup, **options):
    catalog = Catalog(Message(""), messages, path="x.po")
    return pretranslate(catalog, lookup=lookup, source_language="en", target_language="zh-Hant-HK", terms=TERMS, **options)


def test_an_exact_match_that_renders_the_glossary_is_final() -> None:
    done, report = run(Message("The Bay Area grows."), lookup=memory(exact("The Bay Area grows.", "大灣區發展。")))
    [message] = done.messages
    assert message.string == "大灣區發展。" and not message.fuzzy
    assert message.notes == ("duet: tm exact 100 (similarity 100) from a.po:3",)
    assert report.exact == 1


def test_an_exact_match_that_drops_a_glossary_term_is_only_proposed() -> None:
    done, _ = run(Message("The Bay Area grows."), lookup=memory(exact("The Bay Area grows.", "灣區發展。")))
    [message] = done.messages
    assert message.fuzzy and message.string == "灣區發展。" and message.previous_id is None
    assert "duet: glossary: Bay Area = 大灣區 (missing)" in message.notes


def test_an_exact_match_remembered_once_between_other_neighbours_is_only_proposed() -> None:
    owner = "Failing to comply with the removal order, the owner was prosecuted."
    done, report = run(Message(owner), lookup=memory(exact(owner, "該業主沒有履行清拆令，故遭檢控。", context=7)))
    [message] = done.messages
    assert message.fuzzy and message.string == "該業主沒有履行清拆令，故遭檢控。"
    assert "duet: translated once before, between other sentences: check it still fits" in message.notes
    assert report.exact == 1


def test_an_exact_match_in_context_or_between_two_pairs_of_neighbours_is_final() -> None:
    text = "The meeting ended."
    for found in ([exact(text, "會議結束。", context=7, kind="in-context")],
                  [exact(text, "會議結束。", "a.po:3", context=7), exact(text, "會議結束。", "b.po:3", context=8)],
                  [exact(text, "會議結束。", "a.po:3", context=7), exact(text, "會議結束。", "c.tmx#4")]):
        done, _ = run(Message(text), lookup=memory(*found))
        [message] = done.messages
        assert message.string == "會議結束。" and not message.fuzzy, found
    once_twice = memory(exact(text, "會議結束。", "a.po:3", context=7), exact(text, "會議結束。", "a.po:9", context=7))
    [message] = run(Message(text), lookup=once_twice)[0].messages
    assert message.fuzzy


def test_two_different_exact_translations_are_both_offered_neither_final() -> None:
    lookup = memory(exact("It ended.", "會議結束。", "a.po:1"), exact("It ended.", "會議完結。", "b.po:9"))
    done, report = run(Message("It ended."), lookup=lookup)
    [message] = done.messages
    assert message.fuzzy and message.string == "會議結束。"
    assert "duet: also translated as '會議完結。'" in message.notes
    assert report.exact == 1


def test_fuzzy_matches_are_repaired_where_only_numbers_differ() -> None:
    old = Match("The group held its ninth meeting today.", "小組今日舉行第九次會議。", "fuzzy", 90, 92,
                penalties=(("numbers", 2),), origin="a.po:5")
    done, report = run(Message("The group held its tenth meeting today."), lookup=memory(old))
    [message] = done.messages
    assert message.fuzzy and message.string == "小組今日舉行第十次會議。"
    assert message.previous_id == "The group held its ninth meeting today."
    # Scored after repair: the sources are alike but for the ordinal, which was rewritten.
    assert message.notes == ("duet: tm repaired 99.5 (similarity 100, placeables repaired -0.5) from a.po:5",
                             "duet: repaired: 第九 → 第十 (ordinal: tenth)")
    assert report.repaired == 1
    done, report = run(Message("The group held its tenth meeting today."), lookup=memory(old), stages=("exact", "fuzzy"))
    assert done.messages[0].string == "小組今日舉行第九次會議。" and report.fuzzy == 1


def test_below_the_threshold_nothing_is_proposed_and_filled_entries_are_never_touched() -> None:
    weak = Match("The group held its ninth meeting today.", "小組開會。", "fuzzy", 70, 70, origin="a.po:5")
    filled = Message("Done.", "完成。")
    proposed = Message("Seen.", "見。", flags=("fuzzy",))
    done, report = run(Message("The group held its tenth meeting today."), filled, proposed, lookup=memory(weak))
    assert done.messages[0].string == "" and done.messages[1:] == (filled, proposed)
    assert (report.none, report.kept) == (1, 2)


def test_in_context_is_told_apart_and_machine_translation_fills_the_rest() -> None:
    class Result:
        def __init__(self, text: str) -> None:
            self.text = text
            self.match = Match("", text, "mt", 0, 0, origin="mt:fake")
            self.missing_terms = ("Bay Area",)

    lookup = memory(exact("A.", "甲。", kind="in-context"))
    done, report = run(Message("A."), Message("The Bay Area grows."), lookup=lookup,
                       stages=("exact", "fuzzy", "mt"), machine=lambda sources: [Result("灣區發展。") for _ in sources])
    first, second = done.messages
    assert first.string == "甲。" and not first.fuzzy and report.in_context == 1
    assert second.fuzzy and second.string == "灣區發展。" and report.mt == 1
    assert "duet: glossary: Bay Area = 大灣區 (missing)" in second.notes
