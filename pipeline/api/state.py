"""What the last ``duet build`` read and wrote, kept under ``.duet/`` so the next build redoes only what changed.

Every record is keyed by digests of the bytes a stage read: a stage whose
inputs have the digests recorded when it last ran is skipped. The state is a
cache: a missing, unreadable or foreign one is a cold build, and deleting it
changes no output byte. Everything that every release depends on (Duet's
version, the configuration, the segmentation rules) is one digest,
``setup``; when it changes the state starts empty. The glossary is kept
(``glossary``) so that a changed term redoes only the releases and entries
that hold it.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import json
import sqlite3
import typing as t
from pathlib import Path

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE release (id TEXT PRIMARY KEY, source TEXT NOT NULL, template TEXT NOT NULL, summary TEXT NOT NULL,
                      terms TEXT NOT NULL DEFAULT '', export_key TEXT, bundle TEXT, outputs TEXT);
CREATE TABLE po (path TEXT PRIMARY KEY, locale TEXT NOT NULL, sha TEXT NOT NULL, open INTEGER NOT NULL,
                 basis TEXT, status TEXT, counts TEXT);
CREATE TABLE entry (path TEXT NOT NULL, locale TEXT NOT NULL, context TEXT, id TEXT NOT NULL, string TEXT NOT NULL,
                    plural INTEGER NOT NULL, line INTEGER NOT NULL);
CREATE INDEX entry_key ON entry (locale, id, context);
CREATE INDEX entry_path ON entry (path);
"""

Key = tuple[str, str, str | None]  # locale, msgid, msgctxt: what the consistency check compares


class ReleaseRecord(t.NamedTuple):
    source: str
    template: str
    summary: dict[str, t.Any]
    terms: str  # the glossary's digest when the release last met a term that changed (its export depends on it)
    export_key: str | None
    bundle: dict[str, t.Any] | None
    outputs: dict[str, list[int]] | None  # bundle file name -> [size, mtime_ns] as written


class PoRecord(t.NamedTuple):
    locale: str
    sha: str
    open: int  # live entries a translate stage may still fill (untranslated or fuzzy)
    basis: str | None  # the memory (or base catalog) digest translate last ran on and left the file as it was
    status: dict[str, int] | None
    counts: dict[str, t.Any] | None  # the checks' counts: errors, warnings, silenced, by_check, entries


class BuildState:
    """The state in one SQLite file; ``open`` never fails on a bad file, it starts over."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path, setup: str) -> BuildState:
        db = _connect(path, setup)
        if db is None:
            for stale in (path, path.with_name(path.name + "-journal")):
                stale.unlink(missing_ok=True)
            db = _connect(path, setup)
            if db is None:  # pragma: no cover - a folder we cannot write; the build itself will say so
                db = sqlite3.connect(":memory:")
                db.executescript(_SCHEMA)
        return cls(db)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    def release(self, release_id: str) -> ReleaseRecord | None:
        row = self.db.execute("SELECT source, template, summary, terms, export_key, bundle, outputs FROM release "
                              "WHERE id = ?", (release_id,)).fetchone()  # fmt: skip
        if row is None:
            return None
        return ReleaseRecord(row[0], row[1], json.loads(row[2]), row[3], row[4], _loads(row[5]), _loads(row[6]))

    def put_release(self, release_id: str, source: str, template: str, summary: dict[str, t.Any]) -> None:
        self.db.execute("INSERT INTO release (id, source, template, summary) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (id) DO UPDATE SET source = excluded.source, template = excluded.template, "
                        "summary = excluded.summary", (release_id, source, template, json.dumps(summary)))

    def put_export(self, release_id: str, key: str, bundle: dict[str, t.Any], outputs: dict[str, list[int]]) -> None:
        self.db.execute("UPDATE release SET export_key = ?, bundle = ?, outputs = ? WHERE id = ?",
                        (key, json.dumps(bundle), json.dumps(outputs), release_id))

    def put_terms(self, release_id: str, terms: str) -> None:
        self.db.execute("UPDATE release SET terms = ? WHERE id = ?", (terms, release_id))

    def meta(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_meta(self, name: str, value: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def translated_sources(self) -> cabc.Iterator[tuple[str, str]]:
        """(path, msgid) of every translated entry in the index."""
        return iter(self.db.execute("SELECT DISTINCT path, id FROM entry"))

    def invalidate_counts(self, paths: cabc.Iterable[str]) -> None:
        self.db.executemany("UPDATE po SET counts = NULL WHERE path = ?", ((path,) for path in paths))

    def releases(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM release")}

    def forget_release(self, release_id: str) -> None:
        self.db.execute("DELETE FROM release WHERE id = ?", (release_id,))

    def po(self, path: str) -> PoRecord | None:
        row = self.db.execute("SELECT locale, sha, open, basis, status, counts FROM po WHERE path = ?", (path,)).fetchone()
        return None if row is None else PoRecord(row[0], row[1], row[2], row[3], _loads(row[4]), _loads(row[5]))

    def po_records(self) -> dict[str, PoRecord]:
        rows = self.db.execute("SELECT path, locale, sha, open, basis, status, counts FROM po")
        return {row[0]: PoRecord(row[1], row[2], row[3], row[4], _loads(row[5]), _loads(row[6])) for row in rows}

    def put_translated(self, path: str, locale: str, sha: str, open_entries: int, basis: str | None,
                       status: dict[str, int]) -> None:
        """A PO file as translate left it; its check counts are stale until ``put_checked``."""
        self.db.execute("INSERT INTO po (path, locale, sha, open, basis, status) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (path) DO UPDATE SET locale = excluded.locale, sha = excluded.sha, "
                        "open = excluded.open, basis = excluded.basis, status = excluded.status, counts = NULL",
                        (path, locale, sha, open_entries, basis, json.dumps(status)))

    def put_checked(self, path: str, locale: str, sha: str, counts: dict[str, t.Any], status: dict[str, int],
                    open_entries: int) -> None:
        self.db.execute("INSERT INTO po (path, locale, sha, open, status, counts) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (path) DO UPDATE SET basis = CASE WHEN po.sha = excluded.sha THEN po.basis END, "
                        "locale = excluded.locale, sha = excluded.sha, open = excluded.open, "
                        "status = excluded.status, counts = excluded.counts",
                        (path, locale, sha, open_entries, json.dumps(status), json.dumps(counts)))

    def forget_po(self, path: str) -> None:
        self.db.execute("DELETE FROM po WHERE path = ?", (path,))
        self.db.execute("DELETE FROM entry WHERE path = ?", (path,))

    # The consistency index: every translated entry of every PO file, by (locale, msgid, msgctxt).

    def keys_of(self, paths: cabc.Iterable[str]) -> set[Key]:
        keys: set[Key] = set()
        for chunk in _chunks(list(paths)):
            marks = ",".join("?" * len(chunk))
            keys.update(self.db.execute(f"SELECT locale, id, context FROM entry WHERE path IN ({marks})", chunk))
        return keys

    def renderings(self, keys: cabc.Iterable[Key]) -> dict[Key, list[tuple[str, str, int, int]]]:
        """For each key, its entries across the workspace: (path, string, plural, line)."""
        found: dict[Key, list[tuple[str, str, int, int]]] = {}
        for locale, msgid, context in keys:
            rows = self.db.execute("SELECT path, string, plural, line FROM entry WHERE locale = ? AND id = ? "
                                   "AND context IS ?", (locale, msgid, context)).fetchall()  # fmt: skip
            found[(locale, msgid, context)] = rows
        return found

    def replace_entries(self, path: str, entries: cabc.Iterable[tuple[str, str | None, str, str, int, int]]) -> None:
        """``entries``: (locale, context, msgid, string, plural, line) of the file's translated entries."""
        self.db.execute("DELETE FROM entry WHERE path = ?", (path,))
        self.db.executemany("INSERT INTO entry (path, locale, context, id, string, plural, line) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", ((path, *entry) for entry in entries))


def _connect(path: Path, setup: str) -> sqlite3.Connection | None:
    """The state at ``path`` if it is ours and made for ``setup``; a fresh one if there is none; else None."""
    try:
        fresh = not path.exists()
        db = sqlite3.connect(path, isolation_level="DEFERRED")
        db.execute("PRAGMA synchronous = OFF")
        if fresh:
            _create(db, setup)
            return db
        meta = dict(db.execute("SELECT name, value FROM meta WHERE name IN ('schema', 'setup')"))
        if meta.get("schema") == str(SCHEMA_VERSION) and meta.get("setup") == setup:
            return db
        db.close()
    except sqlite3.Error:
        with contextlib.suppress(UnboundLocalError, sqlite3.Error):
            db.close()
    return None


def _create(db: sqlite3.Connection, setup: str) -> None:
    db.executescript(_SCHEMA)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", str(SCHEMA_VERSION)), ("setup", setup)])
    db.commit()


def _loads(text: str | None) -> t.Any:
    return None if text is None else json.loads(text)


def _chunks(items: list[str], size: int = 500) -> cabc.Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
