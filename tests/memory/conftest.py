"""PostgreSQL for the memory's tests: a server for the session, a fresh database per test, both backends.

The server is ``DUET_TEST_POSTGRES_URL`` when set (``.ci/run`` starts one),
else a throwaway cluster started here from the installed binaries, so the
tests run the same way on a workstation and in CI. Without the binaries
the PostgreSQL tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import collections.abc as cabc
import itertools
import os
import typing as t
from pathlib import Path

import pytest
from memory_backends import MemoryAt
from pgcluster import Cluster, binaries

from pipeline.memory import TranslationMemory

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> cabc.Iterator[str]:
    """A URL of the ``postgres`` database of a server this session may create databases on."""
    given = os.environ.get("DUET_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL's binaries (initdb, pg_ctl) are absent and CI is set: .ci/run installs them")
        pytest.skip("PostgreSQL's binaries (initdb, pg_ctl) are absent: apt-get install postgresql")
    cluster = Cluster(bin_dir).start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> cabc.Iterator[str]:
    """A URL of a database of its own for this test, dropped after it."""
    import psycopg

    name = f"duet_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    yield with_database(postgres_server, name)
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def memory_at(request: pytest.FixtureRequest, tmp_path: Path) -> MemoryAt:
    """Opens the memory of a workspace ``name`` on one backend: each test runs on both."""
    if request.param == "sqlite":
        def open_sqlite(name: str = "workspace") -> TranslationMemory:
            return TranslationMemory.open(tmp_path / name / "tm.sqlite")

        opener: t.Any = open_sqlite
    else:
        url = request.getfixturevalue("postgres_url")

        def open_postgres(name: str = "workspace") -> TranslationMemory:
            return TranslationMemory.open(url, name=name)

        opener = open_postgres
    opener.kind = request.param
    return t.cast(MemoryAt, opener)
