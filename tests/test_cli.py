from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli

from paths import REPO


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0
    for command in ("init", "fetch", "segment", "build"):
        assert command in done.stdout


def test_init_then_build_an_empty_workspace(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    assert f"created {root / 'duet.toml'}" in result.output
    result = runner.invoke(cli, ["build", "--workspace", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_build_sample_workspace(runner: CliRunner, sample_workspace: Path) -> None:
    result = runner.invoke(cli, ["build", "-w", str(sample_workspace), "--format", "json"])
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.output)
    assert summary["id"] == "hk-gd-financial-cooperation"
    assert summary["paragraphs"] == 12
    assert summary["segments"] == 12  # every paragraph of the sample is one sentence
    assert summary["kinds"] == {"caption": 1, "body": 11}
    text = runner.invoke(cli, ["build", "-w", str(sample_workspace)])
    assert text.output.splitlines()[-1].startswith("1 release, 12 paragraphs, 12 segments")


def test_segment_stdin_text_and_json(runner: CliRunner) -> None:
    text = "Mr Chan visited the zone. He said it was useful.\n\n  Second paragraph."
    result = runner.invoke(cli, ["segment", "--lang", "en"], input=text)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Mr Chan visited the zone.", "He said it was useful.", "Second paragraph."]
    result = runner.invoke(cli, ["segment", "-", "--lang", "en", "--format", "json"], input=text)
    spans = json.loads(result.output)
    assert [text[s["start"]:s["end"]] for s in spans] == [s["text"] for s in spans]
    assert spans[2] == {"text": "Second paragraph.", "start": 52, "end": 69}


def test_segment_chinese_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("我们明天一起去看《摔跤吧！爸爸》好吗？好！", encoding="utf-8")
    result = runner.invoke(cli, ["segment", str(path), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["我们明天一起去看《摔跤吧！爸爸》好吗？", "好！"]


def test_errors_are_one_line_with_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        (["build", "-w", str(tmp_path / "missing")], f"{tmp_path / 'missing'}: no such workspace folder\n"),
        (["segment", str(tmp_path / "none.txt")], f"{tmp_path / 'none.txt'}: cannot read file: No such file or directory\n"),
    ]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\n")
    cases.append((["segment", str(bad)], f"{bad}:2: not valid UTF-8 (byte 0xff)\n"))
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "duet.toml").write_text('target_locales = ["zz"]\n', encoding="utf-8")
    cases.append((["build", "-w", str(tmp_path / "ws")], f"{tmp_path / 'ws' / 'duet.toml'}:1: 'target_locales': unknown locale 'zz'\n"))
    for args, stderr in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == stderr
        assert "Traceback" not in result.output


def test_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["segment", "--lang", "klingon"], input="Hello.")
    assert result.exit_code == 2
    assert "unknown locale 'klingon'" in result.stderr


def test_invalid_srx_is_refused_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    srx = tmp_path / "bad.srx"
    srx.write_text('<?xml version="1.0"?>\n<srx version="2.0">\n<header/>\n<body>\n', encoding="utf-8")
    result = runner.invoke(cli, ["segment", "--rules", str(srx)], input="Hello. World.")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{srx}:")
    assert len(result.stderr.splitlines()) == 1


def test_build_named_releases(runner: CliRunner, sample_workspace: Path) -> None:
    ok = runner.invoke(cli, ["build", "-w", str(sample_workspace), "--format", "json", "sources/hk-gd-financial-cooperation.txt"])
    assert [s["id"] for s in json.loads(ok.output)] == ["hk-gd-financial-cooperation"]
    missing = runner.invoke(cli, ["build", "-w", str(sample_workspace), "nope"])
    assert missing.exit_code == 2
    assert missing.stderr == "sources: no source release named 'nope'\n"


def test_build_reads_html_sources_and_refuses_bad_ones(runner: CliRunner, sample_workspace: Path) -> None:
    page = REPO / "tests" / "data" / "html" / "gia-en-smart-traffic-fund.htm"
    (sample_workspace / "sources" / "P2026012200320.htm").write_bytes(page.read_bytes())
    result = runner.invoke(cli, ["build", "-w", str(sample_workspace), "--format", "json"])
    assert result.exit_code == 1, result.output  # the new release is untranslated: its publish pages are refused
    en = next(s for s in json.loads(result.output) if s["id"] == "P2026012200320")
    assert en["language"] == "en"
    assert en["kinds"]["title"] == 1
    assert en["segments"] > en["paragraphs"]

    zh = REPO / "tests" / "data" / "html" / "gia-zh-smart-traffic-fund.htm"
    (sample_workspace / "sources" / "P2026012200321.htm").write_bytes(zh.read_bytes())
    result = runner.invoke(cli, ["build", "-w", str(sample_workspace)])
    assert result.exit_code == 2
    assert result.stderr.startswith("sources/P2026012200321.htm:") and "written in Chinese" in result.stderr
    assert not (sample_workspace / "output" / "P2026012200321").exists()
    (sample_workspace / "sources" / "P2026012200321.htm").unlink()

    (sample_workspace / "sources" / "bad.txt").write_text("Title: x\nDate: soon\n---\nBody.\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", "-w", str(sample_workspace)])
    assert result.exit_code == 2
    assert result.stderr == "sources/bad.txt:2: Date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got 'soon'\n"
