"""TBX ↔ ``Term`` values: TBX-Basic (TBX v3, DCA style) written; TBX v3 (DCA and DCT) and TBX 2008 (``martif``) read.

The mapping, one ``conceptEntry`` per term:

- each language's renderings are ``termSec`` elements of its ``langSec``, with
  ``administrativeStatus`` ``preferredTerm-admn-sts`` (the approved term),
  ``admittedTerm-admn-sts`` (variants) or ``deprecatedTerm-admn-sts``
  (forbidden; ``supersededTerm-admn-sts`` is read as forbidden too);
- ``pos`` is ``partOfSpeech`` on every ``termSec``;
- ``note`` is the concept's ``note``;
- a case policy other than the default (see ``glossary_csv``) is a concept
  ``note`` reading ``duet:case=sensitive`` or ``duet:case=insensitive``, since
  TBX-Basic has no data category for it.

Files with entity declarations (XXE, billion laughs) or references, or in an
encoding XML does not require (UTF-32, UTF-7), are refused (``xml_safe``); the
parser never loads a DTD or touches the network.
"""

from __future__ import annotations

import collections.abc as cabc
import os

from lxml import etree

from .. import locales
from ..errors import InputError
from ..model import Location, Rendering, Term
from .files import read_bytes, write_atomic
from .xml_safe import parse_xml
from .glossary_csv import PARTS_OF_SPEECH, default_case_sensitive, languages_of

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CASE_NOTE = "duet:case="
PREFERRED, ADMITTED, DEPRECATED, SUPERSEDED = (
    "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts")


def read_tbx(path: str | os.PathLike[str], display: str | None = None) -> tuple[Term, ...]:
    """Read a TBX file; each term's ``loc`` is the line of its ``conceptEntry`` (``termEntry``)."""
    return parse_tbx(read_bytes(path, display=display), display or str(path))


def parse_tbx(data: bytes, display: str) -> tuple[Term, ...]:
    """Parse TBX bytes (see the module docstring)."""
    root = parse_xml(data, display)
    if _local(root) not in ("tbx", "martif"):
        raise InputError(f"not a TBX file: the root element is <{_local(root)}>", Location(display, root.sourceline))
    entries = [el for el in root.iter(etree.Element) if _local(el) in ("conceptEntry", "termEntry")]
    drafts = [_draft(entry, display) for entry in entries]
    languages = list(dict.fromkeys(language for draft in drafts for language in draft[0]))
    return tuple(_finish(draft, languages) for draft in drafts)


_Draft = tuple[dict[str, dict[str, list[str]]], str, str, "bool | None", Location]


def _draft(entry: etree._Element, display: str) -> _Draft:
    """An entry's terms by language and status, its pos, note and case, before languages are known."""
    loc = Location(display, entry.sourceline)
    by_language: dict[str, dict[str, list[str]]] = {}
    notes: list[str] = []
    case: bool | None = None
    pos = ""
    for child in entry.iterchildren(etree.Element):
        name = _local(child)
        if name == "note":
            text = _text(child)
            if text.startswith(CASE_NOTE) and text[len(CASE_NOTE):] in ("sensitive", "insensitive"):
                case = text[len(CASE_NOTE):] == "sensitive"
            elif text:
                notes.append(text)
        elif name in ("langSec", "langSet"):
            tag = child.get(XML_LANG) or child.get("lang") or ""
            try:
                language = locales.to_bcp47(tag)
            except locales.UnknownLocale as exc:
                raise InputError(f"<{name}> has an unknown xml:lang '{tag}'", Location(display, child.sourceline)) from exc
            statuses = by_language.setdefault(language, {})
            for term_el, status, term_pos in _terms(child, display):
                statuses.setdefault(status, []).append(_text(term_el))
                pos = pos or term_pos
    return by_language, pos, "\n".join(notes), case, loc


def _terms(lang_el: etree._Element, display: str) -> cabc.Iterator[tuple[etree._Element, str, str]]:
    """Each term of a language section with its administrative status and part of speech."""
    for section in lang_el.iterchildren(etree.Element):
        if _local(section) not in ("termSec", "tig", "ntig"):
            continue
        term_el = next((el for el in section.iter(etree.Element) if _local(el) == "term"), None)
        if term_el is None or not _text(term_el):
            raise InputError(f"<{_local(section)}> has no term", Location(display, section.sourceline))
        status, pos = "", ""
        for note in section.iter(etree.Element):
            kind = note.get("type") if _local(note) == "termNote" else (
                _local(note) if etree.QName(note).namespace not in (None, TBX_NS) else None)
            if kind == "administrativeStatus":
                status = _text(note)
            elif kind == "partOfSpeech":
                pos = _text(note).lower()
        yield term_el, status, pos if pos in PARTS_OF_SPEECH else ""


def _finish(draft: _Draft, languages: list[str]) -> Term:
    by_language, pos, note, case, loc = draft
    renderings = []
    for language in languages:
        statuses = by_language.get(language, {})
        preferred = statuses.get(PREFERRED, [])
        unmarked = statuses.get("", [])
        admitted = statuses.get(ADMITTED, [])
        if preferred:
            approved = preferred[0]
            variants = preferred[1:] + unmarked + admitted
        elif unmarked:
            approved, variants = unmarked[0], unmarked[1:] + admitted
        else:
            approved, variants = "", admitted
        forbidden = statuses.get(DEPRECATED, []) + statuses.get(SUPERSEDED, [])
        renderings.append((language, Rendering(approved, _unique(variants), _unique(forbidden))))
    sensitive = default_case_sensitive(renderings) if case is None else case
    return Term(tuple(renderings), case_sensitive=sensitive, pos=pos, note=note, loc=loc)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _text(el: etree._Element) -> str:
    return "".join(el.itertext()).strip()


def format_tbx(terms: cabc.Sequence[Term]) -> bytes:
    """TBX-Basic (TBX v3, DCA style) for ``terms``; valid against TBXcoreStructV03.rng."""
    languages = languages_of(terms)
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, languages[0] if languages else "en")
    header = _sub(root, "tbxHeader")
    _sub(_sub(_sub(header, "fileDesc"), "sourceDesc"), "p", "Duet glossary")
    body = _sub(_sub(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        entry = _sub(body, "conceptEntry")
        entry.set("id", f"c{number}")
        if term.note:
            _sub(entry, "note", term.note)
        if term.case_sensitive != default_case_sensitive(term.renderings):
            _sub(entry, "note", CASE_NOTE + ("sensitive" if term.case_sensitive else "insensitive"))
        for language, rendering in term.renderings:
            sections = [(rendering.approved, PREFERRED)] if rendering.approved else []
            sections += [(v, ADMITTED) for v in rendering.variants]
            sections += [(f, DEPRECATED) for f in rendering.forbidden]
            if not sections:
                continue  # an empty cell: TBX has no empty termSec
            lang_sec = _sub(entry, "langSec")
            lang_sec.set(XML_LANG, language)
            for text, status in sections:
                term_sec = _sub(lang_sec, "termSec")
                _sub(term_sec, "term", text)
                if term.pos:
                    _sub(term_sec, "termNote", term.pos).set("type", "partOfSpeech")
                _sub(term_sec, "termNote", status).set("type", "administrativeStatus")
        if not len(entry.findall(f"{{{TBX_NS}}}langSec")):
            raise InputError("a term with no rendering in any language cannot be written to TBX", term.loc)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TBX_NS}}}{name}")
    if text is not None:
        el.text = text
    return el


def write_tbx(path: str | os.PathLike[str], terms: cabc.Sequence[Term]) -> None:
    """Write ``terms`` as TBX-Basic, atomically."""
    write_atomic(path, format_tbx(terms))
