"""HTML page → Release: Hong Kong government press releases and generic article pages.

``read_html`` decodes the page, parses it leniently with lxml (no network, no
external entities) and picks a layout: the GIA press-release layout when the
page has ``#pressrelease``, else a generic article reader. Each paragraph
remembers the 1-based source line where its text starts.

Metadata keys set in ``ReleaseMeta.extra``:

- ``media``: what the headline announced as attached, with the marker removed
  from the title: ``photo``, ``photos``, ``video``, ``photos/video`` (English
  "(with photos)", Chinese "（附圖）" → ``photos``, "（附短片）" → ``video``).
- ``page-encoding``: the charset the page bytes were decoded with (bytes input only).
"""

from __future__ import annotations

import codecs
import dataclasses
import collections.abc as cabc
import datetime as dt
import re

import charset_normalizer
from lxml import etree

from .. import locales
from ..errors import InputError
from ..model import Location, Paragraph, ParagraphKind, Release, ReleaseMeta
from . import hkgov
from .characters import check_page

__all__ = ["decode_html", "read_html"]

# Elements whose start and end break a paragraph (HTML's block-level content).
_BLOCK = frozenset("""
    address article aside blockquote caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr
    legend li main nav ol p pre section summary table tbody td tfoot th thead tr ul
""".split())
_CAPTION = frozenset({"figcaption", "caption"})
# Never reader-visible text, or page furniture around the article.
_DROPPED = frozenset("""
    nav header footer aside script style noscript form template svg math
    iframe object embed button select textarea head title
""".split())
_DROPPED_IN_HK = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; U+00A0 and U+3000 stay
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""")
# Labels that browsers decode as a superset (WHATWG Encoding): HKSCS extends Big5,
# windows-1252 extends Latin-1/ASCII, GB18030 extends GBK/GB2312.
_SUPERSETS = {"big5": "big5hkscs", "cp950": "big5hkscs", "latin_1": "cp1252",
              "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}
# Undeclared pages are told apart among these only: unrestricted detection reads
# short Big5/GB text as Korean or Urdu code pages.
_DETECTABLE = ("big5hkscs", "gb18030", "cp1252")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
_LATIN = re.compile(r"[A-Za-z]")
# Frequent characters that differ between the scripts, pairwise.
_TRADITIONAL = set("這們為發經過國說時會來對業產務區門開關長問見東車間現實認應題電報網線級給環導歷書幣買賣")
_SIMPLIFIED = set("这们为发经过国说时会来对业产务区门开关长问见东车间现实认应题电报网线级给环导历书币买卖")


def read_html(data: bytes | str, *, path: str, release_id: str, url: str = "",
              encoding: str | None = None) -> Release:
    """Read an HTML page into a Release.

    ``path`` names the page in errors and references; ``encoding`` is a charset
    the caller already knows (an HTTP header) for ``data`` given as bytes.
    Raises :class:`InputError` for undecodable bytes, a page with no text, or
    text holding a control character (see :mod:`.characters`).
    """
    extra: list[tuple[str, str]] = []
    if isinstance(data, bytes):
        text, used = decode_html(data, encoding, path=path)
        extra.append(("page-encoding", used))
    else:
        text = data
    root = _parse(text, path)
    if root is not None and _find_id(root, "pressrelease") is not None:
        release = _read_hkgov(root, path=path, release_id=release_id, url=url)
    else:
        release = _read_generic(root, path=path, release_id=release_id, url=url)
    if not any(p.kind != "title" for p in release.paragraphs):
        raise InputError("no text found in page", Location(path))
    check_page(release, text)
    return dataclasses.replace(
        release, meta=dataclasses.replace(release.meta, extra=release.meta.extra + tuple(extra)))


def decode_html(data: bytes, declared: str | None, *, path: str = "<bytes>") -> tuple[str, str]:
    """Decode page bytes; return the text and the Python codec name used.

    Tries, in order: a byte-order mark, ``declared`` (the HTTP charset), the
    page's own ``<meta charset>`` / ``http-equiv`` / XML declaration, UTF-8, then
    detection among Big5-HKSCS, GB18030 and windows-1252. Big5 is always read as Big5-HKSCS, its superset, since Python's
    ``big5`` lacks the Hong Kong characters.

    >>> decode_html("香港".encode("big5"), "big5")
    ('香港', 'big5hkscs')
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            declared = name
            break
    candidates = [c for c in (_codec(declared), _codec(_sniff_charset(data)), "utf-8") if c]
    for name in dict.fromkeys(candidates):
        try:
            return data.decode("utf-8-sig" if name == "utf-8" else name), name
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data, cp_isolation=list(_DETECTABLE)).best()
    detected = _codec(best.encoding) if best is not None else None
    if detected:
        try:
            return data.decode(detected), detected
        except UnicodeDecodeError:
            pass
    tried = ", ".join(dict.fromkeys(candidates + ([detected] if detected else [])))
    raise InputError(f"cannot decode page: not valid {tried}", Location(path))


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    name = _SUPERSETS.get(name, name)
    return "utf-8" if name == "utf_8" else name


def _sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (HTML's prescan), or None."""
    head = data[:4096]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _parse(text: str, path: str) -> etree._Element | None:
    # Feed UTF-8 bytes with an explicit encoding so a <meta charset> in the page
    # cannot make libxml2 decode it a second time; no_network keeps DTDs and
    # entities from being fetched (HTMLParser never loads or expands external ones).
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                              remove_pis=True, default_doctype=False)
    try:
        source = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"page text is not valid Unicode: {exc.reason}", Location(path)) from exc
    if not source.strip():
        return None
    try:
        return etree.fromstring(source, parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise InputError(f"cannot parse page: {exc}", Location(path)) from exc


class _Paragraphs:
    """Collects text runs into paragraphs: blocks and ``<br><br>`` break them, one ``<br>`` is "\\n"."""

    def __init__(self) -> None:
        self.out: list[Paragraph] = []
        self._lines: list[list[str]] = [[]]
        self._has_text = False  # some part of ``_lines`` is not white space
        self._start = 0
        self._breaks = 0
        self._kinds: list[ParagraphKind] = ["body"]

    def text(self, text: str, line: int) -> None:
        stripped = text.lstrip()
        if not stripped.strip():  # whitespace only: keeps words apart, breaks nothing
            if self._has_text:
                self._lines[-1].append(text)
            return
        if self._breaks >= 2:
            self.flush()
        elif self._breaks == 1 and self._has_text:
            self._lines.append([])
        self._breaks = 0
        if not self._has_text:
            self._start = line + text[: len(text) - len(stripped)].count("\n")
            self._has_text = True
        self._lines[-1].append(text)

    def br(self) -> None:
        self._breaks += 1

    def block(self, kind: ParagraphKind | None = None, *, end: bool = False) -> None:
        """Start (or with ``end``, finish) a block; a block inherits its parent's kind unless given one."""
        self.flush()
        if end:
            self._kinds.pop()
        else:
            self._kinds.append(kind or self._kinds[-1])

    def flush(self) -> None:
        lines = (_HTML_SPACE.sub(" ", "".join(parts)).strip() for parts in self._lines)
        text = "\n".join(line for line in lines if line)
        if text:
            self.out.append(Paragraph(text, self._kinds[-1], self._start))
        self._lines = [[]]
        self._has_text = False
        self._breaks = 0


def _walk(el: etree._Element, sink: _Paragraphs, line: int,
          dropped: cabc.Callable[[etree._Element], bool]) -> int:
    """Feed ``el`` (not its tail) to ``sink``; return the line its end tag is on."""
    line = el.sourceline or line
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or dropped(el):
        return _end_line(el, line)
    if tag == "br":
        sink.br()
        return line
    block = tag in _BLOCK
    if block:
        sink.block("caption" if tag in _CAPTION else None)
    if el.text:
        sink.text(el.text, line)
        line += el.text.count("\n")
    for child in el:
        line = _walk(child, sink, line, dropped)
        if child.tail:
            sink.text(child.tail, line)
            line += child.tail.count("\n")
    if block:
        sink.block(end=True)
    return line


def _end_line(el: etree._Element, line: int) -> int:
    line = el.sourceline or line
    line += (el.text or "").count("\n") if isinstance(el.tag, str) else 0
    for child in el:
        line = _end_line(child, line) + (child.tail or "").count("\n")
    return line


def _paragraphs(el: etree._Element, dropped: cabc.Callable[[etree._Element], bool]) -> list[Paragraph]:
    sink = _Paragraphs()
    _walk(el, sink, el.sourceline or 1, dropped)
    sink.flush()
    return sink.out


def _is_hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true"


def _drop_generic(el: etree._Element) -> bool:
    return el.tag in _DROPPED or _is_hidden(el)


def _drop_hk(el: etree._Element) -> bool:
    return el.tag in _DROPPED_IN_HK or _is_hidden(el)


def _text_of(el: etree._Element) -> tuple[str, int]:
    """An element's whole text, whitespace collapsed, and the line where it starts."""
    paras = _paragraphs(el, _drop_hk)
    if not paras:
        return "", el.sourceline or 1
    return " ".join(p.text.replace("\n", " ") for p in paras), paras[0].line


def _find_id(root: etree._Element, ident: str) -> etree._Element | None:
    found = root.xpath("//*[@id=$ident]", ident=ident)
    return found[0] if found else None


def _read_hkgov(root: etree._Element, *, path: str, release_id: str, url: str) -> Release:
    body = _find_id(root, "pressrelease")
    assert body is not None
    headline = _find_id(root, "PRHeadlineSpan")
    if headline is None:
        headline = _first(root, "//title")
    title, title_line = _text_of(headline) if headline is not None else ("", 1)
    title, media = hkgov.split_media(title)

    paragraphs, date = hkgov.cut_trailer(_paragraphs(body, _drop_hk), path)
    department = hkgov.department(paragraphs)
    if not date:  # some page versions put the trailer in blocks after #pressrelease
        following = [p for sib in body.itersiblings() if isinstance(sib.tag, str)
                     for p in _paragraphs(sib, _drop_hk)]
        date = hkgov.find_date(following[:6], path) or hkgov.date_from_url(url)
    if title:
        paragraphs.insert(0, Paragraph(title, "title", title_line))
    text = " ".join(p.text for p in paragraphs)
    meta = ReleaseMeta(
        title=title, date=date, url=url, department=department,
        language=_language(root, text), extra=(("media", media),) if media else ())
    return Release(id=release_id, meta=meta, paragraphs=tuple(paragraphs), path=path)


def _read_generic(root: etree._Element | None, *, path: str, release_id: str, url: str) -> Release:
    if root is None:
        raise InputError("no text found in page", Location(path))
    content = _first(root, "(//article | //main | //*[@role='main'])[1]")
    body = _first(root, "//body")
    container = content if content is not None else body if body is not None else root
    heading = _first(container, ".//h1[not(ancestor::nav) and not(ancestor::aside)]")
    title, title_line = _text_of(heading) if heading is not None else ("", 1)
    if content is None or not title:
        og = _first(root, "//meta[@property='og:title']")
        element = og if og is not None else _first(root, "//title")
        if element is not None:
            page_title = _HTML_SPACE.sub(" ", element.get("content", "") if element is og
                                         else element.xpath("string()")).strip()
            # Outside <article>/<main> an <h1> is the title only if the page title says so.
            if not (title and page_title.startswith(title)):
                title, title_line, heading = page_title, element.sourceline or 1, None

    def dropped(el: etree._Element) -> bool:
        return el is heading or _drop_generic(el)

    paragraphs = _paragraphs(container, dropped)
    if title:
        paragraphs.insert(0, Paragraph(title, "title", title_line))
    text = " ".join(p.text for p in paragraphs)
    canonical = _first(root, "//link[@rel='canonical']/@href")
    meta = ReleaseMeta(title=title, date=_generic_date(root, container), url=url or str(canonical or ""),
                       language=_language(root, text))
    return Release(id=release_id, meta=meta, paragraphs=tuple(paragraphs), path=path)


def _first(el: etree._Element, xpath: str) -> etree._Element | None:
    found = el.xpath(xpath)
    return found[0] if found else None


def _generic_date(root: etree._Element, container: etree._Element) -> str:
    values = root.xpath(
        "//meta[@name='date' or @name='dcterms.date' or @name='DC.date'"
        " or @property='article:published_time']/@content")
    values += container.xpath(".//time/@datetime") + root.xpath("//time/@datetime")
    for value in values:
        iso = _iso_date(str(value))
        if iso:
            return iso
    return ""


def _iso_date(value: str) -> str:
    """An ISO 8601 date or minute-precision timestamp in Hong Kong time, the clock of every release date; "" if unparseable.

    >>> _iso_date("2026-01-22T17:02:00+08:00"), _iso_date("2026-01-22T09:02:00Z"), _iso_date("2026-01-22")
    ('2026-01-22T17:02', '2026-01-22T17:02', '2026-01-22')
    """
    from ..export import HKT

    value = value.strip()
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return (moment.astimezone(HKT) if moment.tzinfo else moment).strftime("%Y-%m-%dT%H:%M")


def _language(root: etree._Element, text: str) -> str:
    """BCP 47 tag of the page: its ``lang`` attribute if CLDR knows it, else the script of its text."""
    lang = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    if not lang:
        content = _first(root, "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                               "='content-language']/@content")
        lang = str(content or "").split(",")[0].strip()
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh" and len(parts) > 1:
        if "hans" in parts or parts[-1] in ("cn", "sg"):
            return "zh-Hans"
        return "zh-Hant-TW" if parts[-1] == "tw" else "zh-Hant-HK"
    if parts[0] and parts[0] != "zh":
        try:
            return locales.to_bcp47(lang)
        except locales.UnknownLocale:
            parts = [""]  # a tag CLDR does not know says nothing: the text decides
    # A Chinese word is one or two characters, an English one about five letters.
    if not parts[0] and 3 * len(_HAN.findall(text)) <= len(_LATIN.findall(text)):
        return "en"
    simplified = sum(c in _SIMPLIFIED for c in text)
    traditional = sum(c in _TRADITIONAL for c in text)
    return "zh-Hans" if simplified > traditional else "zh-Hant-HK"
