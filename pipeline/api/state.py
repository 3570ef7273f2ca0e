"""What the last ``duet build`` read and wrote, kept under ``.duet/`` so the next build redoes only what changed.

Every record is keyed by digests of the bytes a stage read: a stage whose
inputs have the digests recorded when it last ran is skipped. The state is a
cache: a missing, unreadable or foreign one is a cold build, and deleting it
changes no output byte. Everything that every release depends on (Duet's
version, the configuration, the segmentation rules) is one digest,
``setup``; when it changes the state starts empty. The glossary is kept
(``glossary`` for the bundles, ``checked-glossary`` for the check's counts)
so that a changed term redoes only the releases and entries that hold it.
The check's records (``checked``, the consistency index) are shared with
``duet export``, which counts the checks the same way; they are apart from
what extract and translate made (``po``), which export never writes.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import json
import sqlite3
import typing as t
from pathlib import Path

SCHEMA_VERSION = 5
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE release (id TEXT PRIMARY KEY, source TEXT NOT NULL, template TEXT NOT NULL, summary TEXT NOT NULL,
                      terms TEXT NOT NULL DEFAULT '', export_key TEXT, bundle TEXT, outputs TEXT);
CREATE TABLE po (path TEXT PRIMARY KEY, locale TEXT NOT NULL, sha TEXT NOT NULL, open INTEGER NOT NULL,
                 basis TEXT, status TEXT);
CREATE TABLE checked (path TEXT PRIMARY KEY, locale TEXT NOT NULL, sha TEXT NOT NULL, own TEXT, counts TEXT);
CREATE TABLE entry (path TEXT NOT NULL, locale TEXT NOT NULL, ctx TEXT NOT NULL, id TEXT NOT NULL,
                    comparable TEXT NOT NULL, silenced INTEGER NOT NULL);
CREATE INDEX entry_key ON entry (locale, id, ctx, comparable);
CREATE INDEX entry_path ON entry (path);
CREATE TABLE digest (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha TEXT NOT NULL);
CREATE TABLE inconsistent (locale TEXT NOT NULL, id TEXT NOT NULL, ctx TEXT NOT NULL,
                           PRIMARY KEY (locale, id, ctx)) WITHOUT ROWID;
"""
NO_CONTEXT = "\x04"  # stands for a message without msgctxt: no PO string can hold U+0004

Entry = tuple[str, str, str, str, int]  # locale, msgctxt (or NO_CONTEXT), msgid, rendering compared, silenced


class ReleaseRecord(t.NamedTuple):
    source: str
    template: str
    summary: dict[str, t.Any]
    terms: str  # the glossary's digest when the release last met a term that changed (its export depends on it)
    export_key: str | None
    bundle: dict[str, t.Any] | None
    outputs: dict[str, list[int]] | None  # bundle file name -> [size, mtime_ns] as written


class PoRecord:
    """A PO file as the last build's translate stage left it: a version extract and translate made or saw.

    Its status is decoded from JSON when first read (a no-op build reads few).
    """

    __slots__ = ("locale", "sha", "open", "basis", "_status")

    def __init__(self, locale: str, sha: str, open: int, basis: str | None, status: str | None) -> None:
        self.locale = locale
        self.sha = sha
        self.open = open  # live entries a translate stage may still fill (untranslated or fuzzy)
        self.basis = basis  # the memory (or base catalog) digest translate last ran on and left the file as it was
        self._status: t.Any = status

    @property
    def status(self) -> dict[str, int] | None:
        if isinstance(self._status, str):
            self._status = json.loads(self._status)
        return self._status


class CheckRecord(t.NamedTuple):
    """A PO file as the check stage last counted it (``duet build``'s or ``duet export``'s), by its digest then.

    Apart from ``PoRecord``: ``duet export`` counts files no build has
    extracted, and a digest recorded here must not tell the next build's
    extract that a file is one it made. The counts stay JSON (see
    ``check.CountsByFile``).
    """

    locale: str
    sha: str
    own_json: str | None  # the checks of each entry alone: errors, warnings, silenced, by_check, entries
    counts_json: str | None  # ``own`` with the consistency check's


class BuildState:
    """The state in one SQLite file; ``open`` never fails on a bad file, it starts over."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute("CREATE TEMP TABLE touched (locale TEXT, id TEXT, ctx TEXT, PRIMARY KEY (locale, id, ctx)) "
                   "WITHOUT ROWID")  # the keys this build changed, until ``settle``
        db.commit()

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

    def digests(self) -> dict[str, tuple[int, int, str]]:
        """Each file's digest with the size and modification time it had when hashed."""
        return {row[0]: (row[1], row[2], row[3]) for row in self.db.execute("SELECT path, size, mtime_ns, sha FROM digest")}

    def put_digest(self, path: str, size: int, mtime_ns: int, sha: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO digest (path, size, mtime_ns, sha) VALUES (?, ?, ?, ?)",
                        (path, size, mtime_ns, sha))

    def translated_sources(self) -> cabc.Iterator[tuple[str, str]]:
        """(path, msgid) of every translated entry in the index."""
        return iter(self.db.execute("SELECT DISTINCT path, id FROM entry"))

    def invalidate_counts(self, paths: cabc.Iterable[str]) -> None:
        self.db.executemany("UPDATE checked SET own = NULL, counts = NULL WHERE path = ?", ((path,) for path in paths))

    def releases(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM release")}

    def forget_release(self, release_id: str) -> None:
        self.db.execute("DELETE FROM release WHERE id = ?", (release_id,))

    def po_records(self) -> dict[str, PoRecord]:
        rows = self.db.execute("SELECT path, locale, sha, open, basis, status FROM po")
        return {row[0]: PoRecord(*row[1:]) for row in rows}

    def put_translated(self, path: str, locale: str, sha: str, open_entries: int, basis: str | None,
                       status: dict[str, int]) -> None:
        """A PO file as translate left it."""
        self.db.execute("INSERT OR REPLACE INTO po (path, locale, sha, open, basis, status) VALUES (?, ?, ?, ?, ?, ?)",
                        (path, locale, sha, open_entries, basis, json.dumps(status)))

    def check_records(self) -> dict[str, CheckRecord]:
        rows = self.db.execute("SELECT path, locale, sha, own, counts FROM checked")
        return {row[0]: CheckRecord(*row[1:]) for row in rows}

    def po_statuses(self) -> dict[str, str]:
        """Each PO file's live messages by state, as translate left it (JSON)."""
        return {row[0]: row[1] for row in self.db.execute("SELECT path, status FROM po WHERE status IS NOT NULL")}

    def put_checked(self, path: str, locale: str, sha: str, own_json: str) -> None:
        """A PO file's own checks counted; its counts wait for the consistency check's (``put_counts``)."""
        self.db.execute("INSERT OR REPLACE INTO checked (path, locale, sha, own, counts) VALUES (?, ?, ?, ?, NULL)",
                        (path, locale, sha, own_json))

    def put_counts(self, path: str, counts_json: str) -> None:
        self.db.execute("UPDATE checked SET counts = ? WHERE path = ?", (counts_json, path))

    def forget_po(self, path: str) -> None:
        """A PO file that is gone: its records and its entries in the index."""
        self.db.execute("DELETE FROM po WHERE path = ?", (path,))
        self.db.execute("DELETE FROM checked WHERE path = ?", (path,))
        self._touch(path)
        self.db.execute("DELETE FROM entry WHERE path = ?", (path,))

    # The consistency index: every translated entry of every PO file, by (locale, msgid, msgctxt), with the
    # keys whose entries are rendered in more than one way. Keys a build touched wait in a temporary table
    # until ``settle`` decides which of them changed side.

    def replace_entries(self, path: str, entries: cabc.Iterable[Entry]) -> None:
        self._touch(path)
        self.db.execute("DELETE FROM entry WHERE path = ?", (path,))
        self.db.executemany("INSERT INTO entry (path, locale, ctx, id, comparable, silenced) VALUES (?, ?, ?, ?, ?, ?)",
                            ((path, *entry) for entry in entries))
        self._touch(path)

    def _touch(self, path: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO touched SELECT locale, id, ctx FROM entry WHERE path = ?", (path,))

    def settle(self) -> set[str]:
        """Bring the touched keys' side (consistent or not) up to date: the files holding a key that changed side."""
        same_key = "e.locale = t.locale AND e.id = t.id AND e.ctx = t.ctx"
        self.db.execute("DROP TABLE IF EXISTS flipped")
        self.db.execute(  # min < max: two index probes a key, however many files hold it
            "CREATE TEMP TABLE flipped AS SELECT locale, id, ctx, now FROM (SELECT t.locale, t.id, t.ctx, "
            f"coalesce((SELECT min(comparable) FROM entry e WHERE {same_key}) "
            f"< (SELECT max(comparable) FROM entry e WHERE {same_key}), 0) AS now, "
            "EXISTS (SELECT 1 FROM inconsistent i WHERE i.locale = t.locale AND i.id = t.id AND i.ctx = t.ctx) AS was "
            "FROM touched t) WHERE now != was")
        self.db.execute("DELETE FROM inconsistent WHERE (locale, id, ctx) IN "
                        "(SELECT locale, id, ctx FROM flipped WHERE NOT now)")
        self.db.execute("INSERT INTO inconsistent SELECT locale, id, ctx FROM flipped WHERE now")
        paths = {row[0] for row in self.db.execute(
            "SELECT DISTINCT e.path FROM flipped f JOIN entry e ON e.locale = f.locale AND e.id = f.id AND e.ctx = f.ctx")}
        self.db.execute("DROP TABLE flipped")
        self.db.execute("DELETE FROM touched")
        return paths

    def inconsistent_entries(self, paths: cabc.Iterable[str]) -> dict[str, tuple[int, int]]:
        """For each file, its entries whose key is rendered in more than one way: (not silenced, silenced)."""
        found: dict[str, list[int]] = {}
        for chunk in _chunks(list(paths)):
            marks = ",".join("?" * len(chunk))
            for path, silenced, count in self.db.execute(
                    "SELECT e.path, e.silenced, COUNT(*) FROM entry e JOIN inconsistent i ON i.locale = e.locale "
                    f"AND i.id = e.id AND i.ctx = e.ctx WHERE e.path IN ({marks}) GROUP BY e.path, e.silenced", chunk):
                found.setdefault(path, [0, 0])[bool(silenced)] += count
        return {path: (counts[0], counts[1]) for path, counts in found.items()}


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
