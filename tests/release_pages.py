"""A workspace with a release shaped like the Government's own: title, date, a numbered list, a memory.

Written after the Transport Department's release of 2026-01-22 (P2026012200320)
and shortened, so the tests that use it need no shared data: a ``Title:`` and
``Date:`` header, the title as the first paragraph, a ``(1) ... (2) ...``
list whose Chinese is ``（一）...（二）...``. ``translate`` fills every PO entry
but one from ``TRANSLATIONS``; the memory proposes the last as a fuzzy match.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.formats.po import read_po, write_po

RELEASE = "P2026012200320"
STEM = f"{RELEASE}.zh_Hant_HK"
SOURCE = """\
Title: Smart Traffic Fund approves four projects
Date: 2026-01-22T17:02
URL: https://www.info.gov.hk/gia/general/202601/22/P2026012200320.htm
---

Smart Traffic Fund approves four projects

The four approved projects in the latest batch cover:

(1) a driving performance analysis assistance system applicable to driving tests;
(2) an end-to-end intelligent driving system applicable to the logistics industry;
(3) a real-time driver attention monitoring and alerting system; and
(4) a bus automatic emergency braking system designed for Hong Kong.

The Transport Department today announced that the four projects have been approved.
"""
TRANSLATIONS = {
    "Smart Traffic Fund approves four projects": "智慧交通基金批出四個項目",
    "The four approved projects in the latest batch cover:": "最新一輪獲批的四個項目涵蓋：",
    "(1) a driving performance analysis assistance system applicable to driving tests;":
        "（一）應用於分析駕駛考試時駕駛表現的輔助系統；",
    "(2) an end-to-end intelligent driving system applicable to the logistics industry;":
        "（二）應用於物流行業的端對端技術智能駕駛系統；",
    "(3) a real-time driver attention monitoring and alerting system; and": "（三）駕駛者注意力即時監測與警示系統；及",
    "(4) a bus automatic emergency braking system designed for Hong Kong.": "（四）為香港而設計的巴士自動緊急煞車系統。",
}
FUZZY = "The Transport Department today announced that the four projects have been approved."
MEMORY = """\
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="en"><seg>The Transport Department today announced that the projects have been approved.</seg></tuv>
      <tuv xml:lang="zh-Hant-HK"><seg>運輸署今日公布已批出有關項目。</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def invoke(root: Path, *args: str) -> str:
    """Run ``duet`` in ``root``; its output, after checking it exited 0."""
    result = CliRunner().invoke(cli, [*args, "-w", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def make_workspace(root: Path) -> Path:
    """The workspace after ``extract``, ``tm import`` and ``translate``, the translations filled in."""
    (root / "sources").mkdir(parents=True)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    (root / "sources" / f"{RELEASE}.txt").write_text(SOURCE, encoding="utf-8")
    (root / "stf.tmx").write_text(MEMORY, encoding="utf-8")
    invoke(root, "extract")
    invoke(root, "tm", "import", str(root / "stf.tmx"))
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{RELEASE}.po"
    catalog = read_po(po)
    write_po(po, replace(catalog, messages=tuple(replace(m, string=TRANSLATIONS.get(m.id, "")) for m in catalog.messages)))
    invoke(root, "translate")
    return root
