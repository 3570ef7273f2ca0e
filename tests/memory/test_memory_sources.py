"""The workspace's memory files: PO translations and TMX imports, with origins and context."""

from __future__ import annotations

from pathlib import Path

from pipeline.memory import TranslationMemory, workspace_files
from pipeline.workspace import open_workspace

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"PO-Revision-Date: 2026-01-22 10:00+0800\\n"

msgid "The meeting was held today."
msgstr "會議今日舉行。"

#, fuzzy
msgid "The meeting was held yesterday."
msgstr "會議昨日舉行。"

msgid "It ended at noon."
msgstr "會議於中午結束。"

msgid "Untranslated."
msgstr ""

#~ msgid "Old sentence."
#~ msgstr "舊句子。"
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu tuid="7" creationdate="20240131T120000Z" usagecount="3"><tuv xml:lang="en"><seg>Welcome to Hong Kong.</seg></tuv>
<tuv xml:lang="zh-HK"><seg>歡迎來到香港。</seg></tuv></tu>
</body></tmx>
"""


def make_workspace(root: Path) -> Path:
    (root / "sources").mkdir(parents=True)
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "r1.po").write_text(PO, encoding="utf-8")
    (root / "locales" / "memory").mkdir()
    (root / "locales" / "memory" / "old.tmx").write_text(TMX, encoding="utf-8")
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    return root


def test_po_and_tmx_units(tmp_path: Path) -> None:
    workspace = open_workspace(make_workspace(tmp_path / "ws"))
    files = list(workspace_files(workspace))
    assert [f.path for f in files] == ["locales/memory/old.tmx", "locales/zh_Hant_HK/LC_MESSAGES/r1.po"]
    tmx, po = (list(f.load()) for f in files)
    assert [(u.source, u.origin, u.status, u.previous, u.next) for u in po] == [
        ("The meeting was held today.", "locales/zh_Hant_HK/LC_MESSAGES/r1.po:6", "approved", "",
         "The meeting was held yesterday."),
        ("It ended at noon.", "locales/zh_Hant_HK/LC_MESSAGES/r1.po:13", "approved",
         "The meeting was held yesterday.", "Untranslated."),
    ]
    assert po[0].target_language == "zh-Hant-HK" and po[0].source_language == "en"
    (unit,) = tmx
    assert (unit.origin, unit.status, unit.target, unit.target_language) == (
        "locales/memory/old.tmx#7", "imported", "歡迎來到香港。", "zh-Hant-HK")
    assert (unit.creation_date, unit.usage_count) == ("2024-01-31T12:00:00Z", 3)


def test_workspace_memory_refreshes_on_edit(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    workspace = open_workspace(root)
    with TranslationMemory.open(workspace.cache_dir / "memory.sqlite") as tm:
        assert tm.refresh(workspace_files(workspace)).units == 3
        (match,) = tm.lookup("It ended at noon.", target_language="zh-Hant-HK",
                             previous="The meeting was held yesterday.", next="Untranslated.")
        assert match.kind == "in-context"
        po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "r1.po"
        po.write_text(PO.replace("會議今日舉行。", "會議今天舉行。"), encoding="utf-8")
        report = tm.refresh(workspace_files(workspace))
        assert (report.changed, report.unchanged, report.units) == (1, 1, 3)
        assert tm.lookup("The meeting was held today.", target_language="zh-Hant-HK")[0].target == "會議今天舉行。"
