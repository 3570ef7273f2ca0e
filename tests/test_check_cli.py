"""``duet check`` end to end on real files: exit codes, formats, paths, silencing, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.formats.po import read_po, write_po

from paths import REPO

PO = "locales/zh_Hant_HK/LC_MESSAGES/hk-gd-financial-cooperation.po"
NINTH = "粵港金融合作專家小組今日在廣東佛山舉行第九次會議"


@pytest.fixture
def workspace(sample_workspace: Path) -> Path:
    return sample_workspace


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def check(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(cli, ["check", "-w", str(root), *args])


def test_the_sample_workspace_has_zero_findings(runner: CliRunner) -> None:
    result = check(runner, REPO, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["findings"] == [] and report["silenced"] == []
    assert report["summary"]["files"] == 1 and report["summary"]["entries"] == 12


def test_a_wrong_number_fails_with_file_and_line(runner: CliRunner, workspace: Path) -> None:
    edit(workspace / PO, "第九次", "第十次")
    result = check(runner, workspace)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate((workspace / PO).read_text(encoding="utf-8").splitlines(), 1) if text.startswith("msgid") and n > 20 and n < 30)
    first = result.output.splitlines()[0]
    assert first.startswith(f"{PO}:{line}: error: number-mismatch: ")
    assert check(runner, workspace, "--fail-on", "never").exit_code == 0


def test_glossary_findings_name_the_term_and_its_rendering(runner: CliRunner, workspace: Path) -> None:
    edit(workspace / PO, "粵港金融合作專家小組今日", "粵港金融合作小組今日")
    result = check(runner, workspace, "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert finding["check"] == "glossary-missing"
    assert finding["term"] == "Expert Group on Hong Kong-Guangdong Financial Co-operation"
    assert finding["expected"] == "粵港金融合作專家小組"


def test_warnings_fail_only_when_asked(runner: CliRunner, workspace: Path) -> None:
    catalog = read_po(workspace / PO)
    messages = list(catalog.messages)
    messages[1] = messages[1].__class__(**{**{f: getattr(messages[1], f) for f in messages[1].__slots__}, "flags": ("fuzzy",)})
    write_po(workspace / PO, catalog.__class__(catalog.header, tuple(messages), catalog.path))
    assert check(runner, workspace).exit_code == 0
    result = check(runner, workspace, "--fail-on", "warning", "--format", "github")
    assert result.exit_code == 1
    assert result.output.startswith(f"::warning file={PO},line=")


def test_entry_flag_comment_and_config_silence_but_still_count(runner: CliRunner, workspace: Path) -> None:
    edit(workspace / PO, "第九次", "第十次")
    po = workspace / PO
    text = po.read_text(encoding="utf-8")
    at = text.index('msgid ""\n"The Expert Group')
    po.write_text(text[:at] + "#, no-duet-number-check\n" + text[at:], encoding="utf-8")
    result = check(runner, workspace, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["summary"]["silenced"] == 1 and report["silenced"][0]["check"] == "number-mismatch"

    po.write_text(text[:at] + "# no-duet-number-check: the meeting was renumbered\n" + text[at:], encoding="utf-8")
    assert check(runner, workspace).exit_code == 0

    po.write_text(text, encoding="utf-8")
    assert check(runner, workspace).exit_code == 1
    (workspace / "duet.toml").write_text('silenced_checks = ["number-mismatch"]\n', encoding="utf-8")
    result = check(runner, workspace)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].endswith("; 1 silenced")


def test_paths_limit_the_report_but_consistency_sees_the_whole_workspace(runner: CliRunner, workspace: Path) -> None:
    other = workspace / "locales/zh_Hant_HK/LC_MESSAGES/other.po"
    shutil.copy(workspace / PO, other)
    edit(other, NINTH, NINTH.replace("今日", "今天"))
    result = runner.invoke(cli, ["check", "-w", str(workspace), "--format", "json", str(workspace / PO)])
    report = json.loads(result.output)
    assert report["summary"]["files"] == 1
    [finding] = report["findings"]
    assert finding["check"] == "inconsistent-translation" and finding["file"] == PO
    assert "locales/zh_Hant_HK/LC_MESSAGES/other.po:" in finding["message"]
    assert result.exit_code == 0  # a warning


def test_every_format_renders(runner: CliRunner, workspace: Path) -> None:
    edit(workspace / PO, "第九次", "第十次")
    for fmt in ("text", "json", "junit", "sarif", "github"):
        result = check(runner, workspace, "--format", fmt)
        assert result.exit_code == 1 and result.output, fmt
    out = workspace / "report.sarif"
    assert check(runner, workspace, "--format", "sarif", "-o", str(out)).exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_bad_input_is_one_line_and_exit_2(runner: CliRunner, workspace: Path) -> None:
    missing = check(runner, workspace, str(workspace / "nope.po"))
    assert missing.exit_code == 2 and missing.stderr == "nope.po: no such PO file\n"
    (workspace / PO).write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    broken = check(runner, workspace)
    assert broken.exit_code == 2
    assert broken.stderr.startswith(f"{PO}:2: ") and len(broken.stderr.splitlines()) == 1
