"""The time budget of user SRX rules: same breaks as untimed, runaway rules refused by file and line."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine import SMALL_RULES, TEXT
from test_srx import language, rule, srx

from pipeline.errors import SegmentationError
from pipeline.model import Location, Paragraph, Release, ReleaseMeta
from pipeline.segment import guard, load_rules, segment_release, segment_text
from pipeline.segment.engine import Breaker, TimedBreaker
from pipeline.segment.srx import Rule, parse_rules

EXPONENTIAL = r"\s(?=(a|a)*b)"  # regex tries 2^n ways through n letters a


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "BASE_SECONDS", 0.2)
    monkeypatch.setattr(guard, "SECONDS_PER_CHARACTER", 1e-7)


@settings(max_examples=200)
@given(TEXT, st.sampled_from(["en", "zh"]), st.sampled_from(range(len(SMALL_RULES))))
def test_timed_rules_break_where_untimed_ones_do(text: str, lang: str, which: int) -> None:
    for rules in (load_rules().rules_for(lang), SMALL_RULES[which]):
        assert TimedBreaker(rules, "t.srx").breaks(text) == Breaker(rules).breaks(text)


def test_only_duets_own_rules_run_untimed() -> None:
    assert type(load_rules().breaker("en")) is Breaker
    assert type(parse_rules(srx(language(rule(r"\.", r"\s"))), "t.srx").breaker("en")) is TimedBreaker


@pytest.mark.parametrize(("rules", "blamed"), [
    # The runaway rule alone, in a scan of its own.
    (language(rule("", EXPONENTIAL), rule(r"\.", r"\s")), 1),
    # A no-break rule first: it runs in the decision, an alternation with the rules around it.
    (language(rule(r"Mr\.", r"\s", "no"), rule(r"\.", EXPONENTIAL, "no"), rule(r"\.", r"\s")), 2),
    # A break rule whose beforebreak backtracks, anchored on a character it needs.
    (language(rule(r"\.", r"\s"), rule(r"(?&lt;=b(?:a|a)*)", "")), 2),
])
def test_runaway_rule_is_refused_naming_its_line(small_budget: None, rules: str, blamed: int) -> None:
    data = srx(rules).replace(b"<rule ", b"\n<rule ")  # rule n on line n + 4
    text = "One. " + "a" * 40 + " two. b" + "a" * 40 + " three."
    began = time.monotonic()
    with pytest.raises(SegmentationError) as caught:
        segment_text(text, "en", parse_rules(data, "user.srx"))
    assert time.monotonic() - began < 5
    assert caught.value.loc == Location("user.srx", blamed + 4)
    assert "rule too slow" in caught.value.message


def test_many_moderately_slow_calls_are_bounded_too(small_budget: None) -> None:
    """Each call reads to the paragraph's end: no call is slow, the paragraph is (quadratic)."""
    rules = (Rule(True, r"\s", r"(?=\D*\d)", 7),)
    began = time.monotonic()
    with pytest.raises(SegmentationError, match="rule too slow") as caught:
        TimedBreaker(rules, "user.srx").breaks("word " * 100_000)
    assert time.monotonic() - began < 5
    assert caught.value.loc == Location("user.srx", 7)


def test_refusal_names_the_paragraph_of_a_release(small_budget: None) -> None:
    rules = parse_rules(srx(language(rule("", EXPONENTIAL))), "user.srx")
    release = Release("r", ReleaseMeta(), (Paragraph("Fine."), Paragraph("x " + "a" * 40, line=12)), "sources/r.txt")
    with pytest.raises(SegmentationError, match=r"the paragraph at sources/r\.txt:12 \(42 characters\)"):
        segment_release(release, rules)


def test_release_in_a_language_without_rules_names_the_release() -> None:
    release = Release("r", ReleaseMeta(language="de"), (Paragraph("Text."),), "sources/r.html")
    with pytest.raises(SegmentationError) as caught:
        segment_release(release)
    assert str(caught.value).startswith("sources/r.html: no segmentation rules for 'de' in ")
