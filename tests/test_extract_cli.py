"""``duet extract`` end to end: files on disk, reports, --check, bad input, the lock, a killed run."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from paths import REPO

PO = "locales/zh_Hant_HK/LC_MESSAGES/hk-gd-financial-cooperation.po"
POT = "locales/templates/hk-gd-financial-cooperation.pot"


@pytest.fixture
def fresh_workspace(tmp_path: Path) -> Path:
    """The sample release alone, with no PO files yet."""
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "sources" / "hk-gd-financial-cooperation.txt", root / "sources")
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK", "zh_Hans_CN"]\n', encoding="utf-8")
    return root


def extract(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(cli, ["extract", "-w", str(root), *args])


def test_first_extract_writes_template_and_each_locale(runner: CliRunner, fresh_workspace: Path) -> None:
    result = extract(runner, fresh_workspace, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["file"]: row for row in json.loads(result.output)}
    assert set(rows) == {POT, PO, "locales/zh_Hans_CN/LC_MESSAGES/hk-gd-financial-cooperation.po"}
    assert rows[PO]["new"] == 12 and rows[PO]["written"] is True
    assert rows[POT]["locale"] is None and rows[POT]["messages"] == 12
    pot = (fresh_workspace / POT).read_text(encoding="utf-8")
    assert "#: sources/hk-gd-financial-cooperation.txt:3\n" in pot
    assert "#. caption, p1 s1\n" in pot
    po = (fresh_workspace / "locales/zh_Hans_CN/LC_MESSAGES/hk-gd-financial-cooperation.po").read_text(encoding="utf-8")
    assert '"Language: zh_CN\\n"' in po and '"Plural-Forms: nplurals=1; plural=0;\\n"' in po


def test_second_extract_changes_no_byte_and_check_passes(runner: CliRunner, fresh_workspace: Path) -> None:
    extract(runner, fresh_workspace)
    before = {p: p.read_bytes() for p in fresh_workspace.rglob("*.po*")}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    again = extract(runner, fresh_workspace)
    assert again.exit_code == 0
    assert again.output.splitlines()[-1] == "3 files, 0 written"
    assert {p: p.read_bytes() for p in before} == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes
    assert extract(runner, fresh_workspace, "--check").exit_code == 0


def test_check_reports_what_would_change_and_writes_nothing(runner: CliRunner, fresh_workspace: Path) -> None:
    result = extract(runner, fresh_workspace, "--check")
    assert result.exit_code == 1
    assert "would change" in result.output
    assert not (fresh_workspace / "locales").exists()


def test_text_report_is_a_table(runner: CliRunner, fresh_workspace: Path) -> None:
    extract(runner, fresh_workspace)
    source = fresh_workspace / "sources" / "hk-gd-financial-cooperation.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("ninth meeting", "tenth meeting"), encoding="utf-8")
    lines = extract(runner, fresh_workspace).output.splitlines()
    assert lines[0].split() == ["file", "messages", "new", "unchanged", "fuzzy", "obsolete", "resurrected", "file", "state"]
    row = next(line for line in lines if line.startswith(PO))
    assert row.split()[1:] == ["12", "1", "11", "0", "0", "0", "written"]  # the sentence was untranslated: new, not fuzzy


def test_a_broken_po_stops_the_run_with_its_line_and_nothing_is_written(runner: CliRunner, fresh_workspace: Path) -> None:
    extract(runner, fresh_workspace)
    po = fresh_workspace / PO
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken_at] = 'msgstr "unterminated\n'
    po.write_text("".join(lines), encoding="utf-8")
    (fresh_workspace / POT).unlink()
    result = extract(runner, fresh_workspace)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{PO}:{broken_at + 1}: ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert not (fresh_workspace / POT).exists()


def test_a_second_run_is_refused_while_the_lock_is_held(runner: CliRunner, fresh_workspace: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom pipeline.formats.files import locked\n"
         "with locked(sys.argv[1]):\n    print('held', flush=True)\n    sys.stdin.read()",
         str(fresh_workspace / ".duet" / "lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO, text=True,
    )  # another run, in another process: the lock is re-entrant within one
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = extract(runner, fresh_workspace)
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()
    assert result.exit_code == 2
    assert result.stderr == ".duet/lock: another duet run holds the workspace lock\n" or "holds the workspace lock" in result.stderr
    assert not (fresh_workspace / PO).exists()


def test_a_run_killed_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    """SIGKILL a real ``duet extract`` at random moments; every file must be whole."""
    old = tmp_path / "old"
    (old / "sources").mkdir(parents=True)
    text = (REPO / "sources" / "hk-gd-financial-cooperation.txt").read_text(encoding="utf-8")
    for n in range(120):
        (old / "sources" / f"r{n:03}.txt").write_text(text.replace("ninth", f"number {n}"), encoding="utf-8")
    duet = [sys.executable, "-m", "pipeline", "extract", "-w"]
    subprocess.run([*duet, str(old)], check=True, capture_output=True)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    for source in (new / "sources").iterdir():
        source.write_text(source.read_text(encoding="utf-8").replace("Foshan", "Zhaoqing"), encoding="utf-8")
    subprocess.run([*duet, str(new)], check=True, capture_output=True)
    started = time.monotonic()
    probe = tmp_path / "probe"
    shutil.copytree(old, probe)
    shutil.copytree(new / "sources", probe / "sources", dirs_exist_ok=True)
    subprocess.run([*duet, str(probe)], check=True, capture_output=True)
    duration = time.monotonic() - started

    rng = random.Random(7)
    for attempt in range(4):
        victim = tmp_path / f"victim{attempt}"
        shutil.copytree(old, victim)
        shutil.copytree(new / "sources", victim / "sources", dirs_exist_ok=True)
        process = subprocess.Popen([*duet, str(victim)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in (new / "locales").rglob("*.po*"):
            relative = path.relative_to(new)
            got = (victim / relative).read_bytes()
            assert got in ((old / relative).read_bytes(), path.read_bytes()), relative
        subprocess.run([*duet, str(victim)], check=True, capture_output=True)
        assert not [p for p in (victim / "locales").rglob("*.tmp")], "the next run clears what the killed one left"
        for path in (new / "locales").rglob("*.po*"):
            assert (victim / path.relative_to(new)).read_bytes() == path.read_bytes()


def test_the_sample_workspace_is_translated_and_up_to_date(runner: CliRunner) -> None:
    from pipeline.formats.po import read_po

    result = runner.invoke(cli, ["extract", "-w", str(REPO), "--check"])
    assert result.exit_code == 0, result.output
    catalog = read_po(REPO / PO)
    assert len(catalog.messages) == 12 and all(m.translated for m in catalog.messages)
    assert catalog.messages[1].string.startswith("粵港金融合作專家小組今日在廣東佛山舉行第九次會議")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed (.ci/run installs it)")
def test_gettext_accepts_what_extract_writes_and_msgcat_changes_no_byte(runner: CliRunner, fresh_workspace: Path) -> None:
    extract(runner, fresh_workspace)
    source = fresh_workspace / "sources" / "hk-gd-financial-cooperation.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("ninth", "tenth").replace("Foshan", "Zhaoqing"), encoding="utf-8")
    shutil.copy(REPO / PO, fresh_workspace / PO)
    extract(runner, fresh_workspace)
    files = [*fresh_workspace.rglob("*.po"), *fresh_workspace.rglob("*.pot"), REPO / PO]
    assert len(files) == 4
    for path in files:
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True, capture_output=True)
        catted = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
        assert catted == path.read_bytes(), path
    assert "#| msgid" in (fresh_workspace / PO).read_text(encoding="utf-8")


def test_a_release_in_the_other_language_is_refused_and_the_others_extracted(
        runner: CliRunner, fresh_workspace: Path) -> None:
    """A Chinese release dropped into the sources of an English workspace: one line naming it, exit 2, no PO
    file for it; the English release is extracted."""
    (fresh_workspace / "sources" / "zh.txt").write_text("政府今日公布二○二六年一月的失業率。\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", "-w", str(fresh_workspace)])
    assert result.exit_code == 2
    assert result.stderr.startswith("sources/zh.txt:1: this release is written in Chinese")
    assert result.stderr.count("\n") == 1
    assert (fresh_workspace / PO).is_file()
    assert not list(fresh_workspace.glob("locales/*/LC_MESSAGES/zh.po")) and not (fresh_workspace / "locales/templates/zh.pot").exists()
