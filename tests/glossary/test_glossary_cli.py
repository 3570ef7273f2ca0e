"""``duet glossary import|export|lookup|lint`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import DuetGroup
from pipeline.cli_glossary import glossary
from pipeline.formats.tbx import parse_tbx

# The glossary group inside a group like the main one (which turns PipelineErrors
# into one line and exit 2), without registering it in the real ``cli``.
duet = DuetGroup(name="duet", commands={"glossary": glossary})


def run(runner: CliRunner, workspace: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(duet, ["glossary", *args, "-w", str(workspace)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_lint_sample(runner: CliRunner, sample_workspace: Path) -> None:
    code, out, err = run(runner, sample_workspace, "lint")
    assert code == 1
    assert out == ("locales/glossary.csv:9: warning: nested-term: 'Closer Economic Partnership Arrangement' is nested in "
                   "'Mainland and Hong Kong Closer Economic Partnership Arrangement' (line 8); the outer renderings contain "
                   "its renderings\n")
    assert err == "locales/glossary.csv: 24 terms, 1 issue\n"


def test_lint_json_and_clean_glossary(runner: CliRunner, sample_workspace: Path) -> None:
    code, out, _ = run(runner, sample_workspace, "lint", "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["summary"] == {"file": "locales/glossary.csv", "terms": 24, "issues": 1}
    assert report["issues"][0] | {"message": ""} == {"check": "nested-term", "severity": "warning", "file": "locales/glossary.csv",
                                                      "line": 9, "term": "Closer Economic Partnership Arrangement", "message": ""}
    (sample_workspace / "locales" / "glossary.csv").write_text("en,zh-Hant-HK\nfintech,金融科技\n", encoding="utf-8")
    assert run(runner, sample_workspace, "lint") == (0, "", "locales/glossary.csv: 1 terms, 0 issues\n")


def test_lookup_text_and_json(runner: CliRunner, sample_workspace: Path) -> None:
    text = "Under the Mainland & Hong Kong Closer Economic Partnership Arrangement, the HKMA's cross boundary business"
    code, out, _ = run(runner, sample_workspace, "lookup", text)
    assert code == 0
    assert out == (
        "10-70 Mainland & Hong Kong Closer Economic Partnership Arrangement: zh_Hant_HK 《內地與香港關於建立更緊密經貿關係的安排》\n"
        "  31-70 Closer Economic Partnership Arrangement: zh_Hant_HK 更緊密經貿關係的安排\n"
        "76-82 HKMA's: zh_Hant_HK 金管局\n"
        "83-97 cross boundary: zh_Hant_HK 跨境 (not 跨界)\n"
    )
    code, out, _ = run(runner, sample_workspace, "lookup", "hkma fintech", "--format", "json")
    assert json.loads(out) == [{
        "text": "fintech", "start": 5, "end": 12, "line": 16,
        "renderings": {"zh_Hant_HK": {"approved": "金融科技", "variants": [], "forbidden": []}},
        "case": "insensitive", "pos": "noun", "note": "", "inner": [],
    }]


def test_export_csv_and_tbx(runner: CliRunner, sample_workspace: Path, tmp_path: Path) -> None:
    code, out, _ = run(runner, sample_workspace, "export")
    assert code == 0 and out == (sample_workspace / "locales" / "glossary.csv").read_text(encoding="utf-8")
    code, out, _ = run(runner, sample_workspace, "export", "--format", "tbx")
    assert code == 0 and len(parse_tbx(out.encode("utf-8"), "-")) == 24
    target = tmp_path / "out.tbx"
    assert run(runner, sample_workspace, "export", str(target))[0] == 0
    assert target.read_bytes() == out.encode("utf-8")


def test_import_tbx_into_a_csv_workspace(runner: CliRunner, sample_workspace: Path, tmp_path: Path) -> None:
    csv_path = sample_workspace / "locales" / "glossary.csv"
    before = csv_path.read_bytes()
    tbx = tmp_path / "g.tbx"
    run(runner, sample_workspace, "export", str(tbx))
    csv_path.write_text("en,zh-Hant-HK\nx,y\n", encoding="utf-8")
    code, out, _ = run(runner, sample_workspace, "import", str(tbx))
    assert code == 0
    assert out == f"locales/glossary.csv: 24 terms (en, zh-Hant-HK, zh-Hans-CN) imported from {tbx}\n"
    assert csv_path.read_bytes() == before


def test_import_into_a_workspace_without_glossary_creates_the_csv(runner: CliRunner, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "sources").mkdir(parents=True)
    source = tmp_path / "terms.csv"
    source.write_text("en,zh_Hant_HK\nfintech,金融科技\n", encoding="utf-8")
    code, out, _ = run(runner, workspace, "import", str(source), "--format", "json")
    assert code == 0 and json.loads(out)["glossary"] == "locales/glossary.csv"
    assert (workspace / "locales" / "glossary.csv").read_text(encoding="utf-8") == "en,zh-Hant-HK\nfintech,金融科技\n"


@pytest.mark.parametrize(("content", "message"), [
    ("en,zh-Hant-HK\nfintech\n", "bad.csv:2: row has 1 cells, the header has 2"),
    ("en,zh-Hant-HK,case\nfintech,金融科技,CAPS\n", "bad.csv:2: case must be 'sensitive' or 'insensitive', not 'CAPS'"),
])
def test_import_refuses_bad_input_with_path_line_and_exit_2(runner: CliRunner, sample_workspace: Path, tmp_path: Path,
                                                            content: str, message: str) -> None:
    before = (sample_workspace / "locales" / "glossary.csv").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run(runner, sample_workspace, "import", str(bad))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path}/{message}\n"
    assert (sample_workspace / "locales" / "glossary.csv").read_bytes() == before


def test_commands_without_a_glossary_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    code, _, err = run(runner, tmp_path, "lint")
    assert code == 2
    assert err == "locales: no glossary: create locales/glossary.csv or run 'duet glossary import FILE'\n"


def test_every_subcommand_has_help(runner: CliRunner) -> None:
    for name in ("import", "export", "lookup", "lint"):
        result = runner.invoke(duet, ["glossary", name, "--help"])
        assert result.exit_code == 0 and result.output.startswith(f"Usage: duet glossary {name}")
