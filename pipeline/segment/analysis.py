"""What a rule's pattern needs from the text, read from the pattern itself.

The breaker (:mod:`.engine`) uses these facts about a translated (``regex``
VERSION1) pattern:

- :func:`last_chars`: the characters a match can *end* with, when they are few
  and known (``.?!`` for ``\\p{L}{2}[.?!]``): a rule is then found by a plain
  scan for those characters;
- :func:`anchor`: punctuation a match has at a fixed distance from one edge
  (``(?=\\d?[.)])`` has ``.`` or ``)`` 0..1 characters past it);
- :func:`required_chars`: sets of characters of which the text must contain
  at least one each for the pattern to match anywhere in it (lookarounds
  included: they look at the same text), so a rule is skipped for a paragraph
  that lacks them;
- :func:`edge_cost`: roughly how far a failing attempt reads, to tell which
  rules are worth skipping.

All are necessary conditions or estimates only, and the reader answers
"nothing known" for any construct it does not model (inline flags, named
groups, fuzzy matching, ``\\N{..}``...), so an unusual SRX file is only
slower, never segmented differently.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import regex

# Node kinds.
_CHAR, _SEQ, _ALT, _REP, _LOOK, _ZERO = range(6)

_ZERO_ESCAPES = frozenset("bBAZGmM")
_CLASS_ESCAPES = frozenset("dDwWsS")
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "a": "\a"}
_MAX_RANGE = 64  # a class range wider than this is not spelled out as a set


class Unsupported(ValueError):
    """The pattern uses something this reader does not model."""


@dataclasses.dataclass(frozen=True, slots=True)
class Node:
    kind: int
    # _CHAR: ``source`` usable inside a V1 set union, or None; ``chars`` the
    # exact characters when known and few.
    source: str | None = None
    chars: frozenset[str] | None = None
    children: tuple[Node, ...] = ()
    low: int = 0  # _REP bounds; high None = unbounded
    high: int | None = None
    positive: bool = True  # _LOOK: (?=, (?<= versus (?!, (?<!


@functools.lru_cache(maxsize=1024)
def parse(pattern: str) -> Node | None:
    """The pattern's structure, or None when it uses something not modelled."""
    try:
        parser = _Parser(pattern)
        node = parser.alternation(False)
        if parser.i != len(pattern):
            raise Unsupported(f"unbalanced ')' at {parser.i}")
        return node
    except Unsupported:
        return None


def last_chars(pattern: str) -> frozenset[str] | None:
    """Every character a non-empty match can end with, when they are few and known; else None.

    >>> sorted(last_chars(r"\\p{L}{2}[.?!]"))
    ['!', '.', '?']
    """
    node = parse(pattern)
    if node is None or _nullable(node):
        return None
    found = _last(node)
    return frozenset().union(*found) if found else None


def required_chars(pattern: str) -> list[frozenset[str]]:
    """Sets of characters the text must each intersect for ``pattern`` to match in it.

    >>> required_chars(r'\\s"[^"]{0,9}') == [frozenset('"')]
    True
    """
    node = parse(pattern)
    return [] if node is None else _required(node)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def alternation(self, flagged: bool) -> Node:
        branches = [self.sequence(flagged)]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence(flagged))
        return branches[0] if len(branches) == 1 else Node(_ALT, children=tuple(branches))

    def sequence(self, flagged: bool) -> Node:
        items: list[Node] = []
        p = self.p
        while self.i < len(p) and p[self.i] not in "|)":
            atom = self.atom(flagged)
            items.append(self.quantified(atom))
        return items[0] if len(items) == 1 else Node(_SEQ, children=tuple(items))

    def quantified(self, atom: Node) -> Node:
        p = self.p
        if self.i >= len(p):
            return atom
        char = p[self.i]
        if char == "*":
            low, high = 0, None
            self.i += 1
        elif char == "+":
            low, high = 1, None
            self.i += 1
        elif char == "?":
            low, high = 0, 1
            self.i += 1
        elif char == "{":
            close = p.find("}", self.i)
            body = p[self.i + 1 : close] if close > 0 else ""
            parts = body.split(",")
            if close < 0 or len(parts) > 2 or not all(x.isdigit() or x == "" for x in parts) or parts == [""]:
                raise Unsupported("'{' that is not a plain quantifier")
            low = int(parts[0] or 0)
            high = (int(parts[0]) if len(parts) == 1 else int(parts[1]) if parts[1] else None)
            if len(parts) == 2 and parts[0] == "" and parts[1] == "":
                raise Unsupported("'{,}'")
            self.i = close + 1
        else:
            return atom
        if self.i < len(p) and p[self.i] in "?+":
            self.i += 1  # lazy or possessive: the same set of possible matches
        if self.i < len(p) and p[self.i] in "*+?{":
            raise Unsupported("stacked quantifiers")
        return Node(_REP, children=(atom,), low=low, high=high)

    def atom(self, flagged: bool) -> Node:
        p = self.p
        char = p[self.i]
        if char == "(":
            return self.group(flagged)
        if char == "[":
            return self.char_class(flagged)
        if char == "\\":
            return self.escape(flagged)
        if char in "*+?{":
            raise Unsupported(f"quantifier without an atom at {self.i}")
        self.i += 1
        if char in "^$":
            return Node(_ZERO)
        if char == ".":
            return Node(_CHAR, None if flagged else "[^\\n]")
        return self.literal(char, flagged)

    @staticmethod
    def literal(char: str, flagged: bool) -> Node:
        if flagged:  # case-insensitive or other flags: other characters may match
            return Node(_CHAR)
        source = char if char.isalnum() else f"\\U{ord(char):08x}"
        return Node(_CHAR, source, frozenset(char))

    def group(self, flagged: bool) -> Node:
        p = self.p
        start = self.i
        kind = None
        positive = True
        if p.startswith("(?:", start) or p.startswith("(?>", start):
            self.i += 3
        elif p.startswith(("(?=", "(?!"), start):
            kind, positive = "ahead", p[start + 2] == "="
            self.i += 3
        elif p.startswith(("(?<=", "(?<!"), start):
            kind, positive = "behind", p[start + 3] == "="
            self.i += 4
        elif p.startswith("(?", start):
            j = start + 2
            while j < len(p) and p[j] in "ims-":
                j += 1
            if j == start + 2 or j >= len(p) or p[j] != ":":
                raise Unsupported(f"group construct at {start}")
            self.i = j + 1
            flagged = True
        else:
            self.i += 1  # plain (capturing) group
        inner = self.alternation(flagged)
        if self.i >= len(p) or p[self.i] != ")":
            raise Unsupported(f"unclosed group at {start}")
        self.i += 1
        if kind is None:
            return inner
        return Node(_LOOK, children=(inner,), positive=positive, source=kind)

    def char_class(self, flagged: bool) -> Node:
        p = self.p
        start = self.i
        j = start + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            raise Unsupported("']' first in a class")
        depth = 1
        while j < len(p) and depth:
            if p[j] == "\\":
                j += 2
                continue
            if p[j] == "[":
                depth += 1
            elif p[j] == "]":
                depth -= 1
            j += 1
        if depth:
            raise Unsupported("unclosed class")
        self.i = j
        source = p[start:j]
        if flagged:
            return Node(_CHAR)
        return Node(_CHAR, source, _class_chars(source[1:-1]))

    def escape(self, flagged: bool) -> Node:
        p = self.p
        if self.i + 1 >= len(p):
            raise Unsupported("trailing backslash")
        char = p[self.i + 1]
        start = self.i
        self.i += 2
        if char in _ZERO_ESCAPES:
            return Node(_ZERO)
        if char in _CLASS_ESCAPES:
            return Node(_CHAR, None if flagged else p[start : self.i])
        if char in "pP":
            if self.i < len(p) and p[self.i] == "{":
                close = p.find("}", self.i)
                if close < 0:
                    raise Unsupported("unclosed \\p{")
                self.i = close + 1
            else:
                self.i += 1
            return Node(_CHAR, None if flagged else p[start : self.i])
        if char in _LITERAL_ESCAPES:
            return self.literal(_LITERAL_ESCAPES[char], flagged)
        if char in "xuU":
            value = _hex_escape(p, start)
            if value is None:
                raise Unsupported(f"escape {p[start:start + 2]!r}")
            code, end = value
            self.i = end
            return self.literal(chr(code), flagged)
        if char.isalnum() or char == "_":
            raise Unsupported(f"escape {p[start:self.i]!r}")
        return self.literal(char, flagged)


def _hex_escape(p: str, start: int) -> tuple[int, int] | None:
    """``\\xHH``, ``\\x{H..}``, ``\\uHHHH``, ``\\UHHHHHHHH`` at ``p[start]`` → (code point, end)."""
    kind = p[start + 1]
    begin = start + 2
    if kind == "x" and p.startswith("{", begin):
        close = p.find("}", begin)
        digits, end = (p[begin + 1 : close], close + 1) if close > 0 else ("", 0)
    else:
        size = {"x": 2, "u": 4, "U": 8}[kind]
        digits, end = p[begin : begin + size], begin + size
        if len(digits) != size:
            return None
    try:
        code = int(digits, 16)
    except ValueError:
        return None
    return (code, end) if 0 <= code <= 0x10FFFF and digits.isascii() and digits.isalnum() else None


def _class_chars(body: str) -> frozenset[str] | None:
    """The characters of a plain class body (literals, simple escapes, short ranges), else None."""
    if body.startswith("^") or "[" in body.replace("\\[", "") or any(op in body for op in ("&&", "||", "--", "~~")):
        return None
    # Ranges: an unescaped '-' between two characters.
    chars: set[str] = set()
    tokens = _class_tokens(body)
    if tokens is None:
        return None
    k = 0
    while k < len(tokens):
        value, is_dash = tokens[k]
        if k + 2 < len(tokens) and tokens[k + 1][1]:
            low, high = ord(value), ord(tokens[k + 2][0])
            if high < low or high - low > _MAX_RANGE:
                return None
            chars.update(chr(c) for c in range(low, high + 1))
            k += 3
            continue
        chars.add(value)
        k += 1
    return frozenset(chars) if chars else None


def _class_tokens(body: str) -> list[tuple[str, bool]] | None:
    """(character, is an unescaped '-') pairs of a plain class body; None for class escapes."""
    tokens: list[tuple[str, bool]] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body):
                return None
            nxt = body[i + 1]
            if nxt in _LITERAL_ESCAPES:
                tokens.append((_LITERAL_ESCAPES[nxt], False))
                i += 2
            elif nxt in "xuU":
                value = _hex_escape(body, i)
                if value is None:
                    return None
                tokens.append((chr(value[0]), False))
                i = value[1]
            elif nxt.isalnum() or nxt == "_":
                return None  # \d, \p{..} and the like: too many characters to list
            else:
                tokens.append((nxt, False))
                i += 2
            continue
        tokens.append((char, char == "-"))
        i += 1
    # A '-' first or last is a literal.
    if tokens and tokens[0][1]:
        tokens[0] = ("-", False)
    if tokens and tokens[-1][1]:
        tokens[-1] = ("-", False)
    return tokens


def _nullable(node: Node) -> bool:
    kind = node.kind
    if kind == _CHAR:
        return False
    if kind in (_ZERO, _LOOK):
        return True
    if kind == _SEQ:
        return all(_nullable(c) for c in node.children)
    if kind == _ALT:
        return any(_nullable(c) for c in node.children)
    return node.low == 0 or _nullable(node.children[0]) or node.high == 0


def _last(node: Node) -> list[frozenset[str]] | None:
    """The character sets a match can end with; None if one is unknown or too large."""
    kind = node.kind
    if kind == _CHAR:
        return None if node.chars is None else [node.chars]
    if kind in (_ZERO, _LOOK):
        return []
    if kind == _REP:
        return [] if node.high == 0 else _last(node.children[0])
    if kind == _ALT:
        out: list[frozenset[str]] = []
        for child in node.children:
            found = _last(child)
            if found is None:
                return None
            out += found
        return out
    out = []
    for child in reversed(node.children):
        found = _last(child)
        if found is None:
            return None
        out += found
        if not _nullable(child):
            break
    return out


def _required(node: Node) -> list[frozenset[str]]:
    kind = node.kind
    if kind == _CHAR:
        return [] if node.chars is None else [node.chars]
    if kind == _ZERO:
        return []
    if kind == _LOOK:
        return _required(node.children[0]) if node.positive else []
    if kind == _REP:
        return _required(node.children[0]) if node.low >= 1 else []
    if kind == _SEQ:
        return [s for child in node.children for s in _required(child)]
    union: set[str] = set()
    for child in node.children:
        found = _required(child)
        if not found:
            return []
        union |= min(found, key=len)
    return [frozenset(union)]


def edge_cost(pattern: str, from_end: bool) -> float:
    """Rough count of characters a match attempt anchored at one edge reads before it can fail.

    Walking from the edge (the end for a ``beforebreak``, the start for an
    ``afterbreak``), a mandatory character of a small known set usually stops
    a failing attempt; repeated broad classes do not (``[^"\\n]{0,400}+`` reads
    up to 400 characters). Runs of whitespace count as short. Only used to
    decide which rules are worth skipping, never for what matches.

    >>> edge_cost(r'\\s"[^"\\n]{0,400}+', from_end=True)
    401.0
    >>> edge_cost(r"\\p{L}{2}[.?!]", from_end=True)
    1.0
    """
    node = parse(pattern)
    return math.inf if node is None else _edge(node, from_end)[0]


_SPACE_RUN = 8.0  # what an unbounded run of whitespace is taken to cost


@functools.lru_cache(maxsize=256)
def _is_space_class(source: str) -> bool:
    try:
        compiled = regex.compile(source, regex.VERSION1)
    except regex.error:
        return False
    return compiled.match(" ") is not None and not any(compiled.match(c) for c in "a0.中")


def _edge(node: Node, from_end: bool) -> tuple[float, bool]:
    """(characters read, whether a mismatch surely stops the attempt) from one edge of ``node``."""
    kind = node.kind
    if kind == _CHAR:
        return 1.0, node.chars is not None
    if kind == _ZERO:
        return 0.0, False
    if kind == _LOOK:
        cost, stops = _edge(node.children[0], from_end=node.source == "behind")
        return cost, stops and node.positive
    if kind == _SEQ:
        total = 0.0
        for child in reversed(node.children) if from_end else node.children:
            cost, stops = _edge(child, from_end)
            total += cost
            if stops and not _nullable(child):
                return total, True
        return total, False
    if kind == _ALT:
        found = [_edge(c, from_end) for c in node.children]
        return max(c for c, _ in found), all(s for _, s in found)
    child = node.children[0]
    cost, stops = _edge(child, from_end)
    if stops:
        return cost, node.low >= 1
    if child.kind == _CHAR and child.source is not None and _is_space_class(child.source):
        return (_SPACE_RUN if node.high is None else min(float(node.high), _SPACE_RUN)), False
    if node.high is None:
        return (math.inf if cost else 0.0), False
    return cost * node.high, False


def anchor(pattern: str, from_end: bool) -> tuple[frozenset[str], int, int] | None:
    """A few punctuation characters one of which a match has within a fixed distance of one edge.

    Returns ``(chars, low, high)``: some ``i`` with ``text[i]`` in ``chars`` and
    ``low <= i - edge <= high``, where the edge is the match's end
    (``from_end``) or start. Positive lookarounds at the edge count, so
    ``\\s+(?=\\d?[.)])`` has ``{'.', ')'}`` at 0..1 past its end.

    >>> anchor(r"[^\\S\\n]{1,20}(?=\\d?[.)])", from_end=True) == (frozenset(".)"), 0, 1)
    True
    """
    node = parse(pattern)
    return None if node is None else _anchor(node, from_end)


def _selective(chars: frozenset[str] | None) -> bool:
    return chars is not None and 0 < len(chars) <= 16 and not any(c.isalnum() or c.isspace() for c in chars)


def _width(node: Node) -> tuple[int, int | None]:
    kind = node.kind
    if kind == _CHAR:
        return 1, 1
    if kind in (_ZERO, _LOOK):
        return 0, 0
    if kind == _REP:
        low, high = _width(node.children[0])
        return low * node.low, None if high is None or node.high is None else high * node.high
    widths = [_width(c) for c in node.children]
    highs = [h for _, h in widths]
    if kind == _SEQ:
        return sum(w for w, _ in widths), None if None in highs else sum(highs)  # type: ignore[arg-type]
    return min(w for w, _ in widths), None if None in highs else max(highs)  # type: ignore[type-var]


def _anchor(node: Node, from_end: bool) -> tuple[frozenset[str], int, int] | None:
    kind = node.kind
    if kind == _CHAR:
        if not _selective(node.chars):
            return None
        return (node.chars, -1, -1) if from_end else (node.chars, 0, 0)  # type: ignore[return-value]
    if kind == _ZERO:
        return None
    if kind == _LOOK:
        return _anchor(node.children[0], from_end=node.source == "behind") if node.positive else None
    if kind == _REP:
        return _anchor(node.children[0], from_end) if node.low >= 1 else None
    if kind == _ALT:
        found = [_anchor(c, from_end) for c in node.children]
        if any(f is None for f in found):
            return None
        chars = frozenset().union(*(f[0] for f in found))  # type: ignore[index]
        if not _selective(chars):
            return None
        return chars, min(f[1] for f in found), max(f[2] for f in found)  # type: ignore[index]
    low, high = 0, 0
    for child in reversed(node.children) if from_end else node.children:
        if child.kind == _LOOK or not _nullable(child):
            found = _anchor(child, from_end)
            if found is not None:
                chars, a, b = found
                return (chars, a - high, b - low) if from_end else (chars, a + low, b + high)
        width_low, width_high = _width(child)
        if width_high is None:
            return None
        low, high = low + width_low, high + width_high
    return None
