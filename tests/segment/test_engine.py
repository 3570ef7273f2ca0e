"""The breaker's shortcuts (anchor scans, skipped rules) against SRX read literally."""

from __future__ import annotations

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.segment import load_rules
from pipeline.segment.analysis import anchor, last_chars, required_chars
from pipeline.segment.engine import Breaker
from pipeline.segment.javaregex import FLAGS
from pipeline.segment.srx import Rule



def reference_breaks(rules: tuple[Rule, ...], text: str) -> list[int]:
    """Every position, every rule in order: the first rule that matches decides."""
    compiled = [
        (r.is_break, regex.compile((f"(?<={r.before})" if r.before else "") + (f"(?={r.after})" if r.after else ""), FLAGS))
        for r in rules
    ]
    out = []
    for pos in range(1, len(text)):
        for is_break, pattern in compiled:
            if pattern.match(text, pos):
                if is_break:
                    out.append(pos)
                break
    return out


PIECES = st.sampled_from(
    ["Mr. ", "Dr ", "U.S. ", "1.5 ", "a. ", "1) ", "e.g. ", "The ", "he ", "said ", "本港", "政府", "《書》", "「",
     "」", "（", "）", ". ", "? ", "! ", "... ", "。", "！", "？", "……", '"', "'", "“", "”", "\n", " \n ", "\t",
     "$24.4", "(", ")", "•", "\u3000", "\u2029"]
)
EXTRA = st.sampled_from(['he said "Yes. No." then', "‘Go. Now.’ ", "《條例。第一》", " 1. ", " a) ", " b. ", "i.e. ",
                         "No. 5", " 12) ", "p.m. The", "--” He", ".[1] Next", " . . . . X", "x.2 The", "?! 3", "it's"])
TEXT = st.lists(st.one_of(PIECES, EXTRA, st.text(max_size=4)), max_size=30).map("".join)


@settings(max_examples=400)
@given(TEXT, st.sampled_from(["en", "zh"]))
def test_default_rules_break_where_srx_says(text: str, lang: str) -> None:
    rules = load_rules().rules_for(lang)
    assert Breaker(rules).breaks(text) == reference_breaks(rules, text)


def test_default_rules_on_lists_and_quotes() -> None:
    rules = load_rules().rules_for("en")
    text = 'Steps: 1. Read it. 2. Sign it. (a) One. (b) Two. He said "Stop. Go." and left. 3) End. 4) Fin.'
    assert Breaker(rules).breaks(text) == reference_breaks(rules, text)


SMALL_RULES = [
    (Rule(False, r'"[^"]{0,50}', r'[^"]{0,50}"', 1), Rule(True, r"[.!?]", r"\s", 2)),
    (Rule(True, r"\s", r"(?=\d?[.)])", 1), Rule(False, r"x", "", 2)),
    (Rule(True, "", r"[•*]", 1), Rule(True, r"(?i:mr)\.", r"\s", 2), Rule(True, r"\d", "", 3)),
    (Rule(False, r"\b[A-Z]\.", r"\s", 1), Rule(True, r"\.(?:\s|$)?", r"", 2), Rule(True, "", "", 3)),
    (Rule(True, r"(?:a|b\.)", r"[)\]]?\s", 1), Rule(False, r"[^\S\n]+", r"\n", 2)),
]


@settings(max_examples=300)
@given(st.text(alphabet='ab xX.!?"•*\n12)]Mm', max_size=40), st.sampled_from(range(len(SMALL_RULES))))
@example("a 1. b 2) c .x 12. d", 1)
@example('Mr. X said "Go. Now." Then. b.) a ] •* 1', 0)
def test_small_rule_sets_break_where_srx_says(text: str, which: int) -> None:
    rules = SMALL_RULES[which]
    assert Breaker(rules).breaks(text) == reference_breaks(rules, text)


def test_last_chars_and_required_chars() -> None:
    assert last_chars(r"\p{L}[.?!]+[\"')]*") == frozenset(".?!\"')")
    assert last_chars(r"a?") is None  # may match nothing
    assert last_chars(r"\p{L}") is None  # too many to list
    assert last_chars(r"(?i:mr)") is None  # case-insensitive
    assert required_chars(r'(?:^|\s)"[^"\n]{0,400}+') == [frozenset('"')]
    assert required_chars(r"[^《]x|y") == [frozenset("xy")]
    assert required_chars(r"(?!\.)a?") == []
    assert required_chars(r"(?=[.)])") == [frozenset(".)")]
    assert required_chars(r"[a-c]") == [frozenset("abc")]
    assert required_chars(r"[\d.]") == []


def test_anchor_offsets() -> None:
    assert anchor(r"[^\S\n]{1,20}(?=[\da-z][\da-z]?[.)])", from_end=True) == (frozenset(".)"), 1, 2)
    assert anchor(r"\.\d{1,3}", from_end=True) == (frozenset("."), -4, -2)
    assert anchor(r"\s+\.", from_end=False) is None  # unbounded distance
    assert anchor(r"(?:x|\.)", from_end=False) is None  # 'x' is not punctuation


def test_unsupported_syntax_only_disables_shortcuts() -> None:
    for pattern in (r"(?x) a", r"\N{BULLET}", r"[]a]", r"a{e<=1}", r"(?P<n>a)"):
        assert last_chars(pattern) is None
        assert required_chars(pattern) == []
