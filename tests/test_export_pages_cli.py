"""What a reviewer and a publisher get from ``duet export`` for a release shaped like the Government's own.

The workspace (``release_pages``) is made by the CLI: ``extract``, ``tm
import``, ``translate`` (which leaves one memory suggestion fuzzy), then
``export`` in a separate run, so every origin here went through the PO file.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from release_pages import FUZZY, RELEASE, STEM, TRANSLATIONS, invoke, make_workspace

from pipeline.formats.bundle_xml import bundle_schema
from pipeline.formats.tmx import tmx14_dtd
from pipeline.formats.xliff import xliff_schema

BUNDLE = "{urn:duet:bundle:1}"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
ITEMS = [text for source, text in TRANSLATIONS.items() if source.startswith("(")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "workspace")


def approve(root: Path) -> None:
    """The translator accepts the memory's suggestion: the fuzzy flag goes, the note stays."""
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{RELEASE}.po"
    text = po.read_text(encoding="utf-8")
    assert text.count("#, fuzzy\n") == 1
    po.write_text(text.replace("#, fuzzy\n", ""), encoding="utf-8")


def files(root: Path) -> Path:
    return root / "output" / RELEASE


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def lines(paragraph: lxml.html.HtmlElement) -> list[str]:
    """The text of each line of a paragraph, lines being separated by ``<br>``."""
    found = [""]
    for node in paragraph.xpath("node()"):
        if getattr(node, "tag", None) == "br":
            found.append("")
        else:
            found[-1] += node.text_content() if hasattr(node, "text_content") else str(node)
    return found


def test_a_numbered_list_keeps_its_lines_on_both_pages_and_in_the_files(workspace: Path) -> None:
    approve(workspace)
    invoke(workspace, "export")
    publish = page(files(workspace) / f"{STEM}.publish.html")
    listed = [p for p in publish.iter("p") if "（一）" in p.text_content()]
    assert len(listed) == 1 and lines(listed[0]) == ITEMS
    bilingual = page(files(workspace) / f"{STEM}.html")
    for side, first in (("source", "(1) "), ("target", "（一）")):
        cell = next(c for c in bilingual.find_class(f"cell {side}") if first in c.text_content())
        shown = [line.strip() for line in lines(cell.find_class("text")[0])]
        assert len(shown) == 4 and all(line.startswith(f"({n}) " if side == "source" else f"（{'一二三四'[n - 1]}）")
                                       for n, line in enumerate(shown, 1)), shown
    xml = etree.parse(str(files(workspace) / f"{STEM}.xml"))
    assert bundle_schema().validate(xml)
    assert [s.findtext(f"{BUNDLE}target") for s in xml.iter(f"{BUNDLE}segment") if s.get("startsLine")] == ITEMS[1:]
    xlf = etree.parse(str(files(workspace) / f"{STEM}.xlf"))
    assert xliff_schema().validate(xlf)
    broken = [u.findtext(f"{XLIFF}segment/{XLIFF}target") for u in xlf.iter(f"{XLIFF}unit") if u.find(f"{XLIFF}ignorable") is not None]
    assert broken == ITEMS[1:]


def test_the_publish_page_follows_the_house_style(workspace: Path) -> None:
    approve(workspace)
    invoke(workspace, "export")
    publish = page(files(workspace) / f"{STEM}.publish.html")
    assert publish.findtext(".//h1") == publish.findtext("head/title") == "智慧交通基金批出四個項目"
    time = publish.find_class("dateline")[0].find("time")
    assert (time.text, time.get("datetime")) == ("二○二六年一月二十二日", "2026-01-22T17:02+08:00")
    assert lines(publish.find(".//article/footer/p")) == ["完", "2026年1月22日（星期四）", "香港時間17時02分"]
    bilingual = page(files(workspace) / f"{STEM}.html")
    assert bilingual.findtext(".//h1") == "Smart Traffic Fund approves four projects"
    assert [t.text for t in bilingual.find_class("meta")[0].iter("time")] == ["January 22, 2026", "二○二六年一月二十二日"]


def test_a_suggestion_keeps_its_origin_from_translate_to_export(workspace: Path) -> None:
    """The fuzzy marker and every file say where the suggestion came from and how it scored."""
    invoke(workspace, "export", "--allow-incomplete")
    po = (workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{RELEASE}.po").read_text(encoding="utf-8")
    assert "#. duet: tm fuzzy 92 (similarity 96, numbers -2, provenance -2) from locales/memory/stf.tmx:6" in po
    bilingual = page(files(workspace) / f"{STEM}.html")
    [marker] = bilingual.find_class("fuzzy")
    assert marker.get("id").startswith("t-") and FUZZY in bilingual.get_element_by_id("s-" + marker.get("id")[2:]).text_content()
    assert marker.find_class("badge")[0].text == "fuzzy"
    assert marker.find_class("origin")[0].text == "memory match 92 from locales/memory/stf.tmx:6"
    xml = etree.parse(str(files(workspace) / f"{STEM}.xml"))
    [fuzzy] = [s for s in xml.iter(f"{BUNDLE}segment") if s.get("status") == "fuzzy"]
    assert (fuzzy.get("origin"), fuzzy.get("score"), fuzzy.get("from")) == ("tm-fuzzy", "92.0", "locales/memory/stf.tmx:6")
    xlf = etree.parse(str(files(workspace) / f"{STEM}.xlf"))
    [unit] = [u for u in xlf.iter(f"{XLIFF}unit") if u.find(f"{XLIFF}segment").get("subState") == "duet:fuzzy"]
    assert {n.get("category"): n.text for n in unit.iter(f"{XLIFF}note")} == {
        "origin": "tm-fuzzy", "score": "92.0", "from": "locales/memory/stf.tmx:6"}
    manifest = json.loads((files(workspace) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["locales"]["zh_Hant_HK"]["origin"] == {"human": 6, "tm-fuzzy": 1}


def test_times_are_hong_kong_time_and_say_so(workspace: Path) -> None:
    approve(workspace)
    invoke(workspace, "export")
    xml = etree.parse(str(files(workspace) / f"{STEM}.xml"))
    assert xml.findtext(f"{BUNDLE}meta/{BUNDLE}date") == "2026-01-22T17:02+08:00"
    assert json.loads((files(workspace) / "manifest.json").read_text(encoding="utf-8"))["date"] == "2026-01-22T17:02+08:00"
    tmx = etree.parse(str(files(workspace) / f"{STEM}.tmx"))
    assert tmx14_dtd().validate(tmx)
    assert {e.get("creationdate") for e in tmx.iter("header", "tu")} == {"20260122T090200Z"}


def test_an_undated_release_has_no_date_anywhere(workspace: Path) -> None:
    source = workspace / "sources" / f"{RELEASE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Date: 2026-01-22T17:02\n", ""), encoding="utf-8")
    approve(workspace)
    invoke(workspace, "export")
    tmx = etree.parse(str(files(workspace) / f"{STEM}.tmx"))
    assert tmx14_dtd().validate(tmx)
    assert [e.get("creationdate") for e in tmx.iter("header", "tu")] == [None] * (1 + len(list(tmx.iter("tu"))))
    assert etree.parse(str(files(workspace) / f"{STEM}.xml")).find(f"{BUNDLE}meta/{BUNDLE}date") is None
    publish = page(files(workspace) / f"{STEM}.publish.html")
    assert not publish.find_class("dateline") and publish.find(".//footer") is None
