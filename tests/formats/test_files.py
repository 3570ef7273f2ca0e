from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import WorkspaceError
from pipeline.formats.files import locked, write_atomic

from paths import REPO


def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.po"
    write_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "新"
    os.chmod(target, 0o640)
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["file.po"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.txt"
    target.write_text("old", encoding="utf-8")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(WorkspaceError, match="file.txt: cannot write: disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_lock_refuses_a_second_process(tmp_path: Path) -> None:
    lock = tmp_path / ".duet" / "lock"
    attempt = [sys.executable, "-c", "import sys; from pipeline.formats.files import locked\n"
               "with locked(sys.argv[1]): print('held')", str(lock)]
    with locked(lock):
        other = subprocess.run(attempt, capture_output=True, text=True, cwd=REPO)
        assert "another duet run holds the workspace lock" in other.stderr
        with locked(lock):  # the same process enters again (build composing its stages)
            pass
        assert subprocess.run(attempt, capture_output=True, text=True, cwd=REPO).returncode != 0  # still held
    assert subprocess.run(attempt, capture_output=True, text=True, cwd=REPO).stdout == "held\n"  # released


def test_write_all_atomic_leaves_every_file_old_when_one_write_fails(tmp_path: Path) -> None:
    from pipeline.formats.files import write_all_atomic

    first, second = tmp_path / "a.po", tmp_path / "b.po"
    first.write_text("old a", encoding="utf-8")
    second.write_text("old b", encoding="utf-8")

    def files():
        yield first, "new a"
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_all_atomic(files())
    assert first.read_text(encoding="utf-8") == "old a" and second.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po", "b.po"]
    (tmp_path / ".a.po.x1.tmp").write_text("left by a killed run", encoding="utf-8")
    write_all_atomic([(first, "new a"), (second, "new b")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po", "b.po"]
    assert first.read_text(encoding="utf-8") == "new a" and second.read_text(encoding="utf-8") == "new b"
