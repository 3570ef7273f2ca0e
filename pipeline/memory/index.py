"""Query tokens → the units whose similarity may reach a threshold: an inverted index in SQLite.

Similarity is Indel's ``2·LCS / (|x| + |y|)`` over tokens (words for English,
characters for Chinese). The longest common subsequence is at most the
*overlap* of the two token multisets, so a unit ``y`` can reach threshold
``θ`` only if

- its length is within ``[|x|·θ/(2−θ), |x|·(2−θ)/θ]`` (0.6 to 1.67 times the
  query at θ = 0.75), and
- it shares at least ``t = ⌈θ·(|x|+|y|)/2⌉`` tokens with the query.

The ``posting`` table holds, for each token and unit length, the ids of the
units of that length holding the token (a repeated token is keyed by its
occurrence number, see ``text.index_keys``), packed as 32-bit integers and
clustered by token then length, so reading a list is one contiguous,
length-bounded range of a few rows. A query reads its lists rarest first:
any unit sharing ``t`` tokens with a query of ``n`` holds one of the query's
``n − t + 1`` rarest tokens (prefix filtering, by pigeonhole), so once those
lists are read every unit that can reach ``θ`` has been hit: the candidate set
is complete, not sampled. A unit hit ``h`` times shares at most
``h + u`` tokens with the query, ``u`` being the lists not read;
units whose bound falls below ``θ`` are never fetched, the others are scored
best bound first, exactly, with rapidfuzz over the token ids stored with each
unit (``store``).

Two things keep the lists read short. A top-k lookup raises ``θ`` to the
k-th best score found so far (it scores the units hit most often first), and
a higher ``θ`` needs a shorter prefix and a narrower length range: at 0.9,
six of a 30-word query's tokens instead of thirteen. And a further list is
read, past the prefix, while it costs less than the candidates it rules out
(``Search.extra_lists``).
"""

from __future__ import annotations

import array
import collections
import collections.abc as cabc
import heapq
import itertools
import math
import operator
import sqlite3

_EPSILON = 1e-9
SURVIVOR_HITS = 3  # read lists at least until a candidate needs this many hits
VERIFY_COST = 300  # postings read in the time one candidate is fetched and compared


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
    what keeps the number of lists read small. A list is stored as packed
    unit ids, one row per (token, unit length), and counted by
    ``Counter.update`` in C: the cost of a posting is a few nanoseconds.
    """

    def __init__(self, db: sqlite3.Connection, found: list[tuple[int | None, int]]) -> None:
        self.db = db
        self.size = len(found)
        self.unknown = sum(1 for token, _ in found if token is None)
        self.queue = sorted(((token, df) for token, df in found if token is not None), key=lambda k: (k[1], k[0]))
        self.read = 0
        self.hits: collections.Counter[int] = collections.Counter()
        self.postings = 0

    @property
    def unread(self) -> int:
        return len(self.queue) - self.read

    def complete(self, threshold: float) -> bool:
        """Whether every unit that can reach ``threshold`` has been hit."""
        return self.unread == 0 or self.unknown + self.read >= prefix_size(self.size, threshold)

    def fewest_hits(self, threshold: float) -> int:
        """The hits a unit needs for its bound to reach ``threshold`` (at the shortest length allowed)."""
        shortest, _ = length_range(self.size, threshold)
        return max(1, math.ceil(threshold * (self.size + shortest) / 2 - self.unread - _EPSILON))

    def worth_reading(self, threshold: float) -> bool:
        """Whether to read one more list though the candidates are complete: while a unit hit only once
        or twice could still pass (most units hit are)."""
        return self.unread > 0 and self.fewest_hits(threshold) < SURVIVOR_HITS

    def extra_lists(self, threshold: float) -> int:
        """How many more lists to read so that reading costs less than the candidates it rules out.

        Each list read raises the hits a candidate needs by one, so reading
        ``r`` more rules out about the units now within ``r`` hits of the bar;
        checking one costs a fetch and a comparison, ``VERIFY_COST`` postings'
        worth. One pass over the hits (in C) gives their histogram.
        """
        fewest = self.fewest_hits(threshold)
        histogram = collections.Counter(self.hits.values())
        best, gain, ruled_out, cost = 0, 0, 0, 0
        for extra in range(1, self.unread + 1):
            ruled_out += histogram.get(fewest + extra - 1, 0)
            cost += self.queue[self.read + extra - 1][1]
            if ruled_out * VERIFY_COST - cost > gain:
                best, gain = extra, ruled_out * VERIFY_COST - cost
        return best

    def probe(self, threshold: float) -> None:
        """Read the next rarest posting list, within the lengths that can reach ``threshold``."""
        token = self.queue[self.read][0]
        self.read += 1
        shortest, longest = length_range(self.size, threshold)
        rows = self.db.execute("SELECT units FROM posting WHERE token = ? AND length BETWEEN ? AND ?",
                               (token, shortest, longest)).fetchall()
        units = unpack(b"".join(row[0] for row in rows))
        self.postings += len(units)
        self.hits.update(units)

    def bound(self, hits: int) -> float:
        """An upper bound of the similarity (0-1) of a unit hit ``hits`` times, from the lists not read.

        It shares at most ``hits + unread`` tokens with the query, and is at
        least as long as what it shares.
        """
        shared = min(hits + self.unread, self.size)
        return 2 * shared / (self.size + shared)

    def leaders(self, count: int) -> list[int]:
        """The ``count`` units hit most often: likely the best matches, scored first to raise the threshold."""
        return heapq.nlargest(count, self.hits, key=self.hits.__getitem__)

    def candidates(self, threshold: float) -> list[tuple[float, int]]:
        """Every unit hit whose bound reaches ``threshold``, as (bound, unit), best bound first."""
        fewest = self.fewest_hits(threshold)
        hits = self.hits
        # Filtered in C: most units hit are far below the bar.
        passing = itertools.compress(hits.keys(), map(operator.ge, hits.values(), itertools.repeat(fewest)))
        found = [(bound, unit) for unit in passing if (bound := self.bound(hits[unit])) + _EPSILON >= threshold]
        found.sort(key=lambda c: (-c[0], c[1]))
        return found


def pack(units: cabc.Iterable[int]) -> bytes:
    """Unit ids as stored in a posting list."""
    return array.array("I", units).tobytes()


def unpack(packed: bytes) -> array.array[int]:
    units = array.array("I")
    units.frombytes(packed)
    return units
