"""The memory seam: what a store of units answers, so that lookup, scoring and repair are written once.

A backend keeps units with their fuzzy index (``index``: posting lists per
token and unit length, packed 32-bit unit ids) and hands out rows; it never
ranks or scores. ``TranslationMemory`` (``store``) does that above it, the
same way for every backend, so two backends holding the same units give
the same answers. Two exist: ``sqlite_store`` (one translator's workspace,
under ``.duet/``) and ``postgres_store`` (a team's, on a server, each
workspace refreshing only its own units while every lookup sees all).

Token ids are the backend's own; a unit's ``codes`` (its tokens as ids, what
fuzzy scoring compares) use the ids ``tokens`` answers with.
"""

from __future__ import annotations

import collections
import collections.abc as cabc
import contextlib
import typing as t

from .units import MemoryFile, MemoryUnit, RefreshReport

UnitRow = tuple[int, str, str, str, str]  # id, source, target, status, origin


class Backend(t.Protocol):
    kind: str  # "sqlite" or "postgresql"
    shown: str  # where it is, as users may see it: a path, or a URL without its password
    read_ahead: int  # postings worth fetching beyond what a lookup needs next to save one round trip
    candidates_at_once: int  # candidates fetched and compared at a time: more where a round trip costs more

    def refresh(self, files: cabc.Iterable[MemoryFile]) -> RefreshReport:
        """Load the changed files, drop the missing ones: all in one transaction."""

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """One consistent view for the reads of one lookup, whatever refresh commits meanwhile."""

    def pairs(self, source_language: str, target_language: str) -> list[int]:
        """The ids of the language pairs matching these tags, case and ``_``/``-`` folded."""

    def same(self, norm: int, pairs: list[int]) -> list[tuple[int, str, str, str, str, int]]:
        """Units of ``pairs`` whose normalized source hashes to ``norm``: (id, source, target, status, origin, context)."""

    def tokens(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        """Index key → (token id, units holding it), for the keys the memory holds."""

    def postings(self, wanted: list[tuple[int, int, int]]) -> list[dict[int, bytes]]:
        """For each (token, shortest, longest): unit length → the packed ids of the units of that length holding it."""

    def holding(self, token: int) -> list[int]:
        """The ids of every unit holding ``token``, sorted."""

    def codes(self, ids: list[int]) -> list[tuple[int, int, cabc.Sequence[int]]]:
        """(id, pair, codes) of these units."""

    def units(self, ids: list[int]) -> list[UnitRow]:
        """(id, source, target, status, origin) of these units."""

    def texts(self, ids: list[int]) -> list[tuple[str, str, int]]:
        """(source, target, pair) of these units, by id."""

    def sample(self, pairs: list[int], count: int) -> tuple[int, list[tuple[str, str]]]:
        """How many units ``pairs`` have, and about ``count`` of them spread evenly by id, as (source, target)."""

    def stats(self) -> dict[str, t.Any]:
        """Units by language pair and status, files, tokens, bytes."""

    def export(self, target_language: str) -> cabc.Iterator[MemoryUnit]:
        """Every unit into exactly this language, by workspace, file path and position in the file."""

    def close(self) -> None: ...


def export_unit(row: tuple[t.Any, ...], target_language: str) -> MemoryUnit:
    source_language, source, target, status, origin, created, usage = row
    return MemoryUnit(source, target, source_language, target_language, origin, status, creation_date=created,
                      usage_count=usage)


def pair_counts(rows: cabc.Iterable[tuple[str, str, str, int]]) -> list[dict[str, t.Any]]:
    """(source, target, status, count) rows, sorted → one entry per pair with its units by status."""
    pairs: dict[str, dict[str, t.Any]] = {}
    for source_language, target_language, status, count in rows:
        entry = pairs.setdefault(f"{source_language}→{target_language}", {
            "source_language": source_language, "target_language": target_language, "units": 0, "status": {}})
        entry["units"] += count
        entry["status"][status] = count
    return list(pairs.values())


class FileWriter(t.Protocol):
    """What ``refresh_files`` asks of a backend's writer, within the refresh's transaction."""

    def add_file(self, file: MemoryFile) -> int: ...

    def remove_file(self, file_id: int) -> int: ...


def refresh_files(known: dict[str, tuple[int, str]], files: cabc.Iterable[MemoryFile],
                  writer: FileWriter) -> collections.Counter[str]:
    """Compare ``files`` with what is stored (path → id, digest); load the changed, drop the missing."""
    counts = collections.Counter[str]()
    seen: set[str] = set()
    for file in files:
        seen.add(file.path)
        old = known.get(file.path)
        if old is not None and old[1] == file.digest:
            counts["unchanged"] += 1
            continue
        if old is not None:
            counts["units_removed"] += writer.remove_file(old[0])
        counts["changed" if old is not None else "added"] += 1
        counts["units_added"] += writer.add_file(file)
    for path in sorted(set(known) - seen):
        counts["units_removed"] += writer.remove_file(known[path][0])
        counts["removed"] += 1
    return counts
