"""HTML ingestion: decoding, generic article pages, paragraph rules, lines, safety, errors."""

from __future__ import annotations

import codecs
import html
import http.server
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.html import decode_html, read_html
from pipeline.model import Release


def read(page: str | bytes, **kwargs: str) -> Release:
    return read_html(page, path="sources/page.html", release_id="page", **kwargs)


def texts(release: Release, kind: str | None = None) -> list[str]:
    return [p.text for p in release.paragraphs if kind is None or p.kind == kind]


# --- decode_html ---

def test_decode_prefers_declared_charset_and_widens_big5() -> None:
    data = "<p>耀東邨</p>".encode("big5hkscs")
    assert decode_html(data, "big5") == ("<p>耀東邨</p>", "big5hkscs")
    assert decode_html(data, "Big5-HKSCS") == ("<p>耀東邨</p>", "big5hkscs")


@pytest.mark.parametrize("declaration", [
    '<meta charset="big5">',
    "<meta charset=BIG5>",
    '<meta http-equiv="Content-Type" content="text/html; charset=big5">',
])
def test_decode_uses_page_declaration(declaration: str) -> None:
    data = f"<html><head>{declaration}</head><body>杏花邨</body></html>".encode("big5hkscs")
    text, used = decode_html(data, None)
    assert used == "big5hkscs"
    assert "杏花邨" in text


def test_decode_http_charset_beats_page_declaration() -> None:
    data = '<meta charset="big5"><p>café</p>'.encode("utf-8")
    assert decode_html(data, "utf-8") == ('<meta charset="big5"><p>café</p>', "utf-8")
    assert decode_html(data, None)[1] == "big5hkscs"  # without a header the page's word stands


def test_decode_bom_and_default_utf8() -> None:
    assert decode_html(codecs.BOM_UTF8 + "<p>香港</p>".encode(), "big5") == ("<p>香港</p>", "utf-8")
    assert decode_html("<p>香港</p>".encode("utf-16"), None) == ("<p>香港</p>", "utf_16")
    assert decode_html("<p>香港 café</p>".encode(), None) == ("<p>香港 café</p>", "utf-8")


def test_decode_detects_undeclared_charsets() -> None:
    assert decode_html("<p>康樂及文化事務署發言人今日宣布</p>".encode("big5"), None)[1] == "big5hkscs"
    assert decode_html("<p>香港特别行政区政府今日发表</p>".encode("gb18030"), None)[1] == "gb18030"
    assert decode_html(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>", None) == ("<p>café crème brûlée</p>", "cp1252")


def test_decode_falls_back_when_declaration_is_wrong() -> None:
    data = '<meta charset="utf-8"><p>筲箕灣耀東邨</p>'.encode("big5hkscs")
    assert decode_html(data, None) == ('<meta charset="utf-8"><p>筲箕灣耀東邨</p>', "big5hkscs")


def test_undecodable_bytes_name_the_path() -> None:
    with pytest.raises(InputError, match="cannot decode page") as info:
        read(bytes(range(256)) * 4)
    assert info.value.loc is not None and info.value.loc.path == "sources/page.html"
    assert str(info.value).startswith("sources/page.html: ")


# --- generic article pages ---

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Harbour festival opens | City News</title>
<meta property="og:title" content="Harbour festival opens">
<meta property="article:published_time" content="2026-01-22T09:30:00+08:00">
<link rel="canonical" href="https://news.example/harbour">
<style>p { color: red }</style>
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main>
<article>
<h1>Harbour   festival
 opens</h1>
<p>The festival opens&nbsp;today at the
   waterfront &amp; runs <em>until</em> Sunday.</p>
<div hidden>Hidden promo</div>
<p aria-hidden="true">Decorative</p>
<figure><img src="x.jpg" alt=""><figcaption>Boats in the harbour.</figcaption></figure>
<h2>Getting there</h2>
<ul><li>By ferry;</li><li>By MTR.</li></ul>
<p>Line one<br>line two<br><br>New paragraph</p>
<script>document.write("<p>Injected</p>")</script>
<p>   </p>
<aside>Related: other news</aside>
<form><label>Subscribe</label></form>
<table><tr><td>Cell A</td><td>Cell B</td></tr></table>
</article>
</main>
<footer>Copyright</footer>
</body>
</html>
"""


def test_generic_article_paragraphs() -> None:
    release = read(ARTICLE)
    assert texts(release) == [
        "Harbour festival opens",
        "The festival opens\u00a0today at the waterfront & runs until Sunday.",
        "Boats in the harbour.",
        "Getting there",
        "By ferry;",
        "By MTR.",
        "Line one\nline two",
        "New paragraph",
        "Cell A",
        "Cell B",
    ]
    assert [p.kind for p in release.paragraphs][:3] == ["title", "body", "caption"]


def test_generic_article_meta() -> None:
    meta = read(ARTICLE).meta
    assert meta.title == "Harbour festival opens"
    assert meta.date == "2026-01-22T09:30"
    assert meta.language == "en"
    assert meta.url == "https://news.example/harbour"
    assert read(ARTICLE, url="https://given.example/").meta.url == "https://given.example/"


def test_generic_article_lines() -> None:
    lines = ARTICLE.split("\n")

    def line_of(needle: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if needle in line)

    release = read(ARTICLE)
    got = {p.text.split("\n")[0]: p.line for p in release.paragraphs}
    assert got["Harbour festival opens"] == line_of("<h1>")
    assert got["Boats in the harbour."] == line_of("<figcaption>")
    assert got["Line one"] == line_of("Line one")
    assert got["New paragraph"] == line_of("Line one")
    assert got["Cell B"] == line_of("Cell B")


def test_generic_title_falls_back_to_title_element() -> None:
    page = "<html><head><title> Plain  page </title></head><body><p>Text.</p></body></html>"
    release = read(page)
    assert release.meta.title == "Plain page"
    assert texts(release) == ["Plain page", "Text."]


def test_generic_h1_outside_article_is_title_when_page_title_agrees() -> None:
    page = ("<html><head><title>Budget 2026 | Gov</title></head>\n"
            "<body>\n<h1>Budget 2026</h1>\n<p>Text.</p></body></html>")
    release = read(page)
    assert texts(release) == ["Budget 2026", "Text."]
    assert release.paragraphs[0].line == 3


def test_generic_prefers_article_over_page_chrome() -> None:
    page = "<body><div>Sidebar text</div><article><p>Story.</p></article><div>More chrome</div></body>"
    assert texts(read(page)) == ["Story."]


def test_generic_date_from_time_element_and_meta_name() -> None:
    assert read('<article><time datetime="2026-01-22">22 Jan</time><p>x</p></article>').meta.date == "2026-01-22"
    page = '<head><meta name="date" content="2026-01-21T08:00Z"></head><p>x</p>'
    assert read(page).meta.date == "2026-01-21T16:00"  # 08:00 UTC; a release date is read as Hong Kong time
    assert read('<article><time datetime="soon">x</time><p>x</p></article>').meta.date == ""


@pytest.mark.parametrize(("page", "language"), [
    ('<html lang="zh-HK"><p>x</p></html>', "zh-Hant-HK"),
    ('<html lang="zh-Hant"><p>x</p></html>', "zh-Hant-HK"),
    ('<html lang="zh-CN"><p>x</p></html>', "zh-Hans"),
    ('<html lang="zh-TW"><p>x</p></html>', "zh-Hant-TW"),
    ('<html lang="fr"><p>x</p></html>', "fr"),
    ("<p>香港特別行政區政府這個月發表報告。</p>", "zh-Hant-HK"),
    ("<p>香港特别行政区政府这个月发表报告。</p>", "zh-Hans"),
    ("<p>The Government announced the results (www.gov.hk) 今日.</p>", "en"),
    ('<html lang="zh"><p>香港特别行政区政府这个月发表报告。</p></html>', "zh-Hans"),
])
def test_language(page: str, language: str) -> None:
    assert read(page).meta.language == language


def test_entities_and_whitespace() -> None:
    page = "<p>  A&amp;B &lt;tag&gt; &#x4E2D;&#25991;\t\n  &quot;q&quot;  </p><p>\u3000\u3000全形縮排</p>"
    assert texts(read(page)) == ['A&B <tag> 中文 "q"', "全形縮排"]


def test_br_rules_with_whitespace_and_inline_markup_between() -> None:
    page = ("<div>one <b>bold</b><br> \n <i>two</i><br/>\n<span> </span>\n<br>three<br><br><br>"
            "<br>four<br></div><div>five</div>")
    assert texts(read(page)) == ["one bold\ntwo", "three", "four", "five"]


def test_crlf_line_endings_count_as_one_line() -> None:
    page = "<html>\r\n<body>\r\n<p>first</p>\r\n\r\n<p>\r\nsecond</p>\r\n</body></html>"
    assert [(p.text, p.line) for p in read(page).paragraphs] == [("first", 3), ("second", 6)]


def test_lines_of_text_after_multiline_blocks() -> None:
    page = "<body>\n<div>a\nb</div>\nafter one\n<div><b>x</b>\ny\n</div>\n\nafter two</body>"
    assert [(p.text, p.line) for p in read(page).paragraphs] == [
        ("a b", 2), ("after one", 4), ("x y", 5), ("after two", 9)]


def test_malformed_html_is_read_leniently() -> None:
    page = "<p>unclosed <b>bold <i>both</p><p>next<div>inside</span></table>"
    assert texts(read(page)) == ["unclosed bold both", "next", "inside"]


@pytest.mark.parametrize("page", [
    "", b"", "   \n  ", "<html><body></body></html>",
    "<html><head><title>Only a title</title></head><body> </body></html>",
    "<body><nav>Menu</nav><script>x()</script></body>",
    '<span id="pressrelease"> <br><br> </span>',
])
def test_page_without_text_is_an_input_error(page: str | bytes) -> None:
    with pytest.raises(InputError, match="no text found in page") as info:
        read(page)
    assert str(info.value) == "sources/page.html: no text found in page"


# --- safety: no network, no external entities ---

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY remote "REMOTE-SECRET">')

    def log_message(self, *args: object) -> None:
        pass


def test_never_fetches_or_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-SECRET", encoding="utf-8")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        page = (f'<?xml version="1.0"?>\n<!DOCTYPE html SYSTEM "{base}/doc.dtd" [\n'
                f'  <!ENTITY local SYSTEM "{secret.as_uri()}">\n'
                f'  <!ENTITY remote SYSTEM "{base}/entity">\n'
                f'  <!ENTITY % param SYSTEM "{base}/param"> %param;\n]>\n'
                f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>\n'
                f'<body><p>before &local; &remote; after</p><img src="{base}/img.png">'
                f'<iframe src="{base}/frame"></iframe></body></html>')
        for data in (page, page.encode("utf-8")):
            release = read(data)
            joined = "\n".join(texts(release))
            assert "LOCAL-SECRET" not in joined
            assert "REMOTE-SECRET" not in joined
            assert "before &local; &remote; after" in joined  # left as written, not expanded
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert _Recorder.requests == []


# --- invariants ---

_WORDS = st.text(alphabet=st.sampled_from("abcXYZ09香港邨。，（）&<>\"' \t"), min_size=1, max_size=30).filter(
    str.strip)  # a blank line between <br>s is a paragraph break, not a line


@given(st.lists(st.lists(_WORDS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_br_runs_lose_no_text(paragraphs: list[list[str]]) -> None:
    expected = ["\n".join(n for n in (" ".join(line.split()) for line in lines) if n) for lines in paragraphs]
    expected = [p for p in expected if p]
    body = "<br><br>\n".join("<br>\n".join(html.escape(line) for line in lines) for lines in paragraphs)
    page = f'<span id="PRHeadlineSpan">T</span><span id="pressrelease">{body}</span>'
    if not expected:
        with pytest.raises(InputError):
            read(page)
        return
    assert texts(read(page), "body") == expected
