"""The sentence aligner: every index once and in order whatever the input, anchors over length, both directions."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align.anchors import AnchorReader
from pipeline.align.lexicon import learn_lexicon
from pipeline.align.links import Link
from pipeline.align.sentences import Settings, align_sentences
from pipeline.glossary import Glossary
from pipeline.model import Rendering, Term

ENGLISH = ["The Fund approved five projects.", "They cost $12.5 million in all.", "Applications close on March 31.",
           "Late applications will not be accepted.", "For enquiries, please call 2345 6789."]
CHINESE = ["基金批出五個項目，涉及總額一千二百五十萬元。", "申請於三月三十一日截止。", "逾期申請概不受理。",
           "如有查詢，請致電2345 6789。"]

english_sentences = st.lists(st.text(string.ascii_letters + " .,$0123456789", max_size=60), max_size=14)
chinese_sentences = st.lists(st.text("基金批出項目申請截止查詢致電一二三四五十萬元。，0123456789", max_size=30), max_size=14)


def covers(links: list[Link], n: int, m: int) -> bool:
    """Every index of both sides exactly once, in order, each link a run of consecutive indices."""
    sources = [i for link in links for i in link.source]
    targets = [j for link in links for j in link.target]
    runs = all(list(side) == list(range(side[0], side[0] + len(side)))
               for link in links for side in (link.source, link.target) if side)
    return sources == list(range(n)) and targets == list(range(m)) and runs and all(link.source or link.target for link in links)


@settings(max_examples=60)
@given(english_sentences, chinese_sentences)
def test_every_index_once_and_in_order_whatever_the_input(source: list[str], target: list[str]) -> None:
    links = align_sentences(source, target, "en", "zh-Hant-HK")
    assert covers(links, len(source), len(target))
    assert all(0.0 <= link.confidence <= 1.0 for link in links)


@settings(max_examples=40)
@given(english_sentences)
def test_a_text_aligned_with_itself_gives_one_to_one_links(sentences: list[str]) -> None:
    links = align_sentences(sentences, sentences, "en", "en")
    assert [(link.source, link.target) for link in links] == [((i,), (i,)) for i in range(len(sentences))]


def test_numbers_read_as_values_decide_a_merge() -> None:
    links = align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK")
    assert [(link.source, link.target) for link in links] == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]


def test_anchors_see_a_swap_that_lengths_miss() -> None:
    """The translation swapped two sentences: only the 2-2 link is right, and only the date read on both sides shows it."""
    source = ["Applications close on March 31.", "Thank you.", "Call 2345 6789."]
    target = ["謝謝。", "申請於三月三十一日截止。", "請致電2345 6789。"]
    with_anchors = align_sentences(source, target, "en", "zh-Hant-HK")
    length_only = align_sentences(source, target, "en", "zh-Hant-HK", settings=Settings(anchor_weight=0))
    assert [(link.source, link.target) for link in with_anchors] == [((0, 1), (0, 1)), ((2,), (2,))]
    assert [(link.source, link.target) for link in length_only] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_works_in_both_directions() -> None:
    forward = align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK")
    backward = align_sentences(CHINESE, ENGLISH, "zh-Hant-HK", "en")
    assert [(link.target, link.source) for link in backward] == [(link.source, link.target) for link in forward]


def test_deterministic() -> None:
    assert align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK") == align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK")


def test_an_empty_side_leaves_every_sentence_unlinked() -> None:
    assert align_sentences(ENGLISH[:2], [], "en", "zh-Hant-HK") == [Link((0,), ()), Link((1,), ())]


def test_glossary_terms_are_anchors_on_both_sides() -> None:
    glossary = Glossary([Term((("en", Rendering("Harbour Road pool")), ("zh-Hant-HK", Rendering("海港道泳池"))))])
    reader = AnchorReader("en", "zh-Hant-HK", source_terms=glossary.matcher("en", "zh-Hant-HK"),
                          target_terms=glossary.matcher("zh-Hant-HK", "en"))
    assert reader.source("The Harbour Road pool is closed.") & reader.target("海港道泳池關閉。")


def test_confident_links_are_surer_than_a_coin() -> None:
    links = align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK")
    assert min(link.confidence for link in links) > 0.5


def test_a_long_text_learns_its_names() -> None:
    """Names recurring in linked sentences become lexicon entries (Chen ↔ a run with 陳), the same anchors on both sides."""
    doings = [("met friends", "見朋友"), ("went home", "回家"), ("bought books", "買書"), ("slept early", "早睡"),
              ("cooked rice", "煮飯"), ("read papers", "看報紙"), ("sang songs", "唱歌"), ("wrote letters", "寫信")]
    pairs = [(f"{name} {english} on day {n}.", f"{chinese_name}第{n}天{chinese}。")
             for name, chinese_name in (("Chen", "陳"), ("Wong", "黃")) for n, (english, chinese) in enumerate(doings)]
    pairs += [(f"It rained on day {n}.", f"第{n}天下雨。") for n in range(16)]
    lexicon = learn_lexicon(pairs, "en", "zh-Hant-HK")
    learned = {word: run for word, run, _ in lexicon.entries}
    assert "陳" in learned["chen"] and "黃" in learned["wong"]
    assert lexicon.source("Chen and Wong") == lexicon.target(f"{learned['chen']}和{learned['wong']}") != {}


def test_a_learned_lexicon_is_used_on_long_texts() -> None:
    base = ["Chen went home.", "It rained all day long and the roads were flooded.", "Chen slept early."]
    source = [sentence for _ in range(25) for sentence in base]
    target = [sentence for _ in range(25) for sentence in ["陳回家了。", "整天下雨，道路水浸。", "陳很早就睡了。"]]
    links = align_sentences(source, target, "en", "zh-Hant-HK", settings=Settings(lexicon_from=20))
    assert [(link.source, link.target) for link in links] == [((i,), (i,)) for i in range(len(source))]
