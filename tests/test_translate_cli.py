"""``duet translate`` and ``duet tm`` end to end on a real workspace with a real SQLite memory."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import cli
from pipeline.formats.po import read_po
from pipeline.formats.tmx import tmx14_dtd

from paths import REPO

SAMPLE = "hk-gd-financial-cooperation"
TENTH = "hk-gd-tenth-meeting"


@pytest.fixture
def workspace(tmp_path: Path, runner: CliRunner) -> Path:
    """The sample, plus a second release: the tenth meeting, one sentence dropped."""
    root = tmp_path / "ws"
    for name in ("sources", "locales"):
        shutil.copytree(REPO / name, root / name)
    (root / "duet.toml").write_text(
        'target_locales = ["zh_Hant_HK", "zh_Hans_CN"]\nderived_locales = { zh_Hans_CN = "zh_Hant_HK" }\n', encoding="utf-8")
    text = (root / "sources" / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    text = text.replace("ninth meeting", "tenth meeting").replace("fintech and in green finance", "fintech")
    (root / "sources" / f"{TENTH}.txt").write_text(text, encoding="utf-8")
    assert runner.invoke(cli, ["extract", "-w", str(root)]).exit_code == 0
    return root


def run(runner: CliRunner, root: Path, *args: str):
    result = runner.invoke(cli, [*args, "-w", str(root)])
    assert result.exit_code == 0, result.output
    return result


def po(root: Path, locale: str, release: str):
    return read_po(root / "locales" / locale / "LC_MESSAGES" / f"{release}.po")


def test_the_memory_fills_a_new_release_and_only_exact_matches_in_context_are_final(runner: CliRunner, workspace: Path) -> None:
    rows = {row["file"]: row for row in json.loads(run(runner, workspace, "translate", "--format", "json").output)}
    tenth = rows[f"locales/zh_Hant_HK/LC_MESSAGES/{TENTH}.po"]
    assert tenth["in_context"] + tenth["exact"] == 10 and tenth["repaired"] == 1 and tenth["fuzzy"] == 1
    assert rows[f"locales/zh_Hant_HK/LC_MESSAGES/{SAMPLE}.po"]["kept"] == 12
    messages = {m.id: m for m in po(workspace, "zh_Hant_HK", TENTH).messages}
    repaired = next(m for m in messages.values() if "tenth meeting" in m.id)
    assert repaired.fuzzy and "第十次會議" in repaired.string and "ninth meeting" in (repaired.previous_id or "")
    assert any(note.startswith("duet: tm repaired") for note in repaired.notes)
    shortened = next(m for m in messages.values() if m.id.endswith("in fintech."))
    assert shortened.fuzzy and shortened.string == "專家小組亦同意促進金融科技和綠色金融方面的合作。"
    finals = [m for m in messages.values() if not m.fuzzy]
    assert len(finals) == 7 and all(m.translated for m in finals)  # the in-context ones
    elsewhere = [m for m in messages.values() if "duet: translated once before, between other sentences: check it "
                 "still fits" in m.notes]
    assert len(elsewhere) == 3 and all(m.fuzzy and m.string for m in elsewhere)  # exact, neighbours changed


def test_a_second_run_writes_nothing_and_translators_work_is_never_touched(runner: CliRunner, workspace: Path) -> None:
    run(runner, workspace, "translate")
    before = {p: p.read_bytes() for p in (workspace / "locales").rglob("*.po")}
    assert run(runner, workspace, "translate").output.splitlines()[-1] == "4 files, 0 written"
    assert {p: p.read_bytes() for p in before} == before


def test_the_derived_locale_is_converted_from_the_traditional_one(runner: CliRunner, workspace: Path) -> None:
    run(runner, workspace, "translate")
    derived = {m.id: m for m in po(workspace, "zh_Hans_CN", TENTH).messages}
    caption = next(m for m in derived.values() if m.id.startswith("On tour"))
    assert caption.string == "考察：财经事务及库务局副局长陈浩濂（右）参观广东金融高新技术服务区。"
    assert "duet: converted from zh_Hant_HK" in caption.notes and caption.fuzzy  # as its base: neighbours changed
    members = next(m for m in derived.values() if m.id.startswith("The expert group comprises"))
    assert members.string.startswith("专家小组成员包括广东省政府和香港特别行政区政府的代表")
    assert "duet: converted from zh_Hant_HK" in members.notes and not members.fuzzy
    repaired = next(m for m in derived.values() if "tenth meeting" in m.id)
    assert repaired.fuzzy and "第十次会议" in repaired.string


def test_tm_import_lookup_export_and_stats(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "bureau.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>\n'
        '<tu tuid="1"><tuv xml:lang="en"><seg>The Financial Secretary met the press.</seg></tuv>'
        '<tuv xml:lang="ZH-HK"><seg>財政司司長會見傳媒。</seg></tuv></tu>\n</body></tmx>\n', encoding="utf-8")
    assert run(runner, workspace, "tm", "import", str(tmx)).output == "locales/memory/bureau.tmx: 1 unit imported, 0 skipped\n"
    [match] = json.loads(run(runner, workspace, "tm", "lookup", "The Financial Secretary met the press.", "--format", "json").output)
    assert (match["kind"], match["status"], match["target"]) == ("exact", "imported", "財政司司長會見傳媒。")
    shutil.rmtree(workspace / ".duet")
    again = json.loads(run(runner, workspace, "tm", "lookup", "The Financial Secretary met the press.", "--format", "json").output)
    assert again == [match]
    exported = run(runner, workspace, "tm", "export").output.encode("utf-8")
    root = etree.fromstring(exported)
    assert tmx14_dtd().validate(root) and root.get("version") == "1.4"
    assert len(root.findall("body/tu")) == 13
    stats = json.loads(run(runner, workspace, "tm", "stats", "--format", "json").output)
    assert stats["units"] == 13  # the sample's 12 translations and the imported unit


def test_hostile_or_useless_tmx_is_refused_and_nothing_is_copied(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.tmx"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>\n',
                    encoding="utf-8")
    result = runner.invoke(cli, ["tm", "import", str(evil), "-w", str(workspace)])
    assert result.exit_code == 2 and result.stderr.startswith(f"{evil}:2: ")
    assert not (workspace / "locales" / "memory").exists()



def test_tm_export_dates_in_utc_and_none_where_nothing_is_dated(runner: CliRunner, workspace: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A PO file revised at 17:02 Hong Kong time exports its units at 09:02 UTC, the header dated by the newest;
    a memory whose units carry no date exports a header without a creation date, never 1970."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    po = workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "hk-gd-financial-cooperation.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(re.sub(r'"PO-Revision-Date: [^"]*\\n"', '"PO-Revision-Date: 2026-01-22 17:02+0800\\\\n"', text),
                  encoding="utf-8")
    root = etree.fromstring(run(runner, workspace, "tm", "export").output.encode("utf-8"))
    dated = {tu.get("creationdate") for tu in root.findall("body/tu") if tu.get("creationdate")}
    assert dated == {"20260122T090200Z"} and root.find("header").get("creationdate") == "20260122T090200Z"

    po.write_text(re.sub(r'"PO-Revision-Date: [^"]*\\n"', '"PO-Revision-Date: \\\\n"', text), encoding="utf-8")
    for other in workspace.glob("locales/*/LC_MESSAGES/*.po"):
        if other != po:
            other.unlink()
    root = etree.fromstring(run(runner, workspace, "tm", "export").output.encode("utf-8"))
    assert root.find("header").get("creationdate") is None
    assert all(tu.get("creationdate") is None for tu in root.findall("body/tu"))
