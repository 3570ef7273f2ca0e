"""The PO header's ``Language`` as Poedit and gettext keep it, read back and checked against the folder (issue 13)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

HK = "locales/zh_Hant_HK/LC_MESSAGES/hk-gd-financial-cooperation.po"
CN = "locales/zh_Hans_CN/LC_MESSAGES/hk-gd-financial-cooperation.po"


@pytest.fixture
def workspace(sample_workspace: Path) -> Path:
    (sample_workspace / "duet.toml").write_text('target_locales = ["zh_Hant_HK", "zh_Hans_CN"]\n', encoding="utf-8")
    return sample_workspace


def language_line(path: Path) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('"Language:'))


def set_language(path: Path, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^"Language: .*\\n"$', f'"Language: {value}\\\\n"', text, count=1, flags=re.M), encoding="utf-8")


def run(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(cli, [args[0], "-w", str(root), *args[1:]])


def test_extract_writes_the_language_poedit_keeps_and_msgfmt_accepts(runner: CliRunner, workspace: Path) -> None:
    (workspace / HK).unlink()  # a file Duet creates, not the sample's
    assert run(runner, workspace, "extract").exit_code == 0
    assert language_line(workspace / HK) == '"Language: zh_HK\\n"'
    assert language_line(workspace / CN) == '"Language: zh_CN\\n"'
    for po in (HK, CN):
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(workspace / po)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_extract_respells_the_old_language_of_its_own_file(runner: CliRunner, workspace: Path) -> None:
    set_language(workspace / HK, "zh_Hant_HK")  # what Duet wrote before, and Poedit rewrote as zh_TW
    assert run(runner, workspace, "extract").exit_code == 0
    assert language_line(workspace / HK) == '"Language: zh_HK\\n"'


@pytest.mark.parametrize("spelling", ["zh_HK", "zh-Hant-HK", "zh_Hant_HK", "zh-hant-hk"])
def test_every_spelling_of_the_folders_locale_passes_the_check(runner: CliRunner, workspace: Path, spelling: str) -> None:
    set_language(workspace / HK, spelling)
    result = run(runner, workspace, "check", str(workspace / HK), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["findings"] == []


@pytest.mark.parametrize(("written", "named"), [
    ("zh_TW", "Chinese (Traditional, Taiwan)"),  # what Poedit 3.2 saves over zh_Hant_HK
    ("zh_CN", "Chinese (Simplified, China)"),
    ("zh", "Chinese"),  # CLDR reads bare zh as Simplified Chinese of China
    ("Klingon", "not a locale"),
])
def test_a_header_naming_another_locale_is_a_warning_at_the_header(
    runner: CliRunner, workspace: Path, written: str, named: str
) -> None:
    set_language(workspace / HK, written)
    result = run(runner, workspace, "check", str(workspace / HK))
    assert result.exit_code == 0, result.output  # a warning: the translations themselves are fine
    header_line = (workspace / HK).read_text(encoding="utf-8").splitlines().index('msgid ""') + 1
    assert result.output.splitlines()[0] == (
        f"{HK}:{header_line}: warning: language-mismatch: the header says 'Language: {written}' ({named}) but the "
        "file is in the folder of zh_Hant_HK; write 'Language: zh_HK', the spelling Poedit and gettext keep"
    )
    assert run(runner, workspace, "check", str(workspace / HK), "--fail-on", "warning").exit_code == 1
    assert run(runner, workspace, "extract").exit_code == 0
    assert language_line(workspace / HK) == f'"Language: {written}\\n"'  # reported, not overwritten


def test_the_simplified_file_is_checked_against_its_own_folder(runner: CliRunner, workspace: Path) -> None:
    assert run(runner, workspace, "extract").exit_code == 0
    set_language(workspace / CN, "zh_HK")
    findings = json.loads(run(runner, workspace, "check", str(workspace / CN), "--format", "json").output)["findings"]
    [finding] = [f for f in findings if f["check"] != "untranslated"]
    assert (finding["check"], finding["severity"], finding["locale"]) == ("language-mismatch", "warning", "zh_Hans_CN")
    assert finding["msgid"] == "" and "write 'Language: zh_CN'" in finding["message"]
