"""Characters no source may carry into a catalog: C0/C1 controls and what XML cannot hold.

A PO file holding U+0004 is refused by the next run (gettext's context
separator), and XML 1.0, which XLIFF and the bundles are written in, forbids
the C0 controls outright. Nothing a press office means to publish contains
them: they come from terminal colour codes (ESC), binary files (NUL) or broken
conversions (C1). Dropping them would hide a damaged file, so ingest refuses
them, naming the line and column, and the user decides. Tab, line feed and
carriage return are text; U+FFFE, U+FFFF and lone surrogates are refused with
the controls, as XML and UTF-8 cannot hold them.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..model import Location, Release

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
             "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")  # str.splitlines' breaks, less the refused ones


def describe(char: str) -> str:
    """How an error names a refused character.

    >>> describe("\\x1b")
    'control character U+001B (ESC)'
    """
    code = ord(char)
    if code < 0x20:
        return f"control character U+{code:04X} ({_C0_NAMES[code]})"
    if code == 0x7F:
        return "control character U+007F (DEL)"
    if code <= 0x9F:
        return f"C1 control character U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X}"
    return f"non-character U+{code:04X}"


def check_text(text: str, path: str) -> None:
    """Refuse a whole source file's text if it holds a forbidden character; the error names line and column.

    Lines are counted as :func:`str.splitlines` counts them, as the text reader does.
    """
    found = FORBIDDEN.search(text)
    if found is None:
        return
    at = found.start()
    breaks = list(_LINE_BREAK.finditer(text, 0, at))
    line_start = breaks[-1].end() if breaks else 0
    raise InputError(f"{describe(found.group())} in the text: remove it",
                     Location(path, len(breaks) + 1, at - line_start + 1))


def check_page(release: Release, page: str) -> None:
    """Refuse an HTML page whose text or URL holds a forbidden character.

    ``page`` is the decoded page: the error names the first line, at or after
    the paragraph's, where the character stands, raw or as a reference (``&#4;``).
    The other metadata is read from the paragraphs (title, department) or
    checked as it is read (date, language).
    """
    for paragraph in release.paragraphs:
        found = FORBIDDEN.search(paragraph.text)
        if found is not None:
            line = _line_in_page(page, paragraph.line, found.group())
            raise InputError(f"{describe(found.group())} in the page text: remove it", Location(release.path, line))
    found = FORBIDDEN.search(release.meta.url)
    if found is not None:
        raise InputError(f"{describe(found.group())} in the page's URL: remove it", Location(release.path))


def _line_in_page(page: str, start: int, char: str) -> int:
    code = ord(char)
    written = re.compile(f"{re.escape(char)}|&#[xX]0*{code:x}(?![0-9a-f])|&#0*{code}(?![0-9])", re.IGNORECASE)
    lines = page.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number in range(start, len(lines) + 1):
        if written.search(lines[number - 1]):
            return number
    return start
