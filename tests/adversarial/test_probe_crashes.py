"""Probes: killed runs, concurrent runs, a full disk, stray folders and extreme settings give one line, never a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from probe import REPO, SAMPLE_RELEASE, assert_clean_error, assert_no_traceback, duet, make_workspace, snapshot


def test_leftover_temporary_file_in_a_bundle_folder(tmp_path: Path) -> None:
    """A build killed near its end left ``output/meeting/.<file>.<rand>.tmp``: the next ``duet build`` completes."""
    root = make_workspace(tmp_path / "ws")
    assert duet("build", "-w", root).returncode in (0, 1)
    folder = root / "output" / "meeting"
    (folder / ".meeting.zh_Hant_HK.xml.k1ll3d.tmp").write_bytes(b"<half")
    (folder / ".manifest.json.k1ll3d.tmp").write_bytes(b"{")
    source = root / "sources" / "meeting.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("useful", "very useful"), encoding="utf-8")
    done = duet("build", "-w", root)
    assert_no_traceback(done)
    assert done.returncode in (0, 1)
    assert not list(folder.glob(".*.tmp"))


def test_leftover_temporary_file_next_to_a_po_file(tmp_path: Path) -> None:
    """A killed extract left ``.meeting.po.<rand>.tmp``: the next ``duet build`` completes and removes it."""
    root = make_workspace(tmp_path / "ws")
    assert duet("extract", "-w", root).returncode == 0
    folder = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES"
    (folder / ".meeting.po.k1ll3d.tmp").write_bytes(b'msgid "')
    source = root / "sources" / "meeting.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("useful", "very useful"), encoding="utf-8")
    done = duet("build", "-w", root)
    assert done.returncode in (0, 1), str(done)
    assert not list(folder.glob(".*.tmp"))


def test_two_builds_at_once(tmp_path: Path) -> None:
    """Two ``duet build`` runs started together: each finishes or says the workspace is locked in one line."""
    root = make_workspace(tmp_path / "ws")
    for n in range(20):
        (root / "sources" / f"r{n:02}.txt").write_text(SAMPLE_RELEASE.replace("ninth", f"number {n}"), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "build", "-w", str(root)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        text = err.decode("utf-8", "replace")
        assert "Traceback" not in text, text
        if run.returncode == 2:
            assert len(text.strip().splitlines()) == 1 and "lock" in text, text
        else:
            assert run.returncode in (0, 1), text
    again = duet("build", "-w", root)
    assert again.returncode in (0, 1), str(again)


def test_stray_folder_in_locales(tmp_path: Path) -> None:
    """``locales/backup/LC_MESSAGES/old.po`` (a folder that is no locale): check, translate and build still run."""
    root = make_workspace(tmp_path / "ws")
    assert duet("extract", "-w", root).returncode == 0
    stray = root / "locales" / "backup" / "LC_MESSAGES"
    stray.mkdir(parents=True)
    (stray / "old.po").write_bytes((root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "meeting.po").read_bytes())
    for command in ("check", "translate", "build"):
        done = duet(command, "-w", root)
        assert_no_traceback(done)
        assert done.returncode in (0, 1), str(done)


def test_source_date_epoch_out_of_range(tmp_path: Path) -> None:
    """``SOURCE_DATE_EPOCH=99999999999999 duet build`` on a release without a date: one line naming the variable."""
    root = make_workspace(tmp_path / "ws", release="Expert group meets\n\nThe group met today.\n")
    done = duet("build", "-w", root, env={"SOURCE_DATE_EPOCH": "99999999999999"})
    assert_clean_error(done, "SOURCE_DATE_EPOCH")


def test_source_date_epoch_not_a_number(tmp_path: Path) -> None:
    """``SOURCE_DATE_EPOCH=yesterday duet export --zip``: one line naming the variable, nothing written."""
    root = make_workspace(tmp_path / "ws", release="Expert group meets\n\nThe group met today.\n")
    done = duet("build", "-w", root, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert_clean_error(done, "SOURCE_DATE_EPOCH")
    assert not list((root / "output").iterdir())


def test_toml_nested_thousands_deep(tmp_path: Path) -> None:
    """``duet.toml`` holding ``x = [[[[...]]]]`` 5,000 deep: one line naming duet.toml."""
    root = make_workspace(tmp_path / "ws", config="x = " + "[" * 5000 + "]" * 5000 + "\n")
    done = duet("build", "-w", root)
    assert_clean_error(done, "duet.toml")


def test_toml_inline_tables_thousands_deep(tmp_path: Path) -> None:
    """``mt = {a = {a = ...}}`` 5,000 deep in duet.toml: one line naming duet.toml."""
    root = make_workspace(tmp_path / "ws", config="mt = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")
    done = duet("build", "-w", root)
    assert_clean_error(done, "duet.toml")


@pytest.mark.parametrize("content", ["", "Title: only a header\n---\n", "\n\n   \n"], ids=["empty", "header-only", "blank"])
def test_one_bad_release_does_not_block_the_others(tmp_path: Path, content: str) -> None:
    """A release with no text beside a good one: ``duet build`` names the bad file, builds the good one, exits 2."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "broken.txt").write_text(content, encoding="utf-8")
    done = duet("build", "-w", root)
    assert_clean_error(done, "sources/broken.txt")
    assert (root / "output" / "meeting" / "manifest.json").is_file()
    assert not (root / "output" / "broken").exists()


def test_nul_in_one_release_does_not_block_the_others(tmp_path: Path) -> None:
    """A NUL byte in ``sources/broken.txt``: ``duet build`` names the file and line, builds the good release, exits 2."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "broken.txt").write_text("Title\n\nA sentence.\n\nA bad\x00 sentence.\n", encoding="utf-8")
    done = duet("build", "-w", root)
    assert_clean_error(done, "sources/broken.txt:5")
    assert (root / "output" / "meeting" / "manifest.json").is_file()


@contextlib.contextmanager
def _small_disk(folder: Path, size: str) -> Path:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk until only about ``leave`` bytes are free."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(disk / "filler", "wb") as handle:
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(0, free - leave))


@pytest.mark.parametrize("leave", [0, 8_192, 65_536], ids=["no-byte-free", "8k-free", "64k-free"])
def test_full_disk(tmp_path: Path, leave: int) -> None:
    """``duet build`` on a disk that fills up: one line, exit 2, and every PO file old or new, never half-written."""
    with _small_disk(tmp_path / "disk", "4m") as disk:
        root = make_workspace(disk / "ws")
        for n in range(8):
            (root / "sources" / f"r{n}.txt").write_text(SAMPLE_RELEASE.replace("ninth", f"n{n}") * 3, encoding="utf-8")
        assert duet("extract", "-w", root).returncode == 0
        for path in root.glob("sources/*.txt"):
            path.write_text(path.read_text(encoding="utf-8").replace("useful", "very useful"), encoding="utf-8")
        before = snapshot(root / "locales")
        _fill(disk, leave)
        done = duet("build", "-w", root)
        assert_no_traceback(done)
        if done.returncode == 2:
            assert len(done.stderr.strip().splitlines()) == 1, str(done)
        after = snapshot(root / "locales")
        for name, data in after.items():
            assert name in before or not name.endswith(".po") or data.startswith(b"# ") or data.startswith(b'msgid ""')
        for name in before:
            assert name in after, f"{name} lost"
        assert not [n for n in after if n.endswith(".tmp")]
        (disk / "filler").unlink()
        done = duet("build", "-w", root)
        assert done.returncode in (0, 1), str(done)


def test_full_disk_under_the_memory(tmp_path: Path) -> None:
    """``duet translate`` with less and less disk free: wherever SQLite runs out, one line, PO files unchanged.

    The free space grows 3 KB a run from where the database cannot even be
    created to where the memory fits, so one of the runs fails inside the refresh.
    """
    with _small_disk(tmp_path / "disk", "4m") as disk:
        root = make_workspace(disk / "ws")
        for n in range(30):
            (root / "sources" / f"r{n}.txt").write_text(SAMPLE_RELEASE.replace("ninth", f"n{n}") * 4, encoding="utf-8")
        assert duet("extract", "-w", root).returncode == 0
        before = snapshot(root / "locales")
        for leave in range(60_000, 200_000, 3_000):
            shutil.rmtree(root / ".duet", ignore_errors=True)
            _fill(disk, leave)
            done = duet("translate", "-w", root)
            (disk / "filler").unlink()
            assert_no_traceback(done)
            if done.returncode == 0:
                break
            assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, str(done)
            assert snapshot(root / "locales") == before
        assert duet("translate", "-w", root).returncode == 0


def test_toml_integer_of_thousands_of_digits(tmp_path: Path) -> None:
    """``fuzzy_threshold = 1000...0`` (5,000 digits) in duet.toml: one line naming duet.toml."""
    root = make_workspace(tmp_path / "ws", config="fuzzy_threshold = 1" + "0" * 5000 + "\n")
    done = duet("build", "-w", root)
    assert_clean_error(done, "duet.toml")


def test_numbers_of_hundreds_of_digits(tmp_path: Path) -> None:
    """A release holding a 40-digit amount and a 400-digit number: ``duet build`` and ``duet check`` read them, no traceback."""
    release = SAMPLE_RELEASE + "\nThe fund holds $" + "1" * 40 + " and " + "9" * 400 + " units.\n"
    root = make_workspace(tmp_path / "ws", release=release)
    done = duet("build", "-w", root)
    assert done.returncode in (0, 1), str(done)
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "meeting.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr ""\n\n', 'msgstr "基金持有' + "1" * 40 + "元及" + "9" * 399 + '個單位。"\n\n', 1), encoding="utf-8")
    done = duet("check", "-w", root)
    assert_no_traceback(done)
    assert done.returncode in (0, 1), str(done)
