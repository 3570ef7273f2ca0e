"""The memory on a PostgreSQL server: a team's, shared by workspaces that each refresh their own units.

Every unit carries its workspace (``memory``: the configured ``memory_name``)
and its file; a refresh compares only that workspace's files and runs as one
transaction under an advisory lock on the workspace, so two runs refreshing
the same workspace take turns, while other workspaces refresh alongside.
Lookups read everyone's units, each lookup in one ``REPEATABLE READ``
snapshot so a refresh committing meanwhile cannot show it half.

The index is the SQLite one's (``index``), ported: posting lists per
(token, unit length), packed unit ids, read rarest first with prefix
filtering and bounds. Here each workspace keeps its own posting row per
(token, length), and its own document frequencies, so concurrent refreshes
never write the same row; a lookup concatenates the rows of all
workspaces. Token ids are a 63-bit hash of the index key, so no shared
dictionary is written either. Bulk loads go through ``COPY``.

Credentials come from libpq (the URL, ``PGPASSWORD``, ``~/.pgpass``); the
URL is only ever shown with its password masked (``shown_url``). The schema
carries a version (``duet_schema``); Duet creates and migrates it, and
refuses one newer than it knows.
"""

from __future__ import annotations

import array
import collections.abc as cabc
import contextlib
import typing as t
import urllib.parse

import psycopg

from ..errors import WorkspaceError
from ..model import Location
from .backend import export_unit, pair_counts, refresh_files
from .postgres_writer import PostgresWriter, token_id
from .units import MemoryFile, MemoryUnit, RefreshReport

SCHEMA_VERSION = 1
LOCK_SCHEMA, LOCK_MEMORY = 0x64756574, 0x64756575  # advisory lock classes: the schema, one workspace's memory
MIGRATIONS: dict[int, str] = {  # version → the SQL that brings the previous version to it
    1: """
CREATE TABLE duet_schema (version integer NOT NULL);
INSERT INTO duet_schema VALUES (0);
CREATE TABLE memory (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE file (id serial PRIMARY KEY, memory integer NOT NULL REFERENCES memory, path text NOT NULL,
                   digest text NOT NULL, units integer NOT NULL, UNIQUE (memory, path));
CREATE TABLE pair (id serial PRIMARY KEY, source_language text NOT NULL, target_language text NOT NULL,
                   UNIQUE (source_language, target_language));
CREATE SEQUENCE unit_id AS bigint MAXVALUE 4294967295;  -- posting lists hold unit ids as 32 bits
CREATE TABLE unit (id bigint PRIMARY KEY, memory integer NOT NULL, file integer NOT NULL, pair integer NOT NULL,
                   source text NOT NULL, target text NOT NULL, status text NOT NULL, origin text NOT NULL,
                   context bigint NOT NULL, created text NOT NULL, usage integer NOT NULL, norm bigint NOT NULL,
                   length integer NOT NULL, codes bytea NOT NULL);
CREATE INDEX unit_norm ON unit (norm);
CREATE INDEX unit_file ON unit (file);
CREATE TABLE frequency (token bigint NOT NULL, memory integer NOT NULL, df integer NOT NULL,
                        PRIMARY KEY (token, memory));
CREATE TABLE posting (token bigint NOT NULL, length smallint NOT NULL, memory integer NOT NULL,
                      units bytea NOT NULL, PRIMARY KEY (token, length, memory));
ALTER TABLE posting ALTER COLUMN units SET STORAGE EXTERNAL;  -- packed ids do not compress: skip trying
""",
}
_TABLES = ("duet_schema", "memory", "file", "pair", "unit", "frequency", "posting")


def shown_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``: the only form Duet prints.

    >>> shown_url("postgresql://tm:s3cret@db.example:5432/duet?sslmode=require&password=x")
    'postgresql://tm:***@db.example:5432/duet?sslmode=require&password=***'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        if ":" in user:
            netloc = f"{user.split(':', 1)[0]}:***@{host}"
    query = "&".join(f"{k}=***" if k == "password" else f"{k}={v}" if v else k for k, v in
                     (item.partition("=")[::2] for item in parts.query.split("&") if item))
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


def _secret(url: str) -> str | None:
    try:
        return psycopg.conninfo.conninfo_to_dict(url).get("password")  # type: ignore[return-value]
    except psycopg.ProgrammingError:
        return None


class PostgresBackend:
    """One workspace's view of a shared memory on a server; open with ``PostgresBackend.open(url, name)``."""

    kind = "postgresql"
    read_ahead = 50_000  # postings (200 kB at most) cost less than a round trip
    candidates_at_once = 256  # a round trip costs more than comparing a few candidates the bar would have spared
    texts_with_codes = 64  # candidates whose texts come with their codes

    def __init__(self, conn: psycopg.Connection[t.Any], url: str, name: str, memory: int) -> None:
        self.conn = conn
        self.url = url
        self.name = name
        self.memory = memory
        self.shown = shown_url(url)
        self.known_pairs: dict[tuple[str, str], list[int]] = {}  # language pairs do not go away: asked once
        self.fetched: dict[int, tuple[int, str, str, str, str]] = {}  # unit rows read with their codes, this reading

    @classmethod
    def open(cls, url: str, name: str) -> PostgresBackend:
        """Connect, create or migrate the schema, and register ``name`` as a workspace."""
        with _failing(url, "cannot open the translation memory"):
            options = {} if "connect_timeout" in psycopg.conninfo.conninfo_to_dict(url) else {"connect_timeout": 10}
            conn = psycopg.connect(url, autocommit=True, application_name="duet", **options)
            try:
                _migrate(conn, url)
                memory = _memory_id(conn, name)
            except BaseException:
                conn.close()
                raise
        return cls(conn, url, name, memory)

    def close(self) -> None:
        self.conn.close()

    def refresh(self, files: cabc.Iterable[MemoryFile]) -> RefreshReport:
        failing = _failing(self.url, "translation memory refresh failed, nothing of it was saved")
        with failing, self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_MEMORY, self.memory))
            known = {path: (file_id, digest) for file_id, path, digest in self.conn.execute(
                "SELECT id, path, digest FROM file WHERE memory = %s", (self.memory,))}
            writer = PostgresWriter(self.conn, self.url, self.memory, fresh=not known)
            counts = refresh_files(known, files, writer)
            writer.finish()
            (total,) = _one(self.conn, "SELECT coalesce(sum(units), 0) FROM file WHERE memory = %s", (self.memory,))
        return RefreshReport(counts["added"], counts["changed"], counts["removed"], counts["unchanged"],
                             counts["units_added"], counts["units_removed"], int(total))

    @contextlib.contextmanager
    def reading(self) -> cabc.Iterator[None]:
        with _failing(self.url, "translation memory lookup failed"):
            if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                yield  # within a reading already
                return
            with self.conn.pipeline():  # BEGIN is sent with the first query: one round trip less
                self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try:
                    yield
                finally:
                    self.fetched.clear()
                    if not self.conn.broken:
                        self.conn.execute("COMMIT")

    def pairs(self, source_language: str, target_language: str) -> list[int]:
        """Asked of the server until it knows the pair, then remembered (a new spelling of it is not seen)."""
        wanted = (source_language.replace("_", "-").lower(), target_language.replace("_", "-").lower())
        found = self.known_pairs.get(wanted)
        if found is None:
            found = [pair for (pair,) in self.conn.execute(
                "SELECT id FROM pair WHERE lower(source_language) = %s AND lower(target_language) = %s ORDER BY id",
                wanted)]
            if found:
                self.known_pairs[wanted] = found
        return found

    def same(self, norm: int, pairs: list[int]) -> list[tuple[int, str, str, str, str, int]]:
        return self.conn.execute("SELECT id, source, target, status, origin, context FROM unit "
                                 "WHERE norm = %s AND pair = ANY(%s)", (norm, pairs)).fetchall()

    def tokens(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        ids = {token_id(key): key for key in keys}
        return {ids[token]: (token, int(df)) for token, df in self.conn.execute(
            "SELECT token, sum(df) FROM frequency WHERE token = ANY(%s) GROUP BY token HAVING sum(df) > 0",
            (list(ids),))}

    def postings(self, wanted: list[tuple[int, int, int]]) -> list[dict[int, bytes]]:
        """One query for all the lists: each workspace's row of a (token, length) concatenated."""
        found: list[dict[int, bytes]] = [{} for _ in wanted]
        if not wanted:
            return found
        for position, length, packed in self.conn.execute(
            "SELECT k.position, p.length, p.units FROM unnest(%s::bigint[], %s::int[], %s::int[]) "
            "WITH ORDINALITY AS k (token, shortest, longest, position) JOIN posting AS p ON p.token = k.token "
            "AND p.length BETWEEN k.shortest AND k.longest ORDER BY k.position, p.length, p.memory",
            ([w[0] for w in wanted], [w[1] for w in wanted], [w[2] for w in wanted]), binary=True,
        ):
            lists = found[position - 1]
            lists[length] = lists[length] + packed if length in lists else packed
        return found

    def holding(self, token: int) -> list[int]:
        units = array.array("I")
        for (packed,) in self.conn.execute("SELECT units FROM posting WHERE token = %s", (token,), binary=True):
            units.frombytes(packed)
        return sorted(set(units))

    def codes(self, ids: list[int]) -> list[tuple[int, int, cabc.Sequence[int]]]:
        """A few candidates come with the rows ``units`` will ask for: a few more bytes cost less than a round trip.

        Many (a slow lookup compares hundreds) come without: decoding their
        texts costs more than asking again for the few that get rated.
        """
        if len(ids) > self.texts_with_codes:
            return [(unit, pair, _codes(packed)) for unit, pair, packed in self.conn.execute(
                "SELECT id, pair, codes FROM unit WHERE id = ANY(%s)", (ids,), binary=True)]
        found = []
        for unit, pair, packed, *row in self.conn.execute(
            "SELECT id, pair, codes, source, target, status, origin FROM unit WHERE id = ANY(%s)", (ids,), binary=True
        ):
            found.append((unit, pair, _codes(packed)))
            self.fetched[unit] = (unit, *row)
        return found

    def units(self, ids: list[int]) -> list[tuple[int, str, str, str, str]]:
        if all(unit in self.fetched for unit in ids):
            return [self.fetched[unit] for unit in ids]
        return self.conn.execute("SELECT id, source, target, status, origin FROM unit WHERE id = ANY(%s)",
                                 (ids,)).fetchall()

    def texts(self, ids: list[int]) -> list[tuple[str, str, int]]:
        return self.conn.execute("SELECT source, target, pair FROM unit WHERE id = ANY(%s) ORDER BY id",
                                 (ids,)).fetchall()

    def sample(self, pairs: list[int], count: int) -> tuple[int, list[tuple[str, str]]]:
        (total,) = _one(self.conn, "SELECT count(*) FROM unit WHERE pair = ANY(%s)", (pairs,))
        rows = self.conn.execute("SELECT source, target FROM unit WHERE pair = ANY(%s) AND id %% %s = 0 "
                                 "ORDER BY id LIMIT %s", (pairs, max(1, total // count), count)).fetchall()
        return total, rows

    def stats(self) -> dict[str, t.Any]:
        with _failing(self.url, "cannot read the translation memory"):
            rows = self.conn.execute(
                "SELECT source_language, target_language, status, count(*) FROM unit JOIN pair ON pair.id = unit.pair "
                "GROUP BY source_language, target_language, status ORDER BY source_language COLLATE \"C\", "
                "target_language COLLATE \"C\", status COLLATE \"C\"").fetchall()
            memories = [{"name": name, "files": files, "units": int(units)} for name, files, units in self.conn.execute(
                "SELECT name, count(file.id), coalesce(sum(file.units), 0) FROM memory LEFT JOIN file "
                "ON file.memory = memory.id GROUP BY name ORDER BY name COLLATE \"C\"")]
            (tokens,) = _one(self.conn, "SELECT count(DISTINCT token) FROM frequency WHERE df > 0")
            (size,) = _one(self.conn, "SELECT sum(pg_total_relation_size(c)) FROM unnest(%s::regclass[]) AS c",
                           (list(_TABLES),))
        return {"backend": self.kind, "location": self.shown, "name": self.name,
                "files": sum(m["files"] for m in memories), "units": sum(m["units"] for m in memories),
                "pairs": pair_counts(rows), "tokens": tokens, "bytes": int(size), "memories": memories}

    def export(self, target_language: str) -> cabc.Iterator[MemoryUnit]:
        with _failing(self.url, "cannot read the translation memory"):
            for row in self.conn.cursor().stream(
                "SELECT source_language, source, target, status, origin, created, usage FROM unit "
                "JOIN pair ON pair.id = unit.pair JOIN file ON file.id = unit.file "
                "JOIN memory ON memory.id = unit.memory WHERE target_language = %s "
                "ORDER BY memory.name COLLATE \"C\", file.path COLLATE \"C\", unit.id", (target_language,)
            ):
                yield export_unit(row, target_language)


def _codes(packed: bytes) -> list[int]:
    """A unit's token ids, as a list: rapidfuzz hashes a list's items as the query's, an array's by value."""
    codes = array.array("q")
    codes.frombytes(packed)
    return codes.tolist()


def _one(conn: psycopg.Connection[t.Any], sql: str, params: t.Any = None) -> tuple[t.Any, ...]:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row


def _migrate(conn: psycopg.Connection[t.Any], url: str) -> None:
    """Create the schema, or bring it to ``SCHEMA_VERSION``; one Duet at a time, under an advisory lock."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (LOCK_SCHEMA,))
        (table,) = _one(conn, "SELECT to_regclass('duet_schema')")
        version = _one(conn, "SELECT max(version) FROM duet_schema")[0] if table else 0
        if version > SCHEMA_VERSION:
            raise WorkspaceError(f"the memory's schema is version {version}, newer than this Duet knows "
                                 f"({SCHEMA_VERSION}): upgrade Duet", Location(shown_url(url)))
        for step in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute(MIGRATIONS[step])
            conn.execute("UPDATE duet_schema SET version = %s", (step,))


def _memory_id(conn: psycopg.Connection[t.Any], name: str) -> int:
    conn.execute("INSERT INTO memory (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,))
    return int(_one(conn, "SELECT id FROM memory WHERE name = %s", (name,))[0])


@contextlib.contextmanager
def _failing(url: str, doing: str) -> cabc.Iterator[None]:
    """The server's errors (a lost connection, a refused login) as one line naming the masked URL."""
    try:
        yield
    except psycopg.Error as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        secret = _secret(url)
        if secret and len(secret) >= 3:
            message = message.replace(secret, "***")
        raise WorkspaceError(f"{doing}: {message}", Location(shown_url(url))) from None
