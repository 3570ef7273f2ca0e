"""Hostile XML refused: the parser every TMX, TBX and SRX byte goes through.

DTDs are never loaded, entities never resolved, the network never used. That
is not enough on its own: lxml with ``resolve_entities=False`` still expands
*internal* entities in attribute values, and silently drops an undeclared
entity there when the document has a DOCTYPE. So before lxml sees a file,
its text (decoded as the bytes say: BOM, or UTF-16 ``<?``, else any ASCII
superset) is scanned, comments, CDATA and processing instructions aside, and
refused with ``InputError`` at ``path:line`` if it

* declares anything in an internal DTD subset that is an entity
  (``<!ENTITY``: external entities, XXE; nested ones, billion laughs) or
  refers to a parameter entity (``%name;``);
* refers to an entity other than XML's five (``&nbsp;``, ``&x;``), in text
  or in an attribute.

A plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed (and never fetched).
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import InputError
from ..model import Location

_PREDEFINED = frozenset({"lt", "gt", "amp", "quot", "apos"})
_REFERENCE = re.compile(r"&(#[0-9]+;|#x[0-9a-fA-F]+;|([A-Za-z_:][\w.:-]*);)?")
# Where "&name;" and "<!ENTITY" are text, not markup.
_NOT_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\s\[>]+(\s+(SYSTEM|PUBLIC)(\s+(\"[^\"]*\"|'[^']*'))+)?\s*(\[)?")


def safe_parser() -> etree.XMLParser:
    """A parser that loads no DTD, resolves no entity, uses no network, and drops comments and PIs."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip


def parse_xml(data: bytes, display: str) -> etree._Element:
    """The root element of ``data``; malformed or entity-laden XML raises ``InputError`` at ``display:line``."""
    refuse_entities(data, display)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        message = re.sub(r", line [0-9]+, column [0-9]+$", "", str(exc.msg))
        line, column = exc.position if exc.lineno else (None, None)
        raise InputError(f"not well-formed XML: {message}", Location(display, line, column or None)) from exc
    for node in root.iter(etree.Entity):  # the scan missed it: refuse rather than drop it
        raise InputError(f"entity reference &{node.name}; is not allowed (entities are never resolved)",
                         Location(display, node.sourceline))
    return root


def refuse_entities(data: bytes, display: str) -> None:
    """Refuse entity declarations and references before lxml sees them.

    lxml with ``resolve_entities=False`` still expands internal entities in
    attribute values and silently drops undeclared ones there, so this is
    checked on the text itself, in the file's own encoding.
    """
    text = _NOT_MARKUP.sub(lambda m: "\n" * m[0].count("\n"), _decode_for_scan(data))
    doctype = _DOCTYPE.search(text)
    if doctype and doctype[5]:
        subset = text[doctype.end():]
        end = re.search(r"\]\s*>", subset)
        subset = subset[: end.start()] if end else subset
        found = re.search(r"<!ENTITY|%", subset)
        if found:
            what = "entity declarations" if found[0] != "%" else "parameter entity references"
            raise InputError(f"{what} are not allowed (external entities, entity expansion)",
                             Location(display, text.count("\n", 0, doctype.end() + found.start()) + 1))
    for match in _REFERENCE.finditer(text):
        if match[2] and match[2] not in _PREDEFINED:
            raise InputError(f"entity reference &{match[2]}; is not allowed (entities are never resolved)",
                             Location(display, text.count("\n", 0, match.start()) + 1))


def _decode_for_scan(data: bytes) -> str:
    """Text good enough to find markup: UTF-16/32 by BOM or by ``<?``, else any ASCII superset."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    if data.startswith(b"<\x00?\x00"):
        return data.decode("utf-16-le", "replace")
    if data.startswith(b"\x00<\x00?"):
        return data.decode("utf-16-be", "replace")
    return data.decode("latin-1")
