"""``duet align`` from the command line: gold-set input, releases into the memory, pairing, and the memory serving them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from paths import DATA

from pipeline.cli import cli
from pipeline.formats.tmx import tmx14_dtd

ALIGN = DATA / "align"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An English → Traditional Chinese workspace, the current folder, with a copy of the align fixtures in ``past/``."""
    root = tmp_path / "workspace"
    (root / "sources").mkdir(parents=True)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    shutil.copytree(ALIGN, root / "past")
    monkeypatch.chdir(root)
    return root


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["align", "--workspace", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_segmented_json_has_every_index_once_keys_named_by_language(workspace: Path) -> None:
    code, out, _ = run(workspace, "--segmented", str(workspace / "past/en.txt"), str(workspace / "past/zh.txt"),
                       "--format", "json")
    assert code == 0
    links = json.loads(out)["links"]
    assert [(link["en"], link["zh"]) for link in links] == [([0, 1], [0]), ([2], [1]), ([3], [2]), ([4], [3])]
    assert all(set(link) == {"en", "zh", "confidence"} and 0.5 < link["confidence"] <= 1 for link in links)


def test_segmented_text_is_the_gold_set_format_with_confidences(workspace: Path) -> None:
    code, out, _ = run(workspace, "--segmented", str(workspace / "past/en.txt"), str(workspace / "past/zh.txt"))
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == ["[0,1]:[0]", "[2]:[1]", "[3]:[2]", "[4]:[3]"]


def test_a_chinese_source_workspace_takes_the_chinese_file_first(workspace: Path) -> None:
    (workspace / "duet.toml").write_text('source_locale = "zh_Hant_HK"\ntarget_locales = ["en"]\n', encoding="utf-8")
    code, out, _ = run(workspace, "--segmented", str(workspace / "past/zh.txt"), str(workspace / "past/en.txt"),
                       "--format", "json")
    assert code == 0
    first = json.loads(out)["links"][0]
    assert (first["zh"], first["en"]) == ([0], [0, 1])
    assert list(first)[:2] == ["zh", "en"]


def test_two_releases_into_the_memory_as_valid_tmx_with_origins(workspace: Path) -> None:
    code, out, _ = run(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--into", "past")
    assert code == 0, out
    tmx = workspace / "locales/memory/past.tmx"
    root = etree.parse(str(tmx)).getroot()
    assert tmx14_dtd().validate(root) and root.get("version") == "1.4"
    units = root.findall("body/tu")
    assert len(units) == 6
    merged = next(u for u in units if u.findtext("prop[@type='x-alignment']") == "2-1")
    assert [tuv.findtext("seg") for tuv in merged.findall("tuv")] == [
        "Applications for the next round will close on March 31. Late applications will not be accepted.",
        "下一輪申請將於三月三十一日截止，逾期申請概不受理。"]
    assert merged.findtext("prop[@type='x-origin']") == "https://example.org/releases/en/grant.htm"
    assert merged.findtext("prop[@type='x-translation-origin']") == "https://example.org/releases/zh/grant.htm"
    assert 0.5 < float(merged.findtext("prop[@type='x-confidence']")) <= 1
    assert "locales/memory/past.tmx: 6 units written; 0 links under 0.5 left out" in out
    assert "weakest links:" in out


def test_the_tmx_is_the_same_bytes_on_a_second_run(workspace: Path) -> None:
    run(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--into", "past")
    first = (workspace / "locales/memory/past.tmx").read_bytes()
    run(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--into", "past")
    assert (workspace / "locales/memory/past.tmx").read_bytes() == first


def test_weak_links_are_left_out_and_counted(workspace: Path) -> None:
    code, out, _ = run(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--into", "past", "--min-confidence",
                       "0.95", "--format", "json")
    assert code == 0
    report = json.loads(out)
    confidences = [link["confidence"] for link in report["pairs"][0]["links"]]
    assert report["memory"]["left_out"] == sum(c < 0.95 for c in confidences) > 0
    assert report["memory"]["units"] == sum(c >= 0.95 for c in confidences)
    units = etree.parse(str(workspace / "locales/memory/past.tmx")).getroot().findall("body/tu")
    assert len(units) == report["memory"]["units"]


def test_two_folders_are_paired_first_and_the_chinese_only_release_reported(workspace: Path) -> None:
    code, out, _ = run(workspace, "past/en", "past/zh", "--into", "past", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [(p["en"]["id"], p["zh"]["id"]) for p in report["pairs"]] == [("grant", "grant"), ("pool", "pool")]
    assert report["unpaired"] == ["past/zh/speech.txt"]
    assert report["memory"]["units"] == 11


def test_pair_reads_each_files_language_and_gives_a_confidence(workspace: Path) -> None:
    files = sorted(str(p.relative_to(workspace)) for p in (workspace / "past").glob("*/*.txt"))
    code, out, _ = run(workspace, "--pair", *files, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [(p["en"], p["zh"]) for p in report["pairs"]] == [("past/en/grant.txt", "past/zh/grant.txt"),
                                                               ("past/en/pool.txt", "past/zh/pool.txt")]
    assert all(p["confidence"] > 0.8 for p in report["pairs"])
    assert report["unpaired"] == ["past/zh/speech.txt"]


def test_translate_serves_the_aligned_units_like_any_imported_tmx(workspace: Path) -> None:
    assert run(workspace, "past/en/grant.txt", "past/zh/grant.txt", "--into", "past")[0] == 0
    (workspace / "sources/next.txt").write_text(
        "For enquiries, please call 2345 6789.\n\nThe Department apologises for any inconvenience caused.\n",
        encoding="utf-8")
    runner = CliRunner()
    for command in (["extract"], ["translate"]):
        assert runner.invoke(cli, [*command, "--workspace", str(workspace)]).exit_code == 0
    po = (workspace / "locales/zh_Hant_HK/LC_MESSAGES/next.po").read_text(encoding="utf-8")
    entry = po[po.index("#. duet: tm exact"):po.index('msgid "For enquiries')]
    assert "from locales/memory/past.tmx#" in entry
    assert 'msgstr "如有查詢，請致電2345 6789。"' in po
    assert 'msgid "The Department apologises for any inconvenience caused."\nmsgstr ""' in po
