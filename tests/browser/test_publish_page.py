"""The publish page and the bilingual page of a release exported by the CLI, as headless Chromium draws them.

The release (``release_pages``) has a date, a title and a numbered list; it is
translated and exported through ``duet``. Chromium reports, for a node, the
fonts it actually drew the node's text with (``CSS.getPlatformFontsForNode``):
every Chinese glyph, the ○ of 二○二六 included, must come from a CJK font, at
the Chinese line height; each item of the list must start a line of its own.
"""

from __future__ import annotations

import json
import shutil
import typing as t
from pathlib import Path

import pytest
from chromium_pipe import Chromium
from release_pages import RELEASE, STEM, invoke, make_workspace

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not on PATH (.ci/run installs chromium and fonts-noto-cjk)"
)

# Per line of a paragraph: the top of the first text drawn after each <br> (and of the paragraph's start).
LINE_TOPS = """((selector) => {
  const p = document.querySelector(selector);
  const tops = [];
  let starts = true;
  for (const node of p.childNodes) {
    if (node.nodeName === "BR") { starts = true; continue; }
    if (!starts || !node.textContent.trim()) { continue; }
    const range = document.createRange(); range.selectNodeContents(node);
    tops.push(range.getClientRects()[0].top);
    starts = false;
  }
  const style = getComputedStyle(p);
  return {tops, lineHeight: parseFloat(style.lineHeight), fontSize: parseFloat(style.fontSize)};
})"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[tuple[Chromium, Path]]:
    root = make_workspace(tmp_path_factory.mktemp("publish") / "workspace")
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{RELEASE}.po"
    po.write_text(po.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8")
    invoke(root, "export")
    folder = root / "output" / RELEASE
    ARTIFACTS.mkdir(exist_ok=True)
    for name in (f"{STEM}.publish.html", f"{STEM}.html"):
        shutil.copy(folder / name, ARTIFACTS / name)
    assert CHROMIUM is not None
    with Chromium(CHROMIUM, tmp_path_factory.mktemp("chromium") / "profile", ARTIFACTS / "chromium-publish.log") as chromium:
        for domain in ("Runtime", "Page", "DOM", "CSS"):
            chromium.send(f"{domain}.enable")
        chromium.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1,
                                                             "mobile": False})
        yield chromium, folder


def open_page(chromium: Chromium, path: Path) -> int:
    """Load ``path``, wait for its fonts; the DOM root's node id."""
    mark = len(chromium.events)
    chromium.send("Page.navigate", {"url": path.as_uri()})
    chromium.wait_event("Page.loadEventFired", after=mark)
    chromium.evaluate("document.fonts.ready.then(() => true)")
    return int(chromium.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"])


def fonts_of(chromium: Chromium, root: int, selector: str) -> list[dict[str, t.Any]]:
    node = chromium.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return list(chromium.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"])


def test_the_chinese_of_the_publish_page_is_set_in_the_hong_kong_cjk_font(pages: tuple[Chromium, Path]) -> None:
    chromium, folder = pages
    root = open_page(chromium, folder / f"{STEM}.publish.html")
    for selector in (".dateline time", "h1", "footer p"):
        text = chromium.evaluate(f"document.querySelector({json.dumps(selector)}).textContent")
        fonts = fonts_of(chromium, root, selector)
        assert [f["familyName"] for f in fonts] == ["Noto Sans CJK HK"], (selector, text, fonts)
        assert fonts[0]["glyphCount"] == len(text.replace(" ", "")), (selector, text, fonts)
    assert "○" in chromium.evaluate("document.querySelector('.dateline time').textContent")
    paragraph = chromium.evaluate(f"{LINE_TOPS}('article > p:not(.dateline)')")
    assert paragraph["lineHeight"] == pytest.approx(1.8 * paragraph["fontSize"])


def test_the_list_items_start_lines_of_their_own(pages: tuple[Chromium, Path]) -> None:
    chromium, folder = pages
    open_page(chromium, folder / f"{STEM}.publish.html")
    index = chromium.evaluate("[...document.querySelectorAll('article > p')].findIndex((p) => p.textContent.includes('（一）'))")
    listed = chromium.evaluate(f"{LINE_TOPS}('article > p:nth-of-type({index + 1})')")
    assert len(listed["tops"]) == 4
    steps = [b - a for a, b in zip(listed["tops"], listed["tops"][1:])]
    assert all(step >= listed["lineHeight"] - 0.5 for step in steps), listed
    open_page(chromium, folder / f"{STEM}.html")
    for side in ("source", "target"):
        rows = chromium.evaluate(f"[...document.querySelectorAll('section.row .cell.{side} .text')]"
                                 ".findIndex((p) => p.querySelectorAll('br').length === 3)")
        assert rows >= 0, side
        listed = chromium.evaluate(f"{LINE_TOPS}('section.row:nth-of-type({rows + 1}) .cell.{side} .text')")
        assert len(listed["tops"]) == 4 and listed["tops"] == sorted(set(listed["tops"])), (side, listed)


def test_the_bilingual_page_sets_its_chinese_in_the_cjk_font_too(pages: tuple[Chromium, Path]) -> None:
    chromium, folder = pages
    root = open_page(chromium, folder / f"{STEM}.html")
    meta = fonts_of(chromium, root, ".meta time[lang=zh-Hant-HK]")
    assert [f["familyName"] for f in meta] == ["Noto Sans CJK HK"]
    body = chromium.evaluate("(() => { const s = getComputedStyle(document.querySelector('.kind-body .cell.target .text'));"
                             " return [parseFloat(s.lineHeight), parseFloat(s.fontSize)]; })()")
    assert body[0] == pytest.approx(1.8 * body[1])
