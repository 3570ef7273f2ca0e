"""Compiled SRX rules → break positions in a text.

SRX says a position is a break iff the *first* rule whose ``beforebreak``
matches the text ending there and whose ``afterbreak`` matches the text
starting there is a break rule. Trying every rule at every position is far
too slow, so :class:`Breaker` works in two passes:

1. *candidates*: one REVERSE-mode scan of the alternation of the break rules'
   ``beforebreak`` patterns (``overlapped``, so every end position is
   reported), plus one forward scan for the ``afterbreak`` (as a lookahead,
   so every start is reported) of break rules with an empty ``beforebreak``. Scanning for a pattern runs many times faster
   than testing a lookbehind at every position, and gives a superset of the
   breaks;
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


def _position_pattern(rule: Rule) -> str:
    before = f"(?<={rule.before})" if rule.before else ""
    after = f"(?={rule.after})" if rule.after else ""
    return before + after


def _alternation(patterns: cabc.Iterable[str], flags: int) -> regex.Pattern[str] | None:
    joined = [f"(?:{p})" for p in patterns]
    return regex.compile("|".join(joined), flags) if joined else None


class Breaker:
    """The rules of one language, compiled for finding breaks."""

    __slots__ = ("_ends", "_starts", "_decide", "_break_groups")

    def __init__(self, rules: cabc.Sequence[Rule]) -> None:
        breaks = [r for r in rules if r.is_break]
        self._ends = _alternation((r.before for r in breaks if r.before), FLAGS | regex.REVERSE)
        self._starts = _alternation((f"(?={r.after})" for r in breaks if not r.before), FLAGS)
        runs = [(kind, list(group)) for kind, group in itertools.groupby(rules, key=lambda r: r.is_break)]
        decide = "|".join(f"(?:{'|'.join(_position_pattern(r) for r in group)})()" for _, group in runs)
        self._decide = regex.compile(decide, FLAGS) if runs else None
        self._break_groups = frozenset(i for i, (kind, _) in enumerate(runs, start=1) if kind)

    def breaks(self, text: str) -> list[int]:
        """Break positions strictly inside ``text``, ascending."""
        hits: set[int] = set()
        if self._ends is not None:
            hits.update(m.end() for m in self._ends.finditer(text, overlapped=True))
        if self._starts is not None:
            hits.update(m.start() for m in self._starts.finditer(text))
        hits.discard(0)
        hits.discard(len(text))
        if not hits or self._decide is None:
            return []
        match = self._decide.match
        groups = self._break_groups
        found = []
        for pos in sorted(hits):
            m = match(text, pos)
            if m is not None and m.lastindex in groups:
                found.append(pos)
        return found
