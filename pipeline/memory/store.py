"""The translation memory: units looked up as ranked ``Match``es, whichever backend stores them.

``TranslationMemory.open(location)`` opens a SQLite file (a ``Path``) or a
PostgreSQL server (a ``postgresql://`` URL, with the workspace's memory
name); ``refresh(files)`` loads what changed, ``lookup`` ranks in-context,
exact, normalized and fuzzy matches with their score decomposed. The
backend (``backend``) only stores units and finds candidates: the search
over its posting lists (``index``), the scoring and the ranking are here,
shared, so both backends answer alike.
"""

from __future__ import annotations

import bisect
import collections.abc as cabc
import dataclasses
import math
import typing as t
from pathlib import Path

from rapidfuzz.distance import Indel

from ..glossary.matcher import TermMatcher
from ..model import Match, MatchKind
from . import index
from .backend import Backend
from .score import make_match, rank_key
from .text import NO_CONTEXT, context_digest, digest64, index_keys, normalized, tokens
from .units import MemoryFile, MemoryUnit, RefreshReport

_Unit = tuple[str, str, str, str]  # source, target, status, origin
_Rated = t.TypeVar("_Rated")


class TranslationMemory:
    """A translation memory over a ``Backend``; open with ``TranslationMemory.open(path or URL)``."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @classmethod
    def open(cls, location: Path | str, *, name: str = "") -> TranslationMemory:
        """The SQLite memory at a path, or the PostgreSQL one at a ``postgresql://`` URL as workspace ``name``."""
        if isinstance(location, str):
            from .postgres_store import PostgresBackend

            return cls(PostgresBackend.open(location, name))
        from .sqlite_store import SqliteBackend

        return cls(SqliteBackend.open(location))

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.backend.kind

    @property
    def shown(self) -> str:
        """Where the memory is, safe to print: a path, or a URL without its password."""
        return self.backend.shown

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> t.Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self, files: cabc.Iterable[MemoryFile]) -> RefreshReport:
        """Bring the memory in line with ``files``: load the changed ones, drop the missing ones."""
        return self.backend.refresh(files)

    def stats(self) -> dict[str, t.Any]:
        """Which backend, where; units by language pair and status, files, tokens and the size of the database."""
        return self.backend.stats()

    def export(self, target_language: str) -> cabc.Iterator[MemoryUnit]:
        """Every unit into this language (its tag as stored), by workspace, file path and position in the file."""
        return self.backend.export(target_language)

    # ------------------------------------------------------------- lookup

    def lookup(
        self,
        text: str,
        *,
        target_language: str,
        source_language: str = "en",
        min_score: float = 75,
        limit: int | None = 5,
        previous: str = "",
        next: str = "",
        terms: TermMatcher | None = None,
    ) -> list[Match]:
        """Matches for ``text``, best first: in-context, exact, normalized, then fuzzy by score.

        Only matches scoring at least ``min_score`` (0-100, penalties
        included) are returned, at most ``limit`` (``None``: all). ``terms``
        (a matcher for the same language pair) adds the glossary penalty.
        """
        with self.backend.reading():
            return self._lookup(text, target_language, source_language, min_score, limit, previous, next, terms)

    def _lookup(self, text: str, target_language: str, source_language: str, min_score: float, limit: int | None,
                previous: str, next: str, terms: TermMatcher | None) -> list[Match]:
        pairs = self.backend.pairs(source_language, target_language)
        if not pairs or not text.strip():
            return []
        query_terms = frozenset(hit.index for hit in terms.find(text)) if terms is not None else frozenset()
        context = context_digest(previous, next)
        found: list[Match] = []
        same: set[int] = set()
        for unit_id, source, target, status, origin, unit_context in self.backend.same(digest64(normalized(text)), pairs):
            if normalized(source) != normalized(text):
                continue  # a hash collision
            kind: MatchKind = "normalized"
            if source == text:
                kind = "in-context" if context != NO_CONTEXT and unit_context == context else "exact"
            same.add(unit_id)
            match = make_match(kind, 100.0, text, (source, target, status, origin), source_language, terms,
                               query_terms)
            found.append(dataclasses.replace(match, context=None if unit_context == NO_CONTEXT else unit_context))
        wanted = None if limit is None else limit - len(found)
        if wanted is None or wanted > 0:
            def rate(similarity: float, unit_id: int, unit: _Unit) -> tuple[float, Match] | None:
                if unit_id in same:
                    return None
                match = make_match("fuzzy", similarity, text, unit, source_language, terms, query_terms)
                return match.score, match

            found += [match for _, match in self._fuzzy(text, source_language, pairs, min_score, wanted, rate)]
        found = [m for m in found if m.score >= min_score]
        found.sort(key=rank_key)
        return found if limit is None else found[:limit]

    def similar(
        self,
        text: str,
        *,
        target_language: str,
        source_language: str = "en",
        min_similarity: float = 75,
        limit: int | None = None,
    ) -> list[tuple[float, str, str]]:
        """The units most similar to ``text``, at least ``min_similarity``, as (similarity, source, origin).

        The retrieval stage alone (no kinds, no penalties), best first: what
        the benchmark compares with brute-force scoring.
        """
        with self.backend.reading():
            pairs = self.backend.pairs(source_language, target_language)
            found = self._fuzzy(text, source_language, pairs, min_similarity, limit,
                                lambda similarity, _, unit: (similarity, (similarity, unit[0], unit[3])))
        found.sort(key=lambda f: (-f[0], f[1][2], f[1][1]))
        return [item for _, item in found][:limit]

    def _fuzzy(
        self,
        text: str,
        language: str,
        pairs: list[int],
        min_score: float,
        wanted: int | None,
        rate: cabc.Callable[[float, int, _Unit], tuple[float, _Rated] | None],
    ) -> list[tuple[float, _Rated]]:
        """Rate every unit whose similarity may reach ``min_score``; with ``wanted``, only what may make the top.

        ``rate`` turns (similarity, unit id, unit) into a result whose score,
        0-100, is at most the similarity (``None`` drops it). With ``wanted``
        set, the threshold rises to the ``wanted``-th best score rated so
        far, so fewer posting lists are read and fewer units rated.
        """
        if not pairs:
            return []
        query = tokens(text, language)
        keys = index_keys(query, language)
        known = self.backend.tokens(keys)
        search = index.Search(self.backend.postings, [known.get(key, (None, 0)) for key in keys],
                              self.backend.read_ahead)
        if not search.size:
            return []
        # The query as token ids, as units are stored; a token the memory lacks gets an id no unit has.
        first: dict[str, str] = {}
        for token, key in zip(query, keys):
            first.setdefault(token, key)  # the key of a token's first occurrence stands for the token
        codes = [known[first[token]][0] if first[token] in known else -1 - i for i, token in enumerate(query)]
        floor = min_score / 100
        best: list[float] = []  # scores rated so far, ascending
        rated: list[tuple[float, _Rated]] = []
        seen: set[int] = set()
        allowed = set(pairs)

        def threshold() -> float:
            if wanted and len(best) >= wanted:
                return max(floor, best[-wanted] / 100)
            return floor

        def verify(units: list[int]) -> None:
            fresh = [u for u in units if u not in seen]
            seen.update(fresh)
            cut = threshold()
            scored = []
            for unit_id, pair, stored in self.backend.codes(fresh):
                if pair in allowed:
                    similarity = _similarity(codes, stored, cut)
                    if similarity >= min_score - 1e-9:
                        scored.append((similarity, unit_id))
            # Best first, so that the threshold rises before the weaker ones are rated.
            scored.sort(key=lambda s: (-s[0], s[1]))
            rows = {}
            for start in range(0, len(scored), 64):
                if scored[start][0] < 100 * threshold() - 1e-9:
                    break
                rows.update((row[0], row[1:]) for row in self.backend.units(
                    [unit_id for _, unit_id in scored[start:start + 64]]))
                for similarity, unit_id in scored[start:start + 64]:
                    if similarity < 100 * threshold() - 1e-9:
                        break  # sorted: the rest are below too
                    result = rate(similarity, unit_id, rows[unit_id])
                    if result is not None and result[0] >= min_score - 1e-9:
                        bisect.insort(best, result[0])
                        rated.append(result)

        if wanted:
            search.read_prefixes(min(0.95, max(floor, 0.9)))
            verify(search.leaders(2 * wanted + 8))
        search.read_prefixes(threshold())
        search.read_worthwhile(threshold())
        candidates = search.candidates(threshold())
        step = self.backend.candidates_at_once
        for start in range(0, len(candidates), step):
            batch = [unit for bound, unit in candidates[start:start + step] if bound + 1e-9 >= threshold()]
            if not batch:
                break
            verify(batch)
        cut = 100 * threshold()
        return [(score, result) for score, result in rated if score >= cut - 1e-9]


def _similarity(query: cabc.Sequence[int], source: cabc.Sequence[int], threshold: float) -> float:
    """Indel similarity, 0-100, or 0 below ``threshold`` (0-1); from the integer distance, so exact at the bar."""
    total = len(query) + len(source)
    allowed = math.floor((1 - threshold) * total + 1e-9)
    distance = Indel.distance(query, source, score_cutoff=allowed)
    return 0.0 if distance > allowed else 100 * (total - distance) / total


def open_refreshed(location: Path | str, name: str, files: cabc.Iterable[MemoryFile]) -> TranslationMemory:
    """The memory at ``location`` (a path or a ``postgresql://`` URL), ``name``'s units refreshed from ``files``."""
    memory = TranslationMemory.open(location, name=name)
    try:
        memory.refresh(files)
    except BaseException:
        memory.close()
        raise
    return memory
