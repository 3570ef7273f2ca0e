"""English and Chinese releases → which one translates which, with a confidence, and the ones left over.

The two versions of a release have different ids (``P2026012200320`` ↔
``P2026012200321``) and may be issued a minute apart, so each candidate pair
is scored on what a translation keeps:

- the issue time: the same minute, or a few minutes apart; releases of
  different days are never paired (nor compared, which keeps a year of
  releases cheap to pair);
- the anchors of the whole text: numbers read as values, codes and
  addresses copied verbatim, glossary terms (Dice coefficient of the two
  multisets, so a long release with many numbers is told from a short one);
- the lengths, in proportion for a translation.

Pairs are then taken best first, each release in one pair at most, and only
above ``threshold``; a pair's confidence is its score, lowered when another
candidate for either release came close. What no pair took is unpaired: a
release published in one language only is a real case.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from ..model import Release
from .anchors import Anchor
from .documents import ReadRelease
from .inputs import CHINESE_PER_ENGLISH

THRESHOLD = 0.45
_WEIGHTS = {"time": 0.3, "anchors": 0.5, "length": 0.2}


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """What pairing reads of a release."""

    release: Release
    moment: dt.datetime | None
    anchors: Counter[Anchor]
    length: int


@dataclass(frozen=True, slots=True)
class ReleasePair:
    source: Release
    target: Release
    score: float
    confidence: float
    reasons: tuple[tuple[str, float], ...]  # each feature's own score, 0 to 1


@dataclass(frozen=True, slots=True)
class Pairing:
    pairs: tuple[ReleasePair, ...]
    unpaired: tuple[Release, ...]


def release_facts(read: ReadRelease) -> ReleaseFacts:
    """The facts of a release read for aligning: its sentences' anchors and lengths added up.

    Punctuation is left out, and so are copied words made of letters only: an
    English acronym (TV, HKPF) is often translated, where a code or an
    address never is.
    """
    anchors = Counter({k: n for k, n in read.features.total().items() if _kept(k)})
    date = read.release.meta.date
    return ReleaseFacts(read.release, dt.datetime.fromisoformat(date) if date else None, anchors,
                        sum(read.features.lengths))


def _kept(anchor: Anchor) -> bool:
    if anchor[0] == "p":
        return False
    return anchor[0] != "v" or not anchor[1].isalpha()


def pair_releases(sources: cabc.Sequence[ReleaseFacts], targets: cabc.Sequence[ReleaseFacts], *,
                  source_is_english: bool, threshold: float = THRESHOLD) -> Pairing:  # fmt: skip
    """Pair each source release with the target release that translates it, where one does."""
    scored = []
    for s, source in enumerate(sources):
        for t, target in enumerate(targets):
            if source.moment and target.moment and source.moment.date() != target.moment.date():
                continue
            reasons = _reasons(source, target, source_is_english)
            scored.append((sum(_WEIGHTS[name] * value for name, value in reasons), s, t, reasons))
    scored.sort(key=lambda c: (-c[0], c[1], c[2]))
    best_other: dict[tuple[str, int], list[float]] = {}
    for score, s, t, _ in scored:
        best_other.setdefault(("s", s), []).append(score)  # sorted best first, as ``scored`` is
        best_other.setdefault(("t", t), []).append(score)
    pairs = []
    sources_order = {id(f.release): i for i, f in enumerate(sources)}
    taken_sources: set[int] = set()
    taken_targets: set[int] = set()
    for score, s, t, reasons in scored:
        if score < threshold or s in taken_sources or t in taken_targets:
            continue
        taken_sources.add(s)
        taken_targets.add(t)
        rival = max(_second(best_other[("s", s)], score), _second(best_other[("t", t)], score))
        confidence = score * min(1.0, 2 * (score - rival) / score) ** 0.5 if score > rival else 0.0
        pairs.append(ReleasePair(sources[s].release, targets[t].release, round(score, 3), round(confidence, 3),
                                 tuple((name, round(value, 3)) for name, value in reasons)))
    pairs.sort(key=lambda p: sources_order[id(p.source)])
    unpaired = [f.release for i, f in enumerate(sources) if i not in taken_sources]
    unpaired += [f.release for i, f in enumerate(targets) if i not in taken_targets]
    return Pairing(tuple(pairs), tuple(unpaired))


def _second(scores: list[float], own: float) -> float:
    """The best score in ``scores`` (sorted, best first) other than ``own`` once."""
    rest = list(scores)
    rest.remove(own)
    return rest[0] if rest else 0.0


def _reasons(source: ReleaseFacts, target: ReleaseFacts, source_is_english: bool) -> list[tuple[str, float]]:
    return [("time", _time_score(source.moment, target.moment)),
            ("anchors", _dice(source.anchors, target.anchors)),
            ("length", _length_score(source.length, target.length, source_is_english))]


def _time_score(one: dt.datetime | None, other: dt.datetime | None) -> float:
    """1 for the same minute, falling off over half an hour; 0.5 when a date is missing, 0 on another day."""
    if one is None or other is None:
        return 0.5
    if one.date() != other.date():
        return 0.0
    if one.time() == dt.time() or other.time() == dt.time():
        return 0.5  # a date without a time
    minutes = abs((one - other).total_seconds()) / 60
    return math.exp(-minutes / 10)


def _dice(one: Counter[Anchor], other: Counter[Anchor]) -> float:
    """How much of both multisets the two share; 0.5, saying nothing, when neither has an anchor."""
    total = sum(one.values()) + sum(other.values())
    return 2 * sum((one & other).values()) / total if total else 0.5


def _length_score(source_length: int, target_length: int, source_is_english: bool) -> float:
    """1 when the lengths are in the proportion of a translation, falling off with the log of the gap."""
    english, chinese = (source_length, target_length) if source_is_english else (target_length, source_length)
    if not english or not chinese:
        return 0.0
    return math.exp(-abs(math.log(chinese / (english * CHINESE_PER_ENGLISH))) * 2)
