"""PO files in and out: strict on the way in (here), byte-exact to GNU gettext on the way out (``po_write``).

Reading: polib accepts broken files silently (an unterminated string is cut
and the next line swallowed, stray words are skipped), and a translator's
typo must not quietly lose text, so this module lexes every line itself and
refuses anything gettext would not read, naming ``path:line``. Entries in
gettext's own layout (nearly all) are first read in one regex pass each by
``po_scan``, which leaves the lexer everything else.

The reader refuses NUL: gettext would silently cut the text there. It reads
``#~ # note`` as the obsolete entry's comment, as gettext does, and keeps a
comment's trailing blanks.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Catalog, Location, Message
from . import po_charset
from .files import decode_utf8, read_bytes
from .po_scan import C_ESCAPES, InvalidEscape, scan_po, split_flags, unescape
from .po_write import encode_po, format_po, write_po
from ..translate.provenance import read_notes  # the notes Duet's stages write, read back as a value

__all__ = ["encode_po", "format_po", "parse_po", "read_po", "write_po"]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?(?=[\s\"]|$)")
_CHARSET = re.compile(rb"charset=([^\s\"\\]+)")
_BLANKS = re.compile(r"[ \t\f\v\r]*")
# A C string, quotes included: up to the first quote no backslash escapes.
_PLAIN_STRING = re.compile(r'[ \t\f\v\r]*"([^"\\]*)"[ \t\f\v\r]*\Z')
_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)


# ----------------------------------------------------------------- reading


def read_po(path: Path, display: str | None = None) -> Catalog:
    """Read and validate a PO/POT file; errors name ``display`` (default: the path)."""
    return parse_po(read_bytes(path, display=display), display or str(path))


def parse_po(data: bytes | str, path: str) -> Catalog:
    """Parse PO text; any syntax gettext would refuse raises ``InputError`` at ``path:line``."""
    text = _decode(data, path) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    entries = _entries(text, path)
    header: Message | None = None
    messages: list[Message] = []
    seen: dict[tuple[str | None, str], int] = {}
    for message in entries:
        if not message.obsolete:
            if message.key in seen:
                raise InputError(
                    f"duplicate message definition (first defined at line {seen[message.key]})",
                    Location(path, message.line),
                )
            seen[message.key] = message.line
            if header is None and message.key == (None, ""):
                header = message
                continue
        messages.append(message)
    return Catalog(header=header or Message(""), messages=tuple(messages), path=path)


def _entries(text: str, path: str) -> list[Message]:
    """The usual shape by ``po_scan``, the rest (obsolete entries, anything unusual) by the lexer."""
    scanned = scan_po(text)
    if scanned is not None:
        messages, end = scanned
        if end == len(text):
            return messages
        if text.startswith("#", end):  # a comment or '#~' line: the lexer too starts a new entry here
            try:
                return messages + _Parser(path, start_line=text.count("\n", 0, end) + 1).parse(text[end:])
            except InputError:
                pass  # reported as the whole file gives it
    return _Parser(path).parse(text)


def _decode(data: bytes, path: str) -> str:
    """UTF-8 unless the header names another charset gettext reads (``po_charset``)."""
    match = _CHARSET.search(data.split(b"\n\n", 1)[0])
    charset = match.group(1).decode("ascii", "replace") if match else "UTF-8"
    try:
        codec = po_charset.reading_codec(charset)
    except ValueError as exc:
        raise InputError(str(exc), Location(path, _line_of(data, match.start() if match else 0))) from None
    if codec == "utf-8":
        return decode_utf8(data, path)
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise InputError(f"not valid {charset} (byte 0x{data[exc.start]:02x})", Location(path, line)) from exc


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


class _Entry:
    """The parts of one entry while its lines are being read."""

    def __init__(self) -> None:
        self.comments: list[str] = []
        self.notes: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.previous: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.plurals: list[str] = []
        self.line = 0
        self.first_line = 0
        self.obsolete: bool | None = None
        self.last: str | None = None  # the keyword the next continuation string extends
        self.previous_last: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.comments or self.notes or self.references or self.flags or self.previous or self.fields)

    def message(self) -> Message:
        plural = self.fields.get("msgid_plural")
        return Message(
            id=self.fields["msgid"],
            string=self.fields.get("msgstr", ""),
            context=self.fields.get("msgctxt"),
            id_plural=plural,
            plural_strings=tuple(self.plurals),
            flags=tuple(self.flags),
            comments=tuple(self.comments),
            notes=tuple(self.notes),
            references=tuple(self.references),
            previous_id=self.previous.get("msgid"),
            previous_context=self.previous.get("msgctxt"),
            previous_id_plural=self.previous.get("msgid_plural"),
            obsolete=bool(self.obsolete),
            line=self.line,
            provenance=read_notes(self.notes) if self.notes else None,
        )


class _Parser:
    """A line-by-line PO lexer and grammar check; gettext's rules, gettext's refusals."""

    def __init__(self, path: str, start_line: int = 1) -> None:
        self.path = path
        self.entries: list[Message] = []
        self.entry = _Entry()
        self.start_line = start_line
        self.lineno = 0

    def fail(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, Location(self.path, line or self.lineno))

    def parse(self, text: str) -> list[Message]:
        for self.lineno, raw in enumerate(text.split("\n"), start=self.start_line):
            line = raw.rstrip("\r").lstrip(" \t\f\v")  # a comment keeps its trailing blanks, as in gettext
            if "\x00" in line:
                raise self.fail("NUL character: gettext would cut the text there")
            if line.startswith("#~"):
                self.obsolete_line(line)
            elif line.startswith("#"):
                self.comment_line(line)
            else:
                line = line.rstrip(" \t\f\v")
                if line:
                    self.keyword_line(line, obsolete=False)
        self.finish(at_end=True)
        return self.entries

    def obsolete_line(self, line: str) -> None:
        """A ``#~`` line; as in gettext, what follows is read as a line of its own (``#~ # note`` is a comment)."""
        rest = line[2:]
        if rest.startswith("|"):
            self.previous_line(rest[1:].lstrip(), obsolete=True)
            return
        rest = rest.lstrip(" \t\f\v")
        if rest.startswith("#~"):
            self.obsolete_line(rest)
        elif rest.startswith("#|"):
            self.previous_line(rest[2:].lstrip(), obsolete=True)
        elif rest.startswith("#"):
            self.comment_line(rest)
        elif rest.rstrip(" \t\f\v"):
            self.keyword_line(rest.rstrip(" \t\f\v"), obsolete=True)

    def finish(self, at_end: bool = False) -> None:
        """Close the entry being read, if it has its msgstr."""
        entry = self.entry
        if "msgid" not in entry.fields:
            if not entry.empty and at_end and (entry.previous or entry.flags or entry.references):
                raise self.fail("comments at end of file belong to no message", entry.first_line)
            return
        if "msgctxt" in entry.previous and "msgid" not in entry.previous:
            raise self.fail("'#| msgctxt' without '#| msgid'", entry.first_line)
        if "msgid_plural" in entry.fields and not entry.plurals:
            raise self.fail("msgid_plural without msgstr[0]", entry.line)
        if "msgid_plural" not in entry.fields and "msgstr" not in entry.fields:
            raise self.fail("msgid without msgstr", entry.line)
        self.entries.append(entry.message())
        self.entry = _Entry()

    def start_part(self, obsolete: bool) -> _Entry:
        """Begin a comment line: a message with its msgstr is over."""
        if self.entry.fields:
            if self.entry.last in ("msgstr",) or self.entry.plurals:
                self.finish()
            else:
                raise self.fail("comment inside a message, before its msgstr")
        entry = self.entry
        if not entry.first_line:
            entry.first_line = self.lineno
        return entry

    def comment_line(self, line: str) -> None:
        entry = self.start_part(obsolete=False)
        kind, body = line[1:2], line[2:]
        if kind == ",":
            entry.flags.extend(split_flags(body))
        elif kind == ".":
            entry.notes.append(body[1:] if body.startswith(" ") else body)
        elif kind == ":":
            entry.references.extend(body.split())
        elif kind == "|":
            self.previous_line(body.lstrip(), obsolete=False)
        else:
            body = line[1:]
            entry.comments.append(body[1:] if body.startswith(" ") else body)

    def previous_line(self, body: str, obsolete: bool) -> None:
        entry = self.start_part(obsolete)
        self.mark_obsolete(entry, obsolete)
        match = _KEYWORD.match(body)
        if match:
            keyword = match.group(1)
            if match.group(2) is not None or keyword == "msgstr":
                raise self.fail(f"'#|' cannot hold {match.group(0)}")
            order = ("msgctxt", "msgid", "msgid_plural")
            if keyword in entry.previous or any(k in entry.previous for k in order[order.index(keyword) + 1 :]):
                raise self.fail(f"'#| {keyword}' out of order")
            if keyword == "msgid_plural" and "msgid" not in entry.previous:
                raise self.fail("'#| msgid_plural' without '#| msgid'")
            entry.previous[keyword] = self.strings(body[match.end() :], required=True)
            entry.previous_last = keyword
        elif body.startswith('"'):
            if entry.previous_last is None:
                raise self.fail("'#|' string continues no previous field")
            entry.previous[entry.previous_last] += self.strings(body, required=True)
        else:
            raise self.fail(f"unexpected text after '#|': {body[:30]!r}")

    def mark_obsolete(self, entry: _Entry, obsolete: bool) -> None:
        if entry.obsolete is not None and entry.obsolete != obsolete:
            raise self.fail("obsolete (#~) and live lines mixed in one message")
        entry.obsolete = obsolete

    def keyword_line(self, line: str, obsolete: bool) -> None:
        entry = self.entry
        match = _KEYWORD.match(line)
        if match is None:
            if not line.startswith('"'):
                word = line.split()[0] if line.split() else line
                raise self.fail(f"unexpected text {word[:30]!r}: not a PO keyword, string or comment")
            if entry.last is None:
                raise self.fail("string continues no keyword")
            self.mark_obsolete(entry, obsolete)
            value = self.strings(line, required=True)
            if entry.last == "plural":
                entry.plurals[-1] += value
            else:
                entry.fields[entry.last] += value
            return
        keyword, index = match.group(1), match.group(2)
        if keyword in ("msgctxt", "msgid") and (entry.last == "msgstr" or entry.plurals):
            self.finish()
            entry = self.entry
        self.mark_obsolete(entry, obsolete)
        value = self.strings(line[match.end() :], required=True)
        fields = entry.fields
        if keyword == "msgctxt":
            if fields:
                raise self.fail("msgctxt out of order: it must come before msgid")
        elif keyword == "msgid":
            if "msgid" in fields:
                raise self.fail("msgid out of order: this message already has one")
            entry.line = self.lineno
        elif "msgid" not in fields:
            raise self.fail(f"{match.group(0)} without msgid")
        elif keyword == "msgid_plural":
            if "msgid_plural" in fields or "msgstr" in fields or entry.plurals:
                raise self.fail("msgid_plural out of order: it must follow msgid")
        elif index is None:
            if "msgid_plural" in fields:
                raise self.fail("plural message needs msgstr[0], msgstr[1], ... not msgstr")
            if "msgstr" in fields:
                raise self.fail("msgstr out of order: this message already has one")
        else:
            if "msgid_plural" not in fields:
                raise self.fail(f"msgstr[{index}] without msgid_plural")
            if int(index) != len(entry.plurals) or index != str(int(index)):
                raise self.fail(f"msgstr[{index}] out of sequence: expected msgstr[{len(entry.plurals)}]")
            entry.plurals.append(value)
            entry.last = "plural"
            return
        if not entry.first_line:
            entry.first_line = self.lineno
        fields[keyword] = value
        entry.last = keyword

    def strings(self, rest: str, required: bool) -> str:
        """The concatenated quoted strings of one line; nothing else may be on it."""
        plain = _PLAIN_STRING.match(rest)
        if plain is not None and "\x04" not in plain.group(1) and "\x00" not in plain.group(1):
            return plain.group(1)  # the usual line: one string without escapes
        parts: list[str] = []
        i = _BLANKS.match(rest).end()  # type: ignore[union-attr]
        while i < len(rest):
            if rest[i] != '"':
                raise self.fail(f"unexpected text after string: {rest[i:i + 30]!r}")
            match = _QUOTED.match(rest, i)
            if match is None:
                self.string(rest, i + 1, parts)  # raises: unterminated, or a bad escape before the end
                raise self.fail("unterminated string")
            body = match.group(1)
            parts.append(self.unescape(body) if "\\" in body else body)
            i = _BLANKS.match(rest, match.end()).end()  # type: ignore[union-attr]
        if required and not parts:
            raise self.fail("keyword without a string")
        value = "".join(parts)
        if "\x04" in value:
            raise self.fail("context separator <EOT> within string")
        if "\x00" in value:
            raise self.fail("NUL character: gettext would cut the text there")
        return value

    def unescape(self, body: str) -> str:
        """A string's text between its quotes, escapes resolved (``string``'s rules, by regex)."""
        try:
            return unescape(body)
        except InvalidEscape as exc:
            raise self.fail(f"invalid escape sequence '\\{exc}'") from None

    def string(self, rest: str, i: int, parts: list[str]) -> int:
        """Read one C string whose opening quote is before ``i``; return the index after it.

        One character at a time: ``strings`` reads well-formed strings with
        ``_QUOTED`` and comes here only for the error of a broken one."""
        while i < len(rest):
            char = rest[i]
            if char == '"':
                return i + 1
            if char != "\\":
                parts.append(char)
                i += 1
                continue
            if i + 1 >= len(rest):
                break
            esc = rest[i + 1]
            if esc in C_ESCAPES:
                parts.append(C_ESCAPES[esc])
                i += 2
            elif esc in "01234567":
                digits = re.match(r"[0-7]{1,3}", rest[i + 1 :]).group(0)  # type: ignore[union-attr]
                parts.append(chr(int(digits, 8) & 0xFF))
                i += 1 + len(digits)
            elif esc == "x" and re.match(r"[0-9A-Fa-f]", rest[i + 2 : i + 3]):
                digits = re.match(r"[0-9A-Fa-f]+", rest[i + 2 :]).group(0)  # type: ignore[union-attr]
                parts.append(chr(int(digits, 16) & 0xFF))
                i += 2 + len(digits)
            else:
                raise self.fail(f"invalid escape sequence '\\{esc}'")
        raise self.fail("unterminated string")
