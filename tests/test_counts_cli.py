"""One rule for the counts and exit codes of ``duet build`` and ``duet export`` (README, ``duet build``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli

ID = "hk-gd-financial-cooperation"


def _repeated_untranslated(root: Path) -> None:
    """A release whose one sentence stands twice and has no translation."""
    (root / "sources" / "repeat.txt").write_text("The meeting was held today.\n\nThe meeting was held today.\n",
                                                 encoding="utf-8")


def test_a_row_counts_entries_and_the_last_line_segments(runner: CliRunner, sample_workspace: Path) -> None:
    _repeated_untranslated(sample_workspace)
    result = runner.invoke(cli, ["build", "-w", str(sample_workspace)])
    row = next(line.split() for line in result.output.splitlines() if line.startswith("repeat "))
    assert row[1:6] == ["zh_Hant_HK", "1", "0", "0", "1"]
    summary = json.loads(runner.invoke(cli, ["build", "-w", str(sample_workspace), "--format", "json"]).output)
    repeat = next(s for s in summary if s["id"] == "repeat")
    assert repeat["segments"] == 2 and repeat["locales"]["zh_Hant_HK"]["untranslated"] == 1


def test_build_and_export_exit_1_when_a_publish_page_is_refused(runner: CliRunner, sample_workspace: Path) -> None:
    _repeated_untranslated(sample_workspace)
    build = runner.invoke(cli, ["build", "-w", str(sample_workspace)])
    assert build.exit_code == 1 and "refused output/repeat/repeat.zh_Hant_HK.publish.html" in build.output
    export = runner.invoke(cli, ["export", "-w", str(sample_workspace)])
    assert export.exit_code == 1


def test_allow_incomplete_publishes_but_is_not_ready(runner: CliRunner, sample_workspace: Path) -> None:
    _repeated_untranslated(sample_workspace)
    assert runner.invoke(cli, ["extract", "-w", str(sample_workspace)]).exit_code == 0
    result = runner.invoke(cli, ["export", "-w", str(sample_workspace), "--allow-incomplete"])
    assert result.exit_code == 0, result.output
    assert (sample_workspace / "output" / "repeat" / "repeat.zh_Hant_HK.publish.html").is_file()
    manifest = json.loads((sample_workspace / "output" / "repeat" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ready"] is False
    sample = json.loads((sample_workspace / "output" / ID / "manifest.json").read_text(encoding="utf-8"))
    assert sample["ready"] is True


def test_the_zip_is_one_of_the_files_counted(runner: CliRunner, sample_workspace: Path) -> None:
    assert runner.invoke(cli, ["extract", "-w", str(sample_workspace)]).exit_code == 0
    result = runner.invoke(cli, ["export", "-w", str(sample_workspace), "--zip", ID])
    assert result.output == f"output/{ID}/: 7 files, 7 written, output/{ID}.zip\n"
    again = runner.invoke(cli, ["export", "-w", str(sample_workspace), "--zip", ID])
    assert again.output == f"output/{ID}/: 7 files, 0 written, output/{ID}.zip\n"
