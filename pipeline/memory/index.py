"""Query tokens → the units whose similarity may reach a threshold: an inverted index, whatever stores it.

Similarity is Indel's ``2·LCS / (|x| + |y|)`` over tokens (words for English,
characters for Chinese). The longest common subsequence is at most the
*overlap* of the two token multisets, so a unit ``y`` can reach threshold
``θ`` against a query ``x`` of ``n`` tokens only if

- its length ``m`` is within ``[n·θ/(2−θ), n·(2−θ)/θ]`` (0.6 to 1.67 times
  the query at θ = 0.75), and
- it shares at least ``t(m) = ⌈θ·(n+m)/2⌉`` tokens with the query: more the
  longer it is.

The posting lists hold, for each token and unit length, the ids of the
units of that length holding the token (a repeated token is keyed by its
occurrence number, see ``text.index_keys``), packed as 32-bit integers and
clustered by token then length, so reading a list is one contiguous,
length-bounded range of a few rows. Because rows are per length, each unit
length is searched on its own. A query reads its lists rarest first: any unit
of length ``m`` sharing ``t(m)`` tokens holds one of the query's
``n − t(m) + 1`` rarest tokens (prefix filtering, by pigeonhole), so once
those lists are read at that length every unit of it that can reach ``θ`` has
been hit: the candidate set is complete, not sampled. Longer units need fewer
lists (at 0.75 a 30-token query reads 13 for units of 18 tokens, one for units
of 50), and the common tokens, late in the order, are read for few lengths.
A unit of length ``m`` hit ``h`` times shares at most ``h + u`` tokens with
the query, ``u`` being the lists not read at its length; units whose
``h + u`` falls short of ``t(m)`` are never fetched, the others are scored
best bound first, exactly, with rapidfuzz over the token ids stored with
each unit (``store``).

Two things keep the lists read short. A top-k lookup raises ``θ`` to the
k-th best score found so far (it scores the units hit most often first), and
a higher ``θ`` needs a shorter prefix and a narrower length range: at 0.9,
six of a 30-word query's tokens instead of thirteen for the shortest units.
And a further list is read at a length, past its prefix, while it costs less
than the candidates it rules out (``Search.worth_reading``); such a list is
counted only for the units still within reach of the bar, and adds no unit.
The cost is counting postings (some 60 ns each in C) and checking
candidates (some 3 µs each): at 1M units a slow query counts 30,000 to
100,000 postings and checks 500 to 2,000 candidates.
"""

from __future__ import annotations

import array
import collections
import collections.abc as cabc
import heapq
import itertools
import math
import operator

_EPSILON = 1e-9
# [(token, shortest, longest)] → for each, its packed units per length within shortest-longest; one round trip
Postings = cabc.Callable[[list[tuple[int, int, int]]], list[dict[int, bytes]]]
VERIFY_COST = 40  # postings counted in the time one candidate is fetched and compared (25 to 80 measure alike)


def length_range(size: int, threshold: float) -> tuple[int, int]:
    """The unit lengths that can reach ``threshold`` (0-1) against a query of ``size`` tokens.

    >>> length_range(20, 0.75)
    (12, 33)
    """
    shortest = math.ceil(size * threshold / (2 - threshold) - _EPSILON)
    longest = math.floor(size * (2 - threshold) / threshold + _EPSILON)
    return max(shortest, 1), longest


def shared_needed(size: int, length: int, threshold: float) -> int:
    """The tokens a unit of ``length`` must share with a query of ``size`` to reach ``threshold``.

    >>> shared_needed(30, 18, 0.75), shared_needed(30, 50, 0.75)
    (18, 30)
    """
    return math.ceil(threshold * (size + length) / 2 - _EPSILON)


class Search:
    """The posting lists of one query, read rarest first per unit length, with the hits counted per unit.

    ``found`` holds ``(token id, document frequency)`` per query key, ``None``
    for a key the index does not hold: such a key is in no unit, so it needs
    no reading and is never a hit. Each unit length reads its own prefix of
    the lists (``read``) and keeps its own hits, so that a unit's bound uses
    its length. The threshold may only rise between calls (a top-k search
    raises it to the k-th best score found so far). A list is stored as packed
    unit ids, one row per (token, unit length), and counted in C
    (``Counter.update``): some 60 nanoseconds a posting, against some 3
    microseconds to fetch and compare a candidate.
    """

    def __init__(self, postings: Postings, found: list[tuple[int | None, int]], read_ahead: int = 0) -> None:
        self.postings = postings
        self.read_ahead = read_ahead
        self.size = len(found)
        known = sorted(((token, df) for token, df in found if token is not None), key=lambda k: (k[1], k[0]))
        self.queue = [token for token, _ in known]
        self.frequency = [df for _, df in known]
        self.read: dict[int, int] = {}  # unit length → lists read for it, a prefix of the queue
        self.hits: dict[int, collections.Counter[int]] = {}  # unit length → hits per unit of that length

    def bar(self, length: int, threshold: float) -> int:
        """The hits a unit of ``length`` needs for its bound to reach ``threshold``.

        The tokens it must share, less the lists not read at its length: zero
        or less while a unit not hit at all could reach ``threshold``, that
        is while the lists read are short of the prefix.
        """
        unread = len(self.queue) - self.read.get(length, 0)
        return shared_needed(self.size, length, threshold) - unread

    def read_prefixes(self, threshold: float) -> None:
        """Read, at each unit length that can reach ``threshold``, the lists of its prefix not read yet.

        Then every unit that can reach ``threshold`` has been hit. The
        prefixes shorten as units lengthen, so the lengths whose prefix holds
        a list are a range from the shortest: one range per list, all the
        lists asked for at once.
        """
        shortest, longest = length_range(self.size, threshold)
        prefix = {length: len(self.queue) - shared_needed(self.size, length, threshold) + 1
                  for length in range(shortest, longest + 1)}
        done = {length: self.read.get(length, 0) for length in prefix}  # by an earlier call, at a higher threshold
        wanted = []
        for position in range(prefix[shortest]):
            while prefix[longest] <= position:
                longest -= 1
            wanted.append((self.queue[position], shortest, longest))
        for position, rows in enumerate(self.postings(wanted)):
            for length, packed in rows.items():
                if done[length] <= position:
                    self._count(length, packed)
        for length, size in prefix.items():
            self.read[length] = max(done[length], size)

    def read_worthwhile(self, threshold: float) -> None:
        """Read on, past the prefixes, at each length while its next list is worth it (``worth_reading``).

        To follow ``read_prefixes`` at the same threshold. Only lengths with
        units hit can gain: the others have no candidate. Past its prefix a
        length counts only the units at or above its bar, and drops the
        others: each list read raises the bar by one and a unit by at most
        one, so a unit below the bar never reaches it. With ``read_ahead``,
        a round asks for the lists after the next too, while their documents
        add up to no more than it: fewer round trips, the same lists counted.
        """
        shortest, longest = length_range(self.size, threshold)
        reading = [length for length in sorted(self.hits)
                   if shortest <= length <= longest and self.read[length] < len(self.queue)]
        fetched: dict[tuple[int, int], bytes] = {}  # (queue position, length) → its list, asked for already
        while reading:
            due: dict[int, list[int]] = {}  # queue position → the lengths whose list at it is wanted
            for length in reading:
                for position in self._ahead(self.read[length]):
                    if (position, length) not in fetched:
                        due.setdefault(position, []).append(length)
            ordered = sorted(due.items())
            found = self.postings([(self.queue[position], lengths[0], lengths[-1]) for position, lengths in ordered])
            for (position, lengths), rows in zip(ordered, found):
                fetched.update(((position, length), rows.get(length, b"")) for length in lengths)
            going = []
            for length in reading:
                packed = fetched.pop((self.read[length], length))
                if self.worth_reading(length, packed, threshold):
                    self._count_survivors(length, packed, threshold)
                    if self.read[length] < len(self.queue):
                        going.append(length)
            reading = going

    def _ahead(self, position: int) -> range:
        """The queue positions one round asks for from ``position``: at least it, more while ``read_ahead`` allows."""
        end = position + 1
        budget = self.read_ahead
        while end < len(self.queue) and budget >= self.frequency[end]:
            budget -= self.frequency[end]
            end += 1
        return range(position, min(end, len(self.queue)))

    def worth_reading(self, length: int, packed: bytes, threshold: float) -> bool:
        """Whether the next list (``packed``) at ``length``, past its prefix, costs less than what it rules out.

        Reading it raises the bar by one, ruling out about the units now at
        the bar; checking one costs a fetch and a comparison,
        ``VERIFY_COST`` postings' worth. Lists come rarest first and the
        units at the bar thin out, so a length stops at the first list that
        does not pay.
        """
        at_bar = operator.countOf(self.hits[length].values(), self.bar(length, threshold))
        return at_bar * VERIFY_COST > len(packed) // 4

    def _count_survivors(self, length: int, packed: bytes, threshold: float) -> None:
        """Read the next list at ``length``, counting only the units that can still reach ``threshold``."""
        hits = self.hits[length]
        bar = self.bar(length, threshold)
        if bar > 1:  # else every unit hit is at or above it
            passing = map(operator.ge, hits.values(), itertools.repeat(bar))
            hits = self.hits[length] = collections.Counter(dict(itertools.compress(hits.items(), passing)))
        hits.update(hits.keys() & unpack(packed))  # in C, and no unit added
        self.read[length] += 1

    def _count(self, length: int, packed: bytes) -> None:
        hits = self.hits.get(length)
        if hits is None:
            hits = self.hits[length] = collections.Counter()
        hits.update(unpack(packed))

    def bound(self, hits: int, length: int) -> float:
        """An upper bound of the similarity (0-1) of a unit of ``length`` hit ``hits`` times.

        It shares at most ``hits`` plus the lists not read at its length,
        and no more than either holds.
        """
        shared = min(hits + len(self.queue) - self.read.get(length, 0), self.size, length)
        return 2 * shared / (self.size + length)

    def leaders(self, count: int) -> list[int]:
        """The ``count`` units hit most often: likely the best matches, scored first to raise the threshold."""
        every = itertools.chain.from_iterable(hits.items() for hits in self.hits.values())
        return [unit for unit, _ in heapq.nlargest(count, every, key=operator.itemgetter(1))]

    def candidates(self, threshold: float) -> list[tuple[float, int]]:
        """Every unit hit whose bound reaches ``threshold``, as (bound, unit), best bound first.

        Complete once ``read_prefixes`` has run at ``threshold`` or lower.
        """
        shortest, longest = length_range(self.size, threshold)
        found = []
        for length in range(shortest, longest + 1):
            hits = self.hits.get(length)
            if hits:
                # Filtered in C: most units hit are far below the bar.
                bar = itertools.repeat(self.bar(length, threshold))
                passing = itertools.compress(hits.keys(), map(operator.ge, hits.values(), bar))
                found += [(self.bound(hits[unit], length), unit) for unit in passing]
        found.sort(key=lambda c: (-c[0], c[1]))
        return found


def pack(units: cabc.Iterable[int]) -> bytes:
    """Unit ids as stored in a posting list."""
    return array.array("I", units).tobytes()


def unpack(packed: bytes) -> array.array[int]:
    units = array.array("I")
    units.frombytes(packed)
    return units
