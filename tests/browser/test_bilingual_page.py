"""The sample release's bilingual page as a reader sees it, in headless Chromium.

Chromium is driven over the DevTools protocol (``chromium_pipe``). The page is
opened at 1280 and at 390 CSS pixels wide; what a reader would see is measured
in the page: the boxes of each paragraph's two sides, the fonts Chromium
actually drew the Chinese text with, the console, and the highlight a real
mouse move over a source sentence gives its translation. Screenshots (and the
page) are kept in ``tests/browser/artifacts/``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import typing as t
from pathlib import Path

import pytest
from chromium_pipe import Chromium
from paths import REPO

from pipeline.formats.bundle_html import format_bilingual_html
from pipeline.formats.po import read_po
from pipeline.glossary import load_glossary
from pipeline.ingest import read_source
from pipeline.model import (
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    Release,
    SegmentStatus,
)
from pipeline.segment import segment_release

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
RELEASE = "hk-gd-financial-cooperation"
CHROMIUM = shutil.which("chromium")
HAN = re.compile(r"[\u3400-\u9fff]")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not on PATH (.ci/run installs chromium and fonts-noto-cjk)"
)


def sample_release() -> BilingualRelease:
    """The sample workspace's release paired with its reference translation.

    A stand-in for the export stage, kept small: segments paired with PO
    entries by msgid, terms from the glossary (its own English form, which may
    differ from the text: "and" where the release writes "&").
    """
    source: Release = read_source(REPO / "sources" / f"{RELEASE}.txt", display=f"sources/{RELEASE}.txt")
    catalog = read_po(REPO / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{RELEASE}.po")
    messages = {m.id: m for m in catalog.live}
    matcher = load_glossary(REPO / "locales" / "glossary.csv").matcher("en", "zh-Hant-HK")
    paragraphs: list[list[AlignedSegment]] = [[] for _ in source.paragraphs]
    for segment in segment_release(source):
        message = messages.get(segment.text)
        status: SegmentStatus = "untranslated"
        if message is not None and message.has_target:
            status = "translated" if message.translated else "fuzzy"
        terms = tuple(
            (english.approved, hit.expected.approved)
            for hit in matcher.find(segment.text)
            if (english := hit.term.rendering("en")) is not None and hit.expected.approved
        )
        position = len(paragraphs[segment.paragraph])
        key = hashlib.sha256(f"{segment.paragraph}:{position}:{segment.text}".encode()).hexdigest()[:12]
        target = message.string if message is not None else ""
        paragraphs[segment.paragraph].append(AlignedSegment(key, segment.text, target, status, terms=terms))
    # The sample source has no header; a date shows the page's dateline in both formats.
    meta = source.meta if source.meta.date else type(source.meta)(date="2026-11-24", language="en")
    return BilingualRelease(
        RELEASE, meta, "en", "zh-Hant-HK", "zh_Hant_HK",
        tuple(AlignedParagraph(p.kind, tuple(segs)) for p, segs in zip(source.paragraphs, paragraphs) if segs),
    )


MEASURE = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {
    width: innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    rows: [...document.querySelectorAll("section.row")].map((row) => ({
      id: row.id,
      source: box(row.querySelector(".cell.source .text")),
      target: box(row.querySelector(".cell.target .text")),
    })),
  };
})()"""

# Each distinct Han character of the first translated sentence drawn on a canvas in the
# element's own font, against the drawing of a noncharacter (what a missing glyph looks like).
GLYPHS = """((selector) => {
  const el = document.querySelector(selector);
  const font = "32px " + getComputedStyle(el).fontFamily;
  const draw = (ch) => { const c = document.createElement("canvas"); c.width = c.height = 48;
    const g = c.getContext("2d"); g.font = font; g.fillStyle = "#000"; g.textBaseline = "top"; g.fillText(ch, 4, 4);
    return Array.from(g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3)).join(","); };
  const tofu = draw("\\uffff");
  const chars = [...new Set(el.textContent.match(/[\\u3400-\\u9fff]/g))];
  const ink = (bitmap) => bitmap.split(",").some((a) => a !== "0");
  return {font, chars: chars.length, tofu: chars.filter((ch) => { const b = draw(ch); return b === tofu || !ink(b); })};
})"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[tuple[Chromium, BilingualRelease]]:
    release = sample_release()
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / f"{release.id}.{release.locale}.html"
    page.write_text(format_bilingual_html(release, tool_version="test"), encoding="utf-8")
    work = tmp_path_factory.mktemp("chromium")
    assert CHROMIUM is not None
    with Chromium(CHROMIUM, work / "profile", ARTIFACTS / "chromium.log") as chromium:
        for domain in ("Runtime", "Log", "Page", "Network", "DOM", "CSS"):
            chromium.send(f"{domain}.enable")
        viewport(chromium, 1280, 900)
        mark = len(chromium.events)
        chromium.send("Page.navigate", {"url": page.as_uri()})
        chromium.wait_event("Page.loadEventFired", after=mark)
        chromium.evaluate("document.fonts.ready.then(() => true)")
        yield chromium, release


def viewport(chromium: Chromium, width: int, height: int) -> None:
    chromium.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def screenshot(chromium: Chromium, name: str, width: int, height: float) -> Path:
    shot = chromium.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
    })
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def test_wide_screen_shows_the_two_sides_side_by_side(browser: tuple[Chromium, BilingualRelease]) -> None:
    chromium, release = browser
    viewport(chromium, 1280, 900)
    layout = chromium.evaluate(MEASURE)
    screenshot(chromium, "bilingual-wide.png", 1280, layout["height"])
    assert len(layout["rows"]) == len(release.paragraphs)
    assert layout["scrollWidth"] <= layout["width"], "the page scrolls sideways"
    for row in layout["rows"]:
        source, target = row["source"], row["target"]
        assert abs(source["top"] - target["top"]) < 1, row
        assert target["left"] >= source["right"], row
        assert source["width"] > 400 and target["width"] > 400, row
        assert target["right"] <= layout["width"], row


def test_narrow_screen_stacks_them(browser: tuple[Chromium, BilingualRelease]) -> None:
    chromium, _ = browser
    chromium.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 2, "y": 2})
    viewport(chromium, 390, 844)
    try:
        layout = chromium.evaluate(MEASURE)
        screenshot(chromium, "bilingual-narrow.png", 390, layout["height"])
        screenshot(chromium, "bilingual-narrow-first-screen.png", 390, 844)
    finally:
        viewport(chromium, 1280, 900)
    assert layout["width"] == 390
    assert layout["scrollWidth"] <= layout["width"], "the page scrolls sideways"
    for row in layout["rows"]:
        source, target = row["source"], row["target"]
        assert target["top"] >= source["bottom"] - 0.5, row
        assert abs(target["left"] - source["left"]) < 1, row
        assert target["right"] <= layout["width"], row


def test_chinese_is_drawn_with_a_cjk_font_not_tofu(browser: tuple[Chromium, BilingualRelease]) -> None:
    chromium, release = browser
    first = next(s for s in release.segments if s.publishable and HAN.search(s.target))
    selector = f"#t-{first.id}"
    root = chromium.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = chromium.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = chromium.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if f["familyName"].startswith("Noto Sans CJK")]
    assert cjk, f"Chinese text was drawn with {fonts}"
    # The fonts reported are those of the node's own text, not of the terms marked inside it.
    text = chromium.evaluate(f"[...document.querySelector({json.dumps(selector)}).childNodes]"
                             ".filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('')")
    assert HAN.search(text)
    assert sum(f["glyphCount"] for f in cjk) >= len(HAN.findall(text))
    glyphs = chromium.evaluate(f"{GLYPHS}({json.dumps(selector)})")
    assert glyphs["chars"] > 10
    assert glyphs["tofu"] == [], f"drawn as missing glyphs in {glyphs['font']}"


def test_hovering_a_sentence_highlights_its_translation(browser: tuple[Chromium, BilingualRelease]) -> None:
    chromium, release = browser
    seg = release.paragraphs[1].segments[0]
    find = f"document.getElementById({json.dumps('t-' + seg.id)})"
    chromium.evaluate(f"document.getElementById({json.dumps('s-' + seg.id)}).scrollIntoView({{block: 'center'}})")
    rect = chromium.evaluate(
        f"(() => {{ const r = document.getElementById({json.dumps('s-' + seg.id)}).getClientRects()[0];"
        " return {x: r.left + 20, y: r.top + r.height / 2}; })()"
    )
    before = chromium.evaluate(f"getComputedStyle({find}).backgroundColor")
    chromium.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": rect["x"], "y": rect["y"]})
    chromium.evaluate("new Promise((done) => setTimeout(done, 250))")  # the highlight fades in over 120 ms
    assert chromium.evaluate(f"{find}.classList.contains('paired')")
    after = chromium.evaluate(f"getComputedStyle({find}).backgroundColor")
    assert before == "rgba(0, 0, 0, 0)" and after == "rgb(255, 241, 184)", (before, after)
    others = chromium.evaluate("document.querySelectorAll('.paired').length")
    assert others == 2  # the sentence and its translation, nothing else
    shot = chromium.send("Page.captureScreenshot", {"format": "png"})
    (ARTIFACTS / "bilingual-hover.png").write_bytes(base64.b64decode(shot["data"]))
    chromium.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 2, "y": 2})
    assert chromium.evaluate("document.querySelectorAll('.paired').length") == 0


def test_nothing_is_logged_and_nothing_is_fetched(browser: tuple[Chromium, BilingualRelease]) -> None:
    chromium, release = browser
    chromium.evaluate("new Promise((done) => setTimeout(done, 50))")
    problems = [
        e for e in chromium.events
        if e["method"] == "Runtime.exceptionThrown"
        or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert", "warning"))
        or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))
    ]
    assert problems == []
    requests = {e["params"]["request"]["url"] for e in chromium.events if e["method"] == "Network.requestWillBeSent"}
    assert requests == {(ARTIFACTS / f"{release.id}.{release.locale}.html").as_uri()}
