"""The usual shape of a PO file, read in one regex pass per entry.

Nearly every PO file a workspace holds was written by Duet, msgmerge, msgcat
or an editor in gettext's own layout: no blanks around lines, one quoted
string per line, live entries with their ``#|`` previous fields.
``scan_po`` reads exactly that shape, about twice as fast as the strict line
lexer of ``po``, and stops where the file leaves it: at obsolete ``#~`` entries (which gettext writes last), odd
spacing, escapes it does not know, a syntax error. ``po.parse_po`` hands the
rest to the lexer: the lexer stays the one judge of what is valid and the one
source of error messages. For a file both accept they give the same messages
(a property the tests check).
"""

from __future__ import annotations

import re

from ..model import Message
from ..translate.provenance import read_notes  # the notes Duet's stages write, read back as a value

_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"\n'
_PREVIOUS = rf"{_STRING}(?:\#\|\ {_STRING})*"  # a '#|' field's strings, after its keyword
_ENTRY = re.compile(
    rf"""(?P<comments>(?:\#(?![~|])[^\n]*\n)*)
    (?:(?:\#\|\ msgctxt\ (?P<previous_context>{_PREVIOUS}))?
       \#\|\ msgid\ (?P<previous_id>{_PREVIOUS})
       (?:\#\|\ msgid_plural\ (?P<previous_plural>{_PREVIOUS}))?)?
    (?:msgctxt\ (?P<context>(?:{_STRING})+))?
    msgid\ (?P<id>(?:{_STRING})+)
    (?:msgid_plural\ (?P<plural>(?:{_STRING})+)(?P<forms>(?:msgstr\[[0-9]+\]\ (?:{_STRING})+)+)
      |msgstr\ (?P<string>(?:{_STRING})+))
    \n*""",
    re.VERBOSE,
)
_BODY = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_FORM = re.compile(rf"msgstr\[([0-9]+)\] ((?:{_STRING})+)")
# Blanks gettext strips around a line, and characters the lexer judges (searched as substrings: far
# faster than a multiline regex).
_ODD = ("\r", "\f", "\v", "\x00", "\x04", " \n", "\t\n", "\n ", "\n\t")
_ESCAPE = re.compile(r'\\(?:([ntrabfv\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))', re.DOTALL)
C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\", '"': '"'}
_PREVIOUS_JOINT = '"\n#| "'
_FLAG_SEPARATORS = re.compile(r"[\s,]+")


class _Unusual(Exception):
    """The text leaves the usual shape: the strict lexer reads it."""


def scan_po(text: str) -> tuple[list[Message], int] | None:
    """The messages at the start of ``text`` in the usual shape and the offset where that shape ends.

    ``None`` when the lexer must read the whole file: blanks around a line,
    an escape it must judge, plural forms out of sequence.
    """
    if any(odd in text for odd in _ODD) or text.startswith((" ", "\t")) or text.endswith((" ", "\t")):
        return None
    size = len(text)
    if not text.endswith("\n"):
        text += "\n"
    messages: list[Message] = []
    position = len(text) - len(text.lstrip("\n"))
    line, counted = 1, 0
    try:
        while position < size:
            match = _ENTRY.match(text, position)
            if match is None:
                break
            line += text.count("\n", counted, match.start("id"))
            counted = match.start("id")
            messages.append(_message(match, line))
            position = match.end()
    except _Unusual:
        return None
    return messages, min(position, size)


def _message(match: re.Match[str], line: int) -> Message:
    block, previous_context, previous_id, previous_plural, context, msgid, plural, forms, string = match.groups()
    comments: list[str] = []
    notes: list[str] = []
    references: list[str] = []
    flags: list[str] = []
    if block:
        for comment in block.split("\n")[:-1]:
            kind = comment[1:2]
            if kind == ".":
                notes.append(comment[3:] if comment.startswith("#. ") else comment[2:])
            elif kind == ":":
                references += comment[2:].split()
            elif kind == ",":
                flags += split_flags(comment[2:])
            else:
                comments.append(comment[2:] if comment.startswith("# ") else comment[1:])
    return Message(
        _value(msgid),
        "" if plural is not None else _value(string),
        None if context is None else _value(context),
        None if plural is None else _value(plural),
        () if plural is None else _forms(forms),
        tuple(flags),
        tuple(comments),
        tuple(notes),
        tuple(references),
        None if previous_id is None else _value(previous_id, _PREVIOUS_JOINT),
        None if previous_context is None else _value(previous_context, _PREVIOUS_JOINT),
        None if previous_plural is None else _value(previous_plural, _PREVIOUS_JOINT),
        line=line,
        provenance=read_notes(notes) if notes else None,
    )


def _value(strings: str, joint: str = '"\n"') -> str:
    """The text of a field's quoted strings, joined; escapes resolved string by string."""
    if "\\" not in strings:  # the usual field: no escapes, so no quote inside a string
        return strings[1:-2].replace(joint, "")
    parts = _BODY.findall(strings)
    return "".join(_unescape(part) if "\\" in part else part for part in parts)


class InvalidEscape(ValueError):
    """A backslash before a character C does not escape; the message is that character."""


def unescape(body: str) -> str:
    """A C string's text between its quotes with its escapes resolved, as gettext reads them."""

    def one(match: re.Match[str]) -> str:
        simple, octal, hexadecimal, other = match.groups()
        if simple is not None:
            return C_ESCAPES[simple]
        if octal is not None:
            return chr(int(octal, 8) & 0xFF)
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16) & 0xFF)
        raise InvalidEscape(other)

    return _ESCAPE.sub(one, body)


def _unescape(body: str) -> str:
    try:
        value = unescape(body)
    except InvalidEscape:
        raise _Unusual from None  # the lexer names it
    if "\x04" in value or "\x00" in value:
        raise _Unusual
    return value


def _forms(block: str) -> tuple[str, ...]:
    forms: list[str] = []
    for index, strings in _FORM.findall(block):
        if index != str(len(forms)):
            raise _Unusual  # out of sequence: the lexer names the line
        forms.append(_value(strings))
    return tuple(forms)


def split_flags(body: str) -> list[str]:
    """Flag tokens as gettext splits them (commas and blanks); ``range: 1..5`` stays one flag."""
    flags: list[str] = []
    for token in _FLAG_SEPARATORS.split(body):
        if not token:
            continue
        if flags and flags[-1] == "range:":
            flags[-1] = f"range: {token}"
        else:
            flags.append(token)
    return flags
