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

Both are built as lxml trees, so every text and attribute is escaped by
construction; characters HTML cannot hold (C0 controls but tab and newlines,
noncharacters, lone surrogates) are dropped. Each element carrying text
carries or inherits the BCP 47 ``lang`` of that text; dates are written as
each language's releases write them and languages are named by CLDR in
their own language (``locales``). Pages load nothing: the style sheet and script are
inline and allowed by hash in a Content-Security-Policy that forbids every
load, fonts are the reader's own, and the release's URL is the only link out.
The output depends only on the arguments.
"""

from __future__ import annotations

import collections.abc as cabc
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
    root, head, body = _document(_CHROME_LANG, BILINGUAL_CSS, PAIRING_JS)
    _sub(head, "meta", name="generator", content=f"Duet {tool_version}")
    _sub(head, "title", _source_title(release), lang=src)

    page = _sub(body, "div", **{"class": "page"})
    _masthead(page, release)
    main = _sub(page, "main")
    columns = _sub(main, "div", **{"class": "pair columns"})
    for side, language in (("source", src), ("target", tgt)):
        cell = _sub(columns, "div", **{"class": f"cell {side}"})
        heading = _sub(cell, "h2", locales.display_name(language), lang=language)
        _sub(heading, "span", language, lang=_CHROME_LANG, **{"class": "code"})

    keys = _anchor_keys(release)
    for number, paragraph in enumerate(release.paragraphs, start=1):
        row = _sub(main, "section", id=f"p-{number}", **{"class": f"pair row kind-{paragraph.kind}"})
        _source_cell(row, paragraph, number, keys, src, tgt)
        _target_cell(row, paragraph, number, keys, src, tgt)

    _glossary(page, release)
    _sub(page, "footer", f"Duet {tool_version} · bilingual page of {release.id} for {release.locale}",
         **{"class": "colophon"})
    _sub(body, "script", PAIRING_JS)
    return _serialize(root)


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

    root, head, body = _document(tgt, PUBLISH_CSS, None)
    titles = [p for p in release.paragraphs if p.kind == "title"]
    title_text = _join((s.target if s.publishable else s.source for p in titles for s in p.segments), tgt)
    if title_text and not any(not s.publishable for p in titles for s in p.segments):
        _sub(head, "title", title_text)
    else:
        _sub(head, "title", _source_title(release), lang=src)

    article = _sub(body, "article", **{"class": "release"})
    header = _sub(article, "header")
    if titles:
        heading = _sub(header, "h1")
        _published_segments(heading, titles[0], src, tgt)
        for extra in titles[1:]:
            _published_segments(_sub(header, "p", **{"class": "subtitle"}), extra, src, tgt)
    if release.meta.date:
        _date(_sub(header, "p", **{"class": "dateline"}), release.meta.date, release.locale, None)
    url = _safe_url(release.meta.url)
    if url:
        alternate = _sub(header, "p", **{"class": "alternate"})
        _sub(alternate, "a", locales.display_name(src), href=url, hreflang=src, lang=src, rel="noopener")
    if not len(header):
        article.remove(header)
    if missing:
        note, note_lang = _fallback_note(tgt)
        attrs = {"class": "incomplete", "role": "note"}
        if note_lang != tgt:
            attrs["lang"] = note_lang
        _sub(article, "p", note, **attrs)

    for paragraph in release.paragraphs:
        if paragraph.kind == "title":
            continue
        attrs = {"class": paragraph.kind} if paragraph.kind != "body" else {}
        _published_segments(_sub(article, "p", **attrs), paragraph, src, tgt)
    if closing:
        ends = _sub(_sub(article, "footer"), "p", **{"class": "trailer"})
        for number, line in enumerate(closing):
            if number:
                _sub(ends, "br")
            _text(ends, line)
    return _serialize(root)


def _document(lang: str, css: str, script: str | None) -> tuple[lxml.html.HtmlElement, etree._Element, etree._Element]:
    root = lxml.html.Element("html", lang=lang)
    head = _sub(root, "head")
    _sub(head, "meta", charset="utf-8")
    _sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _sub(head, "meta", **{"http-equiv": "Content-Security-Policy", "content": content_security_policy(css, script)})
    _sub(head, "meta", name="referrer", content="no-referrer")
    _sub(head, "style", css)
    body = _sub(root, "body")
    return root, head, body


def _serialize(root: lxml.html.HtmlElement) -> str:
    html: str = lxml.html.tostring(root, doctype=DOCTYPE, encoding="unicode", method="html")
    return html + "\n"


def _masthead(page: etree._Element, release: BilingualRelease) -> None:
    src, tgt = release.source_language, release.target_language
    header = _sub(page, "header", **{"class": "masthead"})
    _sub(header, "p", f"Bilingual review · {release.id}", **{"class": "kicker"})
    title = _source_title(release)
    _sub(header, "h1", title, **({"lang": src} if title != release.id else {}))
    meta = _sub(header, "dl", **{"class": "meta"})

    def row(label: str) -> etree._Element:
        _sub(meta, "dt", label)
        return _sub(meta, "dd")

    if release.meta.date:
        dd = row("Date")
        _date(dd, release.meta.date, src, src)
        _sub(dd, "span", "·", **{"class": "sep", "aria-hidden": "true"})
        _date(dd, release.meta.date, release.locale, tgt)
    if release.meta.department:
        _sub(row("Department"), "span", release.meta.department, lang=src)
    if release.meta.url:
        dd = row("Source")
        url = _safe_url(release.meta.url)
        if url:
            _sub(dd, "a", url, href=url, hreflang=src, rel="noopener")
        else:
            _text(dd, release.meta.url)
    counts = {status: 0 for status in ("translated", "fuzzy", "untranslated")}
    for segment in release.segments:
        counts[segment.status] = counts.get(segment.status, 0) + 1
    _text(row("Segments"), " · ".join(f"{n} {status}" for status, n in counts.items()))
    _text(row("Languages"), f"{src} → {tgt} ({release.locale})")


def _source_cell(row: etree._Element, paragraph: AlignedParagraph, number: int, keys: dict[int, str],
                 src: str, tgt: str) -> None:
    cell = _sub(row, "div", lang=src, **{"class": "cell source"})
    text = _sub(cell, "p", **{"class": "text"})
    for index, segment in enumerate(paragraph.segments, start=1):
        _between(text, segment, index > 1, src)
        key = keys[id(segment)]
        span = _sub(text, "span", id=f"s-{key}", lang=src, **{"class": "seg", "data-seg": key})
        _marked(span, segment.source, _term_spans(segment.source, segment.terms), src, tgt)
        _sub(span, "a", f"{number}.{index}", href=f"#t-{key}", **{"class": "seg-no"})


def _target_cell(row: etree._Element, paragraph: AlignedParagraph, number: int, keys: dict[int, str],
                 src: str, tgt: str) -> None:
    cell = _sub(row, "div", lang=tgt, **{"class": "cell target"})
    text = _sub(cell, "p", **{"class": "text"})
    for index, segment in enumerate(paragraph.segments, start=1):
        _between(text, segment, index > 1, tgt)
        key = keys[id(segment)]
        classes = "seg" if segment.publishable else f"seg {'fuzzy' if segment.status == 'fuzzy' and segment.target else 'missing'}"
        attrs = {"class": classes, "data-seg": key, "data-status": segment.status, "data-origin": segment.origin}
        if segment.score is not None:
            attrs["data-score"] = f"{segment.score:g}"
        span = _sub(text, "span", id=f"t-{key}", lang=tgt, **attrs)
        if not segment.publishable:
            _sub(span, "span", _STATUS_LABEL.get(segment.status, segment.status), lang=_CHROME_LANG, **{"class": "badge"})
            if segment.status == "fuzzy":
                _sub(span, "span", _suggested_by(segment), lang=_CHROME_LANG, **{"class": "origin"})
        if segment.target:
            renderings = tuple((approved, term) for term, approved in segment.terms if approved)
            _marked(span, segment.target, _term_spans(segment.target, renderings, exact=True), tgt, src)
        _sub(span, "a", f"{number}.{index}", href=f"#s-{key}", lang=_CHROME_LANG, **{"class": "seg-no"})


def _published_segments(parent: etree._Element, paragraph: AlignedParagraph, src: str, tgt: str) -> None:
    for index, segment in enumerate(paragraph.segments):
        _between(parent, segment, index > 0, tgt)
        if segment.publishable:
            _text(parent, segment.target)
        else:
            _sub(parent, "span", segment.source, lang=src, **{"class": "untranslated", "data-seg": segment.id})


def _between(parent: etree._Element, segment: AlignedSegment, follows: bool, language: str) -> None:
    """What separates ``segment`` from the one before it: the line break of the source, else a space or nothing."""
    if follows and segment.starts_line:
        _sub(parent, "br")
    elif follows:
        _text(parent, _joiner(language))


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


def _glossary(page: etree._Element, release: BilingualRelease) -> None:
    terms: dict[str, str] = {}
    for segment in release.segments:
        for source, approved in segment.terms:
            terms.setdefault(source, approved)
    if not terms:
        return
    section = _sub(page, "section", **{"class": "glossary"})
    _sub(section, "h2", "Glossary terms in this release")
    table = _sub(section, "table")
    head = _sub(_sub(table, "thead"), "tr")
    _sub(head, "th", locales.display_name(release.source_language), lang=release.source_language, scope="col")
    _sub(head, "th", locales.display_name(release.target_language), lang=release.target_language, scope="col")
    tbody = _sub(table, "tbody")
    for source, approved in sorted(terms.items(), key=lambda item: item[0].casefold()):
        tr = _sub(tbody, "tr")
        _sub(tr, "td", source, lang=release.source_language)
        _sub(tr, "td", approved, lang=release.target_language)


def _source_title(release: BilingualRelease) -> str:
    if release.meta.title:
        return release.meta.title
    titles = [s.source for p in release.paragraphs if p.kind == "title" for s in p.segments]
    return _join(titles, release.source_language) or release.id


def _date(parent: etree._Element, iso: str, locale: str, lang: str | None) -> None:
    """A ``<time>`` with the date as releases in ``locale`` write it; a date that is not ISO is shown as given."""
    try:
        shown = dateline(iso, locale)
    except ValueError:
        _text(parent, iso)
        return
    attrs = {"datetime": labelled_date(iso.strip())}
    if lang:
        attrs["lang"] = lang
    _sub(parent, "time", shown, **attrs)


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
    for segment in release.segments:
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
    found: list[tuple[int, int, str]] = []
    for term, tooltip in sorted(set(terms), key=lambda t: (-len(t[0]), t)):
        if not term.strip() or not tooltip:
            continue
        for start, end in _occurrences(text, term, exact):
            if all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, tooltip))
    return sorted(found)


def _occurrences(text: str, term: str, exact: bool) -> list[tuple[int, int]]:
    if exact:
        pattern = re.escape(term)
    else:
        words = [w for w in re.split(_TERM_JOINER, term.strip()) if w]
        pattern = _TERM_JOINER.join(r"(?:and|&)" if w.lower() == "and" else re.escape(w) for w in words)
        if term.strip()[0].isascii() and term.strip()[0].isalnum():
            pattern = r"(?<!\w)" + pattern
        if term.strip()[-1].isascii() and term.strip()[-1].isalnum():
            pattern += r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, 0 if exact else re.IGNORECASE) if m.end() > m.start()]


def _marked(parent: etree._Element, text: str, spans: list[tuple[int, int, str]], lang: str, tip_lang: str) -> None:
    """``text`` into ``parent``, each span in a ``<mark>`` whose ``title`` (in ``tip_lang``) is the span's tooltip."""
    last = 0
    for start, end, tooltip in spans:
        _text(parent, text[last:start])
        mark = _sub(parent, "mark", lang=tip_lang, title=tooltip, **{"class": "term"})
        _sub(mark, "span", text[start:end], lang=lang)
        last = end
    _text(parent, text[last:])


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


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {name: _clean(value) for name, value in attrs.items()})
    if text:
        element.text = _clean(text)
    return element


def _text(parent: etree._Element, text: str) -> None:
    """Append ``text`` after the last child of ``parent`` (or as its text)."""
    if not text:
        return
    text = _clean(text)
    last = next(parent.iterchildren(reversed=True), None)  # len(parent) would walk every child: quadratic
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
