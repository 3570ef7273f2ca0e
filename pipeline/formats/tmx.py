"""TMX ↔ translation units: TMX 1.1 to 1.4b read in either direction, TMX 1.4b written.

Reading (``read_tmx``) accepts what TMX tools write in the wild: TMX 1.1's
``lang`` as well as ``xml:lang``; the TMX 1.4 namespace some tools add
(``xmlns="http://www.lisa.org/tmx14"``); UTF-8 with or without BOM, UTF-16
with a BOM or a declaration, and declared ASCII-based legacy encodings
(ISO-8859-1, windows-1252, Big5, GB18030: see ``xml_safe``); language tags
in any case and either separator, matched to the configured locales by CLDR
likely subtags (``tmx_lang``); any ``srclang`` (``*all*`` included): the
file's direction does not matter, a unit gives a pair when it has a variant
for the configured source locale and one for at least one target locale. Units missing either side are skipped and
counted (``TmxDocument.skipped_no_source``/``skipped_no_target``); a variant
whose text is empty counts as missing. Inline markup becomes placeholders
(``tmx_inline``). Segment text is kept exactly, whitespace included.

Metadata: ``tuid``, ``usagecount`` and the dates and ids come from the
``<tu>``, or where it has none (OmegaT dates the variants) from the first
target ``<tuv>``, then the source's; ``props`` and ``notes`` are the unit's,
then the chosen variants'; the first ``<prop type="x-origin">`` is ``origin``.

Everything else is refused with ``InputError`` at ``path:line``: malformed
XML (the line lxml reports), a root that is not ``<tmx>``, a version other
than 1.0 to 1.4 (``1.4b`` included; a missing one is accepted), a ``<tuv>``
without language or ``<seg>``, a ``usagecount`` that is not a number, an
encoding XML does not require (UTF-32, UTF-7, EBCDIC), and any entity: an
entity declaration in the document type (external entities, XXE; nested
ones, billion laughs), however disguised, or a reference to an entity other
than XML's five (``xml_safe``). DTDs are never loaded or fetched, so a plain
``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is accepted and ignored.

Writing (``format_tmx``/``write_tmx``) gives TMX 1.4b, ``version="1.4"``
(the only value the DTD's ``#FIXED`` allows), checked against the official
DTD before it is returned. The output depends only on the arguments (the
creation date is one; without one the file and its undated units have no
``creationdate``): the same units give the same bytes. Characters XML
1.0 cannot hold (C0 controls but tab and newlines, U+FFFE, U+FFFF, lone
surrogates) are dropped and counted in ``TmxExport.dropped_characters``
rather than refused: one stray control character pasted from a PDF should
not stop a whole memory's export. A unit without ``tuid`` gets a hash of its
two texts (stable when other units come and go), one without creation date
the file's; units without the target locale, or with a side left empty, are
counted in ``TmxExport.skipped``.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import functools
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import locales
from ..errors import InputError
from ..model import Location
from . import tmx_inline
from .files import write_atomic
from .tmx_dtd import TMX14_DTD
from .tmx_inline import Codes
from .tmx_lang import assign
from .xml_safe import (
    NOT_XML,
    escape_attribute,
    escape_text,
    parse_xml,
    safe_parser,
    written_parser,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_VERSION = re.compile(r"1\.[0-4](\.[0-9]+)?[a-z]?")
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


@dataclass(frozen=True, slots=True)
class Variant:
    """One language of a unit: text with placeholders, and the XML each placeholder stands for."""

    locale: str  # the configured locale it stands for, BCP 47 (``zh-Hant-HK``)
    text: str
    codes: Codes = ()
    lang: str = field(default="", compare=False)  # the ``xml:lang`` as the file wrote it

    @property
    def plain(self) -> str:
        """The text without placeholders, for matching."""
        return tmx_inline.plain(self.text, self.codes)


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """A ``<tu>``: the source variant, one variant per target locale found, and metadata.

    Dates are TMX dates as written (``20240131T120000Z``); ``tmx_date`` makes one.
    """

    source: Variant
    targets: tuple[Variant, ...]
    tuid: str | None = None
    creation_date: str | None = None
    creation_id: str | None = None
    change_date: str | None = None
    change_id: str | None = None
    usage_count: int = 0
    last_usage_date: str | None = None
    origin: str | None = None  # ``<prop type="x-origin">``: the file the pair came from
    props: tuple[tuple[str, str], ...] = ()  # other ``<prop>``s: (type, value), unit's then variants'
    notes: tuple[str, ...] = ()
    loc: Location | None = field(default=None, compare=False)

    def target(self, locale: str) -> Variant | None:
        """The variant for ``locale`` (any form ``locales.normalize`` reads), if any."""
        wanted = locales.to_bcp47(locale)
        return next((v for v in self.targets if v.locale == wanted), None)


@dataclass(frozen=True, slots=True)
class TmxHeader:
    """The ``<header>`` attributes as written (``""`` when absent), with its props and notes."""

    version: str = ""
    creation_tool: str = ""
    creation_tool_version: str = ""
    segtype: str = ""
    o_tmf: str = ""
    admin_lang: str = ""
    source_lang: str = ""  # ``srclang``; may be ``*all*``; does not decide the direction
    datatype: str = ""
    creation_date: str = ""
    creation_id: str = ""
    change_date: str = ""
    change_id: str = ""
    o_encoding: str = ""
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TmxDocument:
    """A TMX file read for the configured locales, with what was left out."""

    path: str
    header: TmxHeader
    units: tuple[TranslationUnit, ...]
    skipped_no_source: int = 0  # units with no non-empty variant for the source locale
    skipped_no_target: int = 0  # units with a source but no non-empty variant for any target
    unmatched_languages: tuple[str, ...] = ()  # tags (as written) that fit no configured locale

    @property
    def skipped(self) -> int:
        return self.skipped_no_source + self.skipped_no_target


@dataclass(frozen=True, slots=True)
class TmxExport:
    """What ``write_tmx`` wrote."""

    units: int  # ``<tu>`` elements written
    skipped: int  # units with no variant for the target locale, or an empty side
    dropped_characters: int  # characters XML 1.0 cannot hold, removed


# ----------------------------------------------------------------- reading


def read_tmx(
    path: str | os.PathLike[str],
    *,
    display: str | None = None,
    source_locale: str = "en",
    target_locales: cabc.Sequence[str] = ("zh_Hant_HK",),
) -> TmxDocument:
    """Read a TMX file; errors and each unit's ``loc`` name ``display`` (default: the path)."""
    shown = display or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", Location(shown)) from exc
    return parse_tmx(data, shown, source_locale=source_locale, target_locales=target_locales)


def parse_tmx(
    data: bytes,
    display: str,
    *,
    source_locale: str = "en",
    target_locales: cabc.Sequence[str] = ("zh_Hant_HK",),
) -> TmxDocument:
    """Parse TMX bytes (see the module docstring)."""
    root = parse_xml(data, display)
    if _local(root) != "tmx":
        raise InputError(f"not a TMX file: the root element is <{_local(root)}>", Location(display, root.sourceline))
    version = root.get("version", "")
    if version and not _VERSION.fullmatch(version):
        raise InputError(f"unsupported TMX version {version!r} (Duet reads 1.1 to 1.4b)",
                         Location(display, root.sourceline))
    header_el, body = _child(root, "header"), _child(root, "body")
    if body is None:
        raise InputError("<tmx> has no <body>", Location(display, root.sourceline))
    header = _header(header_el, version)
    reader = _UnitReader(display, locales.normalize(source_locale), [locales.normalize(t) for t in target_locales])
    units = tuple(unit for tu in body if _local(tu) == "tu" and (unit := reader.unit(tu)) is not None)
    return TmxDocument(display, header, units, reader.no_source, reader.no_target,
                       tuple(sorted(reader.unmatched, key=lambda tag: (tag.lower(), tag))))


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    return next((c for c in parent if _local(c) == name), None) if parent is not None else None


def _props_notes(el: etree._Element) -> tuple[list[tuple[str, str]], list[str]]:
    props = [(c.get("type", ""), c.text or "") for c in el if _local(c) == "prop"]
    return props, [c.text or "" for c in el if _local(c) == "note"]


def _header(el: etree._Element | None, version: str) -> TmxHeader:
    if el is None:
        return TmxHeader(version=version)
    props, notes = _props_notes(el)
    get = el.get
    return TmxHeader(
        version, get("creationtool", ""), get("creationtoolversion", ""), get("segtype", ""), get("o-tmf", ""),
        get("adminlang", ""), get("srclang", ""), get("datatype", ""), get("creationdate", ""),
        get("creationid", ""), get("changedate", ""), get("changeid", ""), get("o-encoding", ""),
        tuple(props), tuple(notes),
    )  # fmt: skip


class _UnitReader:
    """Turns ``<tu>`` elements into units for one source and some target locales, counting what it skips."""

    def __init__(self, display: str, source: str, targets: list[str]) -> None:
        self.display = display
        self.source = source
        self.targets = [t for t in targets if t != source]
        self.no_source = 0
        self.no_target = 0
        self.unmatched: set[str] = set()

    def fail(self, message: str, el: etree._Element) -> InputError:
        return InputError(message, Location(self.display, el.sourceline))

    def unit(self, tu: etree._Element) -> TranslationUnit | None:
        variants: list[tuple[etree._Element, Variant]] = []
        for tuv in tu:
            if _local(tuv) != "tuv":
                continue
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").strip()
            if not lang:
                raise self.fail("<tuv> has no xml:lang (or TMX 1.1 lang)", tuv)
            seg = _child(tuv, "seg")
            if seg is None:
                raise self.fail("<tuv> has no <seg>", tuv)
            try:
                text, codes = tmx_inline.read_seg(seg)
            except tmx_inline.MarkupError as exc:
                raise InputError(str(exc), Location(self.display, exc.line)) from exc
            if tmx_inline.plain(text, codes).strip():
                variants.append((tuv, Variant("", text, codes, lang)))
        chosen = assign([v.lang for _, v in variants], [self.source, *self.targets])
        matched = set(chosen.values())
        self.unmatched.update(v.lang for i, (_, v) in enumerate(variants) if i not in matched)
        if self.source not in chosen:
            self.no_source += 1
            return None
        picked = {locale: variants[chosen[locale]] for locale in [self.source, *self.targets] if locale in chosen}
        if len(picked) == 1:
            self.no_target += 1
            return None
        return self.build(tu, picked)

    def build(self, tu: etree._Element, picked: dict[str, tuple[etree._Element, Variant]]) -> TranslationUnit:
        props, notes = _props_notes(tu)
        for tuv, _ in picked.values():
            more_props, more_notes = _props_notes(tuv)
            props += more_props
            notes += more_notes
        origin = next((value for kind, value in props if kind == "x-origin"), None)
        props = [(kind, value) for kind, value in props if kind != "x-origin"] if origin is not None else props
        count = tu.get("usagecount", "0").strip() or "0"
        if not (count.isascii() and count.isdigit()):
            raise self.fail(f"usagecount must be a whole number, not {count!r}", tu)
        variants = [(tuv, Variant(locales.to_bcp47(locale), v.text, v.codes, v.lang))
                    for locale, (tuv, v) in picked.items()]  # fmt: skip
        # OmegaT and others date the variants, not the unit: fall back to the first target's, then the source's.
        dated = [tu, *(tuv for tuv, _ in variants[1:]), variants[0][0]]

        def attr(name: str) -> str | None:
            return next((value for el in dated if (value := el.get(name))), None)

        return TranslationUnit(
            source=variants[0][1], targets=tuple(v for _, v in variants[1:]), tuid=tu.get("tuid"),
            creation_date=attr("creationdate"), creation_id=attr("creationid"), change_date=attr("changedate"),
            change_id=attr("changeid"), usage_count=int(count), last_usage_date=attr("lastusagedate"),
            origin=origin, props=tuple(props), notes=tuple(notes), loc=Location(self.display, tu.sourceline),
        )  # fmt: skip


# ----------------------------------------------------------------- writing


def tmx_date(moment: dt.datetime) -> str:
    """A TMX date (ISO 8601 basic, UTC); a naive ``moment`` is taken as UTC.

    >>> tmx_date(dt.datetime(2024, 1, 31, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    '20240131T120000Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def format_tmx(
    units: cabc.Iterable[TranslationUnit],
    *,
    source_locale: str,
    target_locale: str,
    creation_tool: str = "Duet",
    tool_version: str,
    creation_date: dt.datetime | None,
) -> bytes:
    """TMX 1.4b for the ``source_locale`` → ``target_locale`` pairs of ``units``, valid against tmx14.dtd."""
    return _Writer(source_locale, target_locale).document(units, creation_tool, tool_version, creation_date)[0]


def write_tmx(
    path: str | os.PathLike[str],
    units: cabc.Iterable[TranslationUnit],
    *,
    source_locale: str,
    target_locale: str,
    creation_tool: str = "Duet",
    tool_version: str,
    creation_date: dt.datetime | None,
) -> TmxExport:
    """Write ``format_tmx``'s bytes to ``path`` atomically; say what was written and dropped."""
    data, report = _Writer(source_locale, target_locale).document(units, creation_tool, tool_version, creation_date)
    write_atomic(path, data)
    return report


@functools.cache
def tmx14_dtd() -> etree.DTD:
    """The official TMX 1.4 DTD, parsed (it is never fetched: it ships in ``tmx_dtd``)."""
    return etree.DTD(io.StringIO(TMX14_DTD))


def _blank(variant: Variant) -> bool:
    return not NOT_XML.sub("", variant.plain).strip()


_PlainSeg = tuple[str, int, bool]  # a ``<seg>``'s content, the characters dropped from it, whether it is not blank


def _plain_seg(variant: Variant) -> _PlainSeg | None:
    """The content of the ``<seg>`` of a variant without inline codes (None for one with codes): its text without
    what XML cannot hold, escaped; how many characters were dropped; and whether it is not blank (``_blank``)."""
    if variant.codes:
        return None
    clean, dropped = NOT_XML.subn("", variant.text)
    return escape_text(clean), dropped, bool(clean.strip())


class _Writer:
    """Writes the file as text, then parses it and validates it against the DTD before it is returned.

    Every value goes through ``escape_attribute``/``escape_text`` (after the
    characters XML cannot hold are dropped and counted), each element on its
    own line, indented two spaces a level: the bytes lxml writes for the same
    tree (``tests/formats/test_text_writers.py`` holds it to a tree-built
    reference). Inline codes are parsed and checked one ``<seg>`` at a time,
    as lxml writes them back.
    """

    def __init__(self, source_locale: str, target_locale: str) -> None:
        self.source = locales.to_bcp47(source_locale)
        self.target = locales.to_bcp47(target_locale)
        self.dropped = 0
        self.attribute_values: dict[str, tuple[str, int]] = {}

    def clean(self, text: str) -> str:
        clean, count = NOT_XML.subn("", text)
        self.dropped += count
        return clean

    def attributes(self, **attrs: str | None) -> str:
        """`` name="value"`` for each attribute that has a value (``_`` in a name is ``-``)."""
        return "".join(f' {key.replace("_", "-")}="{escape_attribute(self.clean(value))}"'
                       for key, value in attrs.items() if value is not None)  # fmt: skip

    def attribute(self, value: str) -> str:
        """An attribute value cleaned and escaped; the values a file repeats (dates, counts) are done once."""
        known = self.attribute_values.get(value)
        if known is None:
            clean, count = NOT_XML.subn("", value)
            known = self.attribute_values[value] = (escape_attribute(clean), count)
        self.dropped += known[1]
        return known[0]

    def document(self, units: cabc.Iterable[TranslationUnit], tool: str, version: str,
                 date: dt.datetime | None) -> tuple[bytes, TmxExport]:  # fmt: skip
        stamp = tmx_date(date) if date is not None else None
        header = self.attributes(creationtool=tool, creationtoolversion=version, segtype="sentence", o_tmf="Duet",
                                 adminlang="en", srclang=self.source, datatype="plaintext", creationdate=stamp)
        out = [f'<tmx version="1.4">\n  <header{header}/>\n  <body>']
        written = skipped = 0
        for unit in units:
            target = next((v for v in unit.targets if v.locale == self.target), None)
            if target is None:
                skipped += 1
                continue
            segs = (_plain_seg(unit.source), _plain_seg(target))
            if any(_blank(v) if seg is None else not seg[2] for v, seg in zip((unit.source, target), segs)):
                skipped += 1
                continue
            self.unit(out, unit, target, stamp, segs)
            written += 1
        out.append("\n  </body>\n</tmx>\n")
        data = _DECLARATION + "".join(out).encode("utf-8")
        dtd = tmx14_dtd()
        if not dtd.validate(etree.fromstring(data, written_parser())):  # a side table holding markup TMX does not allow
            raise InputError(f"the TMX would not be valid against tmx14.dtd: {dtd.error_log.last_error.message}")
        return data, TmxExport(written, skipped, self.dropped)

    def unit(self, out: list[str], unit: TranslationUnit, target: Variant, stamp: str | None,
             segs: tuple[_PlainSeg | None, _PlainSeg | None]) -> None:  # fmt: skip
        tuid = unit.tuid or hashlib.sha1(f"{unit.source.text}\0{target.text}".encode("utf-8", "surrogatepass"))\
            .hexdigest()[:16]  # fmt: skip
        dated = unit.creation_date or stamp
        if unit.creation_id is None and unit.change_date is None and unit.change_id is None \
                and unit.last_usage_date is None:  # a release's pair: these three, in the order below
            attributes = f' tuid="{escape_attribute(self.clean(tuid))}"' \
                + (f' creationdate="{self.attribute(dated)}"' if dated is not None else "") \
                + f' usagecount="{self.attribute(str(unit.usage_count))}"'  # fmt: skip
        else:
            attributes = self.attributes(tuid=tuid, creationdate=dated, creationid=unit.creation_id,
                                         changedate=unit.change_date, changeid=unit.change_id,
                                         usagecount=str(unit.usage_count), lastusagedate=unit.last_usage_date)  # fmt: skip
        out.append(f"\n    <tu{attributes}>\n")
        for note in unit.notes:
            out.append(f"      <note>{escape_text(self.clean(note))}</note>\n")
        props = [("x-origin", unit.origin)] if unit.origin is not None else []
        for kind, value in [*props, *unit.props]:
            out.append(f'      <prop type="{self.attribute(kind)}">{escape_text(self.clean(value))}</prop>\n')
        for locale, variant, plain in ((self.source, unit.source, segs[0]), (self.target, target, segs[1])):
            if plain is None:
                seg = self.seg(variant, unit)
            else:
                seg = f"<seg>{plain[0]}</seg>"  # never empty: the unit is not written when a side is blank
                self.dropped += plain[1]
            out += [f'      <tuv xml:lang="{self.attribute(locale)}">\n        ', seg, "\n      </tuv>\n"]
        out.append("    </tu>")

    def seg(self, variant: Variant, unit: TranslationUnit) -> str:
        """The ``<seg>`` of a variant with inline codes, as lxml writes the ``<seg>`` its markup parses to."""
        content, dropped = tmx_inline.seg_xml(variant.text, variant.codes)
        self.dropped += dropped
        try:
            seg = etree.fromstring(f"<seg>{content}</seg>", safe_parser())
        except etree.XMLSyntaxError as exc:
            raise InputError(f"the inline codes of {variant.text!r} do not nest: {exc.msg}", unit.loc) from exc
        bad = next((el for el in seg.iter() if el.tag not in tmx_inline.CODE_ELEMENTS | {"seg", "sub"}), None)
        if bad is not None:
            raise InputError(f"<{bad.tag}> is not TMX inline markup (in {variant.text!r})", unit.loc)
        return etree.tostring(seg, encoding="unicode")
