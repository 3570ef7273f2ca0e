"""BilingualRelease → the bundle's two HTML pages: ``<id>.<locale>.html`` and ``<id>.<locale>.publish.html``.

The bilingual page (``format_bilingual_html``) is for the people who check a
translation before it goes out: each paragraph's source and target side by
side on wide screens and stacked on narrow ones, every sentence anchored
(``s-<id>``/``t-<id>``) and linked to its pair, the pair highlighted together
on hover or focus, glossary terms marked with their approved rendering as a
tooltip, fuzzy and untranslated sentences badged as such (a fuzzy one with
where its suggestion came from and how it scored).

The publish page (``format_publish_html``) is the translation alone, ready to
put online: only ``translated`` segments are published, so a release with a
fuzzy or untranslated segment is refused (``IncompleteTranslation``) unless
``allow_incomplete``, which publishes the source sentence in its place,
marked, under a visible note. It follows the Government's house style:
the title, the date as the target language writes it, and the closing
trailer (``Ends/Thursday, January 22, 2026`` / ``Issued at HKT 17:02``;
完 / 2026年1月22日（星期四）/ 香港時間17時02分: ``bundle_html_dates``)
unless the release carries its own.

On both pages a segment that starts a new line of its paragraph (the items
of a ``(1) ... (2) ...`` list) follows a ``<br>``.

Both are lxml trees written by lxml's HTML serializer, which escapes every
text and attribute; characters HTML cannot hold (C0 controls but tab and
newlines, noncharacters, lone surrogates) are dropped. The tree is not built
an element at a time (lxml takes about 4 µs for an element with four
attributes set through its API, its parser a quarter of that) but parsed, by
libxml2's strict XML parser, from markup in which every text and attribute
value was escaped (``_Markup``). Markup that is not well-formed is an error,
never a guess, and the same tree gives the same bytes however it was made
(``tests/formats/test_text_writers.py`` compares the pages with a tree built
an element at a time). Each element carrying text
carries or inherits the BCP 47 ``lang`` of that text; dates are written as
each language's releases write them and languages are named by CLDR in
their own language (``locales``). Pages load nothing: the style sheet and script are
inline and allowed by hash in a Content-Security-Policy that forbids every
load, fonts are the reader's own, and the release's URL is the only link out.
The output depends only on the arguments.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import hashlib
import re
import urllib.parse

import lxml.html
from lxml import etree

from .. import locales
from ..errors import PipelineError
from ..export import labelled_date
from ..model import AlignedParagraph, AlignedSegment, BilingualRelease
from .bundle_html_assets import (
    BILINGUAL_CSS,
    PAIRING_JS,
    PUBLISH_CSS,
    content_security_policy,
)
from .bundle_html_dates import dateline, trailer
from .xml_safe import escape_attribute, escape_text, written_parser

__all__ = ["IncompleteTranslation", "format_bilingual_html", "format_publish_html"]

DOCTYPE = "<!DOCTYPE html>"
# Chrome (labels, badges) of the bilingual page is English, whatever the pair.
_CHROME_LANG = "en"
_UNSPACED = frozenset({"zh", "ja"})  # languages whose sentences join without a space
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_TERM_JOINER = r"[\s\u00a0\-\u2010\u2011\u2013]+"
_STATUS_LABEL = {"fuzzy": "fuzzy", "untranslated": "untranslated"}
# How the fuzzy marker names where a suggestion came from.
_ORIGIN_LABEL = {"tm-exact": "exact memory match", "tm-fuzzy": "memory match", "repaired": "repaired memory match",
                 "mt": "machine translation", "converted": "converted", "human": "earlier translation"}  # fmt: skip

# The publish page's note when source sentences stand in, by language and script;
# other languages get the English one (marked as English).
_FALLBACK_NOTE = {
    "zh-Hant": "部分句子尚未翻譯，暫以原文顯示，並加上標示。",
    "zh-Hans": "部分句子尚未翻译，暂以原文显示，并加上标示。",
    "en": "Some sentences are not yet translated: they are shown in the original language, marked.",
}


class IncompleteTranslation(PipelineError):
    """The publish page was asked for while a segment is fuzzy or untranslated."""

    def __init__(self, release: BilingualRelease, segment: AlignedSegment, count: int) -> None:
        excerpt = segment.source if len(segment.source) <= 60 else segment.source[:57] + "..."
        super().__init__(
            f"{release.id} ({release.locale}): segment {segment.id} is {segment.status} "
            f"({excerpt!r}); {count} segment{'s' if count != 1 else ''} not ready to publish "
            "(translate them, or allow incomplete pages to publish the source sentences in their place)"
        )
        self.release_id = release.id
        self.segment_id = segment.id
        self.count = count


def format_bilingual_html(release: BilingualRelease, *, tool_version: str) -> str:
    """The bilingual review page of ``release``, as an HTML5 document.

    >>> from pipeline.model import AlignedParagraph, AlignedSegment, ReleaseMeta
    >>> seg = AlignedSegment("a1", "Fintech & <you>", "金融科技與你", "translated", terms=(("fintech", "金融科技"),))
    >>> release = BilingualRelease("r", ReleaseMeta(date="2026-11-24"), "en", "zh-Hant-HK", "zh_Hant_HK",
    ...                            (AlignedParagraph("body", (seg,)),))
    >>> page = format_bilingual_html(release, tool_version="0.1.0")
    >>> '<mark lang="zh-Hant-HK" title="金融科技" class="term"><span lang="en">Fintech</span></mark> &amp; &lt;you&gt;' in page
    True
    >>> '<time datetime="2026-11-24" lang="zh-Hant-HK">二○二六年十一月二十四日</time>' in page
    True
    """
    src, tgt = release.source_language, release.target_language
    m = _Markup(_unwritable(release, tool_version))
    _document(m, BILINGUAL_CSS, PAIRING_JS)
    m.element("meta", None, {"name": "generator", "content": f"Duet {tool_version}"})
    m.element("title", _source_title(release), {"lang": src})
    m.parts.append("</head><body>")

    m.start("div", {"class": "page"})
    _masthead(m, release)
    m.parts.append("<main>")
    m.start("div", {"class": "pair columns"})
    for side, language in (("source", src), ("target", tgt)):
        m.start("div", {"class": f"cell {side}"})
        m.start("h2", {"lang": language})
        m.text(_display_name(language))
        m.element("span", language, {"lang": _CHROME_LANG, "class": "code"})
        m.parts.append("</h2></div>")
    m.parts.append("</div>")

    keys = _anchor_keys(release)
    for number, paragraph in enumerate(release.paragraphs, start=1):
        m.start("section", {"id": f"p-{number}", "class": f"pair row kind-{paragraph.kind}"})
        _source_cell(m, paragraph, number, keys, src, tgt)
        _target_cell(m, paragraph, number, keys, src, tgt)
        m.parts.append("</section>")
    m.parts.append("</main>")

    _glossary(m, release)
    m.element("footer", f"Duet {tool_version} · bilingual page of {release.id} for {release.locale}",
              {"class": "colophon"})
    m.parts.append("</div>")
    m.element("script", PAIRING_JS)
    m.parts.append("</body></html>")
    return _serialize(m.page(_CHROME_LANG))


def format_publish_html(release: BilingualRelease, *, allow_incomplete: bool = False) -> str:
    """The translation alone, ready to publish; refused while a segment is not ``translated``.

    Raises ``IncompleteTranslation`` naming the first such segment, unless
    ``allow_incomplete``: then the source sentence stands in for it, in a
    ``<span class="untranslated">`` with the source ``lang``, under a note.

    >>> from pipeline.model import AlignedParagraph, AlignedSegment, ReleaseMeta
    >>> segs = (AlignedSegment("a1", "Hello.", "你好。", "translated"), AlignedSegment("a2", "Bye.", "", "untranslated"))
    >>> release = BilingualRelease("r", ReleaseMeta(), "en", "zh-Hant-HK", "zh_Hant_HK", (AlignedParagraph("body", segs),))
    >>> format_publish_html(release)
    Traceback (most recent call last):
    ...
    pipeline.formats.bundle_html.IncompleteTranslation: r (zh_Hant_HK): segment a2 is untranslated ('Bye.'); 1 segment not ready to publish (translate them, or allow incomplete pages to publish the source sentences in their place)
    >>> '<p>你好。<span lang="en" class="untranslated" data-seg="a2">Bye.</span></p>' in format_publish_html(release, allow_incomplete=True)
    True
    """
    src, tgt = release.source_language, release.target_language
    missing = [s for s in release.segments if not s.publishable]
    if missing and not allow_incomplete:
        raise IncompleteTranslation(release, missing[0], len(missing))
    closing = () if any(p.kind == "trailer" for p in release.paragraphs) else _trailer(release.meta.date, tgt)

    m = _Markup(_unwritable(release))
    _document(m, PUBLISH_CSS, None)
    titles = [p for p in release.paragraphs if p.kind == "title"]
    title_text = _join((s.target if s.publishable else s.source for p in titles for s in p.segments), tgt)
    if title_text and not any(not s.publishable for p in titles for s in p.segments):
        m.element("title", title_text)
    else:
        m.element("title", _source_title(release), {"lang": src})
    m.parts.append("</head><body>")

    m.start("article", {"class": "release"})
    url = _safe_url(release.meta.url)
    if titles or release.meta.date or url:  # a header only when something goes in it
        m.parts.append("<header>")
        if titles:
            m.parts.append("<h1>")
            _published_segments(m, titles[0], src, tgt)
            m.parts.append("</h1>")
            for extra in titles[1:]:
                m.start("p", {"class": "subtitle"})
                _published_segments(m, extra, src, tgt)
                m.end("p")
        if release.meta.date:
            m.start("p", {"class": "dateline"})
            _date(m, release.meta.date, release.locale, None)
            m.end("p")
        if url:
            m.start("p", {"class": "alternate"})
            m.element("a", _display_name(src), {"href": url, "hreflang": src, "lang": src, "rel": "noopener"})
            m.end("p")
        m.parts.append("</header>")
    if missing:
        note, note_lang = _fallback_note(tgt)
        attrs = {"class": "incomplete", "role": "note"}
        if note_lang != tgt:
            attrs["lang"] = note_lang
        m.element("p", note, attrs)

    for paragraph in release.paragraphs:
        if paragraph.kind == "title":
            continue
        m.start("p", {"class": paragraph.kind} if paragraph.kind != "body" else None)
        _published_segments(m, paragraph, src, tgt)
        m.end("p")
    if closing:
        m.parts.append("<footer>")
        m.start("p", {"class": "trailer"})
        for number, line in enumerate(closing):
            if number:
                m.parts.append("<br/>")
            m.text(line)
        m.parts.append("</p></footer>")
    m.parts.append("</article></body></html>")
    return _serialize(m.page(tgt))


def _document(m: _Markup, css: str, script: str | None) -> None:
    """``<html>`` and its ``<head>`` (charset, viewport, policy, style), left open for the title."""
    m.parts.append("<html><head>")
    m.element("meta", None, {"charset": "utf-8"})
    m.element("meta", None, {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    m.element("meta", None, {"http-equiv": "Content-Security-Policy", "content": content_security_policy(css, script)})
    m.element("meta", None, {"name": "referrer", "content": "no-referrer"})
    m.element("style", css)


def _serialize(root: lxml.html.HtmlElement) -> str:
    html: str = lxml.html.tostring(root, doctype=DOCTYPE, encoding="unicode", method="html")
    return html + "\n"


def _masthead(m: _Markup, release: BilingualRelease) -> None:
    src, tgt = release.source_language, release.target_language
    m.start("header", {"class": "masthead"})
    m.element("p", f"Bilingual review · {release.id}", {"class": "kicker"})
    title = _source_title(release)
    m.element("h1", title, {"lang": src} if title != release.id else None)
    m.start("dl", {"class": "meta"})

    def row(label: str) -> None:
        m.element("dt", label)
        m.parts.append("<dd>")

    if release.meta.date:
        row("Date")
        _date(m, release.meta.date, src, src)
        m.element("span", "·", {"class": "sep", "aria-hidden": "true"})
        _date(m, release.meta.date, release.locale, tgt)
        m.end("dd")
    if release.meta.department:
        row("Department")
        m.element("span", release.meta.department, {"lang": src})
        m.end("dd")
    if release.meta.url:
        row("Source")
        url = _safe_url(release.meta.url)
        if url:
            m.element("a", url, {"href": url, "hreflang": src, "rel": "noopener"})
        else:
            m.text(release.meta.url)
        m.end("dd")
    counts = {status: 0 for status in ("translated", "fuzzy", "untranslated")}
    for paragraph in release.paragraphs:
        for segment in paragraph.segments:
            counts[segment.status] = counts.get(segment.status, 0) + 1
    row("Segments")
    m.text(" · ".join(f"{n} {status}" for status, n in counts.items()))
    m.end("dd")
    row("Languages")
    m.text(f"{src} → {tgt} ({release.locale})")
    m.parts.append("</dd></dl></header>")


def _source_cell(m: _Markup, paragraph: AlignedParagraph, number: int, keys: dict[int, str],
                 src: str, tgt: str) -> None:
    parts, lang = m.parts, m.attribute(src)
    parts.append(f'<div lang="{lang}" class="cell source"><p class="text">')
    joiner = _joiner(src)
    for index, segment in enumerate(paragraph.segments, start=1):
        if index > 1:
            _between(m, segment, joiner)
        key = m.attribute(keys[id(segment)])
        parts.append(f'<span id="s-{key}" lang="{lang}" class="seg" data-seg="{key}">')
        _marked(m, segment.source, _term_spans(segment.source, segment.terms), src, tgt)
        parts.append(f'<a href="#t-{key}" class="seg-no">{number}.{index}</a></span>')
    parts.append("</p></div>")


def _target_cell(m: _Markup, paragraph: AlignedParagraph, number: int, keys: dict[int, str],
                 src: str, tgt: str) -> None:
    parts, lang = m.parts, m.attribute(tgt)
    parts.append(f'<div lang="{lang}" class="cell target"><p class="text">')
    joiner = _joiner(tgt)
    for index, segment in enumerate(paragraph.segments, start=1):
        if index > 1:
            _between(m, segment, joiner)
        key = m.attribute(keys[id(segment)])
        publishable = segment.publishable
        classes = "seg" if publishable else f"seg {'fuzzy' if segment.status == 'fuzzy' and segment.target else 'missing'}"
        score = f' data-score="{segment.score:g}"' if segment.score is not None else ""
        parts.append(f'<span id="t-{key}" lang="{lang}" class="{classes}" data-seg="{key}" '
                     f'data-status="{m.attribute(segment.status)}" data-origin="{m.attribute(segment.origin)}"{score}>')
        if not publishable:
            m.element("span", _STATUS_LABEL.get(segment.status, segment.status), {"lang": _CHROME_LANG, "class": "badge"})
            if segment.status == "fuzzy":
                m.element("span", _suggested_by(segment), {"lang": _CHROME_LANG, "class": "origin"})
        if segment.target:
            renderings = tuple((approved, term) for term, approved in segment.terms if approved)
            _marked(m, segment.target, _term_spans(segment.target, renderings, exact=True), tgt, src)
        parts.append(f'<a href="#s-{key}" lang="{_CHROME_LANG}" class="seg-no">{number}.{index}</a></span>')
    parts.append("</p></div>")


def _published_segments(m: _Markup, paragraph: AlignedParagraph, src: str, tgt: str) -> None:
    joiner = _joiner(tgt)
    for index, segment in enumerate(paragraph.segments):
        if index:
            _between(m, segment, joiner)
        if segment.publishable:
            m.text(segment.target)
        else:
            m.element("span", segment.source, {"lang": src, "class": "untranslated", "data-seg": segment.id})


def _between(m: _Markup, segment: AlignedSegment, joiner: str) -> None:
    """What separates ``segment`` from the one before it: the line break of the source, else ``joiner`` (a space
    or nothing)."""
    if segment.starts_line:
        m.parts.append("<br/>")
    else:
        m.text(joiner)


def _suggested_by(segment: AlignedSegment) -> str:
    """``memory match 82 from locales/memory/bureau.tmx``: what the fuzzy marker says of a suggestion."""
    label = _ORIGIN_LABEL.get(segment.origin, segment.origin)
    scored = f"{label} {segment.score:g}" if segment.score is not None else label
    return f"{scored} from {segment.came_from}" if segment.came_from else scored


def _trailer(iso: str, language: str) -> tuple[str, ...]:
    """The house-style closing lines; none without a date, or with one that is not ISO 8601."""
    if not iso:
        return ()
    try:
        return trailer(iso, language)
    except ValueError:
        return ()


def _glossary(m: _Markup, release: BilingualRelease) -> None:
    terms: dict[str, str] = {}
    for paragraph in release.paragraphs:
        for segment in paragraph.segments:
            for source, approved in segment.terms:
                terms.setdefault(source, approved)
    if not terms:
        return
    m.start("section", {"class": "glossary"})
    m.element("h2", "Glossary terms in this release")
    m.parts.append("<table><thead><tr>")
    m.element("th", _display_name(release.source_language), {"lang": release.source_language, "scope": "col"})
    m.element("th", _display_name(release.target_language), {"lang": release.target_language, "scope": "col"})
    m.parts.append("</tr></thead><tbody>")
    for source, approved in sorted(terms.items(), key=lambda item: item[0].casefold()):
        m.parts.append("<tr>")
        m.element("td", source, {"lang": release.source_language})
        m.element("td", approved, {"lang": release.target_language})
        m.parts.append("</tr>")
    m.parts.append("</tbody></table></section>")


def _source_title(release: BilingualRelease) -> str:
    if release.meta.title:
        return release.meta.title
    titles = [s.source for p in release.paragraphs if p.kind == "title" for s in p.segments]
    return _join(titles, release.source_language) or release.id


def _date(m: _Markup, iso: str, locale: str, lang: str | None) -> None:
    """A ``<time>`` with the date as releases in ``locale`` write it; a date that is not ISO is shown as given."""
    try:
        shown = dateline(iso, locale)
    except ValueError:
        m.text(iso)
        return
    attrs = {"datetime": labelled_date(iso.strip())}
    if lang:
        attrs["lang"] = lang
    m.element("time", shown, attrs)


@functools.lru_cache(maxsize=64)
def _display_name(language: str) -> str:
    """``locales.display_name``, once per language: CLDR's names do not change while Duet runs."""
    return locales.display_name(language)


@functools.lru_cache(maxsize=64)
def _fallback_note(language: str) -> tuple[str, str]:
    locale = locales.babel_locale(language)
    for key in (f"{locale.language}-{locale.script}" if locale.script else None, locale.language):
        if key and key in _FALLBACK_NOTE:
            return _FALLBACK_NOTE[key], language
    return _FALLBACK_NOTE["en"], "en"


def _anchor_keys(release: BilingualRelease) -> dict[int, str]:
    """Segment ids made fit for ``id``/``data-seg`` (no spaces, unique), by identity of the segment."""
    keys: dict[int, str] = {}
    used: set[str] = set()
    for paragraph in release.paragraphs:
        for segment in paragraph.segments:
            base = segment.id if _PLAIN_ID.fullmatch(segment.id) else "h" + hashlib.sha256(segment.id.encode()).hexdigest()[:16]
            key, n = base, 1
            while key in used:
                n += 1
                key = f"{base}-{n}"
            used.add(key)
            keys[id(segment)] = key
    return keys


def _term_spans(text: str, terms: cabc.Iterable[tuple[str, str]], *, exact: bool = False) -> list[tuple[int, int, str]]:
    """Where each term occurs in ``text``, with what its tooltip says; longest terms first, no overlaps.

    Terms are looked for as written, then, unless ``exact``, loosely: any case,
    hyphens and spaces alike, ``&`` for ``and`` (glossaries write "Services
    and the Treasury" where releases write "Services & the Treasury").
    """
    if not terms:
        return []
    found: list[tuple[int, int, str]] = []
    for term, tooltip in sorted(set(terms), key=lambda t: (-len(t[0]), t)):
        if not term.strip() or not tooltip:
            continue
        for start, end in _occurrences(text, term, exact):
            if all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, tooltip))
    return sorted(found)


def _occurrences(text: str, term: str, exact: bool) -> list[tuple[int, int]]:
    return [m.span() for m in _term_pattern(term, exact).finditer(text) if m.end() > m.start()]


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str, exact: bool) -> re.Pattern[str]:
    """The pattern ``_term_spans`` looks for ``term`` with, compiled once: a glossary's terms recur on every page."""
    if exact:
        return re.compile(re.escape(term))
    words = [w for w in re.split(_TERM_JOINER, term.strip()) if w]
    pattern = _TERM_JOINER.join(r"(?:and|&)" if w.lower() == "and" else re.escape(w) for w in words)
    if term.strip()[0].isascii() and term.strip()[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if term.strip()[-1].isascii() and term.strip()[-1].isalnum():
        pattern += r"(?!\w)"
    return re.compile(pattern, re.IGNORECASE)


def _marked(m: _Markup, text: str, spans: list[tuple[int, int, str]], lang: str, tip_lang: str) -> None:
    """``text``, each span in a ``<mark>`` whose ``title`` (in ``tip_lang``) is the span's tooltip."""
    last = 0
    for start, end, tooltip in spans:
        m.text(text[last:start])
        m.start("mark", {"lang": tip_lang, "title": tooltip, "class": "term"})
        m.element("span", text[start:end], {"lang": lang})
        m.end("mark")
        last = end
    m.text(text[last:])


def _joiner(language: str) -> str:
    return "" if language.split("-")[0].lower() in _UNSPACED else " "


def _join(texts: cabc.Iterable[str], language: str) -> str:
    return _joiner(language).join(t for t in texts if t)


def _safe_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) address, the only kind of link a page may carry."""
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not _NOT_HTML.search(url) and " " not in url:
        return url
    return None


def _clean(text: str) -> str:
    return _NOT_HTML.sub("", text)


def _unwritable(release: BilingualRelease, *more: str) -> bool:
    """Whether a text of ``release`` (any of its strings) or of ``more`` holds a character HTML cannot.

    Every text and attribute of a page is made of these strings, constants
    and CLDR's names and numbers: when none of them holds such a character,
    dropping them (``_clean``) would change nothing, and ``_Markup`` skips it.
    A value that is not a string answers yes: the page is then built the
    careful way, whatever it meets.
    """
    meta = release.meta
    texts = [release.id, release.source_language, release.target_language, release.locale, meta.title, meta.date,
             meta.url, meta.department, meta.language, *more]  # fmt: skip
    for name, value in meta.extra:
        texts += (name, value)
    for paragraph in release.paragraphs:
        texts.append(paragraph.kind)
        for s in paragraph.segments:
            texts += (s.id, s.source, s.target, s.status, s.origin, s.came_from)
            for term, rendering in s.terms:
                texts += (term, rendering)
    try:
        return _NOT_HTML.search("\n".join(texts)) is not None
    except TypeError:
        return True


class _Markup:
    """One page as XML markup, parsed into its lxml tree at the end (``tree``).

    Every text and attribute value is escaped here (``escape_text``,
    ``escape_attribute``: libxml2 reads back exactly the value), after the
    characters HTML cannot hold are dropped (``_clean``), a step skipped when
    the release holds none (``unwritable`` false, see ``_unwritable``). Tags
    and attribute names are the module's constants. Text written after an
    element's end tag is its tail, as ``etree`` has it.
    """

    __slots__ = ("parts", "unwritable")

    def __init__(self, unwritable: bool) -> None:
        self.parts: list[str] = []
        self.unwritable = unwritable

    def start(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.parts.append(f"<{tag}{self.attributes(attrs)}>" if attrs else f"<{tag}>")

    def end(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def element(self, tag: str, text: str | None = None, attrs: dict[str, str] | None = None) -> None:
        """A whole element: start tag, ``text`` (none when empty), end tag."""
        start = f"<{tag}{self.attributes(attrs)}" if attrs else f"<{tag}"
        if text:
            self.parts.append(f"{start}>{escape_text(_clean(text) if self.unwritable else text)}</{tag}>")
        else:
            self.parts.append(start + "/>")

    def text(self, text: str) -> None:
        if text:
            self.parts.append(escape_text(_clean(text) if self.unwritable else text))

    def attribute(self, value: str) -> str:
        """One attribute value, ready to go between double quotes."""
        return escape_attribute(_clean(value) if self.unwritable else value)

    def attributes(self, attrs: dict[str, str]) -> str:
        if self.unwritable:
            return "".join(f' {name}="{escape_attribute(_clean(value))}"' for name, value in attrs.items())
        return "".join(f' {name}="{escape_attribute(value)}"' for name, value in attrs.items())

    def page(self, lang: str) -> lxml.html.HtmlElement:
        """The page's ``<html lang>``, its ``<head>`` and ``<body>`` parsed from the markup written.

        The root is an ``lxml.html`` element, whose document is an HTML one:
        the serializer writes a carriage return as it is there, and as
        ``&#13;`` in an XML document. The parsed head and body move into it.
        The language is set as given, as it always was.
        """
        # As UTF-8 bytes: lxml would read a str holding CJK text through a UCS-4 decoder, a third slower.
        parsed = etree.fromstring("".join(self.parts).encode("utf-8"), written_parser())
        root = lxml.html.Element("html", lang=lang)
        root.extend(parsed)
        return root
