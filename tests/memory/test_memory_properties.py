"""Index recall as a property: a unit one word away from the query is found whenever it is similar enough."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory_backends import MemoryAt
from rapidfuzz.distance import Indel

from pipeline.memory import MemoryFile, MemoryUnit
from pipeline.memory.text import tokens

TARGET = "zh-Hant-HK"
WORDS = ("the", "fund", "will", "support", "projects", "on", "smart", "mobility", "road", "safety", "data", "for",
         "transport", "users", "government", "today", "announced", "a", "grant", "of", "million", "and", "in",
         "Hong", "Kong", "2026", "42", "council", "meeting")
# Fillers share words with the queries, so the index has common and rare tokens, as real memories do.
FILLERS = [" ".join(WORDS[(i * 7 + j * 3) % len(WORDS)] for j in range(5 + i % 9)) for i in range(60)]


EXAMPLES = itertools.count()  # a new digest per example: the refresh replaces the memory's only file


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=2, max_size=24),
    position=st.integers(min_value=0),
    replacement=st.sampled_from(WORDS + ("bridge", "harbour")),
    threshold=st.sampled_from([70, 75, 80, 90]),
)
def test_one_word_changed_is_found_when_similar_enough(
    memory_at: MemoryAt, words: list[str], position: int, replacement: str, threshold: int
) -> None:
    query = " ".join(words)
    changed = list(words)
    changed[position % len(words)] = replacement
    source = " ".join(changed)
    similarity = 100 * Indel.normalized_similarity(tokens(query, "en"), tokens(source, "en"))
    units = [MemoryUnit(f, "譯", "en", TARGET, f"f.po:{i}") for i, f in enumerate(FILLERS)]
    units.append(MemoryUnit(source, "譯", "en", TARGET, "unit.po:1"))
    with memory_at() as tm:
        tm.refresh([MemoryFile("f.po", str(next(EXAMPLES)), lambda: units)])
        found = {origin for _, _, origin in tm.similar(query, target_language=TARGET, min_similarity=threshold)}
        top = tm.similar(query, target_language=TARGET, min_similarity=threshold, limit=1)
    assert ("unit.po:1" in found) == (similarity >= threshold - 1e-9)
    want = {u.origin for u in units
            if 100 * Indel.normalized_similarity(tokens(query, "en"), tokens(u.source, "en")) >= threshold - 1e-9}
    assert found == want
    if want:
        assert top[0][0] == pytest.approx(max(100 * Indel.normalized_similarity(tokens(query, "en"), tokens(s, "en"))
                                for s in [u.source for u in units if u.origin in want]))
