"""Where a release page links to its version in the other language (English ↔ Chinese).

The Hong Kong Government publishes every press release in English and in
Chinese, each under its own URL (and its own number: ``P2026012200320`` ↔
``P2026012200321``), so the only reliable way from one to the other is the
link the page itself carries. Looked for in this order, the most explicit first:

1. ``<link rel="alternate" hreflang="zh-HK" href="…">``, the way HTML tells
   search engines about translations;
2. an ``<a>`` whose ``hreflang`` or ``lang`` names the other language (language
   switchers mark their links so);
3. on a GIA press release (``#pressrelease``, info.gov.hk), the language switch
   of the page header, known by its text (中文, 繁體, 繁體版 on English pages;
   English, ENG on Chinese ones). Text is the weakest evidence, so it is read
   last and only in the header or navigation, never in the release itself; and
   from a page numbered ``P….htm`` it must lead to another numbered page, not to
   the other language's home page, as it does on a release published in one
   language only.

The Chinese wanted is Traditional: a link to a Simplified Chinese version
(``hreflang="zh-Hans"``, ``zh-CN``, or the Government's machine-converting
gateway ``sc.isd.gov.hk/TuniS/…``) is not the other version, and neither is a
link back to the page itself. Links are resolved against the page's final URL
(and its ``<base href>``); only http and https links count.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

__all__ = ["OtherVersion", "find_other_version", "language_key", "other_version"]

Key = t.Literal["en", "zh"]
NAMES: dict[str, str] = {"en": "English", "zh": "Chinese"}

# What a header language switch says, by the language it leads to; compared case-insensitively, spaces removed.
_SWITCH_TEXT: dict[str, frozenset[str]] = {
    "zh": frozenset({"中文", "中文版", "繁", "繁體", "繁體版", "繁體中文", "繁體中文版", "tc"}),
    "en": frozenset({"english", "eng", "en", "英文", "英文版"}),
}
# The id or class of a header or navigation block (not a headline, not a heading).
_CHROME = re.compile(r"head(?!line|ing)|nav|menu|lang|topbar|toolbar", re.IGNORECASE)
_FOOTER = re.compile(r"foot", re.IGNORECASE)
_CONTENT_IDS = ("pressrelease", "contentBody", "PRHeadline", "PRHeadlineSpan")
_NUMBERED = re.compile(r"/P\d+\.html?$", re.IGNORECASE)  # a GIA release page
_SIMPLIFIED_GATEWAYS = frozenset({"tunis", "gb"})  # sc.isd.gov.hk/TuniS/…, sc.info.gov.hk/gb/…
_URL_NOISE = re.compile(r"[\t\n\r]")  # what browsers drop from an href before resolving it


@dataclass(frozen=True, slots=True)
class OtherVersion:
    """The other-language version of a page: its absolute URL, its language and how the link was found."""

    url: str
    language: Key
    found_by: str  # "link rel=alternate", "a hreflang", "a lang", "page header"


def language_key(tag: str) -> Key | None:
    """``en`` or ``zh`` for a BCP 47 tag (or a POSIX one) of English or Chinese; None for any other.

    >>> language_key("zh-Hant-HK"), language_key("en_GB"), language_key("fr")
    ('zh', 'en', None)
    """
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return t.cast(Key, primary) if primary in NAMES else None


def other_version(root: etree._Element | None, *, page_url: str, language: str) -> OtherVersion | None:
    """The link from a parsed page (``language``: its own BCP 47 tag) to its version in the other language.

    A pure function of the page: nothing is fetched. None when the page is in
    neither English nor Chinese, or links to no other version.
    """
    own = language_key(language)
    if root is None or own is None:
        return None
    wanted: Key = "zh" if own == "en" else "en"
    base = _base_url(root, page_url)
    itself = _without_fragment(page_url)

    def usable(href: str | None, label: str | None = None) -> str | None:
        """``href`` resolved, if it may lead to the other version (and ``label``, when given, names its language)."""
        if label is not None and _tag_kind(label) != wanted:
            return None
        url = _resolve(base, href)
        if url is None or url == itself or (wanted == "zh" and _simplified_gateway(url)):
            return None
        return url

    alternates = [link for link in root.iter("link") if "alternate" in (link.get("rel") or "").lower().split()]
    if best := _best(alternates, "hreflang", usable):
        return OtherVersion(best, wanted, "link rel=alternate")
    for attribute in ("hreflang", "lang"):
        anchors = [a for a in root.iter("a") if a.get(attribute) is not None and not _in_release(a)]
        if best := _best(anchors, attribute, usable):
            return OtherVersion(best, wanted, f"a {attribute}")
    if _is_gia(root, page_url):
        numbered = bool(_NUMBERED.search(urlsplit(page_url).path))
        for anchor in root.iter("a"):
            if _anchor_text(anchor) not in _SWITCH_TEXT[wanted] or not _in_header(anchor):
                continue
            url = usable(anchor.get("href"))
            if url and (not numbered or _NUMBERED.search(urlsplit(url).path)):
                return OtherVersion(url, wanted, "page header")
    return None


def find_other_version(text: str, *, page_url: str, language: str, path: str = "") -> OtherVersion | None:
    """:func:`other_version` of a decoded HTML page, parsed as ``read_html`` parses it (leniently, no
    network), so that both see the same page."""
    from .html import _parse

    return other_version(_parse(text, path or page_url), page_url=page_url, language=language)


def _best(elements: list[etree._Element], attribute: str, usable: t.Callable[[str | None, str], str | None]) -> str | None:
    """The usable link among ``elements`` whose ``attribute`` names the wanted language closest to Hong Kong's
    (``zh-HK`` before ``zh-Hant``, ``zh-Hant`` before a bare ``zh``); the first of equals."""
    found = []
    for order, element in enumerate(elements):
        label = element.get(attribute) or ""
        url = usable(element.get("href"), label)
        if url:
            found.append((_closeness(label), order, url))
    return min(found)[2] if found else None


def _tag_kind(tag: str) -> str | None:
    """``en``, ``zh`` (Traditional, or unmarked), ``zh-Hans`` (Simplified), or None, for an hreflang/lang value."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    return "zh-Hans" if "hans" in parts or parts[-1] in ("cn", "sg") else "zh"


def _closeness(tag: str) -> int:
    """0 for a Hong Kong tag, 1 for another Traditional or English one, 2 for a bare ``zh``."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    if "hk" in parts:
        return 0
    return 2 if parts == ["zh"] else 1


def _base_url(root: etree._Element, page_url: str) -> str:
    """What relative links resolve against: the page's first ``<base href>``, itself resolved, else the page's URL."""
    href = next((base.get("href") for base in root.iter("base") if base.get("href")), None)
    return _resolve(page_url, href) or page_url


def _resolve(base: str, href: str | None) -> str | None:
    """``href`` made absolute against ``base``, without its fragment; None unless http(s) with a host."""
    if href is None:
        return None
    href = _URL_NOISE.sub("", href.strip())
    if not href or href.startswith("#"):
        return None
    try:
        url = _without_fragment(urljoin(base, href))
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed href ("http://[::1"): not a link to anything
        return None
    return url if parts.scheme in ("http", "https") and host else None


def _without_fragment(url: str) -> str:
    try:
        return urldefrag(url).url
    except ValueError:
        return url


def _simplified_gateway(url: str) -> bool:
    """The Government's Simplified Chinese gateways convert a Traditional page: ``sc.isd.gov.hk/TuniS/<url>``."""
    parts = urlsplit(url)
    first = parts.path.lstrip("/").split("/", 1)[0].lower()
    return (parts.hostname or "").startswith("sc.") and first in _SIMPLIFIED_GATEWAYS


def _is_gia(root: etree._Element, page_url: str) -> bool:
    host = urlsplit(page_url).hostname or ""
    return host == "info.gov.hk" or host.endswith(".info.gov.hk") or _has_id(root, "pressrelease")


def _has_id(root: etree._Element, ident: str) -> bool:
    return bool(root.xpath("//*[@id=$ident]", ident=ident))


def _in_release(element: etree._Element) -> bool:
    """Inside the release's headline or text, where a link is part of what the release says."""
    return any(parent.get("id") in _CONTENT_IDS or parent.tag in ("article", "main")
               for parent in element.iterancestors())


def _in_header(anchor: etree._Element) -> bool:
    """In a header or navigation block (by tag, id or class), or before the release, outside any footer."""
    chrome = False
    for element in (anchor, *anchor.iterancestors()):
        names = f"{element.get('id') or ''} {element.get('class') or ''}"
        if element.tag == "footer" or _FOOTER.search(names) or element.get("id") in _CONTENT_IDS:
            return False
        chrome = chrome or element.tag in ("header", "nav") or bool(_CHROME.search(names))
    return chrome or _before_release(anchor)


def _before_release(anchor: etree._Element) -> bool:
    """Before the release's headline or text in the page, where GIA pages keep their header."""
    return bool(anchor.xpath("following::*[@id='PRHeadline' or @id='PRHeadlineSpan' or @id='pressrelease']"))


def _anchor_text(anchor: etree._Element) -> str:
    """What the link says: its text, else the alt of its image, else its title; spaces removed, lower case."""
    text = "".join(anchor.itertext())
    if not text.strip():
        text = " ".join(str(alt) for alt in anchor.xpath(".//img/@alt")) or anchor.get("title") or ""
    return re.sub(r"\s+", "", text).lower()
