"""The translation memory: units in an embedded SQLite database, refreshed from files, looked up.

The database (under ``.duet/``) is a cache: every unit comes from a file
(``MemoryFile``) and is stored with the SHA-256 that file had, so a refresh
loads only the files whose digest changed, drops the units of files that are
gone, and the whole refresh is one transaction. A database written by another
schema version, or unreadable, is deleted and rebuilt, never trusted.

Stored per unit: the texts, the language pair, status, origin, creation date
and usage count, its tokens as ids (``codes``: what fuzzy scoring compares),
and two 64-bit hashes: of the normalized source (exact and
normalized matches, indexed) and of the previous and next segments (in-context
matches; the context texts are not kept). The fuzzy index is ``index``.
"""

from __future__ import annotations

import array
import bisect
import collections
import collections.abc as cabc
import contextlib
import math
import sqlite3
import typing as t
from pathlib import Path

from rapidfuzz.distance import Indel

from ..errors import InputError, WorkspaceError
from ..glossary.matcher import TermMatcher
from ..model import Location, Match, MatchKind
from . import index
from .score import make_match, rank_key
from .text import digest64, index_keys, normalized, tokens
from .units import MemoryFile, RefreshReport

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE file (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, units INTEGER NOT NULL);
CREATE TABLE pair (id INTEGER PRIMARY KEY, source_language TEXT NOT NULL, target_language TEXT NOT NULL,
                   UNIQUE (source_language, target_language));
CREATE TABLE unit (id INTEGER PRIMARY KEY, file INTEGER NOT NULL, pair INTEGER NOT NULL, source TEXT NOT NULL,
                   target TEXT NOT NULL, status TEXT NOT NULL, origin TEXT NOT NULL, context INTEGER NOT NULL,
                   created TEXT NOT NULL, usage INTEGER NOT NULL, norm INTEGER NOT NULL, length INTEGER NOT NULL,
                   codes BLOB NOT NULL);
CREATE INDEX unit_norm ON unit (norm);
CREATE INDEX unit_file ON unit (file);
CREATE TABLE token (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
CREATE TABLE posting (token INTEGER NOT NULL, length INTEGER NOT NULL, units BLOB NOT NULL,
                      PRIMARY KEY (token, length)) WITHOUT ROWID;
"""
_NO_CONTEXT = digest64("", "")
_Unit = tuple[str, str, str, str]  # source, target, status, origin
_Rated = t.TypeVar("_Rated")


class TranslationMemory:
    """A translation memory in one SQLite file; open with ``TranslationMemory.open(path)``."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path) -> TranslationMemory:
        """Open (or create) the memory at ``path``; another schema version is rebuilt from scratch."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create the translation memory: {exc.strerror or exc}", Location(str(path.parent))) from exc
        db = _connect(path)
        if db is None:
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            db = _connect(path)
            if db is None:
                raise InputError("cannot create the translation memory database", Location(str(path)))
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> t.Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------- refresh

    def refresh(self, files: cabc.Iterable[MemoryFile]) -> RefreshReport:
        """Bring the memory in line with ``files``: load the changed ones, drop the missing ones."""
        counts = collections.Counter[str]()
        with self._transaction():
            writer = _Writer(self.db)
            known = {path: (file_id, digest) for file_id, path, digest in self.db.execute("SELECT id, path, digest FROM file")}
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
            writer.finish()
        (total,) = self.db.execute("SELECT count(*) FROM unit").fetchone()
        return RefreshReport(counts["added"], counts["changed"], counts["removed"], counts["unchanged"],
                             counts["units_added"], counts["units_removed"], total)

    @contextlib.contextmanager
    def _transaction(self) -> cabc.Iterator[None]:
        """All or nothing; SQLite's own failures (a full disk, a locked file) become one line naming the database."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise WorkspaceError(f"translation memory: {exc}", Location(str(self.path))) from exc

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
        pairs = self._pairs(source_language, target_language)
        if not pairs or not text.strip():
            return []
        query_terms = frozenset(hit.index for hit in terms.find(text)) if terms is not None else frozenset()
        context = digest64(previous, next) if previous or next else None
        found: list[Match] = []
        same: set[int] = set()
        marks = ",".join("?" * len(pairs))
        rows = self.db.execute(
            f"SELECT id, source, target, status, origin, context FROM unit WHERE norm = ? AND pair IN ({marks})",
            (digest64(normalized(text)), *pairs),
        )
        for unit_id, source, target, status, origin, unit_context in rows:
            if normalized(source) != normalized(text):
                continue  # a hash collision
            kind: MatchKind = "normalized"
            if source == text:
                kind = "in-context" if context is not None and unit_context == context else "exact"
            same.add(unit_id)
            found.append(make_match(kind, 100.0, text, (source, target, status, origin), source_language,
                                    terms, query_terms))
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
        pairs = self._pairs(source_language, target_language)
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
        known = dict(self._select_in("SELECT key, id, df FROM token WHERE key IN ({})", keys,
                                     lambda row: (row[0], (row[1], row[2]))))
        search = index.Search(self.db, [known.get(key, (None, 0)) for key in keys])
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
            for unit_id, pair, stored in self._select_in("SELECT id, pair, codes FROM unit WHERE id IN ({})", fresh,
                                                         tuple):
                if pair in allowed:
                    similarity = _similarity(codes, index.unpack(stored), cut)
                    if similarity >= min_score - 1e-9:
                        scored.append((similarity, unit_id))
            # Best first, so that the threshold rises before the weaker ones are rated.
            scored.sort(key=lambda s: (-s[0], s[1]))
            rows = {}
            for start in range(0, len(scored), 64):
                if scored[start][0] < 100 * threshold() - 1e-9:
                    break
                rows.update((row[0], row[1:]) for row in self._select_in(
                    "SELECT id, source, target, status, origin FROM unit WHERE id IN ({})",
                    [unit_id for _, unit_id in scored[start:start + 64]], tuple))
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
        for start in range(0, len(candidates), 32):
            batch = [unit for bound, unit in candidates[start:start + 32] if bound + 1e-9 >= threshold()]
            if not batch:
                break
            verify(batch)
        cut = 100 * threshold()
        return [(score, result) for score, result in rated if score >= cut - 1e-9]

    def _select_in(self, sql: str, values: list[t.Any], row: cabc.Callable[[t.Any], t.Any]) -> list[t.Any]:
        rows = []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            rows += [row(r) for r in self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)]
        return rows

    def _pairs(self, source_language: str, target_language: str) -> list[int]:
        return [pair for (pair,) in self.db.execute(
            "SELECT id FROM pair WHERE lower(source_language) = lower(?) AND lower(target_language) = lower(?)",
            (source_language.replace("_", "-"), target_language.replace("_", "-")))]

    # ------------------------------------------------------------- stats

    def stats(self) -> dict[str, t.Any]:
        """Units by language pair and status, files, tokens and the size of the database on disk."""
        pairs: dict[str, dict[str, t.Any]] = {}
        for source_language, target_language, status, count in self.db.execute(
            "SELECT source_language, target_language, status, count(*) FROM unit JOIN pair ON pair.id = unit.pair "
            "GROUP BY source_language, target_language, status ORDER BY source_language, target_language, status"
        ):
            entry = pairs.setdefault(f"{source_language}→{target_language}", {
                "source_language": source_language, "target_language": target_language, "units": 0, "status": {}})
            entry["units"] += count
            entry["status"][status] = count
        (files,) = self.db.execute("SELECT count(*) FROM file").fetchone()
        (units,) = self.db.execute("SELECT count(*) FROM unit").fetchone()
        (tokens_,) = self.db.execute("SELECT count(*) FROM token WHERE df > 0").fetchone()
        size = sum(p.stat().st_size for p in (self.path, self.path.with_name(self.path.name + "-wal")) if p.exists())
        return {"files": files, "units": units, "pairs": list(pairs.values()), "tokens": tokens_, "bytes": size}


def _similarity(query: cabc.Sequence[int], source: cabc.Sequence[int], threshold: float) -> float:
    """Indel similarity, 0-100, or 0 below ``threshold`` (0-1); from the integer distance, so exact at the bar."""
    total = len(query) + len(source)
    allowed = math.floor((1 - threshold) * total + 1e-9)
    distance = Indel.distance(query, source, score_cutoff=allowed)
    return 0.0 if distance > allowed else 100 * (total - distance) / total


def _connect(path: Path) -> sqlite3.Connection | None:
    """A connection to a database of this schema version, created if empty; ``None`` if it must be rebuilt."""
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"cannot open the translation memory: {exc}", Location(str(path))) from exc
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA mmap_size = 17179869184")  # lookups read units at random: map the file, no read() each
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version == SCHEMA_VERSION:
            return db
        (tables,) = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        if version != 0 or tables:
            db.close()
            return None
        db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        return db
    except sqlite3.DatabaseError:
        db.close()
        return None


class _Writer:
    """Adds and removes the units of files within one refresh; posting lists are rewritten at the end.

    Changes to the posting lists are gathered per (token, length) and applied
    by ``flush`` (read, filter, extend, write back), every few million
    postings and at the end, so a large first build needs bounded memory.
    """

    FLUSH_POSTINGS = 4_000_000

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.tokens: dict[str, int] | None = None
        self.frequency = collections.Counter[int]()
        self.pairs = {(s, t): i for i, s, t in db.execute("SELECT id, source_language, target_language FROM pair")}
        (last,) = db.execute("SELECT coalesce(max(id), 0) FROM unit").fetchone()
        self.next_unit = last + 1
        self.added: dict[tuple[int, int], array.array[int]] = {}
        self.removed: dict[tuple[int, int], set[int]] = {}
        self.pending = 0

    def _token_ids(self) -> dict[str, int]:
        if self.tokens is None:
            self.tokens = dict(self.db.execute("SELECT key, id FROM token"))
        return self.tokens

    def _pair(self, source_language: str, target_language: str) -> int:
        pair = self.pairs.get((source_language, target_language))
        if pair is None:
            cursor = self.db.execute("INSERT INTO pair (source_language, target_language) VALUES (?, ?)",
                                     (source_language, target_language))
            pair = self.pairs[(source_language, target_language)] = t.cast(int, cursor.lastrowid)
        return pair

    def _keys(self, found: list[str], language: str) -> list[int]:
        ids = self._token_ids()
        keys = []
        for key in index_keys(found, language):
            token = ids.get(key)
            if token is None:
                cursor = self.db.execute("INSERT INTO token (key, df) VALUES (?, 0)", (key,))
                token = ids[key] = t.cast(int, cursor.lastrowid)
            keys.append(token)
        return keys

    def add_file(self, file: MemoryFile) -> int:
        cursor = self.db.execute("INSERT INTO file (path, digest, units) VALUES (?, ?, 0)", (file.path, file.digest))
        file_id = cursor.lastrowid
        rows = []
        count = 0
        for unit in file.load():
            unit_id = self.next_unit
            self.next_unit += 1
            found = tokens(unit.source, unit.source_language)
            keys = self._keys(found, unit.source_language)
            first: dict[str, int] = {}
            for token, key_id in zip(found, keys):
                first.setdefault(token, key_id)
            length = len(keys)
            for token in keys:
                units = self.added.get((token, length))
                if units is None:
                    units = self.added[(token, length)] = array.array("I")
                units.append(unit_id)
            self.pending += length
            self.frequency.update(keys)
            context = digest64(unit.previous, unit.next) if unit.previous or unit.next else _NO_CONTEXT
            rows.append((unit_id, file_id, self._pair(unit.source_language, unit.target_language), unit.source,
                         unit.target, unit.status, unit.origin, context, unit.creation_date, unit.usage_count,
                         digest64(normalized(unit.source)), length, index.pack(first[token] for token in found)))
            count += 1
            if len(rows) >= 10_000:
                self._insert(rows)
        self._insert(rows)
        self.db.execute("UPDATE file SET units = ? WHERE id = ?", (count, file_id))
        return count

    def _insert(self, rows: list[tuple[t.Any, ...]]) -> None:
        self.db.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        rows.clear()
        if self.pending > self.FLUSH_POSTINGS:
            self.flush()

    def remove_file(self, file_id: int) -> int:
        ids = self._token_ids()
        removed = 0
        for unit_id, source, language, length in self.db.execute(
            "SELECT unit.id, source, source_language, length FROM unit JOIN pair ON pair.id = unit.pair "
            "WHERE file = ?", (file_id,)
        ).fetchall():
            keys = [ids[key] for key in index_keys(tokens(source, language), language)]
            for token in keys:
                self.removed.setdefault((token, length), set()).add(unit_id)
            self.frequency.subtract(keys)
            removed += 1
        self.db.execute("DELETE FROM unit WHERE file = ?", (file_id,))
        self.db.execute("DELETE FROM file WHERE id = ?", (file_id,))
        return removed

    def flush(self) -> None:
        """Apply the gathered changes to the posting lists they touch."""
        writes, deletes = [], []
        for key in sorted(set(self.added) | set(self.removed)):
            row = self.db.execute("SELECT units FROM posting WHERE token = ? AND length = ?", key).fetchone()
            units = index.unpack(row[0]) if row else array.array("I")
            gone = self.removed.get(key)
            if gone:
                units = array.array("I", [u for u in units if u not in gone])
            units.extend(self.added.get(key, ()))
            if units:
                writes.append((*key, units.tobytes()))
            elif row:
                deletes.append(key)
        self.db.executemany("INSERT OR REPLACE INTO posting VALUES (?, ?, ?)", writes)
        self.db.executemany("DELETE FROM posting WHERE token = ? AND length = ?", deletes)
        self.added.clear()
        self.removed.clear()
        self.pending = 0

    def finish(self) -> None:
        self.flush()
        self.db.executemany("UPDATE token SET df = df + ? WHERE id = ?",
                            [(delta, token) for token, delta in sorted(self.frequency.items()) if delta])
