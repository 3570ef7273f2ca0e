"""A time budget for the regex calls of SRX rules Duet did not write.

A user's rule with a nested repetition (``(x+x+)+y``, or ``(a|a)*b`` inside a
lookahead) backtracks exponentially: one match attempt on a line of thirty
letters runs for hours. ``regex`` takes a ``timeout`` on each call, so every
call made for a paragraph gets what is left of that paragraph's budget, and a
paragraph that runs out is refused with the rule to blame. Finding it costs a
second pass, each of the suspect rules alone on the same text with a quarter
of the budget, only after the budget ran out. Duet's own rules run untimed:
they are tested, and a timed call costs two reads of the processor clock
(about 2 µs here), which would double their time.

The deadline is wall-clock time (a cheap clock, read before each call);
``regex`` counts processor time within a call, so a loaded machine stretches
a call but never lets one run unbounded.
"""

from __future__ import annotations

import collections.abc as cabc
import time

import regex

from ..errors import SegmentationError
from ..model import Location
from .srx import Rule

BASE_SECONDS = 1.0
"""What any paragraph may take, however short (a few milliseconds is usual)."""

SECONDS_PER_CHARACTER = 10e-6
"""And per character: fifty times what the SRX files of OmegaT and Okapi need, timed."""

_BLAME_SHARE = 0.25  # of a paragraph's budget, for trying its suspect rules alone


class Clock:
    """The deadline of the paragraph being segmented."""

    __slots__ = ("deadline",)

    def __init__(self) -> None:
        self.deadline = 0.0

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; raises ``TimeoutError`` once there are none."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


def budget(size: int) -> float:
    """Seconds a paragraph of ``size`` characters may take."""
    return BASE_SECONDS + SECONDS_PER_CHARACTER * size


# A compiled pattern's rules, each with its own pattern and flags, so that each
# can be tried alone when the pattern ran out of time.
Parts = tuple[tuple[Rule, str, int], ...]


class Overrun(Exception):
    """A paragraph's budget ran out in a call for ``parts``; ``pos`` is where a match was tried."""

    def __init__(self, parts: Parts, pos: int | None) -> None:
        super().__init__()
        self.parts = parts
        self.pos = pos


class Timed:
    """A compiled pattern whose calls draw on the paragraph's budget."""

    __slots__ = ("_pattern", "_clock", "_parts")

    def __init__(self, pattern: regex.Pattern[str], clock: Clock, parts: Parts) -> None:
        self._pattern = pattern
        self._clock = clock
        self._parts = parts

    def match(self, text: str, pos: int) -> regex.Match[str] | None:
        try:
            return self._pattern.match(text, pos, timeout=self._clock.left())
        except TimeoutError:
            raise Overrun(self._parts, pos) from None

    def finditer(self, text: str, overlapped: bool = False) -> list[regex.Match[str]]:
        try:
            return list(self._pattern.finditer(text, overlapped=overlapped, timeout=self._clock.left()))
        except TimeoutError:
            raise Overrun(self._parts, None) from None


def matcher(pattern: regex.Pattern[str], clock: Clock | None, parts: Parts) -> cabc.Callable[..., regex.Match[str] | None]:
    """``pattern.match``, timed when there is a clock."""
    return pattern.match if clock is None else Timed(pattern, clock, parts).match


def scanner(pattern: regex.Pattern[str], clock: Clock | None,
            parts: Parts) -> cabc.Callable[..., cabc.Iterable[regex.Match[str]]]:
    """``pattern.finditer``, timed when there is a clock."""
    return pattern.finditer if clock is None else Timed(pattern, clock, parts).finditer


def too_slow(text: str, overrun: Overrun, rules_path: str, where: Location | None) -> SegmentationError:
    """The error naming the rule that made a paragraph run out of time.

    Each rule of the call that ran out is tried alone, on the same text, all
    within a share of the budget; the first to run out is to blame, else the slowest.
    """
    clock = Clock()
    clock.start(_BLAME_SHARE * budget(len(text)))
    slowest: tuple[float, Rule] = (-1.0, overrun.parts[0][0])
    for rule, source, flags in overrun.parts:
        pattern = regex.compile(source, flags)
        began = time.monotonic()
        try:
            if overrun.pos is None:
                for _ in pattern.finditer(text, overlapped=True, timeout=clock.left()):
                    pass
            else:
                pattern.match(text, overrun.pos, timeout=clock.left())
        except TimeoutError:
            slowest = (float("inf"), rule)
            break
        slowest = max(slowest, (time.monotonic() - began, rule), key=lambda found: found[0])
    rule = slowest[1]
    paragraph = f" at {where}" if where else ""
    return SegmentationError(
        f"rule too slow: segmenting the paragraph{paragraph} ({len(text)} characters) took over"
        f" {budget(len(text)):.1f} s;"
        " a nested repetition such as (x+)+ or (a|a)* backtracks without end: make it possessive (x++)"
        " or atomic ((?>...))",
        Location(rules_path, rule.line),
    )
