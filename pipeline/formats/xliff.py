"""BilingualRelease ↔ XLIFF 2.0 core (``<release-id>.<locale>.xlf``), valid against the OASIS schema.

Writing (``format_xliff``/``write_xliff``) gives one ``<file>`` per release,
a ``<group>`` per paragraph (``type="duet:<kind>"``) and a ``<unit>`` per
segment holding one ``<segment>``::

    <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:duet="urn:duet:bundle:1"
           version="2.0" srcLang="en" trgLang="zh-Hant-HK">
      <file id="P2024013100123" original="https://www.info.gov.hk/..." xml:space="preserve">
        <notes>
          <note category="title">LCQ1: Public housing</note>
          <note category="date">2024-01-31T11:30+08:00</note>
          <note category="department">Housing Bureau</note>
          <note category="language">en</note>
          <note category="extra" duet:name="Ref">HB 1/2024</note>
        </notes>
        <group id="p1" type="duet:title">
          <unit id="s1">
            <notes>
              <note category="origin">tm-fuzzy</note>
              <note category="score">92.5</note>
              <note category="from">locales/memory/bureau.tmx</note>
              <note category="term" appliesTo="source" duet:source="public housing"
                    duet:target="公共房屋">public housing → 公共房屋</note>
            </notes>
            <segment state="initial" subState="duet:fuzzy">
              <source>Public housing</source>
              <target>公共房屋</target>
            </segment>
          </unit>
        </group>
      </file>
    </xliff>

Duet's status maps onto XLIFF's linear states (initial → translated →
reviewed → final) by what each promises. ``translated`` (publishable: an
approved PO entry) is ``final``, "finalized and ready to be used".
``fuzzy`` (a suggestion a person must still confirm) is ``initial``, as
``untranslated`` is: tools such as translate-toolkit count every state past
``initial`` as done. The fuzzy segment keeps its ``<target>`` and says what
it is with ``subState="duet:fuzzy"`` (core allows ``subState`` only with an
explicit ``state``, which is always written); an untranslated one has no
``<target>``: whatever target text the model holds is not a translation.

The origin, the score, where the translation came from and each glossary
term are unit notes (terms carry the exact pair in
``duet:source``/``duet:target``, attributes core allows on ``<note>``); the
release metadata are file notes, the URL ``original``. A segment that starts
a new line of its paragraph (a numbered list's item) has the line break
before it as an ``<ignorable>``, which tools copy to the target unchanged.
Languages are BCP 47 as the release holds them. ``xml:space="preserve"`` on
``<file>`` keeps leading, trailing and repeated spaces of every source and
target. Ids must be ``NMTOKEN``: every character but ASCII letters, digits and
``-._:`` becomes ``_`` in the file and unit ids; a group id (``p1``,
``p2``, ...) or unit id used twice is refused with ``InputError``, as is a
release without paragraphs (core needs at least one group) and any
character XML 1.0 cannot hold (see ``bundle_xml``).

Every output is validated against ``xliff_core_2.0.xsd`` (shipped in
``pipeline/schemas`` unmodified, with the W3C ``xml.xsd`` it imports, which
a resolver supplies from the package: nothing is fetched); the same release
gives the same bytes.

Reading (``read_xliff``) is for Duet's own files: the first ``<file>``, its
groups as paragraphs, one segment per unit, no inline codes (other shapes
are refused with ``InputError``); ``final`` reads as
``translated``, ``translated`` and ``reviewed`` as ``fuzzy``, ``initial`` as
``fuzzy`` with ``subState="duet:fuzzy"`` and as ``untranslated`` without
(another state keeps its own reading, whatever ``subState`` is left);
the locale is ``trgLang`` in POSIX form.
"""

from __future__ import annotations

import functools
import os
import re

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
    SegmentStatus,
)
from .bundle_xml import NAMESPACE as DUET
from .bundle_xml import format_score, schema_bytes, xml_chars
from .files import write_atomic
from .xml_safe import escape_attribute, escape_text, parse_xml, safe_parser

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STATES = {"translated": "final", "fuzzy": "initial", "untranslated": "initial"}
FUZZY = "duet:fuzzy"
LINE_BREAK = "\n"
_STATUS: dict[str, SegmentStatus] = {"final": "translated", "reviewed": "fuzzy", "translated": "fuzzy", "initial": "untranslated"}
_KINDS = ("title", "caption", "body", "trailer")
_META = ("title", "date", "department", "language")
# ASCII name characters only: libxml2 checks xs:NMTOKEN by XML 1.0 fourth edition's
# tables, which refuse letters the fifth edition allows (U+2000B, for one).
_NOT_NAME = re.compile("[^-.0-9:A-Z_a-z]")
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"
_NOTE_INDENT = "          "  # a unit's notes: xliff > file > group > unit > notes > note


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _d(name: str) -> str:
    return f"{{{DUET}}}{name}"


def nmtoken(value: str) -> str:
    """``value`` with every character but ASCII letters, digits and ``-._:`` replaced by ``_``.

    >>> nmtoken("P2024013100123"), nmtoken("press release 3/2024"), nmtoken("公告1"), nmtoken("")
    ('P2024013100123', 'press_release_3_2024', '__1', '_')
    """
    return _NOT_NAME.sub("_", value) or "_"


class _SchemaFiles(etree.Resolver):
    """Supply ``xml.xsd`` from the package for the core schema's relative import; fetch nothing."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url.endswith("/xml.xsd"):
            return self.resolve_string(schema_bytes("xml.xsd"), context)
        return None


@functools.cache
def xliff_schema() -> etree.XMLSchema:
    """The official XLIFF 2.0 core XSD, parsed from the package (``xliff_core_2.0.xsd`` + ``xml.xsd``)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_SchemaFiles())
    doc = etree.fromstring(schema_bytes("xliff_core_2.0.xsd"), parser, base_url="duet-schemas/xliff_core_2.0.xsd")
    return etree.XMLSchema(doc)


def format_xliff(release: BilingualRelease) -> bytes:
    """XLIFF 2.0 core of ``release`` (UTF-8), valid against ``xliff_core_2.0.xsd``.

    Written as text the way ``bundle_xml`` writes its file (the bytes lxml
    would write for the tree, indented as ``etree.indent`` does), then parsed
    and validated against the schema before it is returned.
    """
    if not release.paragraphs:
        raise InputError(f"release {release.id!r} has no paragraphs: an XLIFF file needs at least one group")
    out = [f'<xliff xmlns="{NAMESPACE}" xmlns:duet="{DUET}" version="2.0"',
           f' srcLang="{escape_attribute(xml_chars(release.source_language, f"release {release.id!r} srcLang"))}"',
           f' trgLang="{escape_attribute(xml_chars(release.target_language, f"release {release.id!r} trgLang"))}">\n',
           f'  <file id="{escape_attribute(nmtoken(xml_chars(release.id, "release id")))}"']  # fmt: skip
    if release.meta.url:
        out.append(f' original="{escape_attribute(xml_chars(release.meta.url, f"release {release.id!r} url"))}"')
    out.append(' xml:space="preserve">\n')
    _file_notes(out, release)
    ids: set[str] = set()
    for n, paragraph in enumerate(release.paragraphs, 1):
        group = f'    <group id="{_unique(f"p{n}", ids, release.id)}"'
        group += f' type="duet:{escape_attribute(xml_chars(paragraph.kind, f"release {release.id!r} paragraph {n} kind"))}"'
        if not paragraph.segments:
            out.append(group + "/>\n")
            continue
        out.append(group + ">\n")
        for segment in paragraph.segments:
            _unit(out, segment, _unique(nmtoken(xml_chars(segment.id, "segment id")), ids, release.id))
        out.append("    </group>\n")
    out.append("  </file>\n</xliff>\n")
    data = _DECLARATION + "".join(out).encode("utf-8")
    schema = xliff_schema()
    if not schema.validate(etree.fromstring(data, safe_parser())):
        error = schema.error_log[0]
        raise InputError(f"release {release.id!r}: the XLIFF would not be valid against xliff_core_2.0.xsd "
                         f"(line {error.line}): {error.message}")  # fmt: skip
    return data


def write_xliff(path: str | os.PathLike[str], release: BilingualRelease) -> None:
    """Write ``format_xliff``'s bytes to ``path`` atomically."""
    write_atomic(path, format_xliff(release))


def _unique(ident: str, ids: set[str], release_id: str) -> str:
    if ident in ids:
        raise InputError(f"release {release_id!r}: XLIFF id {ident!r} is used twice (group and unit ids share a file)")
    ids.add(ident)
    return ident


def _note(indent: str, category: str, text: str, what: str, **attrs: str) -> str:
    """A ``<note>`` line; its attributes are checked before its text, as the file writes them."""
    shown = "".join(f' {name}="{escape_attribute(xml_chars(value, what))}"' for name, value in attrs.items())
    return f'{indent}<note category="{category}"{shown}>{escape_text(xml_chars(text, what))}</note>\n'


def _file_notes(out: list[str], release: BilingualRelease) -> None:
    meta = release.meta
    notes = []
    for name in _META:
        value = labelled_date(meta.date) if name == "date" else getattr(meta, name)
        if value:
            notes.append(_note("      ", name, value, f"release {release.id!r} {name}"))
    for name, value in meta.extra:
        notes.append(_note("      ", "extra", value, f"release {release.id!r} extra {name!r}", **{"duet:name": name}))
    if notes:
        out += ["    <notes>\n", *notes, "    </notes>\n"]


def _unit(out: list[str], segment: AlignedSegment, ident: str) -> None:
    what = f"segment {segment.id!r}"
    if segment.status not in STATES:
        raise InputError(f"{what}: unknown status {segment.status!r} (expected one of {', '.join(STATES)})")
    if segment.origin not in ORIGINS:
        raise InputError(f"{what}: unknown origin {segment.origin!r} (expected one of {', '.join(ORIGINS)})")
    out += [f'      <unit id="{escape_attribute(ident)}">\n        <notes>\n',
            _note(_NOTE_INDENT, "origin", segment.origin, what)]  # fmt: skip
    if segment.score is not None:
        out.append(_note(_NOTE_INDENT, "score", format_score(segment.score, what), what))
    elif segment.origin == "tm-fuzzy":
        raise InputError(f"{what}: a tm-fuzzy segment needs its score")
    if segment.came_from:
        out.append(_note(_NOTE_INDENT, "from", segment.came_from, what))
    for term, rendering in segment.terms:
        out.append(_note(_NOTE_INDENT, "term", f"{term} → {rendering}", f"{what} term",
                         **{"appliesTo": "source", "duet:source": term, "duet:target": rendering}))  # fmt: skip
    out.append("        </notes>\n")
    if segment.starts_line:
        out.append(f"        <ignorable>\n          <source>{escape_text(LINE_BREAK)}</source>\n        </ignorable>\n")
    state = STATES[segment.status]
    out.append(f'        <segment state="{state}" subState="{FUZZY}">\n' if segment.status == "fuzzy"
               else f'        <segment state="{state}">\n')  # fmt: skip
    out.append(f"          <source>{escape_text(xml_chars(segment.source, f'{what} source'))}</source>\n")
    if segment.status != "untranslated":
        out.append(f"          <target>{escape_text(xml_chars(segment.target, f'{what} target'))}</target>\n")
    out.append("        </segment>\n      </unit>\n")


# ----------------------------------------------------------------- reading


def read_xliff(data: bytes, display: str) -> BilingualRelease:
    """The release in an XLIFF 2.0 file Duet wrote; invalid XLIFF raises ``InputError`` at ``display:line``."""
    root = parse_xml(data, display)
    schema = xliff_schema()
    if not schema.validate(root):
        error = schema.error_log[0]
        raise InputError(f"not XLIFF 2.0 (xliff_core_2.0.xsd): {error.message}", Location(display, error.line or None))
    file = root.find(_q("file"))
    assert file is not None  # the schema requires one
    stray = file.find(_q("unit"))
    if stray is not None:
        raise InputError(f"unit {stray.get('id')!r} is outside any group; Duet writes one group per paragraph",
                         Location(display, stray.sourceline))  # fmt: skip
    paragraphs = []
    for group in file.iterchildren(_q("group")):
        kind = group.get("type", "").removeprefix("duet:")
        if kind not in _KINDS:
            raise InputError(f"group type {group.get('type')!r} is not a Duet paragraph kind",
                             Location(display, group.sourceline))  # fmt: skip
        units = tuple(_read_unit(unit, display) for unit in group.iterchildren(_q("unit")))
        paragraphs.append(AlignedParagraph(kind=kind, segments=units))  # type: ignore[arg-type]
    target_language = root.get("trgLang", "")
    return BilingualRelease(id=file.get("id", ""), meta=_read_meta(file), source_language=root.get("srcLang", ""),
                            target_language=target_language, locale=target_language.replace("-", "_"),
                            paragraphs=tuple(paragraphs))  # fmt: skip


def _notes(parent: etree._Element) -> list[etree._Element]:
    return list(parent.iterfind(f"{_q('notes')}/{_q('note')}"))


def _read_meta(file: etree._Element) -> ReleaseMeta:
    fields = {name: "" for name in _META}
    extra = []
    for note in _notes(file):
        category = note.get("category", "")
        if category in fields:
            fields[category] = note.text or ""
        elif category == "extra":
            extra.append((note.get(_d("name"), ""), note.text or ""))
    return ReleaseMeta(title=fields["title"], date=unlabelled_date(fields["date"]), url=file.get("original", ""),
                       department=fields["department"], language=fields["language"], extra=tuple(extra))  # fmt: skip


def _read_unit(unit: etree._Element, display: str) -> AlignedSegment:
    segments = list(unit.iterchildren(_q("segment")))
    if len(segments) != 1:
        raise InputError(f"unit {unit.get('id')!r} has {len(segments)} segments; Duet writes one",
                         Location(display, unit.sourceline))  # fmt: skip
    origin, score, came_from, terms = "human", None, "", []
    for note in _notes(unit):
        category = note.get("category")
        if category == "origin":
            origin = note.text or ""
        elif category == "from":
            came_from = note.text or ""
        elif category == "score":
            try:
                score = float(note.text or "")
            except ValueError:
                raise InputError(f"score {note.text!r} is not a number", Location(display, note.sourceline)) from None
        elif category == "term":
            terms.append((note.get(_d("source"), ""), note.get(_d("target"), "")))
    seg = segments[0]
    inline = next(seg.iterfind(f"{_q('source')}/*"), next(seg.iterfind(f"{_q('target')}/*"), None))
    if inline is not None:
        raise InputError(f"unit {unit.get('id')!r}: inline codes are not supported",
                         Location(display, inline.sourceline))  # fmt: skip
    return AlignedSegment(
        id=unit.get("id", ""), source=seg.findtext(_q("source")) or "", target=seg.findtext(_q("target")) or "",
        status=_status(seg), origin=origin, score=score, terms=tuple(terms), came_from=came_from,
        starts_line=seg.getprevious() is not None and seg.getprevious().tag == _q("ignorable"),
    )  # fmt: skip


def _status(segment: etree._Element) -> SegmentStatus:
    """A state another tool moved past ``initial`` wins over the ``subState`` it left behind."""
    state = segment.get("state", "initial")
    return "fuzzy" if state == "initial" and segment.get("subState") == FUZZY else _STATUS[state]
