"""A team's memory on PostgreSQL: workspaces refreshing at once, a lost connection, the schema's version."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from team_worker import TARGET, final_units

from pipeline.errors import WorkspaceError
from pipeline.memory import MemoryFile, MemoryUnit, TranslationMemory

WORKER = Path(__file__).with_name("team_worker.py")
A = [MemoryUnit("The Chief Executive met the delegation today.", "行政長官今日與代表團會面。", "en", TARGET, "a.po:3"),
     MemoryUnit("The meeting ended at 5pm.", "會議於下午五時結束。", "en", TARGET, "a.po:7")]
B = [MemoryUnit("The Government welcomes the report.", "政府歡迎報告。", "en", TARGET, "b.po:3")]


def snapshot(tm: TranslationMemory) -> tuple[object, ...]:
    stats = tm.stats()
    return stats["units"], stats["files"], stats["memories"], list(tm.export(TARGET))


def test_four_workspaces_refreshing_and_looking_up_at_once_lose_and_duplicate_nothing(postgres_url: str) -> None:
    names, rounds = ("alpha", "beta", "gamma", "delta"), 6
    workers = [subprocess.Popen([sys.executable, str(WORKER), postgres_url, name, str(rounds)], cwd=WORKER.parent,
                                stderr=subprocess.PIPE, text=True) for name in names]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors
    with TranslationMemory.open(postgres_url, name="reader") as tm:
        for name in names:
            for unit in final_units(name, rounds):
                found = tm.lookup(unit.source, target_language=TARGET, min_score=100, limit=None)
                assert [(m.kind, m.target) for m in found] == [("exact", unit.target)], unit.source
        stats = tm.stats()
    want = {name: len(final_units(name, rounds)) for name in names}
    assert {m["name"]: m["units"] for m in stats["memories"]} == {**want, "reader": 0}
    assert stats["units"] == sum(want.values())


def test_one_workspace_refreshed_by_two_runs_at_once_ends_as_one_of_them(postgres_url: str) -> None:
    def slowly(units: list[MemoryUnit]) -> list[MemoryUnit]:
        time.sleep(0.3)  # both runs are under way before either commits
        return units

    outcomes: list[object] = []

    def run(files: list[MemoryFile]) -> None:
        with TranslationMemory.open(postgres_url, name="shared") as tm:
            outcomes.append(tm.refresh(files).units)

    runs = [threading.Thread(target=run, args=([MemoryFile("a.po", "1", lambda: slowly(A))],)),
            threading.Thread(target=run, args=([MemoryFile("a.po", "1", lambda: slowly(A)),
                                                MemoryFile("b.po", "1", lambda: slowly(B))],))]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    with TranslationMemory.open(postgres_url, name="shared") as tm:
        units, files, _, exported = snapshot(tm)
    # Whichever ran second found the first's a.po unchanged: no unit twice, b.po there only if it ran.
    assert sorted(outcomes) == [2, 3] or sorted(outcomes) == [3, 3]
    assert units == len(exported) == (3 if files == 2 else 2)
    assert len({u.origin for u in exported}) == len(exported)


def test_a_connection_lost_mid_refresh_is_one_line_and_leaves_the_memory_as_before(postgres_url: str) -> None:
    with TranslationMemory.open(postgres_url, name="desk") as tm:
        tm.refresh([MemoryFile("a.po", "1", lambda: A)])
        before = snapshot(tm)
        victim = tm.backend.conn.info.backend_pid  # type: ignore[attr-defined]

        def cut() -> list[MemoryUnit]:
            with psycopg.connect(postgres_url, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", (victim,))
            return B

        with pytest.raises(WorkspaceError) as caught:
            tm.refresh([MemoryFile("a.po", "2", lambda: A[:1]), MemoryFile("b.po", "1", cut)])
    message = str(caught.value)
    assert "\n" not in message and "nothing of it was saved" in message and message.startswith("postgresql://")
    with TranslationMemory.open(postgres_url, name="desk") as tm:
        assert snapshot(tm) == before


def test_a_schema_newer_than_duet_is_refused(postgres_url: str) -> None:
    TranslationMemory.open(postgres_url, name="desk").close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE duet_schema SET version = 99")
    with pytest.raises(WorkspaceError, match="schema is version 99, newer than this Duet knows"):
        TranslationMemory.open(postgres_url, name="desk")


def test_the_password_is_never_in_a_message(tmp_path: Path) -> None:
    url = f"postgresql://duet:hunter2-secret@/duet?host={tmp_path}&connect_timeout=2"
    with pytest.raises(WorkspaceError) as caught:
        TranslationMemory.open(url, name="desk")
    shown = str(caught.value)
    assert "hunter2" not in shown and "duet:***@" in shown and "cannot open the translation memory" in shown
