from __future__ import annotations

import dataclasses
import re

import lxml.html
import pytest

from pipeline import locales
from pipeline.errors import PipelineError
from pipeline.formats.bundle_html import (
    IncompleteTranslation,
    format_bilingual_html,
    format_publish_html,
)
from pipeline.formats.bundle_html_assets import (
    BILINGUAL_CSS,
    PAIRING_JS,
    PUBLISH_CSS,
    csp_hash,
)
from pipeline.model import (
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    ReleaseMeta,
)

URL = "https://www.info.gov.hk/gia/general/202611/24/P2026112400321.htm"
NASTY = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> \"quoted\" 'single' &amp; <!-- -->"

TITLE = AlignedSegment("t1", "Expert group meets in Foshan", "專家小組在佛山舉行會議", "translated")
S1 = AlignedSegment(
    "a1", "The Under Secretary for Financial Services & the Treasury visited the Bay Area.",
    "財經事務及庫務局副局長參觀了大灣區。", "translated", origin="tm-exact",
    terms=(("Under Secretary for Financial Services and the Treasury", "財經事務及庫務局副局長"), ("bay area", "大灣區")),
)
S2 = AlignedSegment("a2", "Both sides discussed fintech.", "雙方討論了金融科技。", "translated",
                    terms=(("fintech", "金融科技"),))
FUZZY = AlignedSegment("b1", "The task force will meet again.", "專責小組將再次開會。", "fuzzy", origin="tm-fuzzy", score=87,
                       came_from="locales/memory/bureau.tmx")
MISSING = AlignedSegment("b2", "He added that more would follow.", "", "untranslated")


def release(*paragraphs: AlignedParagraph, **meta: str) -> BilingualRelease:
    fields = {"title": "Expert group meets in Foshan", "date": "2026-11-24T17:02", "url": URL,
              "department": "Financial Services and the Treasury Bureau"} | meta
    return BilingualRelease("hk-gd", ReleaseMeta(**fields), "en", "zh-Hant-HK", "zh_Hant_HK", paragraphs)


COMPLETE = release(AlignedParagraph("title", (TITLE,)), AlignedParagraph("body", (S1, S2)))
INCOMPLETE = release(AlignedParagraph("title", (TITLE,)), AlignedParagraph("body", (S1, FUZZY)),
                     AlignedParagraph("trailer", (MISSING,)))


_STEP = re.compile(r'([\w-]+|\*)?((?:\.[\w-]+|#[\w-]+|\[[\w-]+(?:="[^"]*"|=[\w-]+)?\])*)')
_PART = re.compile(r'\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:(=)"?([^\]"]*)"?)?\]')


def select(element: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """The few CSS selectors these tests use (tag, class, id, attribute; descendant, child; comma), as XPath."""
    found: set[lxml.html.HtmlElement] = set()  # the elements themselves: lxml reuses the ids of freed proxies
    for alternative in selector.split(","):
        path, axis = ".", "//"
        for token in alternative.split():
            if token == ">":
                axis = "/"
                continue
            match = _STEP.fullmatch(token)
            assert match, token
            step = match.group(1) or "*"
            for name, ident, attr, equals, value in _PART.findall(match.group(2)):
                if name:
                    step += f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
                elif ident:
                    step += f"[@id='{ident}']"
                else:
                    step += f"[@{attr}='{value}']" if equals else f"[@{attr}]"
            path += axis + step
            axis = "//"
        found.update(element.xpath(path))
    return [e for e in element.iter() if e in found]


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def lang_of(element: lxml.html.HtmlElement) -> str | None:
    for node in (element, *element.iterancestors()):
        if node.get("lang"):
            return str(node.get("lang"))
    return None


def own_text(element: lxml.html.HtmlElement, skip: str = ".seg-no, .badge, .origin") -> str:
    """The text of ``element`` without the chrome inside it (pair links, badges)."""
    copy = lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"))
    for chrome in select(copy, skip):
        chrome.drop_tree()
    return str(copy.text_content())


# The bilingual page


def test_is_an_html5_document_with_its_head() -> None:
    html = format_bilingual_html(COMPLETE, tool_version="1.2.3")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    doc = parse(html)
    assert doc.find("head/meta").get("charset") == "utf-8"
    assert select(doc, 'meta[name="viewport"]')[0].get("content") == "width=device-width, initial-scale=1"
    assert select(doc, 'meta[name="generator"]')[0].get("content") == "Duet 1.2.3"
    assert doc.findtext("head/title") == "Expert group meets in Foshan"
    assert doc.find("head/title").get("lang") == "en"


def test_every_text_is_in_an_element_with_its_language() -> None:
    doc = parse(format_bilingual_html(INCOMPLETE, tool_version="1"))
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        pieces = [element.text] if element.tag not in ("style", "script") else []
        parent = element.getparent()
        if (element.tail or "").strip() and parent is not None:
            assert lang_of(parent), f"text {element.tail!r} after <{element.tag}> has no language"
        if any((p or "").strip() for p in pieces):
            assert lang_of(element), f"<{element.tag}> {element.text!r} has no language"
    for segment in INCOMPLETE.segments:
        source = doc.get_element_by_id(f"s-{segment.id}")
        target = doc.get_element_by_id(f"t-{segment.id}")
        assert (source.get("lang"), target.get("lang")) == ("en", "zh-Hant-HK")
        assert own_text(source) == segment.source
        assert own_text(target) == segment.target
    for mark in select(doc, ".cell.source mark.term"):
        assert mark.get("lang") == "zh-Hant-HK" and [c.get("lang") for c in mark] == ["en"]
    for badge in select(doc, ".badge"):
        assert badge.get("lang") == "en"


def test_paragraphs_are_rows_of_two_cells() -> None:
    doc = parse(format_bilingual_html(INCOMPLETE, tool_version="1"))
    rows = select(doc, "main section.row")
    assert [r.get("class") for r in rows] == ["pair row kind-title", "pair row kind-body", "pair row kind-trailer"]
    for row, paragraph in zip(rows, INCOMPLETE.paragraphs):
        source, target = select(row, ".cell.source"), select(row, ".cell.target")
        assert len(source) == len(target) == 1
        assert [s.get("data-seg") for s in select(source[0], ".seg")] == [s.id for s in paragraph.segments]
        assert [s.get("data-seg") for s in select(target[0], ".seg")] == [s.id for s in paragraph.segments]
    body = select(rows[1], ".cell.source .text")[0]
    assert own_text(body) == f"{S1.source} {FUZZY.source}"  # English sentences joined by a space
    assert own_text(select(rows[1], ".cell.target .text")[0]) == S1.target + FUZZY.target  # Chinese without


def test_anchors_pair_up() -> None:
    doc = parse(format_bilingual_html(INCOMPLETE, tool_version="1"))
    ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))
    for segment in INCOMPLETE.segments:
        source = doc.get_element_by_id(f"s-{segment.id}")
        target = doc.get_element_by_id(f"t-{segment.id}")
        assert source.get("data-seg") == target.get("data-seg") == segment.id
        assert select(source, "a.seg-no")[0].get("href") == f"#t-{segment.id}"
        assert select(target, "a.seg-no")[0].get("href") == f"#s-{segment.id}"
    assert [a.text for a in select(doc, ".cell.source a.seg-no")] == ["1.1", "2.1", "2.2", "3.1"]


def test_segment_ids_unfit_for_html_still_pair() -> None:
    odd = [dataclasses.replace(S1, id="a b<c>"), dataclasses.replace(S2, id="a b<c>"), dataclasses.replace(TITLE, id="x")]
    doc = parse(format_bilingual_html(release(AlignedParagraph("body", tuple(odd))), tool_version="1"))
    keys = [s.get("data-seg") for s in select(doc, ".cell.source .seg")]
    assert len(set(keys)) == 3 and keys[2] == "x"
    assert all(re.fullmatch(r"[A-Za-z0-9_.:-]+", k) for k in keys)
    for key in keys:
        assert select(doc.get_element_by_id(f"s-{key}"), "a")[0].get("href") == f"#t-{key}"


def test_glossary_terms_are_marked_with_their_approved_rendering() -> None:
    doc = parse(format_bilingual_html(COMPLETE, tool_version="1"))
    source = doc.get_element_by_id("s-a1")
    marks = [(m.get("title"), m.text_content()) for m in select(source, "mark.term")]
    # The glossary writes "and" where the release writes "&", and "bay area" in lower case.
    assert marks == [("財經事務及庫務局副局長", "Under Secretary for Financial Services & the Treasury"),
                     ("大灣區", "Bay Area")]
    target = doc.get_element_by_id("t-a1")
    assert [(m.get("title"), m.get("lang"), m.text_content()) for m in select(target, "mark.term")] == [
        ("Under Secretary for Financial Services and the Treasury", "en", "財經事務及庫務局副局長"),
        ("bay area", "en", "大灣區"),
    ]
    assert [m.text_content() for m in select(doc.get_element_by_id("s-a2"), "mark.term")] == ["fintech"]
    glossary = [[td.text for td in tr] for tr in select(doc, ".glossary tbody tr")]
    assert glossary[0] == ["bay area", "大灣區"] and len(glossary) == 3


def test_terms_are_whole_words_and_never_overlap() -> None:
    seg = AlignedSegment("c", "Finance and green finance; refinance.", "", "untranslated",
                         terms=(("finance", "金融"), ("green finance", "綠色金融")))
    doc = parse(format_bilingual_html(release(AlignedParagraph("body", (seg,))), tool_version="1"))
    assert [m.text_content() for m in select(doc, "#s-c mark")] == ["Finance", "green finance"]


def test_fuzzy_and_missing_translations_are_badged() -> None:
    doc = parse(format_bilingual_html(INCOMPLETE, tool_version="1"))
    fuzzy, missing, done = (doc.get_element_by_id(f"t-{k}") for k in ("b1", "b2", "a1"))
    assert fuzzy.get("class") == "seg fuzzy" and select(fuzzy, ".badge")[0].text == "fuzzy"
    assert (fuzzy.get("data-origin"), fuzzy.get("data-score"), fuzzy.get("data-status")) == ("tm-fuzzy", "87", "fuzzy")
    assert [(o.get("lang"), o.text) for o in select(fuzzy, ".origin")] == [("en", "memory match 87 from locales/memory/bureau.tmx")]
    assert not select(missing, ".origin")
    assert missing.get("class") == "seg missing" and select(missing, ".badge")[0].text == "untranslated"
    assert done.get("class") == "seg" and not select(done, ".badge")
    assert "1 translated · 1 fuzzy · 1 untranslated" not in doc.text_content()  # the title counts too
    assert "2 translated · 1 fuzzy · 1 untranslated" in doc.text_content()


def test_metadata_dates_and_language_names() -> None:
    doc = parse(format_bilingual_html(COMPLETE, tool_version="1"))
    times = [(t.get("datetime"), t.get("lang"), t.text) for t in select(doc, ".meta time")]
    assert times == [("2026-11-24T17:02+08:00", "en", "November 24, 2026"), ("2026-11-24T17:02+08:00", "zh-Hant-HK", "二○二六年十一月二十四日")]
    headings = [(h.get("lang"), h.text) for h in select(doc, ".columns h2")]
    assert headings == [("en", "English"), ("zh-Hant-HK", "中文 (繁體字, 中國香港特別行政區)")]
    link = select(doc, ".meta a")[0]
    assert (link.get("href"), link.get("rel"), link.text) == (URL, "noopener", URL)
    assert select(doc, ".meta dd span[lang=en]")[0].text == "Financial Services and the Treasury Bureau"


def test_a_release_without_metadata_is_titled_by_its_id() -> None:
    bare = dataclasses.replace(COMPLETE, meta=ReleaseMeta(), paragraphs=COMPLETE.paragraphs[1:])
    doc = parse(format_bilingual_html(bare, tool_version="1"))
    assert doc.findtext("head/title") == doc.findtext(".//h1") == "hk-gd"
    assert not select(doc, ".meta time") and not select(doc, ".meta a")


def test_the_other_direction() -> None:
    seg = AlignedSegment("z", "雙方討論了金融科技。", "Both sides discussed fintech.", "translated", terms=(("金融科技", "fintech"),))
    zh_en = BilingualRelease("r", ReleaseMeta(date="2026-11-24", language="zh-Hant-HK"), "zh-Hant-HK", "en", "en",
                             (AlignedParagraph("body", (seg, seg)),))
    doc = parse(format_bilingual_html(zh_en, tool_version="1"))
    assert next((h.get("lang"), h.text) for h in select(doc, ".columns h2")) == ("zh-Hant-HK", "中文 (繁體字, 中國香港特別行政區)")
    assert [m.text_content() for m in select(doc, ".cell.source mark")] == ["金融科技", "金融科技"]
    assert own_text(select(doc, ".cell.source .text")[0]) == seg.source * 2
    assert own_text(select(doc, ".cell.target .text")[0]) == f"{seg.target} {seg.target}"
    publish = parse(format_publish_html(zh_en))
    assert publish.get("lang") == "en" and select(publish, ".dateline time")[0].text == "November 24, 2026"


# Escaping


@pytest.mark.parametrize("page", ["bilingual", "publish"])
def test_every_text_is_escaped(page: str) -> None:
    seg = AlignedSegment(NASTY, NASTY, NASTY, "translated", terms=((NASTY, NASTY), ("img", NASTY)))
    nasty = BilingualRelease(NASTY, ReleaseMeta(title=NASTY, date=NASTY, url=NASTY, department=NASTY),
                             "en", "zh-Hant-HK", "zh_Hant_HK",
                             (AlignedParagraph("title", (seg,)), AlignedParagraph("body", (seg,))))
    html = format_bilingual_html(nasty, tool_version=NASTY) if page == "bilingual" else format_publish_html(nasty)
    doc = parse(html)
    assert not select(doc, "img") and not select(doc, "[onerror]")
    scripts = select(doc, "script")
    assert [s.text for s in scripts] == ([PAIRING_JS] if page == "bilingual" else [])
    assert html.count("<script") == len(scripts) and "<img" not in html
    assert not doc.xpath("//comment()")  # "<!--" is left as is only inside quoted attribute values, where it is text
    if page == "bilingual":
        assert own_text(select(doc, ".cell.source .seg")[0]) == NASTY
        assert own_text(select(doc, ".cell.target .seg")[0]) == NASTY
        assert doc.findtext("head/title") == NASTY
        assert select(doc, 'meta[name="generator"]')[0].get("content") == f"Duet {NASTY}"
        assert not select(doc, ".meta a")  # not an http(s) URL: shown, not linked
        assert select(doc, "mark.term")[0].get("title") == NASTY
    else:
        assert doc.findtext(".//h1") == NASTY
        assert doc.findtext(".//article/p") == NASTY


def test_characters_html_cannot_hold_are_dropped() -> None:
    seg = AlignedSegment("c", "a\x00b\x1bc\ufffe", "甲\x0c乙", "translated")
    doc = parse(format_bilingual_html(release(AlignedParagraph("body", (seg,)), department="x\x07y"), tool_version="1"))
    assert own_text(doc.get_element_by_id("s-c")) == "abc"
    assert own_text(doc.get_element_by_id("t-c")) == "甲乙"
    assert "xy" in doc.text_content()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>", "//example.org/x", "ftp://example.org/"])
def test_only_http_addresses_become_links(url: str) -> None:
    for html in (format_bilingual_html(release(*COMPLETE.paragraphs, url=url), tool_version="1"),
                 format_publish_html(release(*COMPLETE.paragraphs, url=url))):
        assert not [a for a in parse(html).iter("a") if not a.get("href", "").startswith("#")]


# No external resources


@pytest.mark.parametrize("html", [format_bilingual_html(INCOMPLETE, tool_version="1"),
                                  format_publish_html(INCOMPLETE, allow_incomplete=True)], ids=["bilingual", "publish"])
def test_pages_load_nothing(html: str) -> None:
    doc = parse(html)
    assert not select(doc, "link, img, iframe, object, embed, video, audio, source, base, form")
    assert not [e for e in doc.iter() if isinstance(e.tag, str) and (e.get("src") or e.get("srcset"))]
    assert {a.get("href") for a in doc.iter("a") if not a.get("href", "").startswith("#")} <= {URL}
    for style in doc.iter("style"):
        assert "url(" not in style.text and "@import" not in style.text and "http" not in style.text
    policy = select(doc, 'meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert policy.startswith("default-src 'none'; ")
    assert "unsafe-inline" not in policy and "http" not in policy
    assert csp_hash(doc.find("head/style").text) in policy
    for script in doc.iter("script"):
        assert csp_hash(script.text) in policy


def test_style_sheets_use_system_fonts_and_have_a_print_stylesheet() -> None:
    for css in (BILINGUAL_CSS, PUBLISH_CSS):
        assert '"Noto Sans CJK TC"' in css and '"PingFang TC"' in css and '"Microsoft JhengHei"' in css
        assert "@media print" in css and "@font-face" not in css
    assert "@media (min-width: 48rem)" in BILINGUAL_CSS


def test_output_is_deterministic() -> None:
    again = release(*(AlignedParagraph(p.kind, tuple(dataclasses.replace(s) for s in p.segments)) for p in INCOMPLETE.paragraphs))
    assert format_bilingual_html(INCOMPLETE, tool_version="1") == format_bilingual_html(again, tool_version="1")
    assert format_publish_html(INCOMPLETE, allow_incomplete=True) == format_publish_html(again, allow_incomplete=True)


# The publish page


def test_publish_page_is_the_translation_alone() -> None:
    html = format_publish_html(COMPLETE)
    doc = parse(html)
    assert doc.get("lang") == "zh-Hant-HK"
    assert doc.findtext("head/title") == doc.findtext(".//h1") == "專家小組在佛山舉行會議"
    assert doc.find("head/title").get("lang") is None
    assert [p.text_content() for p in select(doc, "article > p")] == [S1.target + S2.target]
    time = select(doc, ".dateline time")[0]
    assert (time.get("datetime"), time.text, lang_of(time)) == ("2026-11-24T17:02+08:00", "二○二六年十一月二十四日", "zh-Hant-HK")
    english = select(doc, ".alternate a")[0]
    assert (english.get("href"), english.get("hreflang"), english.get("lang"), english.get("rel"), english.text) == (
        URL, "en", "en", "noopener", "English")
    assert "Financial" not in doc.find("body").text_content()
    assert not select(doc, "script, .untranslated, .incomplete, mark")


def test_publish_page_closes_with_the_house_trailer() -> None:
    """完 / date (weekday) / Hong Kong time in Chinese, Ends/... / Issued at HKT ... in English; none when the text has its own."""
    def closing(page: str) -> list[str]:
        lines = select(parse(page), "article > footer p.trailer")[0]
        assert [child.tag for child in lines] == ["br"] * len(lines)  # one line each
        return list(lines.itertext())

    assert closing(format_publish_html(COMPLETE)) == ["完", "2026年11月24日（星期二）", "香港時間17時02分"]
    english = dataclasses.replace(COMPLETE, target_language="en", locale="en")
    assert closing(format_publish_html(english)) == ["Ends/Tuesday, November 24, 2026", "Issued at HKT 17:02"]
    dated = dataclasses.replace(COMPLETE, meta=dataclasses.replace(COMPLETE.meta, date="2026-11-24"))
    assert closing(format_publish_html(dated)) == ["完", "2026年11月24日（星期二）"]
    for without in (INCOMPLETE, dataclasses.replace(COMPLETE, meta=ReleaseMeta())):
        assert not select(parse(format_publish_html(without, allow_incomplete=True)), "footer")


def test_lines_of_a_paragraph_stay_lines() -> None:
    items = tuple(AlignedSegment(f"i{n}", f"({n}) item {n};", f"（{n}）項目{n}；", "translated", starts_line=n > 1)
                  for n in (1, 2, 3))
    listed = release(AlignedParagraph("body", (S1, dataclasses.replace(items[0], starts_line=True), *items[1:])))
    publish = select(parse(format_publish_html(listed)), "article > p")[0]
    assert [child.tag for child in publish] == ["br", "br", "br"]
    assert [(br.tail or "") for br in publish] == [t.target for t in items]
    bilingual = parse(format_bilingual_html(listed, tool_version="1"))
    for side in ("source", "target"):
        text = select(bilingual, f".cell.{side} .text")[0]
        assert [child.tag for child in text] == ["span", "br", "span", "br", "span", "br", "span"]


@pytest.mark.parametrize(("paragraphs", "first", "count"), [
    (INCOMPLETE.paragraphs, "b1", 2),
    ((AlignedParagraph("body", (S1, MISSING)),), "b2", 1),
])
def test_publish_page_is_refused_while_a_segment_is_not_translated(paragraphs: tuple[AlignedParagraph, ...],
                                                                    first: str, count: int) -> None:
    with pytest.raises(IncompleteTranslation) as caught:
        format_publish_html(release(*paragraphs))
    assert isinstance(caught.value, PipelineError)
    assert (caught.value.segment_id, caught.value.count, caught.value.release_id) == (first, count, "hk-gd")
    assert f"segment {first} is " in str(caught.value) and str(caught.value).startswith("hk-gd (zh_Hant_HK): ")


def test_allow_incomplete_publishes_the_source_sentence_marked() -> None:
    doc = parse(format_publish_html(INCOMPLETE, allow_incomplete=True))
    stand_ins = select(doc, ".untranslated")
    assert [(s.get("lang"), s.get("data-seg"), s.text) for s in stand_ins] == [
        ("en", "b1", FUZZY.source), ("en", "b2", MISSING.source)]
    note = select(doc, ".incomplete")[0]
    assert note.get("role") == "note" and lang_of(note) == "zh-Hant-HK" and "尚未翻譯" in note.text
    assert FUZZY.target not in doc.text_content()  # fuzzy text is never published
    assert select(doc, "article > p.trailer")[0].text_content() == MISSING.source


def test_the_note_follows_the_script_of_the_target() -> None:
    hans = dataclasses.replace(INCOMPLETE, target_language="zh-Hans-CN", locale="zh_Hans_CN")
    assert "尚未翻译" in select(parse(format_publish_html(hans, allow_incomplete=True)), ".incomplete")[0].text
    french = dataclasses.replace(INCOMPLETE, target_language="fr", locale="fr")
    note = select(parse(format_publish_html(french, allow_incomplete=True)), ".incomplete")[0]
    assert note.get("lang") == "en"


# Locale data


@pytest.mark.parametrize(("locale", "date", "name"), [
    ("zh_Hant_HK", "2026年11月24日", "中文 (繁體字, 中國香港特別行政區)"),
    ("zh-Hans-CN", "2026年11月24日", "中文 (简体, 中国)"),
    ("en", "24 November 2026", "English"),
    ("en_GB", "24 November 2026", "English (United Kingdom)"),
    ("en_US", "November 24, 2026", "English (United States)"),
])
def test_dates_and_names_come_from_cldr(locale: str, date: str, name: str) -> None:
    assert locales.format_release_date("2026-11-24T09:30", locale) == date
    assert locales.display_name(locale) == name


def test_a_date_that_is_not_iso_is_shown_as_given() -> None:
    with pytest.raises(ValueError):
        locales.format_release_date("24/11/2026", "en")
    doc = parse(format_bilingual_html(release(*COMPLETE.paragraphs, date="24/11/2026"), tool_version="1"))
    assert "24/11/2026" in select(doc, ".meta dd")[0].text_content() and not select(doc, ".meta time")
