"""Adds and removes one workspace's units within a refresh on the server: units by ``COPY``, postings merged.

Like the SQLite writer, changes to the posting lists are gathered per
(token, length) and applied by ``flush`` every few million postings and at
the end: the workspace's rows for the keys touched are deleted (returning
them), merged with the changes and written back with one ``COPY``. A
workspace that held nothing before the refresh deletes only the rows its
earlier flushes wrote. Rows belong to
one workspace, so no other refresh waits on them; the only shared rows are
language pairs, registered on a second, short-lived connection so that a
refresh never holds a lock another workspace's refresh needs.
"""

from __future__ import annotations

import array
import collections
import typing as t

import psycopg

from . import index
from .text import context_digest, digest64, index_keys, normalized, tokens
from .units import MemoryFile


def token_id(key: str) -> int:
    """A token's id on the server: its key's hash, kept positive (rapidfuzz compares codes as unsigned)."""
    return digest64(key) & 0x7FFF_FFFF_FFFF_FFFF
_UNIT_COLUMNS = ("id, memory, file, pair, source, target, status, origin, context, created, usage, norm, length, "
                 "codes")
_UNIT_TYPES = ["int8", "int4", "int4", "int4", "text", "text", "text", "text", "int8", "text", "int4", "int8", "int4",
               "bytea"]


class PostgresWriter:
    FLUSH_POSTINGS = 8_000_000
    LARGEST_BLOCK = 10_000  # unit ids taken from the sequence at once, at most

    def __init__(self, conn: psycopg.Connection[t.Any], url: str, memory: int, *, fresh: bool) -> None:
        self.conn = conn
        self.url = url
        self.memory = memory
        self.fresh = fresh  # the workspace held no posting row when the refresh began
        self.pairs = {(s, t): i for i, s, t in conn.execute("SELECT id, source_language, target_language FROM pair")}
        self.ids: list[int] = []  # taken from the sequence, not used yet: the next is last
        self.block = 64
        self.rows: list[tuple[t.Any, ...]] = []
        self.added: dict[tuple[int, int], array.array[int]] = {}
        self.removed: dict[tuple[int, int], set[int]] = {}
        self.frequency = collections.Counter[int]()
        self.pending = 0
        self.token_ids: dict[str, int] = {}
        self.written: set[tuple[int, int]] = set()  # keys flushed so far while ``fresh``: the only rows there are

    def _pair(self, source_language: str, target_language: str) -> int:
        pair = self.pairs.get((source_language, target_language))
        if pair is None:
            with psycopg.connect(self.url, autocommit=True, application_name="duet") as side:
                side.execute("INSERT INTO pair (source_language, target_language) VALUES (%s, %s) "
                             "ON CONFLICT DO NOTHING", (source_language, target_language))
            row = self.conn.execute("SELECT id FROM pair WHERE source_language = %s AND target_language = %s",
                                    (source_language, target_language)).fetchone()
            assert row is not None
            pair = self.pairs[(source_language, target_language)] = row[0]
        return pair

    def _token_ids(self, keys: list[str]) -> list[int]:
        ids = self.token_ids
        found = []
        for key in keys:
            token = ids.get(key)
            if token is None:
                token = ids[key] = token_id(key)
            found.append(token)
        return found

    def _unit_id(self) -> int:
        if not self.ids:
            self.ids = sorted((i for (i,) in self.conn.execute(
                "SELECT nextval('unit_id') FROM generate_series(1, %s)", (self.block,))), reverse=True)
            self.block = min(2 * self.block, self.LARGEST_BLOCK)
        return self.ids.pop()

    def add_file(self, file: MemoryFile) -> int:
        row = self.conn.execute("INSERT INTO file (memory, path, digest, units) VALUES (%s, %s, %s, 0) RETURNING id",
                                (self.memory, file.path, file.digest)).fetchone()
        assert row is not None
        file_id = row[0]
        count = 0
        for unit in file.load():
            unit_id = self._unit_id()
            found = tokens(unit.source, unit.source_language)
            keys = self._token_ids(index_keys(found, unit.source_language))
            first: dict[str, int] = {}
            for token, key in zip(found, keys):
                first.setdefault(token, key)
            length = len(keys)
            for key in keys:
                units = self.added.get((key, length))
                if units is None:
                    units = self.added[(key, length)] = array.array("I")
                units.append(unit_id)
            self.pending += length
            self.frequency.update(keys)
            context = context_digest(unit.previous, unit.next)
            self.rows.append((unit_id, self.memory, file_id, self._pair(unit.source_language, unit.target_language),
                              unit.source, unit.target, unit.status, unit.origin, context, unit.creation_date,
                              unit.usage_count, digest64(normalized(unit.source)), length,
                              array.array("q", [first[token] for token in found]).tobytes()))
            count += 1
            if len(self.rows) >= 10_000:
                self._write_units()
        self._write_units()
        self.conn.execute("UPDATE file SET units = %s WHERE id = %s", (count, file_id))
        return count

    def _write_units(self) -> None:
        if self.rows:
            with self.conn.cursor().copy(f"COPY unit ({_UNIT_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(_UNIT_TYPES)
                for row in self.rows:
                    copy.write_row(row)
            self.rows.clear()
        if self.pending > self.FLUSH_POSTINGS:
            self.flush()

    def remove_file(self, file_id: int) -> int:
        self._write_units()
        removed = 0
        for unit_id, source, language, length in self.conn.execute(
            "DELETE FROM unit USING pair WHERE unit.file = %s AND pair.id = unit.pair "
            "RETURNING unit.id, unit.source, pair.source_language, unit.length", (file_id,)
        ).fetchall():
            keys = self._token_ids(index_keys(tokens(source, language), language))
            for key in keys:
                self.removed.setdefault((key, length), set()).add(unit_id)
            self.frequency.subtract(keys)
            removed += 1
        self.conn.execute("DELETE FROM file WHERE id = %s", (file_id,))
        return removed

    def flush(self) -> None:
        """Apply the gathered changes to the workspace's posting rows they touch."""
        keys = sorted(set(self.added) | set(self.removed))
        stored = [key for key in keys if key in self.written] if self.fresh else keys
        old: dict[tuple[int, int], bytes] = {}
        if stored:
            old = {(token, length): packed for token, length, packed in self.conn.execute(
                "DELETE FROM posting USING unnest(%s::bigint[], %s::smallint[]) AS k (token, length) "
                "WHERE posting.memory = %s AND posting.token = k.token AND posting.length = k.length "
                "RETURNING posting.token, posting.length, posting.units",
                ([k[0] for k in stored], [k[1] for k in stored], self.memory), binary=True)}
        with self.conn.cursor().copy("COPY posting (token, length, memory, units) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int2", "int4", "bytea"])
            for key in keys:
                units = index.unpack(old.get(key, b""))
                gone = self.removed.get(key)
                if gone:
                    units = array.array("I", [u for u in units if u not in gone])
                units.extend(self.added.get(key, ()))
                if units:
                    copy.write_row((key[0], key[1], self.memory, units.tobytes()))
        if self.fresh:
            self.written.update(keys)
        self.added.clear()
        self.removed.clear()
        self.pending = 0

    def finish(self) -> None:
        self._write_units()
        self.flush()
        changes = [(token, delta) for token, delta in sorted(self.frequency.items()) if delta]
        if changes:
            self.conn.execute(
                "INSERT INTO frequency (token, memory, df) SELECT token, %s, df FROM unnest(%s::bigint[], %s::int[]) "
                "AS d (token, df) ON CONFLICT (token, memory) DO UPDATE SET df = frequency.df + excluded.df",
                (self.memory, [c[0] for c in changes], [c[1] for c in changes]))
        if any(delta < 0 for _, delta in changes):
            self.conn.execute("DELETE FROM frequency WHERE memory = %s AND df <= 0", (self.memory,))
