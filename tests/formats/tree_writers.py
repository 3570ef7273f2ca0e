"""The bundle writers as they were when each built an lxml tree an element at a time, before they wrote text.

Copied from ``pipeline/formats`` (commit 8dee795, docstrings dropped), trimmed to
the writing: the reference that ``test_text_writers.py`` holds the text writers
to, byte for byte, on every release hypothesis makes (same bytes, or the same
error). Duet does not use it.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import hashlib

import lxml.html
from lxml import etree

from pipeline import locales
from pipeline.errors import InputError
from pipeline.export import labelled_date
from pipeline.formats import tmx_inline
from pipeline.formats.bundle_html import (  # what the page writers share with the text writers, unchanged
    _CHROME_LANG,
    _STATUS_LABEL,
    DOCTYPE,
    IncompleteTranslation,
    _anchor_keys,
    _clean,
    _fallback_note,
    _join,
    _joiner,
    _safe_url,
    _source_title,
    _suggested_by,
    _term_spans,
    _trailer,
)
from pipeline.formats.bundle_html_assets import (
    BILINGUAL_CSS,
    PAIRING_JS,
    PUBLISH_CSS,
    content_security_policy,
)
from pipeline.formats.bundle_html_dates import dateline
from pipeline.formats.bundle_xml import (
    _META,
    NAMESPACE,
    STATUSES,
    XML_LANG,
    _q,
    _validate,
    format_score,
    xml_chars,
)
from pipeline.formats.tmx import (
    TmxExport,
    TranslationUnit,
    Variant,
    _blank,
    tmx14_dtd,
    tmx_date,
)
from pipeline.formats.xliff import _META as _XLIFF_META
from pipeline.formats.xliff import (
    DUET,
    FUZZY,
    LINE_BREAK,
    STATES,
    XML_SPACE,
    _d,
    nmtoken,
    xliff_schema,
)
from pipeline.formats.xliff import NAMESPACE as XLIFF_NAMESPACE
from pipeline.formats.xliff import _q as _xq
from pipeline.formats.xml_safe import NOT_XML, safe_parser
from pipeline.model import (
    ORIGINS,
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    ReleaseMeta,
)

# ------------------------------------------------------------------ bundle XML

def format_bundle_xml(release: BilingualRelease, *, tool_version: str) -> bytes:
    root = etree.Element(_q("bundle"), nsmap={None: NAMESPACE})
    for name, value in (("id", release.id), ("srcLang", release.source_language),
                        ("trgLang", release.target_language), ("locale", release.locale),
                        ("version", tool_version)):  # fmt: skip
        root.set(name, xml_chars(value, f"release {release.id!r} {name}"))
    _meta(root, release.meta, release.id)
    seen: set[str] = set()
    for n, paragraph in enumerate(release.paragraphs, 1):
        el = etree.SubElement(root, _q("paragraph"), kind=paragraph.kind, n=str(n))
        for segment in paragraph.segments:
            if segment.id in seen:
                raise InputError(f"release {release.id!r}: segment id {segment.id!r} is used twice")
            seen.add(segment.id)
            _segment(el, segment, release)
    etree.indent(root, space="  ")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    _validate(data, release.id)
    return data


def _meta(root: etree._Element, meta: ReleaseMeta, release_id: str) -> None:
    el = etree.SubElement(root, _q("meta"))
    if meta.language:
        el.set(XML_LANG, xml_chars(meta.language, f"release {release_id!r} language"))
    for name in _META:
        value = labelled_date(meta.date) if name == "date" else getattr(meta, name)
        if value:
            etree.SubElement(el, _q(name)).text = xml_chars(value, f"release {release_id!r} {name}")
    for name, value in meta.extra:
        item = etree.SubElement(el, _q("extra"), name=xml_chars(name, f"release {release_id!r} extra name"))
        item.text = xml_chars(value, f"release {release_id!r} extra {name!r}")


def _segment(parent: etree._Element, segment: AlignedSegment, release: BilingualRelease) -> None:
    what = f"segment {segment.id!r}"
    el = etree.SubElement(parent, _q("segment"), id=xml_chars(segment.id, what))
    if segment.status not in STATUSES:
        raise InputError(f"{what}: unknown status {segment.status!r} (expected one of {', '.join(STATUSES)})")
    if segment.origin not in ORIGINS:
        raise InputError(f"{what}: unknown origin {segment.origin!r} (expected one of {', '.join(ORIGINS)})")
    el.set("status", segment.status)
    el.set("origin", segment.origin)
    if segment.score is not None:
        el.set("score", format_score(segment.score, what))
    elif segment.origin == "tm-fuzzy":
        raise InputError(f"{what}: a tm-fuzzy segment needs its score")
    if segment.came_from:
        el.set("from", xml_chars(segment.came_from, f"{what} from"))
    if segment.starts_line:
        el.set("startsLine", "true")
    source = etree.SubElement(el, _q("source"))
    source.set(XML_LANG, release.source_language)
    source.text = xml_chars(segment.source, f"{what} source")
    target = etree.SubElement(el, _q("target"))
    target.set(XML_LANG, release.target_language)
    target.text = xml_chars(segment.target, f"{what} target")
    for term, rendering in segment.terms:
        etree.SubElement(el, _q("term"), source=xml_chars(term, f"{what} term"),
                         target=xml_chars(rendering, f"{what} term {term!r}"))  # fmt: skip



# ------------------------------------------------------------------ XLIFF

def format_xliff(release: BilingualRelease) -> bytes:
    if not release.paragraphs:
        raise InputError(f"release {release.id!r} has no paragraphs: an XLIFF file needs at least one group")
    root = etree.Element(_xq("xliff"), nsmap={None: XLIFF_NAMESPACE, "duet": DUET})
    root.set("version", "2.0")
    root.set("srcLang", xml_chars(release.source_language, f"release {release.id!r} srcLang"))
    root.set("trgLang", xml_chars(release.target_language, f"release {release.id!r} trgLang"))
    file = etree.SubElement(root, _xq("file"), id=nmtoken(xml_chars(release.id, "release id")))
    if release.meta.url:
        file.set("original", xml_chars(release.meta.url, f"release {release.id!r} url"))
    file.set(XML_SPACE, "preserve")
    _file_notes(file, release)
    ids: set[str] = set()
    for n, paragraph in enumerate(release.paragraphs, 1):
        group = etree.SubElement(file, _xq("group"), id=_unique(f"p{n}", ids, release.id), type=f"duet:{paragraph.kind}")
        for segment in paragraph.segments:
            _unit(group, segment, _unique(nmtoken(xml_chars(segment.id, "segment id")), ids, release.id))
    etree.indent(root, space="  ")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    schema = xliff_schema()
    if not schema.validate(etree.fromstring(data, safe_parser())):
        error = schema.error_log[0]
        raise InputError(f"release {release.id!r}: the XLIFF would not be valid against xliff_core_2.0.xsd "
                         f"(line {error.line}): {error.message}")  # fmt: skip
    return data


def _unique(ident: str, ids: set[str], release_id: str) -> str:
    if ident in ids:
        raise InputError(f"release {release_id!r}: XLIFF id {ident!r} is used twice (group and unit ids share a file)")
    ids.add(ident)
    return ident


def _note(notes: etree._Element, category: str, text: str, what: str, **attrs: str) -> None:
    note = etree.SubElement(notes, _xq("note"), category=category)
    for name, value in attrs.items():
        note.set(name, xml_chars(value, what))
    note.text = xml_chars(text, what)


def _file_notes(file: etree._Element, release: BilingualRelease) -> None:
    meta = release.meta
    notes = etree.Element(_xq("notes"))
    for name in _XLIFF_META:
        value = labelled_date(meta.date) if name == "date" else getattr(meta, name)
        if value:
            _note(notes, name, value, f"release {release.id!r} {name}")
    for name, value in meta.extra:
        _note(notes, "extra", value, f"release {release.id!r} extra {name!r}", **{_d("name"): name})
    if len(notes):
        file.append(notes)


def _unit(group: etree._Element, segment: AlignedSegment, ident: str) -> None:
    what = f"segment {segment.id!r}"
    if segment.status not in STATES:
        raise InputError(f"{what}: unknown status {segment.status!r} (expected one of {', '.join(STATES)})")
    if segment.origin not in ORIGINS:
        raise InputError(f"{what}: unknown origin {segment.origin!r} (expected one of {', '.join(ORIGINS)})")
    unit = etree.SubElement(group, _xq("unit"), id=ident)
    notes = etree.SubElement(unit, _xq("notes"))
    _note(notes, "origin", segment.origin, what)
    if segment.score is not None:
        _note(notes, "score", format_score(segment.score, what), what)
    elif segment.origin == "tm-fuzzy":
        raise InputError(f"{what}: a tm-fuzzy segment needs its score")
    if segment.came_from:
        _note(notes, "from", segment.came_from, what)
    for term, rendering in segment.terms:
        _note(notes, "term", f"{term} → {rendering}", f"{what} term",
              **{"appliesTo": "source", _d("source"): term, _d("target"): rendering})  # fmt: skip
    if segment.starts_line:
        etree.SubElement(etree.SubElement(unit, _xq("ignorable")), _xq("source")).text = LINE_BREAK
    seg = etree.SubElement(unit, _xq("segment"), state=STATES[segment.status])
    if segment.status == "fuzzy":
        seg.set("subState", FUZZY)
    etree.SubElement(seg, _xq("source")).text = xml_chars(segment.source, f"{what} source")
    if segment.status != "untranslated":
        etree.SubElement(seg, _xq("target")).text = xml_chars(segment.target, f"{what} target")


# ------------------------------------------------------------------ TMX

class _Writer:
    def __init__(self, source_locale: str, target_locale: str) -> None:
        self.source = locales.to_bcp47(source_locale)
        self.target = locales.to_bcp47(target_locale)
        self.dropped = 0

    def clean(self, text: str) -> str:
        clean, count = NOT_XML.subn("", text)
        self.dropped += count
        return clean

    def element(self, parent: etree._Element, name: str, text: str | None = None, depth: int = 0,
                **attrs: str | None) -> etree._Element:  # fmt: skip
        el = etree.SubElement(parent, name)
        for key, value in attrs.items():
            if value is not None:
                el.set(XML_LANG if key == "xml_lang" else key.replace("_", "-"), self.clean(value))
        if text is not None:
            el.text = self.clean(text)
        if len(parent):  # indentation: the parent's text or the previous sibling's tail
            previous = parent[-2] if len(parent) > 1 else None
            indent = "\n" + "  " * (depth + 1)
            if previous is None:
                parent.text = indent
            else:
                previous.tail = indent
            el.tail = "\n" + "  " * depth
        return el

    def document(self, units: cabc.Iterable[TranslationUnit], tool: str, version: str,
                 date: dt.datetime | None) -> tuple[bytes, TmxExport]:  # fmt: skip
        stamp = tmx_date(date) if date is not None else None
        root = etree.Element("tmx", version="1.4")
        self.element(root, "header", None, 0, creationtool=tool, creationtoolversion=version, segtype="sentence",
                     o_tmf="Duet", adminlang="en", srclang=self.source, datatype="plaintext", creationdate=stamp)
        body = self.element(root, "body", None, 0)
        written = skipped = 0
        for unit in units:
            target = next((v for v in unit.targets if v.locale == self.target), None)
            if target is None or _blank(unit.source) or _blank(target):
                skipped += 1
                continue
            self.unit(body, unit, target, stamp)
            written += 1
        if not len(body):
            body.text = "\n  "
        root.text = root.text or "\n  "
        dtd = tmx14_dtd()
        if not dtd.validate(root):  # a side table holding markup TMX does not allow
            raise InputError(f"the TMX would not be valid against tmx14.dtd: {dtd.error_log.last_error.message}")
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
        return data, TmxExport(written, skipped, self.dropped)

    def unit(self, body: etree._Element, unit: TranslationUnit, target: Variant, stamp: str | None) -> None:
        tuid = unit.tuid or hashlib.sha1(f"{unit.source.text}\0{target.text}".encode("utf-8", "surrogatepass"))\
            .hexdigest()[:16]  # fmt: skip
        tu = self.element(body, "tu", None, 1, tuid=tuid, creationdate=unit.creation_date or stamp,
                          creationid=unit.creation_id, changedate=unit.change_date, changeid=unit.change_id,
                          usagecount=str(unit.usage_count), lastusagedate=unit.last_usage_date)
        for note in unit.notes:
            self.element(tu, "note", note, 2)
        props = [("x-origin", unit.origin)] if unit.origin is not None else []
        for kind, value in [*props, *unit.props]:
            self.element(tu, "prop", value, 2, type=kind)
        for locale, variant in ((self.source, unit.source), (self.target, target)):
            tuv = self.element(tu, "tuv", None, 2, xml_lang=locale)
            self.seg(tuv, variant, unit)

    def seg(self, tuv: etree._Element, variant: Variant, unit: TranslationUnit) -> None:
        content, dropped = tmx_inline.seg_xml(variant.text, variant.codes)
        self.dropped += dropped
        try:
            seg = etree.fromstring(f"<seg>{content}</seg>", safe_parser())
        except etree.XMLSyntaxError as exc:
            raise InputError(f"the inline codes of {variant.text!r} do not nest: {exc.msg}", unit.loc) from exc
        bad = next((el for el in seg.iter() if el.tag not in tmx_inline.CODE_ELEMENTS | {"seg", "sub"}), None)
        if bad is not None:
            raise InputError(f"<{bad.tag}> is not TMX inline markup (in {variant.text!r})", unit.loc)
        anchor = self.element(tuv, "seg", None, 3)
        tuv.replace(anchor, seg)
        seg.tail = anchor.tail


def format_tmx(units: cabc.Iterable[TranslationUnit], *, source_locale: str, target_locale: str, tool_version: str,
               creation_date: dt.datetime | None, creation_tool: str = "Duet") -> tuple[bytes, TmxExport]:
    return _Writer(source_locale, target_locale).document(units, creation_tool, tool_version, creation_date)


# ------------------------------------------------------------------ HTML pages

def format_bilingual_html(release: BilingualRelease, *, tool_version: str) -> str:
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
    if follows and segment.starts_line:
        _sub(parent, "br")
    elif follows:
        _text(parent, _joiner(language))


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


def _date(parent: etree._Element, iso: str, locale: str, lang: str | None) -> None:
    try:
        shown = dateline(iso, locale)
    except ValueError:
        _text(parent, iso)
        return
    attrs = {"datetime": labelled_date(iso.strip())}
    if lang:
        attrs["lang"] = lang
    _sub(parent, "time", shown, **attrs)


def _marked(parent: etree._Element, text: str, spans: list[tuple[int, int, str]], lang: str, tip_lang: str) -> None:
    last = 0
    for start, end, tooltip in spans:
        _text(parent, text[last:start])
        mark = _sub(parent, "mark", lang=tip_lang, title=tooltip, **{"class": "term"})
        _sub(mark, "span", text[start:end], lang=lang)
        last = end
    _text(parent, text[last:])


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {name: _clean(value) for name, value in attrs.items()})
    if text:
        element.text = _clean(text)
    return element


def _text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    text = _clean(text)
    last = next(parent.iterchildren(reversed=True), None)  # len(parent) would walk every child: quadratic
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
