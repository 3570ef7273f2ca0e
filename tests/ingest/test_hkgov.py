"""HK government press-release layout: fixtures, trailer and headline rules, the 2026-01-22 pairs."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import hkgov
from pipeline.ingest.html import read_html

from paths import SHARED_DATA
from pipeline.model import Paragraph

DATA = Path(__file__).parent.parent / "data" / "html"
PAIRS = SHARED_DATA / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl"
URL = "https://www.info.gov.hk/gia/general/202601/22/P2026012200320.htm"


def read_fixture(name: str, **kwargs: str) -> object:
    return read_html((DATA / name).read_bytes(), path=f"sources/{name}", release_id=Path(name).stem, **kwargs)


def line_of(name: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in a fixture, found without the parser."""
    raw = (DATA / name).read_bytes()
    text = raw.decode("big5hkscs" if "big5" in name else "utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_english_page() -> None:
    name = "gia-en-smart-traffic-fund.htm"
    release = read_fixture(name, url=URL)
    assert release.id == "gia-en-smart-traffic-fund"
    assert release.path == f"sources/{name}"
    assert release.meta.title == "Smart Traffic Fund approves four projects"
    assert release.meta.date == "2026-01-22T17:02"
    assert release.meta.language == "en"
    assert release.meta.url == URL
    assert release.meta.get("media") == ""
    texts = [p.text for p in release.paragraphs]
    assert texts[0] == "Smart Traffic Fund approves four projects"
    assert texts[2] == "The four approved projects in the latest batch cover:"  # &nbsp; indent dropped
    assert texts[3].split("\n") == [
        "(1) a machine learning-based driving performance analysis assistance system using multimodal "
        "sensor technology and in-vehicle video analysis applicable to driving tests;",
        "(2) an end-to-end intelligent driving system applicable to the logistics industry;",
        "(3) a real-time driver attention monitoring and alerting system based on analysis of "
        "physiological data from wearable health-tracking wristbands; and",
        "(4) a tailor-made bus automatic emergency braking system design for Hong Kong's road and "
        "traffic conditions.",
    ]
    assert texts[-1] == "Details of the projects are available on the Fund's website (www.stf.hkpc.org)."
    assert [p.kind for p in release.paragraphs] == ["title"] + ["body"] * 4
    assert not any("Ends/" in t or "NNNN" in t or "Skip" in t or "Back to top" in t for t in texts)


def test_english_page_lines() -> None:
    name = "gia-en-smart-traffic-fund.htm"
    release = read_fixture(name)
    starts = ["Smart Traffic Fund approves four projects</span>", "The Transport Department",
              "&nbsp;&nbsp;The four", "(1) a machine", "Details of the projects"]
    assert [p.line for p in release.paragraphs] == [line_of(name, s) for s in starts]


def test_chinese_page_with_trailer_in_divs() -> None:
    name = "gia-zh-smart-traffic-fund.htm"
    release = read_fixture(name)
    assert release.meta.title == "智慧交通基金批出四個項目"
    assert release.meta.date == "2026-01-22T17:02"
    assert release.meta.language == "zh-Hant-HK"
    texts = [p.text for p in release.paragraphs]
    assert texts[1] == "運輸署今日（一月二十二日）公布，智慧交通基金管理委員會已批出第二十三批共四個項目，涉及總資助金額約二千四百四十萬元。"
    assert texts[2] == "最新一輪獲批的四個項目涵蓋："  # U+3000 indentation dropped
    assert texts[3].count("\n") == 3
    assert texts[-1] == "項目詳情已上載至基金網頁（www.stf.hkpc.org）。"
    assert not any("完" == t or "香港時間" in t for t in texts)
    # Two paragraphs on one source line, after the text that opens #pressrelease on the next line.
    assert [p.line for p in release.paragraphs[1:]] == [
        line_of(name, "　　運輸署"), line_of(name, "　　最新"), line_of(name, "（一）"), line_of(name, "　　項目")]
    assert release.paragraphs[1].line == release.paragraphs[2].line


def test_photos_page_marker_and_trailer_after_body() -> None:
    name = "gia-en-police-expo-photos.htm"
    release = read_fixture(name)
    assert release.meta.title == "HKPF showcases policing professionalism at Expo"
    assert release.meta.get("media") == "photos"
    assert release.meta.date == "2026-01-22T16:33"  # trailer in the blocks after #pressrelease
    assert release.paragraphs[0].text == release.meta.title  # headline spans two source lines
    assert release.paragraphs[1].text.startswith(
        "The Hong Kong Police Force (HKPF) is participating in the Education & Careers Expo 2026 at")
    assert release.paragraphs[2].line == line_of(name, "During the")
    assert len(release.paragraphs) == 3  # the photo caption area is not part of the release


def test_big5_page_without_declaration() -> None:
    name = "gia-zh-mobile-library-big5.htm"
    raw = (DATA / name).read_bytes()
    assert b"charset" not in raw
    release = read_fixture(name)
    assert release.meta.get("page-encoding") == "big5hkscs"
    assert release.meta.title == "康文署流動圖書館六服務安排調動"
    assert release.meta.date == "2026-01-22T16:40"
    assert release.meta.language == "zh-Hant-HK"  # no lang attribute: from the script
    assert "耀東邨" in release.paragraphs[2].text  # 邨 exists only in HKSCS
    assert release.paragraphs[-1].text.endswith("www.hkpl.gov.hk。")
    assert [p.line for p in release.paragraphs] == [
        line_of(name, "康文署流動圖書館六服務安排調動</span>"), line_of(name, "康樂及"),
        line_of(name, "讀者可"), line_of(name, "有關流動")]


def test_big5_page_with_http_charset() -> None:
    raw = (DATA / "gia-zh-mobile-library-big5.htm").read_bytes()
    release = read_html(raw, path="x.htm", release_id="x", encoding="big5")
    assert release.meta.get("page-encoding") == "big5hkscs"
    assert "愛東邨" in release.paragraphs[2].text


@pytest.mark.parametrize(("title", "text", "media"), [
    ("HKPF urges public (with photo)", "HKPF urges public", "photo"),
    ("CE visits Shenzhen (with photos/video)", "CE visits Shenzhen", "photos/video"),
    ("Drill held (With Video) ", "Drill held", "video"),
    ("警務處呼籲市民提防釣魚短訊（附圖）", "警務處呼籲市民提防釣魚短訊", "photos"),
    ("行政長官出席典禮（附圖／短片）", "行政長官出席典禮", "photos/video"),
    ("演習（附短片）", "演習", "video"),
    ("Photos (with photos) of the day", "Photos (with photos) of the day", ""),
    ("Effective Exchange Rate Index", "Effective Exchange Rate Index", ""),
])
def test_split_media(title: str, text: str, media: str) -> None:
    assert hkgov.split_media(title) == (text, media)


FORWARD_MEDIA = regex.compile(hkgov._MEDIA.pattern, regex.IGNORECASE)
TITLE_PIECE = st.sampled_from(["Drill", " ", "\u00a0", "\u3000", "(", ")", "（", "）", "with", "photos", "video", "/",
                               "附", "圖", "短片", "及", "\n", "x"])


@given(st.lists(TITLE_PIECE, max_size=14).map("".join))
def test_media_marker_searched_from_the_end_is_the_leftmost_match(title: str) -> None:
    forward, backward = FORWARD_MEDIA.search(title), hkgov._MEDIA.search(title)
    assert (forward and (forward.span(), forward["en"], forward["zh"])) == \
        (backward and (backward.span(), backward["en"], backward["zh"]))


def _paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, "body", 10 * i + 1) for i, t in enumerate(texts)]


@pytest.mark.parametrize(("paragraphs", "kept", "date"), [
    (("Body.", "Ends/Thursday, January 22, 2026\nIssued at HKT 17:02", "NNNN"), ["Body."], "2026-01-22T17:02"),
    (("Body.", "Ends/Thursday, January 22, 2026"), ["Body."], "2026-01-22"),
    (("Body.\nEnds/Thursday, January 22, 2026\nIssued at HKT 9:05\nNNNN",), ["Body."], "2026-01-22T09:05"),
    (("正文。", "完", "2026年1月22日（星期四）\n香港時間17時02分"), ["正文。"], "2026-01-22T17:02"),
    (("正文。", "完\n2026年1月22日（星期四）\n香港時間7時2分"), ["正文。"], "2026-01-22T07:02"),
    (("Body.", "NNNN"), ["Body."], ""),
    (("Body.", "Ends/Friday, January 22, 2026\nIssued at HKT 17:02"), ["Body."], "2026-01-22T17:02"),
    (("正文。", "完\n2026年1月22日（星期五）"), ["正文。"], "2026-01-22"),
    (("Body ends/with a slash.",), ["Body ends/with a slash."], ""),
    (("完成工程。",), ["完成工程。"], ""),
    (("正文。", "完\n2026\n年\n1\n月\n22\n日\n（\n星期四\n）\n香港時間\n17\n時\n02\n分\nNNNN"), ["正文。"],
     "2026-01-22T17:02"),
    (("\n".join(["完成第一項。"] * 30) + "\n完\n2026年1月22日（星期四）",), ["\n".join(["完成第一項。"] * 30)], "2026-01-22"),
])
def test_cut_trailer(paragraphs: tuple[str, ...], kept: list[str], date: str) -> None:
    rest, got = hkgov.cut_trailer(_paras(*paragraphs), "p.htm")
    assert ([p.text for p in rest], got) == (kept, date)


@pytest.mark.parametrize(("trailer", "message"), [
    ("Ends/Someday, January 22, 2026\nIssued at HKT 17:02", "unknown weekday 'Someday'"),
    ("Ends/Monday, February 30, 2026", "invalid date"),
    ("Ends/Thursday, January 22, 2026\nIssued at HKT 25:02", "invalid time"),
    ("完\n2026年2月30日（星期五）\n香港時間17時02分", "invalid date"),
])
def test_cut_trailer_rejects_bad_dates(trailer: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        hkgov.cut_trailer(_paras("Body.", trailer), "p.htm")
    assert str(info.value).startswith("p.htm:11:")  # the trailer's line


def test_department_from_on_behalf_line() -> None:
    assert hkgov.department(_paras("The following is issued on behalf of the Hong Kong Monetary Authority:",
                                   "Body.")) == "Hong Kong Monetary Authority"
    assert hkgov.department(_paras("下稿代香港金融管理局發出︰", "正文。")) == "香港金融管理局"
    assert hkgov.department(_paras("The Government today announced:")) == ""


def test_date_from_url_when_no_trailer() -> None:
    page = '<span id="PRHeadlineSpan">T</span><span id="pressrelease">Body.</span>'
    assert read_html(page, path="p", release_id="p", url=URL).meta.date == "2026-01-22"
    assert read_html(page, path="p", release_id="p").meta.date == ""


# --- The 17 real release pairs of 2026-01-22, rendered into the GIA layout in memory ---

WEEKDAYS_ZH = "一二三四五六日"


def _render(title: str, text: str, issued: dt.datetime, lang: str) -> tuple[str, int]:
    """A GIA page for ``text``; returns it and the line where the body text starts."""
    if lang == "en":
        trailer = f"Ends/{issued:%A, %B} {issued.day}, {issued.year}<br>\nIssued at HKT {issued:%H:%M}<br>\n<br>\nNNNN"
    else:
        trailer = (f"完<br>\n{issued.year}年{issued.month}月{issued.day}日（星期{WEEKDAYS_ZH[issued.weekday()]}）<br>\n"
                   f"香港時間{issued.hour}時{issued.minute:02d}分")
    head = (f"<html>\n<head>\n<title>{html.escape(title)}</title>\n</head>\n<body>\n"
            f'<div id="PRHeadline"><span id="PRHeadlineSpan">{html.escape(title)}</span></div>\n'
            '<span id="pressrelease">')
    body = html.escape(text, quote=False).replace("\n", "<br>\n")
    return f"{head}{body}<br>\n<br>\n{trailer}</span>\n</body>\n</html>\n", head.count("\n") + 1


def _expected(text: str, first_line: int) -> list[tuple[str, int]]:
    """Paragraphs split on blank lines, each line whitespace-stripped, with their source lines."""
    out = []
    for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        lines = (re.sub(r"[ \t]+", " ", line).strip() for line in match.group().split("\n"))
        out.append(("\n".join(line for line in lines if line), first_line + text[: match.start()].count("\n")))
    return out


def _pairs() -> list[dict[str, object]]:
    if not PAIRS.exists():
        return []
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not PAIRS.exists(), reason="shared HK press-release data not present")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: str(p["pair_id"]))
def test_real_pairs_round_trip(pair: dict[str, str], lang: str) -> None:
    title, text = pair[f"title_{lang}"], pair[lang]
    issued = dt.datetime.strptime(pair[f"date_{lang}"], "%Y-%m-%d %H:%M")
    page, first_line = _render(title, text, issued, lang)
    release = read_html(page.encode("utf-8"), path=pair[f"url_{lang}"], release_id="r",
                        url=pair[f"url_{lang}"])

    assert release.meta.date == issued.strftime("%Y-%m-%dT%H:%M")
    assert release.meta.language == ("en" if lang == "en" else "zh-Hant-HK")
    body = [(p.text, p.line) for p in release.paragraphs if p.kind == "body"]
    assert body == _expected(text, first_line)
    stripped = re.sub(r"\s*(\(with [^)]*\)|（附[^）]*）)$", "", title)
    assert release.meta.title == stripped == release.paragraphs[0].text
    assert (release.meta.get("media") != "") == (stripped != title)


@pytest.mark.skipif(not PAIRS.exists(), reason="shared HK press-release data not present")
def test_real_pair_department() -> None:
    pair = next(p for p in _pairs() if p["pair_id"] == 10)
    for lang, name in (("en", "Hong Kong Monetary Authority"), ("zh", "香港金融管理局")):
        page, _ = _render(pair[f"title_{lang}"], pair[lang], dt.datetime(2026, 1, 22, 15, 0), lang)
        assert read_html(page, path="p", release_id="p").meta.department == name
