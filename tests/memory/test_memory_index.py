"""The fuzzy index: per-length prefixes, and every unit at the threshold found, whatever the lists read."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory_backends import MemoryAt
from rapidfuzz.distance import Indel

from pipeline.memory import MemoryFile, MemoryUnit, index, sqlite_store
from pipeline.memory.text import tokens

TARGET = "zh-Hant-HK"
# Few words, some much more frequent than others: long, overlapping posting lists, repeated tokens.
EXAMPLES = itertools.count()  # a new digest per example: the refresh replaces the memory's only file
VOCABULARY = ("the", "the", "the", "fund", "fund", "of", "of", "grant", "road", "safety", "data", "users", "Kong")


def _no_postings(wanted: list[tuple[int, int, int]]) -> list[dict[int, bytes]]:
    return [{} for _ in wanted]


def test_longer_units_read_fewer_lists() -> None:
    search = index.Search(_no_postings, [(token, 1) for token in range(30)])
    search.read_prefixes(0.75)
    # A unit of 18 tokens needs all 18 shared, one of 50 all 30: 13 lists, and 1.
    assert (search.read[18], search.read[30], search.read[50]) == (13, 8, 1)
    assert set(search.read) == set(range(18, 51))


def test_unknown_tokens_shorten_the_prefixes() -> None:
    search = index.Search(_no_postings, [(token, 1) for token in range(26)] + [(None, 0)] * 4)
    search.read_prefixes(0.75)
    # No unit holds the 4 unknown tokens: of the 26 known, a unit of 18 tokens must share 18, one of 30 must share 23.
    assert (search.read[18], search.read[30]) == (9, 4)


def _similarity(query: list[str], source: list[str]) -> float:
    total = len(query) + len(source)
    return 100 * (total - Indel.distance(query, source)) / total


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sources=st.lists(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=24), min_size=1, max_size=60),
    query=st.lists(st.sampled_from(VOCABULARY + ("bridge",)), min_size=1, max_size=24),
    threshold=st.sampled_from([50, 67, 75, 90]),
    limit=st.sampled_from([None, 1, 3]),
    verify_cost=st.sampled_from([0, index.VERIFY_COST, 10**9]),
    flush_bytes=st.sampled_from([1, 12, sqlite_store._Writer.FLUSH_BYTES]),
)
def test_similar_is_brute_force(
    memory_at: MemoryAt, sources: list[list[str]], query: list[str], threshold: int, limit: int | None,
    verify_cost: int, flush_bytes: int,
) -> None:
    """Reading past the prefixes never (cost 0) or always (cost 10⁹) changes the lists read, not the result.

    One memory per backend, each example replacing its only file (a new digest); SQLite writes the
    rewritten posting lists each at once, every few, or all at the end.
    """
    units = [MemoryUnit(" ".join(words), "譯", "en", TARGET, f"f.po:{i}") for i, words in enumerate(sources)]
    text = " ".join(query)
    want = sorted(((score, unit.origin, unit.source) for unit in units
                   if (score := _similarity(tokens(text, "en"), tokens(unit.source, "en"))) >= threshold - 1e-9),
                  key=lambda w: (-w[0], w[1], w[2]))
    with pytest.MonkeyPatch.context() as patch, memory_at() as tm:
        patch.setattr(index, "VERIFY_COST", verify_cost)
        patch.setattr(sqlite_store._Writer, "FLUSH_BYTES", flush_bytes)
        tm.refresh([MemoryFile("f.po", str(next(EXAMPLES)), lambda: units)])
        found = tm.similar(text, target_language=TARGET, min_similarity=threshold, limit=limit)
    assert [(origin, score) for score, _, origin in found] == [
        (origin, pytest.approx(score)) for score, origin, _ in want[:limit]]


@settings(max_examples=80)
@given(
    lists=st.lists(st.dictionaries(st.integers(3, 12), st.lists(st.integers(0, 40), max_size=12), max_size=6),
                   min_size=1, max_size=14),
    threshold=st.sampled_from([0.5, 0.75, 0.9]),
    read_ahead=st.sampled_from([1, 5, 30, 10**6]),
)
def test_reading_ahead_saves_round_trips_and_counts_the_same(lists: list[dict[int, list[int]]], threshold: float,
                                                             read_ahead: int) -> None:
    """A server's lists fetched several at a time are counted exactly as one at a time, in fewer round trips."""
    stored = {token: {length: index.pack(sorted(set(units))) for length, units in by_length.items()}
              for token, by_length in enumerate(lists)}
    found = [(token, sum(len(set(units)) for units in by_length.values())) for token, by_length in enumerate(lists)]

    def search(ahead: int) -> tuple[index.Search, int]:
        trips = 0

        def postings(wanted: list[tuple[int, int, int]]) -> list[dict[int, bytes]]:
            nonlocal trips
            trips += 1
            return [{length: packed for length, packed in stored[token].items() if low <= length <= high}
                    for token, low, high in wanted]

        done = index.Search(postings, found, read_ahead=ahead)
        done.read_prefixes(threshold)
        done.read_worthwhile(threshold)
        return done, trips

    one, one_trips = search(0)
    many, many_trips = search(read_ahead)
    assert many.read == one.read and many.tallies() == one.tallies()
    assert many.candidates(threshold) == one.candidates(threshold)
    assert many_trips <= one_trips



@pytest.mark.parametrize("verify_cost", [0, index.VERIFY_COST, 10**9])
def test_a_unit_exactly_at_the_threshold_is_found_whatever_the_lists_read(memory_at: MemoryAt,
                                                                          verify_cost: int) -> None:
    """The unit shares every token it must: each list read past the prefix has to count it, at the bar."""
    query = "fund grant road safety data users"
    exact = "fund grant road safety data users of the"  # 2·6 / (6 + 8) = 85.71
    fillers = [" ".join(words) for words in itertools.combinations(query.split(), 3)]  # common tokens, below 85
    units = [MemoryUnit(text, "譯", "en", TARGET, f"f.po:{i}") for i, text in enumerate([exact, *fillers])]
    with pytest.MonkeyPatch.context() as patch, memory_at() as tm:
        patch.setattr(index, "VERIFY_COST", verify_cost)
        tm.refresh([MemoryFile("f.po", str(next(EXAMPLES)), lambda: units)])
        found = tm.similar(query, target_language=TARGET, min_similarity=100 * 12 / 14)
    assert [(origin, round(score, 2)) for score, _, origin in found] == [("f.po:0", 85.71)]
