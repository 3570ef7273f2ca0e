"""Invariants of segmentation for arbitrary text (hypothesis)."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import segment_document, segment_text

PIECES = st.sampled_from(
    ["Mr. ", "Dr ", "U.S. ", "1.5 ", "a. ", "1) ", "e.g. ", "The ", "he ", "said ", "本港", "政府", "《書》", "「",
     "」", "（", "）", ". ", "? ", "! ", "... ", "。", "！", "？", "……", '"', "'", "“", "”", "\n", "\n\n", " \n ",
     "\t", "www.x.org", "a@b.hk", "$24.4", "(", ")", "•", "\u3000", "\x1c", "\u2029"]
)
TEXT = st.one_of(st.text(max_size=200), st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _check(text: str, segments) -> None:
    previous_end = 0
    for seg in segments:
        assert seg.text == text[seg.start : seg.end]
        assert seg.text and seg.text == seg.text.strip()
        assert seg.start >= previous_end
        previous_end = seg.end
    assert "".join(_squeeze(s.text) for s in segments) == _squeeze(text)


@settings(max_examples=300)
@given(TEXT, st.sampled_from(["en", "zh-Hant-HK"]))
def test_segment_text_loses_nothing(text: str, lang: str) -> None:
    _check(text, segment_text(text, lang))


@settings(max_examples=300)
@given(TEXT, st.sampled_from(["en", "zh"]))
def test_segment_document_loses_nothing_and_keeps_paragraphs_in_order(text: str, lang: str) -> None:
    segments = segment_document(text, lang)
    _check(text, segments)
    assert [s.paragraph for s in segments] == sorted(s.paragraph for s in segments)


SENTENCE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.sampled_from(["the", "fund", "grant", "Mr", "Chan", "said", "3.5", "million", "U.S.", "policy"]),
             min_size=1, max_size=8),
    st.sampled_from([".", "!", "?", '."', ".)"]),
)
ZH_SENTENCE = st.builds(
    lambda body, end: body + end,
    st.text(alphabet="政府今日公布計劃撥款萬元市民，、《》1.5", min_size=1, max_size=20).filter(
        lambda s: regex.search(r"\p{Han}", s) is not None and s.count("《") == s.count("》") == 0
    ),
    st.sampled_from(["。", "！", "？", "……", "。」"]),
)


@settings(max_examples=200)
@given(st.lists(SENTENCE, min_size=1, max_size=6))
def test_resegmenting_an_english_segment_gives_itself(sentences: list[str]) -> None:
    for seg in segment_text(" ".join(sentences), "en"):
        assert [s.text for s in segment_text(seg.text, "en")] == [seg.text]


@settings(max_examples=200)
@given(st.lists(ZH_SENTENCE, min_size=1, max_size=6))
def test_chinese_sentences_are_found_and_stable(sentences: list[str]) -> None:
    segments = segment_text("".join(sentences), "zh")
    assert [s.text for s in segments] == sentences
    for seg in segments:
        assert [s.text for s in segment_text(seg.text, "zh")] == [seg.text]
