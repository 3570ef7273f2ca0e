"""Compiled SRX rules → break positions in a text.

SRX says a position is a break iff the *first* rule whose ``beforebreak``
matches the text ending there and whose ``afterbreak`` matches the text
starting there is a break rule. Trying every rule at every position is far
too slow, so :class:`Breaker` works in two passes:

1. *candidates*: REVERSE-mode scans of the break rules' ``beforebreak``
   patterns (``overlapped``, so every end position is reported; the
   ``afterbreak`` rides along as a lookahead where that keeps the scan
   cheap), plus a forward scan for the ``afterbreak`` of break rules with an
   empty ``beforebreak`` (every start is reported). Scanning for a pattern
   runs many times faster than testing a lookbehind at every position, and
   gives a superset of the breaks;
2. *decision*: at each candidate, one anchored match of the alternation of all
   rules, in SRX order, finds the rule that matches first. Consecutive rules of
   the same kind form a run ending in an empty capture group, so the group that
   took part in the match tells the winner's kind.

The decision relies on ``regex`` lookbehind seeing the text before ``pos`` and
accepting variable-length patterns.
"""

from __future__ import annotations

import collections.abc as cabc
import itertools

import regex

from .javaregex import FLAGS
from .srx import Rule

_LOOKAROUND = regex.compile(r"(?<!\\)\(\?<?[=!]")


def _position_pattern(rule: Rule) -> str:
    before = f"(?<={rule.before})" if rule.before else ""
    after = f"(?={rule.after})" if rule.after else ""
    return before + after


def _alternation(patterns: cabc.Iterable[str], flags: int) -> regex.Pattern[str] | None:
    joined = [f"(?:{p})" for p in patterns]
    return regex.compile("|".join(joined), flags) if joined else None


class Breaker:
    """The rules of one language, compiled for finding breaks."""

    __slots__ = ("_ends", "_starts", "_everywhere", "_decide", "_break_groups")

    def __init__(self, rules: cabc.Sequence[Rule]) -> None:
        breaks = [r for r in rules if r.is_break]
        reverse = FLAGS | regex.REVERSE
        # A break rule's beforebreak is scanned with its afterbreak as a
        # lookahead, which cuts candidates. One whose beforebreak has
        # lookarounds of its own gets a scan of its own: zero-width items in
        # an alternation make ``regex`` try every branch at every position.
        plain: list[str] = []
        alone: list[str] = []
        for r in breaks:
            if not r.before:
                continue
            if _LOOKAROUND.search(r.before):
                alone.append(r.before)
            else:
                plain.append(r.before + (f"(?={r.after})" if r.after else ""))
        self._ends = [p for g in (plain, *([a] for a in alone)) if (p := _alternation(g, reverse)) is not None]
        self._starts = _alternation((r.after for r in breaks if not r.before and r.after), FLAGS)
        self._everywhere = any(not r.before and not r.after for r in breaks)
        runs = [(kind, list(group)) for kind, group in itertools.groupby(rules, key=lambda r: r.is_break)]
        decide = "|".join(f"(?:{'|'.join(_position_pattern(r) for r in group)})()" for _, group in runs)
        self._decide = regex.compile(decide, FLAGS) if runs else None
        self._break_groups = frozenset(i for i, (kind, _) in enumerate(runs, start=1) if kind)

    def breaks(self, text: str) -> list[int]:
        """Break positions strictly inside ``text``, ascending."""
        hits: list[int] = []
        for ends in self._ends:
            hits += [m.end() for m in ends.finditer(text, overlapped=True)]
        if self._starts is not None:
            hits += [m.start() for m in self._starts.finditer(text, overlapped=True)]
        if self._everywhere:
            hits += range(1, len(text))
        if not hits or self._decide is None:
            return []
        size = len(text)
        match = self._decide.match
        groups = self._break_groups
        return [
            pos
            for pos in sorted(set(hits))
            if 0 < pos < size and (m := match(text, pos)) is not None and m.lastindex in groups
        ]
