"""PO header dates through ``duet extract``: a release's Hong Kong time as +0800, no date as no date (issue 13)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

SOURCE = "Expert group meets\n\nThe group met today.\n"
POT = "locales/templates/meeting.pot"
PO = "locales/zh_Hant_HK/LC_MESSAGES/meeting.po"


def extract(runner: CliRunner, root: Path, header: str) -> dict[str, str]:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    (root / "sources" / "meeting.txt").write_text(header + SOURCE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", "-w", str(root)])
    assert result.exit_code == 0, result.output
    return {name: (root / name).read_text(encoding="utf-8") for name in (POT, PO)}


def msgfmt_check(path: Path) -> str:
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    return checked.stderr


@pytest.mark.parametrize(("date", "written"), [
    ("2026-01-22T17:02", "2026-01-22 17:02+0800"),  # Hong Kong time unless the release says otherwise
    ("2026-01-22", "2026-01-22 00:00+0800"),
])
def test_the_release_time_is_written_on_its_own_clock(runner: CliRunner, tmp_path: Path, date: str, written: str) -> None:
    files = extract(runner, tmp_path, f"Date: {date}\n---\n\n")
    assert f'"POT-Creation-Date: {written}\\n"' in files[POT]
    assert f'"PO-Revision-Date: {written}\\n"' in files[PO]
    assert msgfmt_check(tmp_path / PO) == ""


def test_a_release_without_a_date_gets_no_date_and_gettext_accepts_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    files = extract(runner, tmp_path, "")
    assert "1970" not in files[POT] + files[PO]
    assert "POT-Creation-Date" not in files[POT] + files[PO]
    assert '"PO-Revision-Date: \\n"' in files[PO]  # present, as msgfmt --check wants, and empty
    assert msgfmt_check(tmp_path / PO) == ""
    merged = subprocess.run(["msgmerge", "--quiet", "-o", "-", str(tmp_path / PO), str(tmp_path / POT)],
                            capture_output=True, text=True)  # fmt: skip
    assert merged.returncode == 0 and merged.stderr == "", merged.stderr
    assert "POT-Creation-Date" not in merged.stdout
