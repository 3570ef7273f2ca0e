"""Hostile XML refused: the parser every TMX, TBX, SRX, XLIFF and bundle byte goes through.

lxml parses with no DTD loaded, no entity resolved, no network, and libxml2's
limits on depth, text size and entity amplification kept (``huge_tree=False``).
What libxml2 *parsed* is then inspected, so neither the markup's disguises (a
comment opener inside a quoted literal, a processing instruction) nor the
encoding can hide anything, and the file is refused with ``InputError`` at
``path:line`` if

* its document type declares an entity (``docinfo.internalDTD``): external
  entities (XXE), parameter entities, nested ones (billion laughs);
* it refers to an entity other than XML's five (``&nbsp;``, ``%p;``), in text
  or in an attribute: libxml2 reports each one, where in an attribute it would
  otherwise drop it silently.

A plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed, and never fetched.

Encodings: UTF-8 and UTF-16 (the two every XML parser must read; UTF-16 with
a byte order mark or starting ``<?xml``), and the legacy encodings that keep
ASCII bytes ASCII, when declared (US-ASCII, ISO 8859, windows-125x, Big5,
Big5-HKSCS, GB2312, GBK, GB18030). Others (UTF-32, UTF-7, EBCDIC, ISO-2022)
are refused at line 1: no TMX, TBX or SRX tool writes them, and Duet must
decode a file the way libxml2 does to name the line of a declaration.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from ..errors import InputError
from ..model import Location

# XML 1.0 ``Char``: everything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) cannot be written.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')  # what ``escape_attribute`` replaces

# XML 1.0 appendix F: these first bytes decide, whatever the declaration says (UCS-4 and EBCDIC to be refused).
_STARTS = {
    codecs.BOM_UTF8: "utf-8", b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32",
    b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00?\x00": "utf-16-le", b"\x00<\x00?": "utf-16-be",
    b"<\x00\x00\x00": "utf-32-le", b"\x00\x00\x00<": "utf-32-be", b"\x00\x00<\x00": "ucs-4", b"\x00<\x00\x00": "ucs-4",
    b"Lo\xa7\x94": "cp037",
}
_READ = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", *(f"iso8859-{n}" for n in range(1, 17)),
                   *(f"cp125{n}" for n in range(9)), "big5", "big5hkscs", "gb2312", "gbk", "gb18030"})  # fmt: skip
_DECLARED = re.compile(rb"<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_UNDECLARED_NAME = re.compile(r"'([^']*)'")


def escape_text(value: str) -> str:
    """``value`` as element content, escaped exactly as lxml (libxml2) serializes text.

    The writers that build their files as text use it for every text they
    write, so their bytes are those lxml would give for the same tree (the
    tests compare them); ``value`` must hold only characters XML can (``NOT_XML``).

    >>> escape_text('R&D <b> "x" ]]>' + chr(13))
    'R&amp;D &lt;b&gt; "x" ]]&gt;&#13;'
    """
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def escape_attribute(value: str) -> str:
    """``value`` as a double-quoted attribute value, escaped exactly as lxml (libxml2) serializes one.

    Tabs and line breaks become character references: a parser would read them as spaces otherwise.

    >>> escape_attribute('a "b" <&>' + chr(9) + 'c' + chr(10))
    'a &quot;b&quot; &lt;&amp;&gt;&#9;c&#10;'
    """
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))  # fmt: skip


def safe_parser() -> etree.XMLParser:
    """A parser that loads no DTD, resolves no entity, uses no network, and drops comments and PIs."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip


def written_parser() -> etree.XMLParser:
    """A parser for markup Duet itself just wrote from escaped values: no DTD, no entity, no network, nothing dropped.

    libxml2's limits on text size and depth (``huge_tree=False``) guard
    against hostile files; here they would only refuse a long but honest
    release. Comments and processing instructions are never written.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=True)  # fmt: skip


def parse_xml(data: bytes, display: str) -> etree._Element:
    """The root element of ``data``; malformed or entity-laden XML raises ``InputError`` at ``display:line``."""
    codec = _xml_codec(data, display)
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, data, codec, display) from exc
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.entities()] if dtd is not None else []
    if declared:
        raise _declarations_refused(data.decode(codec, "replace"), declared, display)
    for entry in parser.error_log:
        if entry.type == etree.ErrorTypes.WAR_UNDECLARED_ENTITY:
            raise _reference_refused(entry.message, Location(display, entry.line))
    return root


def _xml_codec(data: bytes, display: str) -> str:
    """The Python codec that reads ``data`` as libxml2 does; an encoding not in the module's list is refused."""
    codec = next((codec for start, codec in _STARTS.items() if data.startswith(start)), None)
    if codec is None:
        declared = _DECLARED.match(data)
        codec = _python_codec(declared[1].decode("ascii", "replace")) if declared else "utf-8"
    if codec not in _READ:
        raise InputError(f"unsupported encoding {codec}: Duet reads XML in UTF-8, UTF-16 or a declared ASCII-based "
                         "legacy encoding (ISO-8859-1, windows-1252, Big5, GB18030...)", Location(display, 1))
    return "utf-8-sig" if codec == "utf-8" else codec


def _python_codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes, codec: str, display: str) -> InputError:
    line, column = exc.position if exc.lineno else (None, None)
    if exc.code == etree.ErrorTypes.ERR_UNDECLARED_ENTITY:
        return _reference_refused(str(exc.msg), Location(display, line))
    if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "entity" in str(exc.msg):  # libxml2 stopped an entity bomb
        return _declarations_refused(data.decode(codec, "replace"), [], display)
    message = re.sub(r", line [0-9]+, column [0-9]+$", "", str(exc.msg))
    return InputError(f"not well-formed XML: {message}", Location(display, line, column or None))


def _declarations_refused(text: str, names: list[str], display: str) -> InputError:
    """The refusal at the line of the first declaration of one of ``names`` (of any entity if none is named)."""
    alternatives = "|".join(re.escape(name) for name in names) or r"\S+"
    found = re.search(rf"<!ENTITY\s+(?:%\s+)?(?:{alternatives})\s", text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return InputError("entity declarations are not allowed (external entities, entity expansion)",
                      Location(display, line))


def _reference_refused(libxml2_message: str, loc: Location) -> InputError:
    name = _UNDECLARED_NAME.search(libxml2_message)
    what = f"entity reference '{name[1]}'" if name else "an entity reference"
    return InputError(f"{what} is not allowed (entities are never resolved; write the character itself)", loc)
