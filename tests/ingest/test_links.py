"""The link from a release page to its other-language version: alternates, marked anchors, the GIA header."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paths import DATA

from pipeline.ingest.html import decode_html
from pipeline.ingest.links import OtherVersion, find_other_version, language_key

PAGES = DATA / "html"
GIA = "https://www.info.gov.hk/gia/general/202601/22/"


def found(page: str, url: str = "https://example.org/en/news/1.html", language: str = "en") -> OtherVersion | None:
    return find_other_version(page, page_url=url, language=language)


def fixture(name: str) -> str:
    return decode_html((PAGES / name).read_bytes(), None)[0]


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<div id='main'><p>Text of the release.</p></div></body></html>"


# --- fixture pages ---

def test_gia_english_page_links_to_the_traditional_chinese_release_through_its_header() -> None:
    other = found(fixture("gia-en-smart-traffic-fund-linked.htm"), GIA + "P2026012200320.htm")
    assert other == OtherVersion(GIA + "P2026012200321.htm", "zh", "page header")


def test_gia_chinese_page_links_back_relative_to_where_it_was_served() -> None:
    """``P2026012200320.htm#top`` resolved against the final URL, the fragment dropped."""
    other = found(fixture("gia-zh-smart-traffic-fund-linked.htm"), GIA + "P2026012200321.htm", "zh-Hant-HK")
    assert other == OtherVersion(GIA + "P2026012200320.htm", "en", "page header")
    served_elsewhere = "http://127.0.0.1:8080/mirror/P2026012200321.htm"
    assert found(fixture("gia-zh-smart-traffic-fund-linked.htm"), served_elsewhere, "zh-Hant-HK") == OtherVersion(
        "http://127.0.0.1:8080/mirror/P2026012200320.htm", "en", "page header")


def test_gia_pages_without_a_language_switch_link_nowhere() -> None:
    """The original fixtures: header links that are not a language switch, a 中文 nowhere; the body's link ignored."""
    assert found(fixture("gia-en-smart-traffic-fund.htm"), GIA + "P2026012200320.htm") is None
    assert found(fixture("gia-zh-smart-traffic-fund.htm"), GIA + "P2026012200321.htm", "zh-Hant-HK") is None
    assert found(fixture("gia-en-police-expo-photos.htm"), GIA + "P2026012200456.htm") is None


def test_alternate_links_prefer_hong_kong_traditional_chinese_and_follow_the_base() -> None:
    """zh-Hant-HK over a bare zh, never zh-Hans nor the page itself (hreflang=en), nor x-default."""
    url = "https://www.example.gov.hk/en/press/2026/stf-23.html"
    other = found(fixture("article-en-hreflang.htm"), url)
    assert other == OtherVersion("https://www.example.gov.hk/tc/press/2026/stf-23.html", "zh", "link rel=alternate")


# --- the order of the evidence ---

def test_alternate_link_wins_over_a_marked_anchor_and_a_marked_anchor_over_header_text() -> None:
    alternate = '<link rel="Alternate stylesheet" hreflang="zh-HK" href="/zh/alt.html">'
    anchor = '<div id="header"><a href="/zh/lang.html" lang="zh-Hant">中</a> <a href="/zh/text.html">中文</a></div>'
    gia = "<span id='pressrelease'>Text.</span>"
    assert found(page(alternate, anchor + gia)).found_by == "link rel=alternate"
    assert found(page("", anchor + gia)) == OtherVersion("https://example.org/zh/lang.html", "zh", "a lang")
    assert found(page("", anchor.replace(' lang="zh-Hant"', "") + gia)) == OtherVersion(
        "https://example.org/zh/text.html", "zh", "page header")


def test_hreflang_on_an_anchor_is_read_before_lang() -> None:
    body = '<a href="/a.html" lang="zh-HK">中</a><a href="/b.html" hreflang="zh-TW">中</a>'
    assert found(page("", body)) == OtherVersion("https://example.org/b.html", "zh", "a hreflang")


def test_from_chinese_the_english_version_is_wanted() -> None:
    body = '<a href="/sc/1.html" hreflang="zh-Hans">简</a><a href="/en/1.html" hreflang="en-GB">ENG</a>'
    assert found(page("", body), "https://example.org/tc/1.html", "zh-Hant-HK") == OtherVersion(
        "https://example.org/en/1.html", "en", "a hreflang")


def test_links_in_the_release_text_are_not_language_switches() -> None:
    body = "<span id='pressrelease'>See <a href='/zh/x.html' lang='zh-HK'>中文</a> and <a href='/zh/y.html'>中文</a>.</span>"
    assert found(page("", body)) is None
    assert found(page("", f"<article>{body.replace('pressrelease', 'other')}</article>")) is None


def test_header_text_is_read_only_in_the_header_of_a_gia_page() -> None:
    release = "<span id='pressrelease'>Text.</span>"
    in_footer = f"{release}<div id='footer'><a href='/zh/P1.htm'>中文</a></div>"
    after_release = f"{release}<div><a href='/zh/P1.htm'>中文</a></div>"
    not_gia = "<div id='header'><a href='/zh/1.htm'>中文</a></div>"
    before_release = f"<div><a href='/zh/P1.htm'>繁體版</a></div>{release}"
    assert found(page("", in_footer)) is None
    assert found(page("", after_release)) is None
    assert found(page("", not_gia)) is None
    assert found(page("", before_release)) == OtherVersion("https://example.org/zh/P1.htm", "zh", "page header")
    assert found(page("", not_gia), "https://www.info.gov.hk/gia/general/202601/22/x.htm") == OtherVersion(
        "https://www.info.gov.hk/zh/1.htm", "zh", "page header")


def test_a_numbered_release_page_must_lead_to_a_numbered_page() -> None:
    """A release published in English only may still have a 中文 switch: to the Chinese home page, not a release."""
    header = "<div id='header'><a href='/gia/general/ctoday.htm'>中文</a></div><span id='pressrelease'>Text.</span>"
    assert found(page("", header), GIA + "P2026012200999.htm") is None
    assert found(page("", header), "https://example.org/news/stf.htm") == OtherVersion(
        "https://example.org/gia/general/ctoday.htm", "zh", "page header")


@pytest.mark.parametrize("href", [
    "https://sc.isd.gov.hk/TuniS/www.info.gov.hk/gia/general/202601/22/P2026012200321.htm",
    "http://sc.info.gov.hk/gb/www.info.gov.hk/gia/general/202601/22/P2026012200321.htm",
    "javascript:switchLang('tc')", "mailto:press@example.org", "ftp://example.org/P1.htm", "#tc", "",
    "http://[::1/P1.htm", "http://",
    "P2026012200320.htm", "P2026012200320.htm#content",  # the page itself
])
def test_links_that_are_not_the_traditional_chinese_version(href: str) -> None:
    body = f"<div id='header'><a href=\"{href}\" hreflang='zh-HK'>繁體版</a></div><span id='pressrelease'>Text.</span>"
    assert found(page(f'<link rel="alternate" hreflang="zh-HK" href="{href}">', body), GIA + "P2026012200320.htm") is None


def test_a_simplified_chinese_version_is_not_the_other_version() -> None:
    head = '<link rel="alternate" hreflang="zh-CN" href="/cn/1.html"><link rel="alternate" hreflang="zh-Hans-HK" href="/sc/1.html">'
    body = "<div id='header'><a href='/sc/P1.htm'>简体版</a><a href='/sc/P2.htm'>簡體</a></div><span id='pressrelease'>x</span>"
    assert found(page(head, body)) is None


def test_pages_in_neither_language_and_pages_without_html_have_no_other_version() -> None:
    body = '<a href="/zh/1.html" hreflang="zh-HK">中文</a>'
    assert found(page("", body), language="fr") is None
    assert found(page("", body), language="zh-Hant-HK") is None  # a link to Chinese, from a Chinese page
    assert found("   ") is None


def test_language_key() -> None:
    assert [language_key(tag) for tag in ("en", "en-HK", "zh_Hant_HK", "zh-Hans", "yue", "")] == [
        "en", "en", "zh", "zh", None, None]


_PIECES = [*"<>/=\"' #:.", "a", "link", "rel", "alternate", "href", "hreflang", "lang", "div", "id", "header",
           "zh-HK", "zh-Hans", "en", "中文", "繁體版", "English", "P1.htm", "http", "https", "//", "sc.isd.gov.hk", "TuniS"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_any_markup_gives_none_or_an_absolute_http_url(markup: str) -> None:
    other = found(page(markup, markup + "<span id='pressrelease'>x</span>"))
    assert other is None or (other.url.startswith("https://example.org/") and other.url != "https://example.org/en/news/1.html")
