"""Query tokens → the units whose similarity may reach a threshold: an inverted index in SQLite.

Similarity is Indel's ``2·LCS / (|x| + |y|)`` over tokens (words for English,
characters for Chinese). The longest common subsequence is at most the
*overlap* of the two token multisets, so a unit ``y`` can reach threshold
``θ`` only if

- its length is within ``[|x|·θ/(2−θ), |x|·(2−θ)/θ]`` (0.6 to 1.67 times the
  query at θ = 0.75), and
- it shares at least ``t = ⌈θ·(|x|+|y|)/2⌉`` tokens with the query.

The ``posting`` table holds one row ``(token, length, unit)`` per token of
every unit (a repeated token is keyed by its occurrence number, see
``text.index_keys``), clustered by token then length, so reading a list is
one contiguous, length-bounded range. A query reads its lists rarest first:
any unit sharing ``t`` tokens with a query of ``n`` holds one of the query's
``n − t + 1`` rarest tokens (prefix filtering, by pigeonhole), so once those
lists are read every unit that can reach ``θ`` has been hit: the candidate set
is complete, not sampled. A unit hit ``h`` times shares at most
``h + min(u, |y| − h)`` tokens with the query, ``u`` being the lists not read;
units whose bound falls below ``θ`` are never fetched, the others are fetched
best bound first and scored exactly with rapidfuzz (``store``).

Two things keep the lists read short. A top-k lookup raises ``θ`` to the
k-th best score found so far (it scores the units hit most often first), and
a higher ``θ`` needs a shorter prefix and a narrower length range: at 0.9,
six of a 30-word query's tokens instead of thirteen. And a further list is
read only while it costs less than the candidates it would rule out (see
``Search.worth_reading``).
"""

from __future__ import annotations

import heapq
import math
import sqlite3

_EPSILON = 1e-9
VERIFY_COST = 60  # postings read in the time one candidate is fetched, tokenized and scored


def length_range(size: int, threshold: float) -> tuple[int, int]:
    """The unit lengths that can reach ``threshold`` (0-1) against a query of ``size`` tokens.

    >>> length_range(20, 0.75)
    (12, 33)
    """
    shortest = math.ceil(size * threshold / (2 - threshold) - _EPSILON)
    longest = math.floor(size * (2 - threshold) / threshold + _EPSILON)
    return max(shortest, 1), longest


def prefix_size(size: int, threshold: float) -> int:
    """How many of a query's rarest tokens every unit reaching ``threshold`` holds one of.

    >>> prefix_size(30, 0.75), prefix_size(30, 0.95)
    (13, 3)
    """
    shortest, _ = length_range(size, threshold)
    needed = math.ceil(threshold * (size + shortest) / 2 - _EPSILON)
    return max(1, size - needed + 1)


class Search:
    """The posting lists of one query, read rarest first, with the hits counted per unit.

    ``found`` holds ``(token id, document frequency)`` per query key, ``None``
    for a key the index does not hold: such a key is in no unit, so it counts
    as read, with no hits. The threshold may only rise between calls (a
    top-k search raises it to the k-th best score found so far), which is
    what keeps the number of lists read small.
    """

    def __init__(self, db: sqlite3.Connection, found: list[tuple[int | None, int]]) -> None:
        self.db = db
        self.size = len(found)
        self.unknown = sum(1 for token, _ in found if token is None)
        self.queue = sorted(((token, df) for token, df in found if token is not None), key=lambda k: (k[1], k[0]))
        self.read = 0
        self.hits: dict[int, int] = {}
        self.lengths: dict[int, int] = {}
        self.histogram = [0] * (self.size + 2)  # units by number of hits
        self.postings = 0

    def complete(self, threshold: float) -> bool:
        """Whether every unit that can reach ``threshold`` has been hit."""
        return self.read == len(self.queue) or self.unknown + self.read >= prefix_size(self.size, threshold)

    def fewest_hits(self, threshold: float) -> int:
        """The hits a unit needs for its bound to reach ``threshold`` (at the shortest length allowed)."""
        shortest, _ = length_range(self.size, threshold)
        unread = len(self.queue) - self.read
        return max(1, math.ceil(threshold * (self.size + shortest) / 2 - unread - _EPSILON))

    def worth_reading(self, threshold: float) -> bool:
        """Whether the next list costs less than the candidates it would rule out.

        Reading one more list raises the hits a candidate needs by one, so it
        rules out the units exactly at the bar that the list does not hold;
        checking one of them costs about as much as reading ``VERIFY_COST``
        postings.
        """
        if self.read == len(self.queue):
            return False
        marginal = self.histogram[min(self.fewest_hits(threshold), self.size + 1)]
        return marginal * VERIFY_COST > self.queue[self.read][1]

    def probe(self, threshold: float) -> None:
        """Read the next rarest posting list, within the lengths that can reach ``threshold``."""
        token = self.queue[self.read][0]
        self.read += 1
        shortest, longest = length_range(self.size, threshold)
        rows = self.db.execute("SELECT unit, length FROM posting WHERE token = ? AND length BETWEEN ? AND ?",
                               (token, shortest, longest)).fetchall()
        self.postings += len(rows)
        hits, histogram = self.hits, self.histogram
        for unit, _ in rows:
            count = hits.get(unit, 0)
            hits[unit] = count + 1
            histogram[count] -= 1
            histogram[count + 1] += 1
        self.lengths.update(rows)

    def bound(self, unit: int) -> float:
        """An upper bound of the similarity (0-1) of ``unit``, from its hits and the lists not read."""
        hits, length = self.hits[unit], self.lengths[unit]
        unread = len(self.queue) - self.read
        return 2 * (hits + min(unread, length - hits)) / (self.size + length)

    def leaders(self, count: int) -> list[int]:
        """The ``count`` units hit most often: likely the best matches, scored first to raise the threshold."""
        return heapq.nsmallest(count, self.hits, key=lambda unit: (-self.hits[unit], unit))

    def candidates(self, threshold: float) -> list[tuple[float, int]]:
        """Every unit hit whose bound reaches ``threshold``, as (bound, unit), best bound first."""
        fewest = self.fewest_hits(threshold)
        found = [(bound, unit) for unit, hits in self.hits.items()
                 if hits >= fewest and (bound := self.bound(unit)) + _EPSILON >= threshold]
        found.sort(key=lambda c: (-c[0], c[1]))
        return found
