"""Machine translation inside ``duet translate``, against a real HTTP engine on loopback."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mt_fakes import install
from pipeline.cli import cli
from pipeline.formats.po import read_po


def run(runner: CliRunner, root: Path, *args: str):
    result = runner.invoke(cli, [*args, "-w", str(root)])
    assert result.exit_code == 0, result.output
    return result


def test_machine_translation_over_a_real_loopback_engine_with_the_glossary_masked(
    runner: CliRunner, tmp_path: Path, http_server
) -> None:
    libre, _ = install(http_server)
    root = tmp_path / "mt"
    (root / "sources").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text("en,zh-Hant-HK\nHKMA,金管局\n", encoding="utf-8")
    (root / "sources" / "r.txt").write_text("The HKMA will review rates today.\n", encoding="utf-8")
    (root / "duet.toml").write_text(
        f'translate_stages = ["exact", "fuzzy", "mt"]\n[mt]\nengine = "libretranslate"\nurl = "{http_server.url("/").rstrip("/")}"\n',
        encoding="utf-8")
    run(runner, root, "extract")
    [row] = json.loads(run(runner, root, "translate", "--format", "json").output)
    assert row["mt"] == 1
    [message] = read_po(root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "r.po").messages
    assert message.fuzzy and message.string == "金管局將檢討利率今日。"
    assert any(note.startswith("duet: mt mt 0") and "libretranslate@" in note for note in message.notes)
    sent = [json.loads(r.body) for r in http_server.requests if r.path == "/translate"]
    assert sent and "HKMA" not in json.dumps(sent) and "[[T1]]" in json.dumps(sent)
    again = run(runner, root, "translate")  # the entry is filled: nothing asked again
    assert again.output.splitlines()[-1] == "1 file, 0 written"
    assert len([r for r in http_server.requests if r.path == "/translate"]) == len(sent)
