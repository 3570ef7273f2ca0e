"""``duet export`` and ``duet build`` end to end: the bundle on disk, reproducible, validated, refused when unfinished."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import cli
from pipeline.formats.bundle_xml import bundle_schema
from pipeline.formats.tmx import tmx14_dtd
from pipeline.formats.xliff import xliff_schema


ID = "hk-gd-financial-cooperation"
STEM = f"{ID}.zh_Hant_HK"


@pytest.fixture
def workspace(sample_workspace: Path) -> Path:
    return sample_workspace


def invoke(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(cli, [*args, "-w", str(root)])


def test_the_sample_bundle_is_complete_valid_and_listed_in_its_manifest(runner: CliRunner, workspace: Path) -> None:
    result = invoke(runner, workspace, "export")
    assert result.exit_code == 0, result.output
    folder = workspace / "output" / ID
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{STEM}.xml", f"{STEM}.html", f"{STEM}.publish.html", f"{STEM}.tmx", f"{STEM}.xlf", "manifest.json"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert manifest["locales"]["zh_Hant_HK"] == {"language": "zh-Hant-HK", "segments": 12, "status": {"translated": 12},
                                                 "origin": {"human": 12}}
    assert manifest["ready"] is True and manifest["checks"]["errors"] == 0
    assert bundle_schema().validate(etree.parse(str(folder / f"{STEM}.xml")))
    assert xliff_schema().validate(etree.parse(str(folder / f"{STEM}.xlf")))
    assert tmx14_dtd().validate(etree.parse(str(folder / f"{STEM}.tmx")))


def test_export_is_reproducible_and_the_zip_fixed(runner: CliRunner, workspace: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(workspace, twin)
    invoke(runner, workspace, "export", "--zip")
    invoke(runner, twin, "export", "--zip")
    files = sorted(p.relative_to(workspace) for p in (workspace / "output").rglob("*") if p.is_file())
    assert files and all((workspace / f).read_bytes() == (twin / f).read_bytes() for f in files)
    assert invoke(runner, workspace, "export").output.splitlines()[0].endswith("6 files, 0 written")
    with zipfile.ZipFile(workspace / "output" / f"{ID}.zip") as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769072520")
    invoke(runner, twin, "export", "--zip")
    with zipfile.ZipFile(twin / "output" / f"{ID}.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 22, 9, 2, 0)}


def test_an_unfinished_translation_has_no_publish_page_unless_allowed(runner: CliRunner, workspace: Path) -> None:
    invoke(runner, workspace, "export")
    po = workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{ID}.po"
    text = po.read_text(encoding="utf-8")
    at = text.index('msgid ""\n"The Expert Group')
    po.write_text(text[:at] + "#, fuzzy\n" + text[at:], encoding="utf-8")
    refused = invoke(runner, workspace, "export")
    assert refused.exit_code == 1 and f"refused {STEM}.publish.html" in refused.output
    folder = workspace / "output" / ID
    assert not (folder / f"{STEM}.publish.html").exists(), "a stale publish page must not stay behind"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ready"] is False and manifest["locales"]["zh_Hant_HK"]["status"] == {"fuzzy": 1, "translated": 11}
    bilingual = (folder / f"{STEM}.html").read_text(encoding="utf-8")
    assert "fuzzy" in bilingual
    allowed = invoke(runner, workspace, "export", "--allow-incomplete")
    assert allowed.exit_code == 0, allowed.output
    page = (folder / f"{STEM}.publish.html").read_text(encoding="utf-8")
    assert "The Expert Group on Hong Kong-Guangdong Financial Co-operation held its ninth meeting" in page


def test_build_runs_every_stage_and_still_writes_bundles_when_checks_fail(runner: CliRunner, workspace: Path) -> None:
    po = workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{ID}.po"
    po.write_text(po.read_text(encoding="utf-8").replace("第九次", "第十次"), encoding="utf-8")
    result = invoke(runner, workspace, "build")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("1 release, 12 paragraphs, 12 segments, ")
    assert "1 error" in result.output.splitlines()[-1]
    manifest = json.loads((workspace / "output" / ID / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ready"] is False and manifest["checks"]["by_check"]["number-mismatch"]["reported"] == 1


@pytest.mark.parametrize(("date", "stamp"), [
    ("2026-01-22T17:02", "20260122T090200Z"),  # Hong Kong time unless the date says otherwise
    ("2026-01-22", "20260121T160000Z"),  # the day starts at midnight in Hong Kong
])  # fmt: skip
def test_the_tmx_is_dated_by_the_release_in_utc(runner: CliRunner, workspace: Path, date: str, stamp: str) -> None:
    source = workspace / "sources" / f"{ID}.txt"
    source.write_text(f"Date: {date}\n---\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke(runner, workspace, "export")
    assert result.exit_code == 0, result.output
    header = etree.parse(str(workspace / "output" / ID / f"{STEM}.tmx")).find("header")
    assert header is not None and header.get("creationdate") == stamp


def test_every_segment_carries_its_real_origin(runner: CliRunner, workspace: Path) -> None:
    """An untranslated segment comes from ``none``, an OpenCC conversion is ``converted``: in XML, XLIFF and manifest."""
    (workspace / "duet.toml").write_text(
        'target_locales = ["zh_Hant_HK", "zh_Hans_CN"]\nderived_locales = { zh_Hans_CN = "zh_Hant_HK" }\n', encoding="utf-8")
    for command in ("extract", "translate"):
        done = invoke(runner, workspace, command)
        assert done.exit_code == 0, done.output
    po = workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{ID}.po"
    text = po.read_text(encoding="utf-8")
    at = text.index('msgid ""\n"The Expert Group')
    msgstr = text.index("msgstr", at)
    end = text.index("\n\n", msgstr)
    po.write_text(text[:msgstr] + 'msgstr ""' + text[end:], encoding="utf-8")
    result = invoke(runner, workspace, "export", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    folder = workspace / "output" / ID
    locales = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["locales"]
    assert locales["zh_Hant_HK"]["origin"] == {"human": 11, "none": 1}
    assert locales["zh_Hans_CN"]["origin"] == {"converted": 12}
    xml = etree.parse(str(folder / f"{STEM}.xml"))
    assert [s.get("origin") for s in xml.iter("{urn:duet:bundle:1}segment") if s.get("status") == "untranslated"] == ["none"]
    notes = etree.parse(str(folder / f"{ID}.zh_Hans_CN.xlf")).iterfind(".//{*}note[@category='origin']")
    assert {note.text for note in notes} == {"converted"}
