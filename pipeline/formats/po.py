"""PO files in and out, strict on the way in and byte-exact to GNU gettext on the way out.

Reading: polib accepts broken files silently (an unterminated string is cut
and the next line swallowed, stray words are skipped), and a translator's
typo must not quietly lose text, so this module lexes every line itself and
refuses anything gettext would not read, naming ``path:line``. Entries in
gettext's own layout (nearly all) are first read in one regex pass each by
``po_scan``, which leaves the lexer everything else.

Writing: ``format_po`` gives exactly the bytes ``msgcat`` (GNU gettext 0.21,
default width 79) writes for the same catalog, so a PO file that went through
Duet, msgmerge or msgcat shows no diff. That fixes the comment order (``# ``,
``#.``, ``#:``, ``#,``, ``#|``), the wrapping (``po_wrap``), and what happens
to flags. What msgcat does with ``#,`` flags, found by running it:

* it understands only ``fuzzy``, ``[no-|possible-|impossible-]<lang>-format``
  for its 30 languages, ``range: N..M`` and ``[no-]wrap``; every other flag is
  **dropped**. Duet does not drop them: a flag a translator or another tool
  (Weblate's ``read-only``, Duet's ``no-duet-number-check``) put there is
  written after gettext's own, in file order. This is the one place where
  Duet's output differs from msgcat's, and only for files holding such flags;
* it writes them in a fixed order, not the file's: ``fuzzy``, the formats in
  gettext's language order (c, objc, python, ...), ``range``, ``no-wrap``;
* ``possible-X-format`` is written ``X-format``; ``impossible-X-format`` and
  ``wrap`` are dropped (they are the defaults); a later flag for a language
  overrides an earlier one; a bad range (``range: 2..1``) is dropped;
* ``fuzzy`` is dropped when the msgstr (``msgstr[0]`` of a plural) is empty,
  the header included.

And about entries: obsolete entries are moved after all live ones; an
obsolete entry whose msgstr is empty is dropped; repeated references
(same file and line) are written once, line numbers are written as numbers
(``a.c:007`` becomes ``a.c:7``) and a leading ``./`` is removed. ``parse_po``
keeps everything as written (flags in order, unknown ones too); only
``format_po`` normalises, as msgcat does.

Where ``format_po`` knowingly differs from plain ``msgcat``:

* a message with two ``#,`` lines: gettext keeps only the *last* line (so
  ``#, fuzzy`` then ``#, c-format`` silently loses ``fuzzy``); Duet keeps the
  flags of every line, written on one line;
* a catalog with no live message besides the header: msgcat writes nothing
  at all unless given ``--force-po``; Duet writes it as ``--force-po`` does;
  a header that is completely empty (``Message("")``) is not written, which is
  how a catalog without header entry comes back out;
* the header is always written first, even if the file had it elsewhere;
* format directives are kept whole (as gettext does) for c, objc, python and
  python-brace formats; for the other languages a cut inside a directive is
  possible where gettext would refuse it;
* legacy CJK charsets (GB2312, BIG5, EUC-*): gettext then counts ambiguous
  characters as wide; Duet wraps as for UTF-8.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError
from ..model import Catalog, Location, Message
from . import po_wrap
from .files import decode_utf8, read_bytes, write_atomic
from .po_scan import C_ESCAPES, InvalidEscape, scan_po, split_flags, unescape

PAGE_WIDTH = 79

# gettext 0.21's format languages, in the order it writes their flags.
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip

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
    """UTF-8 unless the header names another charset gettext and Python both know."""
    match = _CHARSET.search(data.split(b"\n\n", 1)[0])
    charset = match.group(1).decode("ascii", "replace") if match else "UTF-8"
    if charset.upper() in ("UTF-8", "UTF8", "CHARSET", "ASCII", "US-ASCII"):
        return decode_utf8(data, path)
    try:
        codecs.lookup(charset)
    except LookupError:
        raise InputError(f"unknown charset {charset!r} in header", Location(path, _line_of(data, match.start()))) from None
    try:
        return data.decode(charset).removeprefix("\ufeff")
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
            line = raw.rstrip("\r").strip(" \t\f\v")
            if not line:
                continue
            if line.startswith("#~"):
                rest = line[2:]
                if rest.startswith("|"):
                    self.previous_line(rest[1:].lstrip(), obsolete=True)
                else:
                    self.keyword_line(rest.lstrip(), obsolete=True)
            elif line.startswith("#"):
                self.comment_line(line)
            else:
                self.keyword_line(line, obsolete=False)
        self.finish(at_end=True)
        return self.entries

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
        if plain is not None and "\x04" not in plain.group(1):
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


# ----------------------------------------------------------------- writing


def write_po(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` atomically; False (file untouched) when its bytes would not change."""
    data = encode_po(catalog)
    target = Path(path)
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(target, data)
    return True


def encode_po(catalog: Catalog) -> bytes:
    """``format_po`` in the charset the header declares (UTF-8 when it declares none)."""
    text = format_po(catalog)
    charset = _charset(catalog.header)
    try:
        return text.encode(charset if charset not in ("ASCII", "CHARSET") else "utf-8")
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8")


def format_po(catalog: Catalog) -> str:
    """The text ``msgcat`` (GNU gettext 0.21, width 79) writes for ``catalog``."""
    out: list[str] = []
    blank = False
    header = catalog.header
    if header != Message(""):
        out += _entry_lines(header, obsolete=False)
        blank = True
    for message in catalog.live:
        if blank:
            out.append("")
        out += _entry_lines(message, obsolete=False)
        blank = True
    for message in catalog.obsolete:
        if _first_target(message):
            if blank:
                out.append("")
            out += _entry_lines(message, obsolete=True)
        blank = True
    return "".join(line + "\n" for line in out)


def _first_target(message: Message) -> str:
    """What gettext tests for "translated": the msgstr, or msgstr[0] of a plural."""
    return message.targets[0] if message.targets else ""


def _charset(header: Message) -> str:
    match = re.search(r"charset=([^ \t\n]+)", header.string)
    return match.group(1) if match else "ASCII"


class _Flags:
    """What gettext keeps of a ``#,`` line (fuzzy, one state per format language, range, wrap),
    plus every flag gettext does not know, which Duet keeps where gettext would drop it."""

    def __init__(self, flags: tuple[str, ...]) -> None:
        self.fuzzy = False
        self.others: dict[str, None] = {}
        self.formats: dict[str, str] = {}
        self.range: tuple[int, int] | None = None
        self.wrap: bool | None = None
        for flag in flags:
            self.add(flag)

    def add(self, flag: str) -> None:
        if flag == "fuzzy":
            self.fuzzy = True
        elif flag in ("wrap", "no-wrap"):
            self.wrap = flag == "wrap"
        elif flag.startswith("range: "):
            match = re.fullmatch(r"range: ([0-9]+)\.\.([0-9]+)\S*", flag)
            if match and int(match.group(1)) <= int(match.group(2)):
                self.range = (min(int(match.group(1)), 2**31 - 1), min(int(match.group(2)), 2**31 - 1))
        elif flag.endswith("-format"):
            name, state = flag[: -len("-format")], "yes"
            for prefix in ("no", "possible", "impossible"):
                if name.startswith(prefix + "-") and name[len(prefix) + 1 :] in FORMAT_LANGUAGES:
                    name, state = name[len(prefix) + 1 :], prefix
                    break
            if name in FORMAT_LANGUAGES:
                self.formats[name] = state
            else:
                self.others[flag] = None
        else:
            self.others[flag] = None

    def written(self, fuzzy_shown: bool) -> list[str]:
        words = ["fuzzy"] if self.fuzzy and fuzzy_shown else []
        for language in FORMAT_LANGUAGES if self.formats else ():
            state = self.formats.get(language)
            if state in ("yes", "possible"):
                words.append(f"{language}-format")
            elif state == "no":
                words.append(f"no-{language}-format")
        if self.range is not None:
            words.append(f"range: {self.range[0]}..{self.range[1]}")
        if self.wrap is False:
            words.append("no-wrap")
        return words + list(self.others)

    @property
    def directive_language(self) -> str | None:
        """The language whose directives gettext keeps whole: the first one that may apply."""
        for language in FORMAT_LANGUAGES if self.formats else ():
            if self.formats.get(language) in ("yes", "possible"):
                return language
        return None


def _entry_lines(message: Message, obsolete: bool) -> list[str]:
    flags = _Flags(message.flags)
    lines: list[str] = []
    for comment in message.comments:
        lines += ["#" + (" " + part if part else "") for part in comment.split("\n")]
    lines += ["#." + (" " + note if note else "") for note in message.notes]
    lines += _reference_lines(message.references)
    words = flags.written(fuzzy_shown=bool(_first_target(message)))
    if words:
        lines.append("#, " + ", ".join(words))
    language = flags.directive_language
    wrap_lines = flags.wrap is not False

    def wrap(prefix: str, name: str, value: str) -> list[str]:
        spans = po_wrap.directive_spans(language, value) if language and value else []
        return po_wrap.wrap(name, value, prefix=prefix, page_width=PAGE_WIDTH, wrap_lines=wrap_lines, directives=spans)

    previous = "#~| " if obsolete else "#| "
    for name, value in (
        ("msgctxt", message.previous_context),
        ("msgid", message.previous_id),
        ("msgid_plural", message.previous_id_plural),
    ):
        if value is not None:
            lines += wrap(previous, name, value)
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        lines += wrap(prefix, "msgctxt", message.context)
    lines += wrap(prefix, "msgid", message.id)
    if message.id_plural is None:
        lines += wrap(prefix, "msgstr", message.string)
    else:
        lines += wrap(prefix, "msgid_plural", message.id_plural)
        for index, string in enumerate(message.plural_strings or ("",)):
            lines += wrap(prefix, f"msgstr[{index}]", string)
    return lines


def _reference_lines(references: tuple[str, ...]) -> list[str]:
    """``#:`` lines as gettext fills them: deduplicated, ``./`` dropped, cut before column 79."""
    seen: set[tuple[str, int | None]] = set()
    items: list[str] = []
    for reference in references:
        name, sep, number = reference.rpartition(":")
        if sep and number.isdigit() and number.isascii():
            key: tuple[str, int | None] = (name, int(number))
        else:
            key = (reference, None)
        if key in seen:
            continue
        seen.add(key)
        name = key[0]
        while name.startswith("./"):
            name = name[2:]
        items.append(name if key[1] is None else f"{name}:{key[1]}")
    if not items:
        return []
    lines: list[str] = []
    line, column = "#:", 2
    for item in items:
        size = len(item.encode("utf-8"))  # gettext counts bytes here, not columns
        if column > 2 and column + size + 1 > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + item
        column += size + 1
    lines.append(line)
    return lines
