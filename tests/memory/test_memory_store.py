"""The memory's database: incremental refresh (on both backends), SQLite's schema versions, rebuilding from nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from memory_backends import MemoryAt

from pipeline.memory import SCHEMA_VERSION, MemoryFile, MemoryUnit, TranslationMemory

TARGET = "zh-Hant-HK"


def unit(source: str, target: str, origin: str, status: str = "approved") -> MemoryUnit:
    return MemoryUnit(source, target, "en", TARGET, origin, status)  # type: ignore[arg-type]


class Loader:
    """A file's loader that counts its calls."""

    def __init__(self, units: list[MemoryUnit]) -> None:
        self.units = units
        self.calls = 0

    def __call__(self) -> list[MemoryUnit]:
        self.calls += 1
        return self.units


A = [unit("The Chief Executive met the delegation today.", "行政長官今日與代表團會面。", "a.po:3"),
     unit("The meeting ended at 5pm.", "會議於下午五時結束。", "a.po:7")]
B = [unit("The Government welcomes the report.", "政府歡迎報告。", "b.po:3")]


def lookups(tm: TranslationMemory) -> list[object]:
    queries = ["The Chief Executive met the delegation yesterday.", "The meeting ended at 6pm.",
               "The Government welcomes the reports.", "The Government welcomes the report."]
    return [tm.lookup(q, target_language=TARGET, min_score=50) for q in queries]


def test_refresh_loads_only_changed_files(memory_at: MemoryAt) -> None:
    a, b = Loader(A), Loader(B)
    with memory_at() as tm:
        report = tm.refresh([MemoryFile("a.po", "1", a), MemoryFile("b.po", "1", b)])
        assert (report.added, report.changed, report.removed, report.unchanged, report.units) == (2, 0, 0, 0, 3)
        report = tm.refresh([MemoryFile("a.po", "1", a), MemoryFile("b.po", "1", b)])
        assert (report.unchanged, report.units_added, a.calls, b.calls) == (2, 0, 1, 1)

        changed = Loader([unit("The Government welcomes the proposal.", "政府歡迎建議。", "b.po:3")])
        report = tm.refresh([MemoryFile("a.po", "1", a), MemoryFile("b.po", "2", changed)])
        assert (report.changed, report.unchanged, report.units_removed, report.units_added) == (1, 1, 1, 1)
        assert a.calls == 1 and changed.calls == 1
        assert not tm.lookup("The Government welcomes the report.", target_language=TARGET, min_score=90)
        assert tm.lookup("The Government welcomes the proposal.", target_language=TARGET)[0].kind == "exact"

        report = tm.refresh([MemoryFile("b.po", "2", changed)])
        assert (report.removed, report.units_removed, report.units) == (1, 2, 1)
        assert not tm.lookup("The meeting ended at 5pm.", target_language=TARGET, min_score=50)
        assert tm.stats()["files"] == 1


def test_deleting_the_database_loses_nothing(tmp_path: Path) -> None:
    files = [MemoryFile("a.po", "1", Loader(A)), MemoryFile("b.po", "1", Loader(B))]
    path = tmp_path / ".duet" / "tm.sqlite"
    with TranslationMemory.open(path) as tm:
        tm.refresh([MemoryFile("b.po", "0", Loader(A))])  # some history: ids differ from a fresh build
        tm.refresh(files)
        before = lookups(tm)
    for p in path.parent.iterdir():
        p.unlink()
    with TranslationMemory.open(path) as tm:
        tm.refresh(files)
        assert lookups(tm) == before
    assert any(before)


def test_refresh_is_one_transaction(memory_at: MemoryAt) -> None:
    def broken() -> list[MemoryUnit]:
        raise ValueError("unreadable")

    with memory_at() as tm:
        tm.refresh([MemoryFile("a.po", "1", Loader(A))])
        with pytest.raises(ValueError):
            tm.refresh([MemoryFile("a.po", "2", Loader(B)), MemoryFile("b.po", "1", broken)])
        assert tm.stats()["units"] == 2
        assert tm.lookup(A[0].source, target_language=TARGET)[0].kind == "exact"


def test_other_schema_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(path) as tm:
        tm.refresh([MemoryFile("a.po", "1", Loader(A))])
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with TranslationMemory.open(path) as tm:
        assert tm.stats()["units"] == 0
        a = Loader(A)
        assert tm.refresh([MemoryFile("a.po", "1", a)]).units == 2 and a.calls == 1


def test_garbage_database_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with TranslationMemory.open(path) as tm:
        assert tm.refresh([MemoryFile("a.po", "1", Loader(A))]).units == 2


def test_stats(memory_at: MemoryAt) -> None:
    with memory_at() as tm:
        tm.refresh([MemoryFile("a.po", "1", Loader(A)),
                    MemoryFile("m.tmx", "1", Loader([unit("Hello.", "你好。", "m.tmx#1", "imported")]))])
        stats = tm.stats()
    assert stats["files"] == 2 and stats["units"] == 3 and stats["bytes"] > 0 and stats["backend"] == memory_at.kind
    assert stats["pairs"] == [{"source_language": "en", "target_language": TARGET, "units": 3,
                               "status": {"approved": 2, "imported": 1}}]
