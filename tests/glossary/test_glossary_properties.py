"""Hypothesis: terms inserted anywhere at word boundaries are found, offsets index the original text."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.glossary import TermMatcher
from pipeline.model import Rendering, Term

TERMS = ("Bay Area", "cross-boundary", "green finance", "Financial Services and the Treasury", "renminbi")
MATCHER = TermMatcher([Term((("en", Rendering(t)), ("zh-Hant-HK", Rendering(f"譯{i}")))) for i, t in enumerate(TERMS)],
                      "en", "zh-Hant-HK")

# Filler words that never form a term or extend one (no letters of the alphabet touching the term)
filler = st.lists(st.sampled_from(["the", "a", "said", "today", "2026", "Hong", "Kong", "of", "in", "plan"]), max_size=6)
separator = st.sampled_from([" ", "  ", "\n", ", ", " (", ") ", ". ", " “", "” "])
any_text = st.text(alphabet=st.sampled_from(string.ascii_letters + " -'’&\n\t.,ＡＢｆﬁ香港" + "ıİ"), max_size=80)


@given(filler, filler, st.sampled_from(TERMS), separator, separator, st.sampled_from(["", "s", "'s", "’s"]),
       st.sampled_from([" ", "\n", "  "]))
@settings(max_examples=300)
def test_inserted_term_is_found_with_its_offsets(before: list[str], after: list[str], chosen: str,
                                                 left: str, right: str, suffix: str, space: str) -> None:
    head = " ".join(before) + left if before else ""
    written = chosen.replace(" ", space) + suffix
    text = head + written + (right + " ".join(after) if after else "")
    hits = MATCHER.find(text)
    target = [h for h in hits if h.start == len(head)]
    assert target, (text, hits)
    assert target[0].end == len(head) + len(written)
    assert target[0].text == written
    assert target[0].term.renderings[0][1].approved == chosen


@given(any_text)
@settings(max_examples=300)
def test_offsets_always_index_the_original_text(text: str) -> None:
    hits = MATCHER.find(text)
    last = 0
    for hit in hits:
        assert text[hit.start:hit.end] == hit.text
        assert last <= hit.start < hit.end <= len(text)
        last = hit.end
        for inner in hit.inner:
            assert hit.start <= inner.start < inner.end <= hit.end


@given(any_text, st.sampled_from(TERMS))
def test_a_term_found_in_random_text_spells_the_term(text: str, chosen: str) -> None:
    for hit in MATCHER.find(text + " " + chosen):
        assert hit.text.strip()
