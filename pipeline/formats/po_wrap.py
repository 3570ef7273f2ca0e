"""GNU gettext 0.21's string wrapping, in pure Python.

``msgcat`` decides where a long msgid/msgstr is cut with ``wrap()`` in
``write-po.c``, which escapes the string, then asks libunistring's
``ulc_width_linebreaks`` for the cut points: Unicode line breaking (UAX #14 as
libunistring 1.0 implements it, with its own pair table), East Asian wide
characters counting two columns, and a greedy fill to the page width. Chinese
text without spaces is therefore cut between ideographs, but never before
``，。」）`` nor after ``「（``. This module repeats those steps so Duet writes
the bytes msgcat would, without running gettext; the tables it reads are in
``po_unicode``.
"""

from __future__ import annotations

import bisect
import collections.abc as cabc
import functools
import itertools
import re

from . import po_unicode

# libunistring's UC_BREAK_* values.
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3

# The C escapes write-po.c spells out; every other character is written as is.
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


def _runs(packed: str) -> tuple[list[int], list[str]]:
    starts: list[int] = []
    values: list[str] = []
    for item in packed.split():
        starts.append(int(item[:-1], 16))
        values.append(item[-1])
    return starts, values


_LB_STARTS, _LB_VALUES = _runs(po_unicode.LINE_BREAK)
_CLASS_OF_LETTER = dict(zip(po_unicode.CLASSES, po_unicode.CLASS_NAMES))
_W_STARTS, _W_VALUES = _runs(po_unicode.WIDTH)
_WIDTH_OF_LETTER = {"c": -1, "z": 0, "n": 1, "w": 2}
_PAIR_INDEX = {name: i for i, name in enumerate(po_unicode.PAIR_ORDER.split())}


@functools.lru_cache(maxsize=4096)
def line_break_class(char: str) -> str:
    """The class libunistring 1.0 gives ``char`` (AI, SA, XX already folded into AL, CB into ID)."""
    return _CLASS_OF_LETTER[_LB_VALUES[bisect.bisect_right(_LB_STARTS, ord(char)) - 1]]


@functools.lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns ``char`` takes as libunistring's ``uc_width`` counts them (-1 for controls)."""
    return _WIDTH_OF_LETTER[_W_VALUES[bisect.bisect_right(_W_STARTS, ord(char)) - 1]]


def _pair(left: str, right: str) -> str:
    return po_unicode.PAIRS[_PAIR_INDEX[left]][_PAIR_INDEX[right]]


def possible_linebreaks(text: str) -> list[int]:
    """Break opportunities before each character, as ``u8_possible_linebreaks`` finds them."""
    result = [PROHIBITED] * len(text)
    last = "BK"  # class of the last character that was not a space (combining marks skipped)
    seen_space = False  # spaces since that character?
    preceding = "BK"  # class of the character just before, whatever it was
    hebrew_hyphen = False  # was ``last`` a hyphen or break-after right after a Hebrew letter?
    flags = 0  # regional indicators just before: flags pair up and break only between pairs
    for i, char in enumerate(text):
        prop = line_break_class(char)
        if prop == "BK":
            result[i] = MANDATORY
            last, seen_space, hebrew_hyphen = "BK", False, False
        elif prop == "SP":
            seen_space = True
        elif prop == "ZW":
            last, seen_space, hebrew_hyphen = "ZW", False, False
        elif prop in ("CM", "ZWJ"):
            hebrew_hyphen = False
            if last == "BK" or last == "ZW" or seen_space:
                # A mark with nothing to attach to is a letter (LB10).
                if last != "BK" and preceding != "ZWJ":
                    result[i] = POSSIBLE
                last, seen_space, hebrew_hyphen = "AL", False, False
        else:
            if prop == "RI" and last == "RI" and preceding != "ZWJ":
                result[i] = POSSIBLE if seen_space or flags % 2 == 0 else PROHIBITED
            else:
                result[i] = _before(last, prop, seen_space, preceding, hebrew_hyphen)
            hebrew_hyphen = prop in ("HY", "BA") and preceding == "HL"
            last, seen_space = prop, False
        flags = flags + 1 if prop == "RI" else 0
        preceding = prop
    return result


def _before(last: str, prop: str, seen_space: bool, preceding: str, hebrew_hyphen: bool) -> int:
    if last == "BK" or preceding == "ZWJ":
        return PROHIBITED
    if last == "ZW":
        return POSSIBLE
    if hebrew_hyphen and not seen_space:
        return PROHIBITED
    kind = _pair(last, prop)
    if kind == "D" or (kind == "I" and seen_space):
        return POSSIBLE
    return PROHIBITED


def width_linebreaks(
    text: str, width: int, start_column: int, overrides: cabc.Sequence[int]
) -> list[int]:
    """Where to cut ``text`` to fit ``width`` columns, as ``u8_width_linebreaks`` decides.

    ``overrides`` holds, per character, UNDEFINED or a break value that wins
    over Unicode's (gettext uses it to keep escapes and format directives whole).
    """
    result = possible_linebreaks(text)
    last_at: int | None = None
    last_column = start_column
    piece = 0
    for i, char in enumerate(text):
        if overrides[i] != UNDEFINED:
            result[i] = overrides[i]
        if result[i] in (POSSIBLE, MANDATORY) and last_at is not None and last_column + piece > width:
            result[last_at] = POSSIBLE
            last_column = 0
        if result[i] == MANDATORY:
            last_at, last_column, piece = None, 0, 0
        else:
            if result[i] == POSSIBLE:
                last_at = i
                last_column += piece
                piece = 0
            result[i] = PROHIBITED
            w = char_width(char)
            if w >= 0:
                piece += w
    if last_at is not None and last_column + piece > width:
        result[last_at] = POSSIBLE
    return result


def wrap(
    name: str,
    value: str,
    *,
    prefix: str = "",
    page_width: int = 79,
    wrap_lines: bool = True,
    directives: cabc.Sequence[tuple[int, int]] = (),
) -> list[str]:
    """The lines ``write-po.c`` prints for ``name "value"`` (without newlines).

    ``prefix`` is ``#| ``, ``#~ `` or ``#~| ``; ``wrap_lines`` is False for a
    ``no-wrap`` message; ``directives`` are the (start, end) character spans of
    valid format directives in ``value``, which are never cut.

    Same lines as ``wrap_reference`` (gettext's steps one character at a
    time), found faster: see ``_wrap``. The last few thousand results are
    cached, since a msgid is written in the template and again in every
    locale's PO file.
    """
    return list(_wrap(name, value, prefix, page_width, wrap_lines, tuple(directives)))


@functools.lru_cache(maxsize=8192)
def _wrap(
    name: str, value: str, prefix: str, page_width: int, wrap_lines: bool, directives: tuple[tuple[int, int], ...]
) -> tuple[str, ...]:
    """``wrap`` without the per-character work where it is not needed.

    Each ``\\n``-delimited portion is escaped with ``str.translate`` (or not at
    all); if it fits on its line, no break is computed; otherwise its break
    opportunities and columns are found once (``_Portion``) and serve both
    the keyword's line and the continuation lines.
    """
    after_break = len(prefix) + 1
    width = (page_width if wrap_lines else 2**31 - 1) - 1 - after_break
    head = f'{prefix}{name} "'
    cont = f'{prefix}"'
    lines: list[str] = []
    first_line = True
    start = 0
    length = len(value)
    while True:
        end = value.find("\n", start)
        end = length if end < 0 else end + 1
        portion = _Portion(value, start, end, directives)
        text = portion.text
        if first_line:
            first_line = False
            start_column = len(name) + 1  # len(prefix) + len(name) + 2 - after_break
            cuts = portion.cuts(start_column, width)
            if text and (end < length or start_column > width or cuts):
                # A string that will not fit on the keyword's line starts on the next one.
                lines.append(f'{prefix}{name} ""')
                cuts = portion.cuts(0, width)
                line = cont
            else:
                line = head
        else:
            cuts = portion.cuts(0, width)
            line = cont
        at = 0
        for cut in cuts:
            lines.append(f'{line}{text[at:cut]}"')
            line, at = cont, cut
        lines.append(f'{line}{text[at:]}"')
        start = end
        if start >= length:
            return tuple(lines)


cache_clear = _wrap.cache_clear


class _Table(dict):  # type: ignore[type-arg]
    """A ``str.translate`` table filled on first use of each code point."""

    def __init__(self, of: cabc.Callable[[str], str]) -> None:
        super().__init__()
        self.of = of

    def __missing__(self, code: int) -> str:
        value = self[code] = self.of(chr(code))
        return value


# character -> its line-break class letter (po_unicode.CLASSES); -> chr(columns), controls 0
_CLASS_TABLE = _Table(lambda char: _LB_VALUES[bisect.bisect_right(_LB_STARTS, ord(char)) - 1])
_WIDTH_TABLE = _Table(lambda char: chr(max(char_width(char), 0)))
_ESCAPE_TABLE = {ord(char): "\\" + letter for char, letter in _ESCAPES.items()}
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
_ESCAPED_LETTER = re.compile(r"\\.", re.DOTALL)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _class_letter(name: str) -> str:
    return po_unicode.CLASSES[po_unicode.CLASS_NAMES.index(name)]


# Classes for which a break is not decided by the pair table alone (BK, CM, HL, RI, ZW, ZWJ):
# a portion holding one goes through possible_linebreaks/width_linebreaks, character by character.
_SPECIAL = re.compile("[" + "".join(_class_letter(n) for n in ("BK", "CM", "HL", "RI", "ZW", "ZWJ")) + "]")


def _pair_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes over a class-letter string giving the breaks of ``possible_linebreaks``
    when no special class is present: ``direct`` matches a character that may be cut
    from the one before it (pair D), ``spaced`` a character and the spaces after
    it, when the next character may be cut from it across spaces (pair D or I)."""
    order = po_unicode.PAIR_ORDER.split()
    space = _class_letter("SP")
    alternatives: dict[str, list[str]] = {}
    for kinds, pattern in (("D", "direct"), ("DI", "spaced")):
        groups: dict[str, str] = {}
        for r, right in enumerate(order):
            if right in ("HL", "RI"):
                continue
            lefts = "".join(
                _class_letter(left)
                for l, left in enumerate(order)
                if po_unicode.PAIRS[l][r] in kinds and left not in ("HL", "RI")
            )
            if lefts:
                groups[lefts] = groups.get(lefts, "") + _class_letter(right)
        if pattern == "direct":
            alternatives[pattern] = [f"[{rights}](?<=[{lefts}].)" for lefts, rights in groups.items()]
        else:
            alternatives[pattern] = [f"[{lefts}](?={space}+[{rights}])" for lefts, rights in groups.items()]
    direct = re.compile("|".join(alternatives["direct"]))
    spaced = re.compile(f"(?=.{space})(?:" + "|".join(alternatives["spaced"]) + f"){space}+")
    return direct, spaced


_DIRECT, _SPACED = _pair_patterns()


class _Portion:
    """One ``\\n``-delimited portion of a string as gettext prints it, with what
    ``width_linebreaks`` needs, each part computed at most once and only if asked."""

    __slots__ = ("_breaks", "_width", "blocked", "text")

    def __init__(self, value: str, start: int, end: int, directives: tuple[tuple[int, int], ...]) -> None:
        portion = value[start:end]
        blocked: set[int] = set()  # no break before these characters of ``text``
        if _NEEDS_ESCAPE.search(portion) is None:
            self.text = text = portion
            escapes: list[int] = []
        else:
            self.text = text = portion.translate(_ESCAPE_TABLE)
            blocked.update(m.start() + 1 for m in _ESCAPED_LETTER.finditer(text))
            if portion[-1] == "\n":
                blocked.add(len(text) - 2)
            escapes = [m.start() for m in _NEEDS_ESCAPE.finditer(portion)]
        for begin, stop in directives:
            for i in range(max(begin + 1, start), min(stop, end)):
                j = i - start
                blocked.add(j + bisect.bisect_left(escapes, j) if escapes else j)
        self.blocked = blocked
        self._width: int | None = None
        self._breaks: tuple[list[int], list[int] | None] | None = None

    @property
    def width(self) -> int:
        """Columns of the whole text (controls count zero, as in width_linebreaks)."""
        if self._width is None:
            text = self.text
            if text.isascii() and _ASCII_CONTROL.search(text) is None:
                self._width = len(text)
            else:
                self._width = sum(text.translate(_WIDTH_TABLE).encode("latin-1"))
        return self._width

    def cuts(self, start_column: int, width: int) -> list[int]:
        """Where ``width_linebreaks`` puts a POSSIBLE break (a new line starts before each)."""
        if start_column + self.width <= width:
            return []  # fits: the column never exceeds the width, so nothing is cut
        if self._breaks is None:
            self._breaks = self._opportunities()
        breaks, columns = self._breaks
        if columns is None:
            return self._cuts_general(start_column, width)
        # The greedy fill of width_linebreaks, one line at a time: at the first
        # opportunity past the width, cut at the opportunity before it.
        cuts: list[int] = []
        count = len(breaks)
        line_start = -start_column  # column of the current line's start, counted from the text's start
        k = 0
        while True:
            j = bisect.bisect_right(columns, line_start + width, k)
            if j == count:
                if count and self.width - line_start > width:
                    cuts.append(breaks[-1])
                return cuts
            if j:
                cuts.append(breaks[j - 1])
                line_start = columns[j - 1]
            k = j + 1

    def _opportunities(self) -> tuple[list[int], list[int] | None]:
        """Break opportunities (ascending) and the text's column at each; columns None
        when the text holds a class the pair table alone does not decide."""
        text = self.text
        classes = text.translate(_CLASS_TABLE)
        if _SPECIAL.search(classes) is not None:
            return [], None
        breaks = [m.start() for m in _DIRECT.finditer(classes)]
        spaced = [m.end() for m in _SPACED.finditer(classes)]
        if spaced:
            breaks = sorted(breaks + spaced)
        if self.blocked:
            blocked = self.blocked
            breaks = [i for i in breaks if i not in blocked]
        if text.isascii():
            return breaks, breaks  # no controls (they are CM): one column a character
        columns = [0, *itertools.accumulate(text.translate(_WIDTH_TABLE).encode("latin-1"))]
        return breaks, [columns[i] for i in breaks]

    def _cuts_general(self, start_column: int, width: int) -> list[int]:
        overrides = [UNDEFINED] * len(self.text)
        for i in self.blocked:
            overrides[i] = PROHIBITED
        result = width_linebreaks(self.text, width, start_column, overrides)
        return [i for i, brk in enumerate(result) if brk == POSSIBLE]


def wrap_reference(
    name: str,
    value: str,
    *,
    prefix: str = "",
    page_width: int = 79,
    wrap_lines: bool = True,
    directives: cabc.Sequence[tuple[int, int]] = (),
) -> list[str]:
    """``wrap`` as gettext computes it, character by character (the tests check ``wrap`` against it)."""
    inside = _inside_directive(len(value), directives)
    lines: list[str] = []
    first_line = True
    after_break = len(prefix) + 1
    width = (page_width if wrap_lines else 2**31 - 1) - 1 - after_break
    start = 0
    while True:
        end = value.find("\n", start)
        end = len(value) if end < 0 else end + 1
        portion, overrides = _escape(value, start, end, inside)
        if end > start and value[end - 1] == "\n":
            overrides[-2] = PROHIBITED
        if first_line:
            start_column = len(prefix) + len(name) + 2 - after_break
            breaks = width_linebreaks("".join(portion), width, start_column, overrides)
            if portion and (end < len(value) or start_column > width or POSSIBLE in breaks):
                # A string that will not fit on the keyword's line starts on the next one.
                lines.append(f'{prefix}{name} ""')
                first_line = False
        if first_line:
            line = f'{prefix}{name} "'
            first_line = False
        else:
            breaks = width_linebreaks("".join(portion), width, len(prefix) + 1 - after_break, overrides)
            line = f'{prefix}"'
        for char, brk in zip(portion, breaks):
            if brk == POSSIBLE:
                lines.append(line + '"')
                line = f'{prefix}"'
            line += char
        lines.append(line + '"')
        start = end
        if start >= len(value):
            return lines


def _inside_directive(length: int, directives: cabc.Sequence[tuple[int, int]]) -> list[bool]:
    inside = [False] * length
    for begin, end in directives:
        for i in range(begin + 1, end):
            inside[i] = True
    return inside


def _escape(value: str, start: int, end: int, inside: list[bool]) -> tuple[list[str], list[int]]:
    """One ``\\n``-delimited portion as gettext prints it, one entry per character of output."""
    portion: list[str] = []
    overrides: list[int] = []
    for i in range(start, end):
        char = value[i]
        brk = PROHIBITED if inside[i] else UNDEFINED
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            portion += ["\\", escaped]
            overrides += [brk, PROHIBITED]
        else:
            portion.append(char)
            overrides.append(brk)
    return portion, overrides


_C_DIRECTIVE = re.compile(
    r"%(?:%|(?P<num>[1-9][0-9]*\$)?[-+ #0'I]*(?:\*(?:[1-9][0-9]*\$)?|[0-9]+)?"
    r"(?:\.(?:\*(?:[1-9][0-9]*\$)?|[0-9]+)?)?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnCSm])"
)
_PYTHON_DIRECTIVE = re.compile(
    r"%(?:%|(?P<name>\([^)]*\))?[-+ #0]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[hlL]?[diouxXeEfFgGcrsa])"
)
_PYTHON_BRACE_DIRECTIVE = re.compile(
    r"\{\{|\}\}|\{[A-Za-z_0-9]+(?:\.[A-Za-z_]\w*|\[[^\]]+\])*(?:![rsa])?(?::[^{}]*)?\}"
)

# language -> (directive pattern, character that opens a directive, named group that must not mix)
_DIRECTIVES = {
    "c": (_C_DIRECTIVE, "%", "num"),
    "objc": (_C_DIRECTIVE, "%", "num"),
    "python": (_PYTHON_DIRECTIVE, "%", "name"),
    "python-brace": (_PYTHON_BRACE_DIRECTIVE, "{}", None),
}


def directive_spans(language: str, value: str) -> list[tuple[int, int]]:
    """Character spans of the format directives gettext finds (c, objc, python, python-brace).

    Like gettext's format parsers, the scan stops at the first invalid
    directive (or the first that mixes numbered and plain arguments): the
    directives after it are not protected from line breaks.
    """
    if language not in _DIRECTIVES:
        return []
    pattern, openers, group = _DIRECTIVES[language]
    spans: list[tuple[int, int]] = []
    kinds: set[bool] = set()
    i = 0
    while True:
        starts = [j for j in (value.find(c, i) for c in openers) if j >= 0]
        if not starts:
            return spans
        i = min(starts)
        match = pattern.match(value, i)
        if match is None:
            return spans
        if group is not None and match.group(0) not in ("%%",):
            kinds.add(match.group(group) is not None)
            if len(kinds) > 1:
                return spans
        spans.append(match.span())
        i = match.end()
