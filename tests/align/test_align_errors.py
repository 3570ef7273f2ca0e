"""Bad input to ``duet align``: one line naming the file (and line), exit 2, no traceback, the memory untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import DATA

from pipeline.cli import cli

ALIGN = DATA / "align"
OLD_MEMORY = b"<?xml version='1.0'?><tmx version='1.4'><header/><body/></tmx>\n"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace (the current folder) whose memory ``past.tmx`` already exists, with the fixtures in ``past/``."""
    root = tmp_path / "workspace"
    (root / "locales/memory").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    (root / "locales/memory/past.tmx").write_bytes(OLD_MEMORY)
    shutil.copytree(ALIGN, root / "past")
    monkeypatch.chdir(root)
    return root


def refused(root: Path, *args: str) -> str:
    """Run ``duet align ARGS --into past``; assert exit 2 with one line on stderr and the memory as it was."""
    result = CliRunner().invoke(cli, ["align", *args, "--into", "past"], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert (root / "locales/memory/past.tmx").read_bytes() == OLD_MEMORY
    assert sorted(p.name for p in (root / "locales/memory").iterdir()) == ["past.tmx"]
    return lines[0]


def test_files_given_the_wrong_way_round(workspace: Path) -> None:
    line = refused(workspace, "past/zh/grant.txt", "past/en/grant.txt")
    assert line == "past/zh/grant.txt:7: this text is Chinese, but the first file should be English"


def test_a_chinese_file_where_the_segmented_english_should_be(workspace: Path) -> None:
    line = refused(workspace, "--segmented", "past/zh.txt", "past/zh.txt")
    assert line == "past/zh.txt:1: this text is Chinese, but the first file should be English"


@pytest.mark.parametrize("segmented", [True, False])
def test_an_empty_side(workspace: Path, segmented: bool) -> None:
    Path("empty.txt").write_text("\n  \n", encoding="utf-8")
    english = "past/en.txt" if segmented else "past/en/grant.txt"
    line = refused(workspace, *(["--segmented"] if segmented else []), english, "empty.txt")
    assert line == "empty.txt:1: nothing to align: the file has no text"


def test_an_encoding_error_names_its_line(workspace: Path) -> None:
    Path("legacy.txt").write_bytes("申請截止。\n".encode() + "逾期申請".encode("big5") + b"\n")
    line = refused(workspace, "--segmented", "past/en.txt", "legacy.txt")
    assert line.startswith("legacy.txt:2: not valid UTF-8")


@pytest.mark.parametrize("segmented", [True, False])
def test_lengths_wildly_out_of_proportion(workspace: Path, segmented: bool) -> None:
    Path("short.txt").write_text("Title: 通告\n---\n\n截止。\n" if not segmented else "截止。\n", encoding="utf-8")
    english = "past/en.txt" if segmented else "past/en/grant.txt"
    line = refused(workspace, *(["--segmented"] if segmented else []), english, "short.txt")
    assert line.startswith("short.txt:1: the Chinese text is too short to translate the English one (")


def test_a_missing_file(workspace: Path) -> None:
    assert refused(workspace, "past/en/grant.txt", "nowhere.txt").startswith("nowhere.txt: cannot read file")


def test_a_folder_with_a_file(workspace: Path) -> None:
    assert refused(workspace, "past/en/grant.txt", "past/zh") == \
        "past/en/grant.txt: give two folders or two files, not one of each"


def test_a_memory_name_that_would_leave_the_folder(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["align", "past/en/grant.txt", "past/zh/grant.txt", "--into", "../past"])
    assert result.exit_code == 2
    assert result.stderr == "--into: '../past' is not a memory name: letters, digits, '.', '_' and '-', " \
                            "starting with a letter or digit\n"


def test_nothing_confident_enough_writes_nothing(workspace: Path) -> None:
    line = refused(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--min-confidence", "1")
    assert line == "locales/memory/past.tmx: no link is confident enough to write: lower --min-confidence"


def test_a_workspace_that_is_not_english_and_chinese(workspace: Path) -> None:
    (workspace / "duet.toml").write_text('target_locales = ["fr"]\n', encoding="utf-8")
    assert refused(workspace, "past/en/grant.txt", "past/zh/grant.txt") == \
        "duet.toml: duet align pairs English with Chinese; the workspace translates en to fr"
