"""BilingualRelease ↔ the paired bilingual XML of a bundle (``<release-id>.<locale>.xml``).

The format is Duet's own, namespace ``urn:duet:bundle:1``, described by the
RELAX NG grammar ``pipeline/schemas/duet-bundle.rng`` that ships in the
package::

    <bundle xmlns="urn:duet:bundle:1" id="P2024013100123" srcLang="en"
            trgLang="zh-Hant-HK" locale="zh_Hant_HK" version="0.1.0">
      <meta xml:lang="en">
        <title>LCQ1: Public housing</title>
        <date>2024-01-31T11:30+08:00</date>
        <url>https://www.info.gov.hk/gia/general/202401/31/P2024013100123.htm</url>
        <department>Housing Bureau</department>
        <extra name="Ref">HB 1/2024</extra>
      </meta>
      <paragraph kind="title" n="1">
        <segment id="s1" status="translated" origin="tm-fuzzy" score="92.5" from="bureau.tmx">
          <source xml:lang="en">Public housing</source>
          <target xml:lang="zh-Hant-HK">公共房屋</target>
          <term source="public housing" target="公共房屋"/>
        </segment>
      </paragraph>
    </bundle>

Empty metadata fields are left out; a date's time carries its offset (Hong
Kong's, ``+08:00``, unless the release named another); ``<target>`` is always there, empty for
an untranslated segment; ``from`` names where a machine-made translation came
from, and ``startsLine="true"`` marks a segment a line break separates from
the one before it. Text is written exactly as the model holds it:
``<``, ``&`` and quotes are escaped, and carriage returns in text and tabs
and newlines in attributes become character references, so nothing is lost.

Writing (``format_bundle_xml``/``write_bundle_xml``) depends only on its
arguments: the same release gives the same bytes (no clock, no host). Every
output is parsed back and validated against the grammar before it is
returned; a release the grammar refuses (an unknown status or origin, a
``tm-fuzzy`` segment without score, a score outside 0-100, a date that is not
ISO 8601, a language tag that is not one) raises ``InputError`` rather than
giving an invalid file. Characters XML 1.0 cannot hold (C0 controls but tab
and newlines, U+FFFE, U+FFFF, lone surrogates) are refused the same way,
naming the segment: the bundle is the record of what was published, so it
does not silently differ from the release (the TMX export, a memory of many
releases, drops them instead). A segment id used twice is refused too.

Reading (``read_bundle_xml``) goes through ``xml_safe.parse_xml`` (no DTD,
no entities, no network) and validates against the same grammar, so
``read_bundle_xml(format_bundle_xml(r), ...) == r`` for every release that
can be written.
"""

from __future__ import annotations

import decimal
import functools
import importlib.resources
import math
import os

from lxml import etree

from ..errors import InputError
from ..export import labelled_date, unlabelled_date
from ..model import (
    ORIGINS,
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    Location,
    ReleaseMeta,
)
from .files import write_atomic
from .xml_safe import NOT_XML, escape_attribute, escape_text, parse_xml, safe_parser

NAMESPACE = "urn:duet:bundle:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUSES = ("translated", "fuzzy", "untranslated")
_META = ("title", "date", "url", "department")
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def schema_bytes(name: str) -> bytes:
    """A file of ``pipeline/schemas`` (package data), as bytes."""
    return importlib.resources.files("pipeline").joinpath("schemas", name).read_bytes()


@functools.cache
def bundle_schema() -> etree.RelaxNG:
    """The RELAX NG grammar of the bundle XML, parsed (``duet-bundle.rng``, shipped in the package)."""
    return etree.RelaxNG(etree.fromstring(schema_bytes("duet-bundle.rng"), safe_parser()))


def xml_chars(value: str, what: str) -> str:
    """``value`` unchanged, or ``InputError`` naming ``what`` if XML 1.0 cannot hold one of its characters.

    >>> xml_chars("公共房屋 <&>", "target")
    '公共房屋 <&>'
    >>> xml_chars("a\\x0bb", "segment 's1' source")
    Traceback (most recent call last):
    ...
    pipeline.errors.InputError: segment 's1' source: U+000B at offset 1 cannot be written in XML 1.0
    """
    bad = NOT_XML.search(value)
    if bad:
        raise InputError(f"{what}: U+{ord(bad[0]):04X} at offset {bad.start()} cannot be written in XML 1.0")
    return value


def format_score(score: float, what: str) -> str:
    """``score`` as an ``xsd:decimal`` (no exponent) that reads back as the same float.

    >>> format_score(92.5, "s1"), format_score(100, "s1"), format_score(1e-7, "s1")
    ('92.5', '100', '0.0000001')
    """
    if not isinstance(score, (int, float)) or not math.isfinite(score) or not 0 <= score <= 100:
        raise InputError(f"{what}: score {score!r} is not a number from 0 to 100")
    return format(decimal.Decimal(repr(score)), "f")


def format_bundle_xml(release: BilingualRelease, *, tool_version: str) -> bytes:
    """The bundle XML of ``release`` (UTF-8), valid against ``duet-bundle.rng``.

    Written as text, every value through ``escape_attribute``/``escape_text``,
    laid out as ``etree.indent`` lays out a tree: the bytes lxml would write
    for the same tree (``tests/formats/test_text_writers.py`` compares them
    with a tree-built reference), at a fraction of the cost of building one.
    They are then parsed and validated as before, so what the grammar refuses
    is never returned.
    """
    rid = release.id
    out = [f'<bundle xmlns="{NAMESPACE}"']
    for name, value in (("id", release.id), ("srcLang", release.source_language),
                        ("trgLang", release.target_language), ("locale", release.locale),
                        ("version", tool_version)):  # fmt: skip
        out.append(f' {name}="{escape_attribute(xml_chars(value, f"release {rid!r} {name}"))}"')
    out.append(">\n")
    _meta(out, release.meta, rid)
    langs = (f' xml:lang="{escape_attribute(release.source_language)}">',
             f' xml:lang="{escape_attribute(release.target_language)}">')
    seen: set[str] = set()
    for n, paragraph in enumerate(release.paragraphs, 1):
        kind = escape_attribute(xml_chars(paragraph.kind, f"release {rid!r} paragraph {n} kind"))
        if not paragraph.segments:
            out.append(f'  <paragraph kind="{kind}" n="{n}"/>\n')
            continue
        out.append(f'  <paragraph kind="{kind}" n="{n}">\n')
        for segment in paragraph.segments:
            if segment.id in seen:
                raise InputError(f"release {rid!r}: segment id {segment.id!r} is used twice")
            seen.add(segment.id)
            _segment(out, segment, langs)
        out.append("  </paragraph>\n")
    out.append("</bundle>\n")
    data = _DECLARATION + "".join(out).encode("utf-8")
    _validate(data, rid)
    return data


def write_bundle_xml(path: str | os.PathLike[str], release: BilingualRelease, *, tool_version: str) -> None:
    """Write ``format_bundle_xml``'s bytes to ``path`` atomically."""
    write_atomic(path, format_bundle_xml(release, tool_version=tool_version))


def _meta(out: list[str], meta: ReleaseMeta, release_id: str) -> None:
    head = "  <meta"
    if meta.language:
        head += f' xml:lang="{escape_attribute(xml_chars(meta.language, f"release {release_id!r} language"))}"'
    fields = []
    for name in _META:
        value = labelled_date(meta.date) if name == "date" else getattr(meta, name)
        if value:
            fields.append(f"    <{name}>{escape_text(xml_chars(value, f'release {release_id!r} {name}'))}</{name}>\n")
    for name, value in meta.extra:
        shown = escape_attribute(xml_chars(name, f"release {release_id!r} extra name"))
        text = escape_text(xml_chars(value, f"release {release_id!r} extra {name!r}"))
        fields.append(f'    <extra name="{shown}">{text}</extra>\n')
    if fields:
        out += [head, ">\n", *fields, "  </meta>\n"]
    else:
        out.append(head + "/>\n")


def _segment(out: list[str], segment: AlignedSegment, langs: tuple[str, str]) -> None:
    """The ``<segment>`` element; its checks in the order the fields are written, so the first problem is named."""
    what = f"segment {segment.id!r}"
    head = f'    <segment id="{escape_attribute(xml_chars(segment.id, what))}"'
    if segment.status not in STATUSES:
        raise InputError(f"{what}: unknown status {segment.status!r} (expected one of {', '.join(STATUSES)})")
    if segment.origin not in ORIGINS:
        raise InputError(f"{what}: unknown origin {segment.origin!r} (expected one of {', '.join(ORIGINS)})")
    head += f' status="{segment.status}" origin="{segment.origin}"'
    if segment.score is not None:
        head += f' score="{format_score(segment.score, what)}"'
    elif segment.origin == "tm-fuzzy":
        raise InputError(f"{what}: a tm-fuzzy segment needs its score")
    if segment.came_from:
        head += f' from="{escape_attribute(xml_chars(segment.came_from, f"{what} from"))}"'
    if segment.starts_line:
        head += ' startsLine="true"'
    out += [head, ">\n      <source", langs[0], escape_text(xml_chars(segment.source, f"{what} source")),
            "</source>\n      <target", langs[1], escape_text(xml_chars(segment.target, f"{what} target")),
            "</target>\n"]  # fmt: skip
    for term, rendering in segment.terms:
        out.append(f'      <term source="{escape_attribute(xml_chars(term, f"{what} term"))}" '
                   f'target="{escape_attribute(xml_chars(rendering, f"{what} term {term!r}"))}"/>\n')
    out.append("    </segment>\n")


def _validate(data: bytes, release_id: str) -> None:
    """Validate the bytes as written (parsed back, so errors have lines), never the tree."""
    root = etree.fromstring(data, safe_parser())
    schema = bundle_schema()
    if schema.validate(root):
        return
    error = _first_error(schema)
    raise InputError(f"{_where(root, error.line, release_id)}: the bundle XML would not be valid against "
                     f"duet-bundle.rng: {error.message}")


def _first_error(schema: etree.RelaxNG) -> etree._LogEntry:
    """The first error that has a line: libxml2 may put a summary without one before the precise error."""
    return next((error for error in schema.error_log if error.line), schema.error_log[0])


def _where(root: etree._Element, line: int, release_id: str) -> str:
    """The segment whose element is on ``line`` or holds the element there; else the release."""
    for el in root.iter():
        if el.sourceline == line:
            for node in (el, *el.iterancestors()):
                if node.tag == _q("segment"):
                    return f"segment {node.get('id')!r}"
            break
    return f"release {release_id!r}"


# ----------------------------------------------------------------- reading


def read_bundle_xml(data: bytes, display: str) -> BilingualRelease:
    """The release a bundle XML holds; what ``duet-bundle.rng`` refuses raises ``InputError`` at ``display:line``."""
    root = parse_xml(data, display)
    schema = bundle_schema()
    if not schema.validate(root):
        error = _first_error(schema)
        raise InputError(f"not a Duet bundle (duet-bundle.rng): {error.message}", Location(display, error.line or None))
    source_language, target_language = root.get("srcLang", ""), root.get("trgLang", "")
    paragraphs = []
    for n, el in enumerate(root.iterchildren(_q("paragraph")), 1):
        if el.get("n") != str(n):
            raise InputError(f"paragraph n={el.get('n')!r} is paragraph {n}", Location(display, el.sourceline))
        segments = []
        for seg in el.iterchildren(_q("segment")):
            source, target = seg.find(_q("source")), seg.find(_q("target"))
            assert source is not None and target is not None  # the grammar requires them
            for side, want in ((source, source_language), (target, target_language)):
                if side.get(XML_LANG) != want:
                    raise InputError(f"xml:lang {side.get(XML_LANG)!r} differs from the bundle's {want!r}",
                                     Location(display, side.sourceline))
            score = seg.get("score")
            segments.append(AlignedSegment(
                id=seg.get("id", ""), source=source.text or "", target=target.text or "",
                status=seg.get("status"), origin=seg.get("origin", ""),  # type: ignore[arg-type]
                score=float(score) if score is not None else None,
                terms=tuple((t.get("source", ""), t.get("target", "")) for t in seg.iterchildren(_q("term"))),
                came_from=seg.get("from", ""), starts_line=seg.get("startsLine") == "true",
            ))  # fmt: skip
        paragraphs.append(AlignedParagraph(kind=el.get("kind"), segments=tuple(segments)))  # type: ignore[arg-type]
    return BilingualRelease(id=root.get("id", ""), meta=_read_meta(root), source_language=source_language,
                            target_language=target_language, locale=root.get("locale", ""),
                            paragraphs=tuple(paragraphs))  # fmt: skip


def _read_meta(root: etree._Element) -> ReleaseMeta:
    meta = root.find(_q("meta"))
    assert meta is not None  # the grammar requires it
    def text(name: str) -> str:
        return meta.findtext(_q(name)) or ""

    extra = tuple((item.get("name", ""), item.text or "") for item in meta.iterchildren(_q("extra")))
    return ReleaseMeta(title=text("title"), date=unlabelled_date(text("date")), url=text("url"), department=text("department"),
                       language=meta.get(XML_LANG, ""), extra=extra)
