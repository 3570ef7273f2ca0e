"""Catalog → PO file, byte-exact to GNU gettext.

``format_po`` gives exactly the bytes ``msgcat`` (GNU gettext 0.21, default
width 79) writes for the same catalog, so a PO file that went through
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
  the header included. Duet drops it only when every form is empty: a fuzzy
  ``msgstr[1]`` stays fuzzy.

And about entries: obsolete entries are moved after all live ones; an
obsolete entry whose msgstr is empty is dropped (by Duet only when it holds
nothing a translator wrote: no ``msgstr[n]``, comment or flag); repeated references
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
  characters as wide; Duet wraps as for UTF-8;
* a file is written in its header's charset only where gettext reads every
  character back as written; otherwise it is converted to UTF-8, header
  included (``po_charset``);
* comment and ``#.`` lines: a comment holding a line break is written as
  several lines, as xgettext writes them; ``#| msgctxt`` and
  ``#| msgid_plural`` are written only with their ``#| msgid``.

What no PO file can hold (NUL, EOT in a string, a lone surrogate: see
``_check``) is refused with an ``InputError`` rather than written into a file
the next run would refuse.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..errors import InputError
from ..model import Catalog, Location, Message
from . import po_charset, po_wrap
from .files import write_atomic

PAGE_WIDTH = 79

# gettext 0.21's format languages, in the order it writes their flags.
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip


def write_po(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` atomically; False (file untouched) when its bytes would not change."""
    data = encode_po(catalog, path=catalog.path or str(path))
    target = Path(path)
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(target, data)
    return True


def encode_po(catalog: Catalog, *, path: str | None = None) -> bytes:
    """The bytes of the PO file: ``format_po``'s text in the charset its header names."""
    text, codec = _render(catalog, path or catalog.path or "PO file")
    return text.encode(codec)


def format_po(catalog: Catalog, *, path: str | None = None) -> str:
    """The text ``msgcat`` (GNU gettext 0.21, width 79) writes for ``catalog``.

    Its header names UTF-8 instead of the catalog's charset where the text does
    not fit that charset (``po_charset.fits``). A text no PO file can hold
    raises ``InputError`` naming ``path`` (default: the catalog's), see ``_check``.
    """
    return _render(catalog, path or catalog.path or "PO file")[0]


def _render(catalog: Catalog, where: str) -> tuple[str, str]:
    """The text and the codec it is written in."""
    body: list[str] = []
    for message in catalog.live:
        body += ["", *_entry_lines(message, where, obsolete=False)]
    for message in catalog.obsolete:
        if _holds_work(message):
            body += ["", *_entry_lines(message, where, obsolete=True)]
    header = catalog.header
    codec = po_charset.writing_codec(header.string)
    text = _joined(header, body, where)
    if _SUSPECT.search(text):  # rare: which message, and is it only an EOT in a comment?
        for message in (header, *catalog.live, *filter(_holds_work, catalog.obsolete)):
            _check(message, where)
    if codec is None or not po_charset.fits(text, codec):
        header = dataclasses.replace(header, string=po_charset.in_utf8(header.string))
        text, codec = _joined(header, body, where), "utf-8"
    return text, codec


def _joined(header: Message, body: list[str], where: str) -> str:
    lines = [*_entry_lines(header, where, obsolete=False), *body] if header != Message("") else body[1:]
    return "".join(line + "\n" for line in lines)


def _holds_work(message: Message) -> bool:
    """Whether an obsolete message is written: msgcat drops those without msgstr (msgstr[0]), Duet
    only those without anything a translator wrote (a msgstr[n], a comment, a flag)."""
    return message.has_target or bool(message.comments) or bool(_Flags(message.flags).written(fuzzy_shown=False))


_NOT_IN_STRING = re.compile("[\x00\x04\ud800-\udfff]")
_NOT_IN_COMMENT = re.compile("[\x00\ud800-\udfff]")
_NOT_IN_WORD = re.compile("[\x00\n\ud800-\udfff]")
_SUSPECT = _NOT_IN_STRING  # in a written text, a sign that some message may hold what it cannot


def _check(message: Message, where: str) -> None:
    """Refuse a text no PO file can hold rather than write a file gettext (and Duet) would refuse or cut.

    gettext ends a string at NUL and refuses EOT in it (EOT joins msgctxt to
    msgid in MO files); a lone surrogate has no encoded form; a reference or a
    flag cannot go on past its line. Every other character is written as gettext
    writes it: ``\\a \\b \\t \\n \\v \\f \\r`` escaped in strings, the rest as it is.
    """
    strings = (
        ("msgctxt", message.context), ("msgid", message.id), ("msgid_plural", message.id_plural),
        ("msgstr", message.string), *((f"msgstr[{i}]", s) for i, s in enumerate(message.plural_strings)),
        ("#| msgctxt", message.previous_context), ("#| msgid", message.previous_id),
        ("#| msgid_plural", message.previous_id_plural),
    )  # fmt: skip
    comments = (*(("comment", c) for c in message.comments), *(("#. comment", n) for n in message.notes))
    words = (*(("reference", r) for r in message.references), *(("flag", f) for f in message.flags))
    for fields, forbidden in ((strings, _NOT_IN_STRING), (comments, _NOT_IN_COMMENT), (words, _NOT_IN_WORD)):
        for name, value in fields:
            found = forbidden.search(value) if value else None
            if found is not None:
                raise InputError(f"cannot write {_named(message)}: its {name} {_why(found.group())}",
                                 Location(where, message.line or None))  # fmt: skip


def _why(char: str) -> str:
    if char == "\x00":
        return "holds U+0000 (NUL), where gettext would cut it short"
    if char == "\x04":
        return "holds U+0004 (EOT), which gettext refuses in a PO string"
    if char == "\n":
        return "holds a line break"
    return f"holds U+{ord(char):04X}, a lone surrogate, which no charset can write"


def _named(message: Message) -> str:
    return f"msgid {_shown(message.id)}" if message.key != (None, "") else "the header"


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


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


def _entry_lines(message: Message, where: str, obsolete: bool) -> list[str]:
    flags = _Flags(message.flags)
    lines = [_comment("#", line) for comment in message.comments for line in comment.split("\n")]
    lines += [_comment("#.", line) for note in message.notes for line in note.split("\n")]
    words = [*_reference_lines(message.references)]
    written_flags = flags.written(fuzzy_shown=message.has_target)
    if written_flags:
        words.append("#, " + ", ".join(written_flags))
    if any("\n" in line for line in words):
        _check(message, where)
    lines += words
    continued = next((line for line in lines if line.endswith("\\")), None)
    if continued is not None:  # gettext reads a backslash before a line end as joining the next line
        raise InputError(f"cannot write {_named(message)}: its line {_shown(continued)} ends with a backslash, "
                         "which gettext joins to the next line", Location(where, message.line or None))
    language = flags.directive_language
    wrap_lines = flags.wrap is not False

    def wrap(prefix: str, name: str, value: str) -> list[str]:
        spans = po_wrap.directive_spans(language, value) if language and value else []
        return po_wrap.wrap(name, value, prefix=prefix, page_width=PAGE_WIDTH, wrap_lines=wrap_lines, directives=spans)

    previous = "#~| " if obsolete else "#| "
    if message.previous_id is not None:  # gettext reads no '#| msgctxt' or '#| msgid_plural' without it
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


def _comment(mark: str, line: str) -> str:
    line = line.rstrip("\r")  # it would read as a CRLF line end
    return f"{mark} {line}" if line else mark


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
