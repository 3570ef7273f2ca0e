"""TMX inline markup ↔ text with placeholders and a side table of the original XML.

A ``<seg>`` mixes text with content markup: native codes (``<bpt>``,
``<ept>``, ``<it>``, ``<ph>``, ``<ut>``, with their ``<sub>`` flows) and
``<hi>``, whose content is text. Duet keeps the text and puts a visible
placeholder where each element was; the element itself, as XML, goes to a
side table (``codes``) so that writing the segment back restores it:

============================  ===============  ==================================
element                       placeholder      side table
============================  ===============  ==================================
``<bpt i="1">…</bpt>``        ``{n}``          the whole element
``<ept i="1">…</ept>``        ``{/n}``         the whole element (``n`` of its bpt)
``<it pos="begin">``          ``{n}``          the whole element
``<it pos="end">``            ``{/n}``         the whole element
``<ph>``, ``<ut>``            ``{n/}``         the whole element
``<hi>text</hi>``             ``{n}text{/n}``  the start tag, and ``</hi>``
============================  ===============  ==================================

``n`` is the element's ``x`` attribute when it has a usable one (so the
source and target of a unit number the same code alike, as ``x`` intends),
else the lowest free number. A number whose placeholder already appears as
literal text in the segment (``{1}`` in a message about templates) is never
used, so every placeholder that is a key of the side table is markup and any
other ``{…}`` is text: the form round-trips whatever the text holds.

``<sub>`` text (an ``alt`` attribute inside a ``<ph>``) stays in the side
table with its element: it is not matched against the memory.
"""

from __future__ import annotations

import copy as copy_module
import re
import typing as t

from lxml import etree

from .xml_safe import NOT_XML

Codes = tuple[tuple[str, str], ...]
CODE_ELEMENTS = frozenset({"bpt", "ept", "it", "ph", "ut", "hi"})
TOKEN = re.compile(r"\{/?[0-9]+/?\}")


class MarkupError(ValueError):
    """Markup the side table cannot express; ``line`` is the element's line."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def read_seg(seg: etree._Element) -> tuple[str, Codes]:
    """The text of ``seg`` with placeholders, and the side table.

    >>> seg = etree.fromstring('<seg>Click <bpt i="1" x="2">&lt;b></bpt>here<ept i="1">&lt;/b></ept>.</seg>')
    >>> read_seg(seg)
    ('Click {2}here{/2}.', (('{2}', '<bpt i="1" x="2">&lt;b&gt;</bpt>'), ('{/2}', '<ept i="1">&lt;/b&gt;</ept>')))
    """
    pieces: list[str | etree._Element] = []
    _flatten(seg, pieces)
    literal = [p for p in pieces if isinstance(p, str)]
    taken = {_number(m[0]) for text in literal for m in TOKEN.finditer(text)}
    wanted = {x for p in pieces if not isinstance(p, str) and (x := _x(p)) is not None}
    numbers = _Numbers(taken, wanted)
    out: list[str] = []
    codes: list[tuple[str, str]] = []
    open_pairs: dict[str, int] = {}
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        token, xml = _code(piece, numbers, open_pairs)
        out.append(token)
        codes.append((token, xml))
    return "".join(out), tuple(codes)


def _flatten(parent: etree._Element, pieces: list[t.Any]) -> None:
    """Text and code elements of ``parent`` in document order; ``<hi>`` opened up."""
    if parent.text:
        pieces.append(parent.text)
    for child in parent:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name not in CODE_ELEMENTS:
            raise MarkupError(f"<{name or child.tag}> is not allowed in a TMX <seg>", child.sourceline)
        pieces.append(child)
        if name == "hi":
            _flatten(child, pieces)
            pieces.append(child)  # the second occurrence stands for </hi>
        if child.tail:
            pieces.append(child.tail)


class _Numbers:
    """Placeholder numbers: ``x`` when free, else the lowest number nobody wants."""

    def __init__(self, taken: set[int], wanted: set[int]) -> None:
        self.used = set(taken)
        self.avoid = taken | wanted
        self.next = 1

    def take(self, preferred: int | None) -> int:
        if preferred is not None and preferred not in self.used:
            self.used.add(preferred)
            return preferred
        while self.next in self.avoid or self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return self.next


def _code(el: etree._Element, numbers: _Numbers, open_pairs: dict[str, int]) -> tuple[str, str]:
    """The placeholder and side-table XML of a code element (of ``<hi>``: its start, then its end)."""
    name = etree.QName(el).localname
    if name == "hi":
        key = f"hi:{id(el)}"
        if key in open_pairs:  # the closing occurrence
            return f"{{/{open_pairs.pop(key)}}}", "</hi>"
        number = numbers.take(_x(el))
        open_pairs[key] = number
        return f"{{{number}}}", _start_tag(el)
    if name == "ept":
        number = open_pairs.pop(f"i:{el.get('i')}", None)
        if number is None:
            number = numbers.take(None)
        return f"{{/{number}}}", _xml(el)
    number = numbers.take(_x(el))
    if name == "bpt":
        open_pairs[f"i:{el.get('i')}"] = number
        return f"{{{number}}}", _xml(el)
    if name == "it":
        return (f"{{/{number}}}" if el.get("pos") == "end" else f"{{{number}}}"), _xml(el)
    return f"{{{number}/}}", _xml(el)


def _x(el: etree._Element) -> int | None:
    value = el.get("x", "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 1_000_000 else None


def _number(token: str) -> int:
    return int(token.strip("{}/"))


def _bare(el: etree._Element) -> etree._Element:
    """A copy of ``el`` without its tail and without namespaces (a TMX 1.4 ``xmlns`` is dropped)."""
    copy = copy_module.deepcopy(el)
    copy.tail = None
    for node in copy.iter(etree.Element):
        node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(copy)
    return copy


def _xml(el: etree._Element) -> str:
    return etree.tostring(_bare(el), encoding="unicode", with_tail=False)


def _start_tag(el: etree._Element) -> str:
    copy = _bare(el)
    for child in list(copy):
        copy.remove(child)
    copy.text = ""
    return etree.tostring(copy, encoding="unicode", with_tail=False).removesuffix("</hi>")


def plain(text: str, codes: Codes) -> str:
    """``text`` without its placeholders: the form to match against the memory.

    >>> plain("Click {2}here{/2} {3}", (("{2}", "<bpt i='1'/>"), ("{/2}", "<ept i='1'/>")))
    'Click here {3}'
    """
    if not codes:
        return text
    table = dict(codes)
    return TOKEN.sub(lambda m: "" if m[0] in table else m[0], text)


def seg_xml(text: str, codes: Codes) -> tuple[str, int]:
    """The content of a ``<seg>`` as XML, and how many characters XML cannot hold were dropped.

    >>> seg_xml("a < b {1/}\\x07", (("{1/}", '<ph x="1">&lt;br/&gt;</ph>'),))
    ('a &lt; b <ph x="1">&lt;br/&gt;</ph>', 1)
    """
    table = dict(codes)
    out: list[str] = []
    dropped = 0
    start = 0
    for match in TOKEN.finditer(text):
        if match[0] in table:
            piece, count = escape(text[start : match.start()])
            out += [piece, table[match[0]]]
            dropped += count
            start = match.end()
    piece, count = escape(text[start:])
    out.append(piece)
    return "".join(out), dropped + count


def escape(text: str) -> tuple[str, int]:
    """XML text for ``text``, with the count of characters XML 1.0 forbids (dropped)."""
    clean, count = NOT_XML.subn("", text)
    escaped = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return escaped, count
