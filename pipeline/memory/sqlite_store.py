"""The memory in an embedded SQLite database under ``.duet/``: one translator's workspace.

The database is a cache: every unit comes from a file (``MemoryFile``) and is
stored with the SHA-256 that file had, so a refresh loads only the files whose
digest changed, drops the units of files that are gone, and the whole refresh
is one transaction. A database written by another schema version, or
unreadable, is deleted and rebuilt, never trusted.

Stored per unit: the texts, the language pair, status, origin, creation date
and usage count, its tokens as ids (``codes``: what fuzzy scoring compares),
and two 64-bit hashes: of the normalized source (exact and normalized
matches, indexed) and of the previous and next segments (in-context matches;
the context texts are not kept). The fuzzy index is ``index``: one row per
(token, unit length) holding the packed ids of the units.
"""

from __future__ import annotations

import array
import collections
import collections.abc as cabc
import contextlib
import itertools
import sqlite3
import typing as t
from pathlib import Path

import numpy

from ..errors import InputError, WorkspaceError
from ..model import Location
from . import index
from .backend import export_unit, pair_counts, refresh_files
from .text import context_digest, digest64, index_keys, normalized, tokens
from .units import MemoryFile, MemoryUnit, RefreshReport

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


class SqliteBackend:
    """A memory in one SQLite file; open with ``SqliteBackend.open(path)``."""

    kind = "sqlite"
    read_ahead = 0  # a list is a page read away
    candidates_at_once = 32  # so is a unit: compare few at a time, and stop as soon as the bar rises past the rest

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self.shown = str(path)

    @classmethod
    def open(cls, path: Path) -> SqliteBackend:
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

    def refresh(self, files: cabc.Iterable[MemoryFile]) -> RefreshReport:
        with self._transaction():
            known = {path: (file_id, digest) for file_id, path, digest in self.db.execute("SELECT id, path, digest FROM file")}
            writer = _Writer(self.db)
            counts = refresh_files(known, files, writer)
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

    @contextlib.contextmanager
    def reading(self) -> cabc.Iterator[None]:
        if self.db.in_transaction:
            yield  # within a reading already
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    def pairs(self, source_language: str, target_language: str) -> list[int]:
        return [pair for (pair,) in self.db.execute(
            "SELECT id FROM pair WHERE lower(source_language) = lower(?) AND lower(target_language) = lower(?)",
            (source_language.replace("_", "-"), target_language.replace("_", "-")))]

    def same(self, norm: int, pairs: list[int]) -> list[tuple[int, str, str, str, str, int]]:
        marks = ",".join("?" * len(pairs))
        return self.db.execute(
            f"SELECT id, source, target, status, origin, context FROM unit WHERE norm = ? AND pair IN ({marks})",
            (norm, *pairs)).fetchall()

    def tokens(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        return dict(self._select_in("SELECT key, id, df FROM token WHERE key IN ({})", keys,
                                    lambda row: (row[0], (row[1], row[2]))))

    def postings(self, wanted: list[tuple[int, int, int]]) -> list[dict[int, bytes]]:
        return [dict(self.db.execute("SELECT length, units FROM posting WHERE token = ? AND length BETWEEN ? AND ?",
                                     request)) for request in wanted]

    def holding(self, token: int) -> list[int]:
        return sorted({unit for (packed,) in self.db.execute("SELECT units FROM posting WHERE token = ?", (token,))
                       for unit in index.unpack(packed)})

    def codes(self, ids: list[int]) -> list[tuple[int, int, cabc.Sequence[int]]]:
        return self._select_in("SELECT id, pair, codes FROM unit WHERE id IN ({})", ids,
                               lambda row: (row[0], row[1], index.unpack(row[2])))

    def units(self, ids: list[int]) -> list[tuple[int, str, str, str, str]]:
        return self._select_in("SELECT id, source, target, status, origin FROM unit WHERE id IN ({})", ids, tuple)

    def texts(self, ids: list[int]) -> list[tuple[str, str, int]]:
        rows = self._select_in("SELECT id, source, target, pair FROM unit WHERE id IN ({})", ids, tuple)
        return [row[1:] for row in sorted(rows)]

    def sample(self, pairs: list[int], count: int) -> tuple[int, list[tuple[str, str]]]:
        marks = ",".join("?" * len(pairs))
        (total,) = self.db.execute(f"SELECT count(*) FROM unit WHERE pair IN ({marks})", pairs).fetchone()
        rows = self.db.execute(f"SELECT source, target FROM unit WHERE pair IN ({marks}) AND id % ? = 0 LIMIT ?",
                               (*pairs, max(1, total // count), count)).fetchall()
        return total, rows

    def _select_in(self, sql: str, values: list[t.Any], row: cabc.Callable[[t.Any], t.Any]) -> list[t.Any]:
        rows = []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            rows += [row(r) for r in self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)]
        return rows

    def stats(self) -> dict[str, t.Any]:
        rows = self.db.execute(
            "SELECT source_language, target_language, status, count(*) FROM unit JOIN pair ON pair.id = unit.pair "
            "GROUP BY source_language, target_language, status ORDER BY source_language, target_language, status")
        (files,) = self.db.execute("SELECT count(*) FROM file").fetchone()
        (units,) = self.db.execute("SELECT count(*) FROM unit").fetchone()
        (tokens_,) = self.db.execute("SELECT count(*) FROM token WHERE df > 0").fetchone()
        size = sum(p.stat().st_size for p in (self.path, self.path.with_name(self.path.name + "-wal")) if p.exists())
        return {"backend": self.kind, "location": self.shown, "files": files, "units": units,
                "pairs": pair_counts(rows), "tokens": tokens_, "bytes": size}

    def export(self, target_language: str) -> cabc.Iterator[MemoryUnit]:
        for row in self.db.execute(
            "SELECT source_language, source, target, status, origin, created, usage FROM unit "
            "JOIN pair ON pair.id = unit.pair JOIN file ON file.id = unit.file WHERE target_language = ? "
            "ORDER BY file.path, unit.id", (target_language,)
        ):
            yield export_unit(row, target_language)


def _connect(path: Path) -> sqlite3.Connection | None:
    """A connection to a database of this schema version, created if empty; ``None`` if it must be rebuilt."""
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"cannot open the translation memory: {exc}", Location(str(path))) from exc
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        # A small page cache and no map: mapped pages stay counted in the process's memory, and lookups touch
        # pages all over the file (400 lookups at 1M units: 0.96 GB resident mapped, 81 MB read() from the
        # system's cache, for p50 6.6 -> 7.6 ms, p95 18 -> 22 ms); a 10,000-release build stays bounded.
        db.execute("PRAGMA cache_size = -16384")
        db.execute("PRAGMA mmap_size = 0")
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

    FLUSH_POSTINGS = 2_000_000
    FLUSH_BYTES = 4_000_000

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.tokens: dict[str, int] | None = None
        self.frequency = collections.Counter[int]()
        self.pairs = {(s, t): i for i, s, t in db.execute("SELECT id, source_language, target_language FROM pair")}
        (last,) = db.execute("SELECT coalesce(max(id), 0) FROM unit").fetchone()
        self.next_unit = last + 1
        self.added = _Postings()
        self.removed: dict[tuple[int, int], set[int]] = {}

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
            first = dict(zip(reversed(found), reversed(keys)))  # a token's id is its first occurrence's key's
            length = len(keys)
            self.added.add(unit_id, keys)
            self.frequency.update(keys)
            context = context_digest(unit.previous, unit.next)
            rows.append((unit_id, file_id, self._pair(unit.source_language, unit.target_language), unit.source,
                         unit.target, unit.status, unit.origin, context, unit.creation_date, unit.usage_count,
                         digest64(normalized(unit.source)), length, index.pack(map(first.__getitem__, found))))
            count += 1
            if len(rows) >= 10_000:
                self._insert(rows)
        self._insert(rows)
        self.db.execute("UPDATE file SET units = ? WHERE id = ?", (count, file_id))
        return count

    def _insert(self, rows: list[tuple[t.Any, ...]]) -> None:
        self.db.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        rows.clear()
        if len(self.added) > self.FLUSH_POSTINGS:
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
        """Apply the gathered changes to the posting lists they touch, a few megabytes of lists at a time.

        Rewritten lists are written once ``FLUSH_BYTES`` of them are pending,
        so a refresh holds a chunk of lists, not every list it rewrites (the
        peak of a large build, or of one file changed in a large memory, whose
        lists are the long lists of common words).
        """
        added, self.added = self.added, _Postings()
        removed, self.removed = self.removed, {}
        writes: list[tuple[int, int, bytes]] = []
        deletes: list[tuple[int, int]] = []
        pending = 0
        for key, new in added.merged_with(sorted(removed)):
            row = self.db.execute("SELECT units FROM posting WHERE token = ? AND length = ?", key).fetchone()
            packed = row[0] if row else b""
            gone = removed.get(key)
            if gone:
                units = numpy.frombuffer(packed, numpy.uint32)
                packed = units[~numpy.isin(units, numpy.fromiter(gone, numpy.uint32, len(gone)))].tobytes()
            if new is not None:
                packed += new
            if packed:
                writes.append((*key, packed))
                pending += len(packed)
            elif row:
                deletes.append(key)
            if pending >= self.FLUSH_BYTES:
                self.db.executemany("INSERT OR REPLACE INTO posting VALUES (?, ?, ?)", writes)
                writes.clear()
                pending = 0
        self.db.executemany("INSERT OR REPLACE INTO posting VALUES (?, ?, ?)", writes)
        self.db.executemany("DELETE FROM posting WHERE token = ? AND length = ?", deletes)

    def finish(self) -> None:
        self.flush()
        self.db.executemany("UPDATE token SET df = df + ? WHERE id = ?",
                            [(delta, token) for token, delta in sorted(self.frequency.items()) if delta])


class _Postings:
    """Postings added in a refresh, as two flat arrays: (token, unit length) as one 64-bit key, and the unit.

    A dict of growing lists per (token, length) cost a lookup and an append
    per posting in Python and some hundred bytes per list; these cost twelve
    bytes a posting, grouped once, by sorting, when the lists are rewritten.
    """

    def __init__(self) -> None:
        self.keys, self.units = array.array("Q"), array.array("I")

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit: int, tokens: list[int]) -> None:
        length = len(tokens)
        self.keys.extend([token << 32 | length for token in tokens])
        self.units.extend(itertools.repeat(unit, length))

    def merged_with(self, removed: list[tuple[int, int]]) -> cabc.Iterator[tuple[tuple[int, int], bytes | None]]:
        """Every (token, length) added to or in ``removed`` (sorted), in order, with the packed ids added to it.

        A list's ids stay in the order they were added (ascending): the sort is stable.
        """
        keys = numpy.frombuffer(self.keys, numpy.uint64)
        order = numpy.argsort(keys, kind="stable")
        keys, self.keys = keys[order], array.array("Q")  # each array let go as soon as it is sorted
        packed = memoryview(numpy.frombuffer(self.units, numpy.uint32)[order]).cast("B")
        self.units = array.array("I")
        del order
        first = numpy.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        starts = numpy.flatnonzero(first)
        ends = numpy.append(starts[1:], len(keys))
        gone = 0
        for chunk in range(0, len(starts), 4096):
            for key, start, end in zip(keys[starts[chunk:chunk + 4096]].tolist(), starts[chunk:chunk + 4096].tolist(),
                                       ends[chunk:chunk + 4096].tolist()):
                pair = (key >> 32, key & 0xFFFFFFFF)
                while gone < len(removed) and removed[gone] < pair:
                    yield removed[gone], None
                    gone += 1
                gone += gone < len(removed) and removed[gone] == pair
                yield pair, packed[4 * start:4 * end]
        for pair in removed[gone:]:
            yield pair, None
