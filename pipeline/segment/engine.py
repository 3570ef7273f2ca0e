"""Compiled SRX rules → break positions in a text.

SRX says a position is a break iff the *first* rule whose ``beforebreak``
matches the text ending there and whose ``afterbreak`` matches the text
starting there is a break rule. Trying every rule at every position is far
too slow, so :class:`Breaker` works in two passes:

1. *candidates*: positions where some break rule matches, a superset of the
   breaks. A break rule whose ``beforebreak`` always ends with one of a few
   known characters (``.?!`` for ``\\p{L}{2}[.?!]``), or that needs one of a
   few punctuation characters within two positions of the break, is found by
   a stdlib ``re`` scan for those characters (fast: no Unicode properties, no
   lookbehind) and, at each hit, one anchored ``regex`` match of the rules
   that may break at that distance from it. The other break rules get
   REVERSE-mode scans of their ``beforebreak`` (``overlapped``, so every end
   position is reported; the ``afterbreak`` rides along as a lookahead where
   that keeps the scan cheap); those with an empty ``beforebreak`` a forward
   scan of their ``afterbreak``;
2. *decision*: at each candidate, anchored matches of the alternation of all
   rules, in SRX order, find the rule that matches first. Consecutive rules of
   the same kind form a run ending in an empty capture group, so the group that
   took part in the match tells the winner's kind.

What a paragraph can match is read from the characters it contains (see
:mod:`.analysis`): a rule needing a character the paragraph lacks (a quote
mark, 《) cannot match anywhere in it. So scans of such rules are skipped;
far-looking rules (a quotation's 400 characters) sit in alternations of their
own, skipped there; and a candidate found by the first rule that can match in
the paragraph is a break without a decision. The first matching rule is the
same in every case, so the breaks are those of SRX read literally.

The decision relies on ``regex`` lookbehind seeing the text before ``pos`` and
accepting variable-length patterns.

Rules Duet did not write run in a :class:`TimedBreaker`: the same passes, each
regex call drawing on the paragraph's time budget (see :mod:`.guard`).
"""

from __future__ import annotations

import collections.abc as cabc
import itertools
import re

import regex

from ..model import Location
from .analysis import anchor, edge_cost, last_chars, required_chars
from .guard import Clock, Overrun, Parts, budget, matcher, scanner, too_slow
from .javaregex import FLAGS
from .srx import Rule

_LOOKAROUND = regex.compile(r"(?<!\\)\(\?<?[=!]")


def _position_pattern(rule: Rule) -> str:
    before = f"(?<={rule.before})" if rule.before else ""
    after = f"(?={rule.after})" if rule.after else ""
    return before + after


def _alternation(patterns: cabc.Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


# A rule that may look further than this many characters, and whose pattern
# needs characters a paragraph may lack, is tried only where they are present.
_FAR = 40
_MAX_SET = 16
_PLANS = 4096  # paragraphs' sets of present characters remembered per breaker


def _present(present: frozenset[str], required: cabc.Sequence[frozenset[str]]) -> bool:
    """Whether the characters ``present`` in a text meet each set of ``required``."""
    return all(not chars.isdisjoint(present) for chars in required)


def _rule_requirements(rule: Rule) -> list[frozenset[str]]:
    """Sets of characters the text needs for ``rule`` to match, only the selective ones.

    Sets with letters, digits or spaces are left out: nearly every paragraph has them.
    """
    found = required_chars(rule.before) + required_chars(rule.after)
    return list(dict.fromkeys(s for s in found if len(s) <= _MAX_SET and not any(c.isalnum() or c.isspace() for c in s)))


def _far(rule: Rule) -> bool:
    """Whether a failing match of ``rule`` at a position may read far (a quotation's 400 characters)."""
    before = edge_cost(rule.before, from_end=True) if rule.before else 0.0
    after = edge_cost(rule.after, from_end=False) if rule.after else 0.0
    return max(before, after) > _FAR


class _Decision:
    """One alternation of consecutive rules, with the groups that mean "break"."""

    __slots__ = ("match", "break_groups", "required")

    def __init__(self, rules: cabc.Sequence[Rule], required: list[frozenset[str]] | None, clock: Clock | None) -> None:
        runs = [(kind, list(group)) for kind, group in itertools.groupby(rules, key=lambda r: r.is_break)]
        decide = "|".join(f"(?:{'|'.join(_position_pattern(r) for r in group)})()" for _, group in runs)
        self.match = matcher(regex.compile(decide, FLAGS), clock, _positions(rules))
        self.break_groups = frozenset(i for i, (kind, _) in enumerate(runs, start=1) if kind)
        # Like a scan's: alternatives, each a list of sets that must all be present.
        self.required = None if required is None else [required]

    def wanted(self, present: frozenset[str]) -> bool:
        return self.required is None or any(_present(present, req) for req in self.required)


def _positions(rules: cabc.Sequence[Rule]) -> Parts:
    return tuple((r, _position_pattern(r), FLAGS) for r in rules)


def _decisions(rules: cabc.Sequence[Rule], clock: Clock | None) -> list[_Decision]:
    """Rules in SRX order, cut so that far-looking rules with requirements stand alone."""
    chunks: list[tuple[list[Rule], list[frozenset[str]] | None]] = []
    for rule in rules:
        required = _rule_requirements(rule) if _far(rule) else []
        key = required or None
        if chunks and chunks[-1][1] == key:
            chunks[-1][0].append(rule)
        else:
            chunks.append(([rule], key))
    return [_Decision(group, key, clock) for group, key in chunks]


def _near_anchor(rule: Rule) -> tuple[frozenset[str], int, int] | None:
    """Punctuation within two positions of where ``rule`` breaks, as ``(chars, low, high)``: ``i - break``."""
    found = [a for a in (anchor(rule.before, from_end=True), anchor(rule.after, from_end=False) if rule.after else None) if a]
    found = [a for a in found if a[2] - a[1] <= 1]
    return min(found, key=lambda a: (a[2] - a[1], len(a[0]))) if found else None


class _Scan:
    """A scan for some rules' patterns, skipped where none of its rules' characters occur."""

    __slots__ = ("finditer", "required")

    def __init__(self, patterns: list[str], rules: list[Rule], clock: Clock | None, reverse: bool = True) -> None:
        flags = FLAGS | regex.REVERSE if reverse else FLAGS
        parts = tuple((r, p, flags) for r, p in zip(rules, patterns, strict=True))
        self.finditer = scanner(regex.compile(_alternation(patterns), flags), clock, parts)
        requirements = [_rule_requirements(r) for r in rules]
        self.required = requirements if all(requirements) else None

    def wanted(self, present: frozenset[str]) -> bool:
        return self.required is None or any(_present(present, req) for req in self.required)


class Breaker:
    """The rules of one language, compiled for finding breaks."""

    __slots__ = (
        "_anchors", "_verify", "_shifted", "_required", "_scans", "_starts", "_everywhere", "_decisions", "_watch",
        "_plans",
    )

    def __init__(self, rules: cabc.Sequence[Rule], clock: Clock | None = None) -> None:
        """With a ``clock``, every regex call draws on the budget of the paragraph it started."""
        breaks = [r for r in rules if r.is_break]
        # Break rules whose beforebreak ends in one of a few known characters,
        # or that need one of a few punctuation characters at a fixed distance
        # from the break (``(?=\d?[.)])``): a stdlib ``re`` scan for those
        # characters, then at each hit one anchored match of the rules that
        # may break at that distance from it.
        by_char: dict[str, dict[int, list[Rule]]] = {}
        # The others: REVERSE scans of the beforebreak, with the afterbreak as
        # a lookahead, which cuts candidates. One whose beforebreak has
        # lookarounds of its own gets a scan of its own: zero-width items in
        # an alternation make ``regex`` try every branch at every position.
        plain: list[Rule] = []
        alone: list[Rule] = []
        for r in breaks:
            if not r.before:
                continue
            last = last_chars(r.before)
            if last is not None:
                offsets = {char: (-1,) for char in last}
            elif (found := _near_anchor(r)) is not None:
                chars, low, high = found
                offsets = {char: tuple(range(low, high + 1)) for char in chars}
            elif _LOOKAROUND.search(r.before):
                alone.append(r)
                continue
            else:
                plain.append(r)
                continue
            for char, distances in offsets.items():
                for distance in distances:
                    by_char.setdefault(char, {}).setdefault(distance, []).append(r)
        self._anchors = (
            re.compile("[" + "".join(re.escape(c) for c in sorted(by_char)) + "]").finditer if by_char else None
        )
        # Each verifier tells which rule matched (an empty group per rule), so
        # that a break needs no decision where no earlier rule can match.
        rank = {id(r): i for i, r in enumerate(rules)}
        verifiers: dict[tuple[int, ...], tuple[cabc.Callable[..., regex.Match[str] | None], tuple[int, ...]]] = {}
        self._verify: dict[str, tuple[tuple[int, cabc.Callable[..., regex.Match[str] | None], tuple[int, ...]], ...]] = {}
        self._shifted = False
        for char, by_distance in by_char.items():
            entries = []
            for distance, group in sorted(by_distance.items()):
                key = tuple(id(r) for r in group)
                if key not in verifiers:
                    pattern = "|".join(f"(?:{_position_pattern(r)})()" for r in group)
                    verifiers[key] = (matcher(regex.compile(pattern, FLAGS), clock, _positions(group)),
                                      (-1, *(rank[id(r)] for r in group)))
                entries.append((distance, *verifiers[key]))
                self._shifted |= distance != -1
            self._verify[char] = tuple(entries)
        self._required = [_rule_requirements(r) for r in rules]
        self._scans = []
        if plain:
            self._scans.append(_Scan([r.before + (f"(?={r.after})" if r.after else "") for r in plain], plain, clock))
        self._scans += [_Scan([r.before], [r], clock) for r in alone]
        starts = [r for r in breaks if not r.before and r.after]
        self._starts = None
        if starts:
            self._starts = _Scan([r.after for r in starts], starts, clock, reverse=False)
        self._everywhere = any(not r.before and not r.after for r in breaks)
        self._decisions = _decisions(rules, clock) if rules else []
        # Which scans and decisions a paragraph needs depends only on which of
        # the characters they require it contains: one ``re`` scan finds those,
        # and the plan for that set is remembered.
        watched = {
            c
            for item in (*self._scans, *([self._starts] if self._starts else []), *self._decisions)
            for req in (item.required or ())
            for chars in req
            for c in chars
        }
        watched.update(c for req in self._required for chars in req for c in chars)
        self._watch = re.compile("[" + "".join(re.escape(c) for c in sorted(watched)) + "]").findall if watched else None
        self._plans: dict[frozenset[str], tuple[list[_Scan], bool, list[_Decision]]] = {}

    def _plan(self, text: str) -> tuple[list[_Scan], bool, list[_Decision], int]:
        present = frozenset(self._watch(text)) if self._watch is not None else frozenset()
        plan = self._plans.get(present)
        if plan is None:
            if len(self._plans) >= _PLANS:
                self._plans.clear()
            # The first rule that can match anywhere in the text: a break found
            # by a rule at or before it needs no decision.
            first = next((i for i, req in enumerate(self._required) if _present(present, req)), len(self._required))
            plan = self._plans[present] = (
                [scan for scan in self._scans if scan.wanted(present)],
                self._starts is not None and self._starts.wanted(present),
                [d for d in self._decisions if d.wanted(present)],
                first,
            )
        return plan

    def breaks(self, text: str, where: Location | None = None) -> list[int]:
        """Break positions strictly inside ``text``, ascending; ``where`` the paragraph is, for errors."""
        scans, starts, decisions, first = self._plan(text)
        size = len(text)
        sure: list[int] = []  # breaks found by the first rule that can match
        hits: list[int] = []  # candidates for the decision
        ordered = True
        if self._anchors is not None:
            verify = self._verify
            for m in self._anchors(text):
                at = m.start()
                for distance, match, ranks in verify[m.group()]:
                    pos = at - distance
                    if 0 < pos < size and (v := match(text, pos)) is not None:
                        (sure if ranks[v.lastindex] <= first else hits).append(pos)
            ordered = not self._shifted
        for scan in scans:
            found = [m.end() for m in scan.finditer(text, overlapped=True)]
            if found:
                hits += found
                ordered = False
        if starts:
            found = [m.start() for m in self._starts.finditer(text, overlapped=True)]  # type: ignore[union-attr]
            if found:
                hits += found
                ordered = False
        if self._everywhere:
            hits += range(1, len(text))
            ordered = False
        if not hits or not decisions:
            return sorted(set(sure)) if sure and not ordered else sure
        if not ordered:
            hits = sorted(set(hits))
        if len(decisions) == 1:
            match = decisions[0].match
            groups = decisions[0].break_groups
            out = [
                pos
                for pos in hits
                if 0 < pos < size and (m := match(text, pos)) is not None and m.lastindex in groups
            ]
        else:
            out = []
            for pos in hits:
                if 0 < pos < size:
                    for decision in decisions:
                        m = decision.match(text, pos)
                        if m is not None:
                            if m.lastindex in decision.break_groups:
                                out.append(pos)
                            break
        return sorted(set(out).union(sure)) if sure else out


class TimedBreaker(Breaker):
    """A :class:`Breaker` for rules Duet did not write: each paragraph has a time budget (see :mod:`.guard`)."""

    __slots__ = ("_clock", "_path")

    def __init__(self, rules: cabc.Sequence[Rule], path: str) -> None:
        self._clock = Clock()
        self._path = path
        super().__init__(rules, self._clock)

    def breaks(self, text: str, where: Location | None = None) -> list[int]:
        """As :meth:`Breaker.breaks`; a paragraph over its budget is a :class:`SegmentationError` naming the rule."""
        self._clock.start(budget(len(text)))
        try:
            return super().breaks(text)
        except Overrun as overrun:
            raise too_slow(text, overrun, self._path, where) from None
