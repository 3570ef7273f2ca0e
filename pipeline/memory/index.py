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
than the candidates it rules out (``Search._worth_reading``); such a list is
counted only for the units still within reach of the bar, and adds no unit.
The cost is counting postings (some 10 ns each, as arrays) and checking
candidates (some 5 µs each): at 1M units a slow English query counts 30,000
to 100,000 postings and checks 500 to 2,000 candidates; a slow Chinese one,
whose characters are common (a sentence's rarest may be in one unit in
twenty), counts 500,000 or more.
"""

from __future__ import annotations

import array
import collections.abc as cabc
import math

import numpy

_EPSILON = 1e-9
# [(token, shortest, longest)] → for each, its packed units per length within shortest-longest; one round trip
Postings = cabc.Callable[[list[tuple[int, int, int]]], list[dict[int, bytes]]]
VERIFY_COST = 600  # postings counted in the time one candidate is fetched and compared (300 to 1,500 measure alike)
_OUT_OF_REACH = 1 << 30  # the bar of a length that cannot reach the threshold


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
    the lists (``read``), so that a unit's bound uses its length. The
    threshold may only rise between calls to ``read_worthwhile`` and
    ``candidates`` (a top-k search raises it to the k-th best score found so
    far). A list is stored as packed unit ids, one row per (token, unit
    length). The lists are counted with numpy into one array indexed by
    unit id, a unit having one length (some 10 nanoseconds a posting, against
    some 3 microseconds to fetch and compare a candidate), and every
    decision over the units hit is taken over arrays at once. Ids are dense
    (SQLite's row ids, a PostgreSQL sequence): the array is as long as the
    largest id hit, two bytes an id, and only its pages hit are touched.
    """

    def __init__(self, postings: Postings, found: list[tuple[int | None, int]], read_ahead: int = 0) -> None:
        self.postings = postings
        self.read_ahead = read_ahead
        self.size = len(found)
        known = sorted(((token, df) for token, df in found if token is not None), key=lambda k: (k[1], k[0]))
        self.queue = [token for token, _ in known]
        self.frequency = [df for _, df in known]
        self.read: dict[int, int] = {}  # unit length → lists read for it, a prefix of the queue
        self.counts = numpy.zeros(0, dtype=numpy.uint16 if len(self.queue) < 1 << 16 else numpy.uint32)  # by id
        self.hit: list[tuple[numpy.ndarray, numpy.ndarray]] = []  # (units, their lengths): each unit hit, once
        self.longest = 0  # the longest unit hit

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
        found = [[(length, packed) for length, packed in rows.items() if done[length] <= position]
                 for position, rows in enumerate(self.postings(wanted))]
        self._grow(max((int(numpy.frombuffer(packed, dtype=numpy.uint32).max()) + 1
                        for lists in found for _, packed in lists if packed), default=0))
        for lists in found:
            self._count(lists)
        for length, size in prefix.items():
            self.read[length] = max(done[length], size)

    def read_worthwhile(self, threshold: float) -> None:
        """Read on, past the prefixes, at each length while its next list is worth it (``_worth_reading``).

        To follow ``read_prefixes`` at the same threshold. Only lengths with
        units hit can gain: the others have no candidate. Past its prefix a
        length counts only the units at or above its bar, and drops the
        others: each list read raises the bar by one and a unit by at most
        one, so a unit below the bar never reaches it. With ``read_ahead``,
        a round asks for the lists after the next too, while their documents
        add up to no more than it: fewer round trips, the same lists counted.
        """
        shortest, longest = length_range(self.size, threshold)
        units, unit_lengths = self._units()
        reading = [length for length in numpy.unique(unit_lengths).tolist()
                   if shortest <= length <= longest and self.read[length] < len(self.queue)]
        # length · width + hits → the units of that length hit that often: how many are at a bar, at once
        width = len(self.queue) + 2
        tally = numpy.bincount(unit_lengths.astype(numpy.int64) * width + self.counts[units],
                               minlength=(self.longest + 1) * width)
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
            counted, going = [], []
            for length in reading:
                packed = fetched.pop((self.read[length], length))
                bar = self.bar(length, threshold)
                if self._worth_reading(tally[length * width + bar] if 0 < bar < width else 0, packed):
                    counted.append((length, bar, packed))
                    self.read[length] += 1
                    if self.read[length] < len(self.queue):
                        going.append(length)
            self._count_survivors(counted, tally, width)
            reading = going

    def _ahead(self, position: int) -> range:
        """The queue positions one round asks for from ``position``: at least it, more while ``read_ahead`` allows."""
        end = position + 1
        budget = self.read_ahead
        while end < len(self.queue) and budget >= self.frequency[end]:
            budget -= self.frequency[end]
            end += 1
        return range(position, min(end, len(self.queue)))

    @staticmethod
    def _worth_reading(at_bar: int, packed: bytes) -> bool:
        """Whether a length's next list (``packed``), past its prefix, costs less than what it rules out.

        Reading it raises the bar by one, ruling out about the units now at
        the bar (``at_bar``); checking one costs a fetch and a comparison,
        ``VERIFY_COST`` postings' worth. Lists come rarest first and the
        units at the bar thin out, so a length stops at the first list that
        does not pay.
        """
        return at_bar * VERIFY_COST > len(packed) // 4

    def _count(self, lists: list[tuple[int, bytes]]) -> None:
        """Count lists of different lengths at once: no unit is in two of them."""
        listed = numpy.frombuffer(b"".join(packed for _, packed in lists), dtype=numpy.uint32)
        if not len(listed):
            return
        self.counts[listed] += 1
        first = self.counts[listed] == 1
        self.longest = max(self.longest, *(length for length, _ in lists))
        lengths = numpy.repeat(numpy.array([length for length, _ in lists], dtype=numpy.uint32),
                               [len(packed) // 4 for _, packed in lists])
        self.hit.append((listed[first], lengths[first]))

    def _count_survivors(self, lists: list[tuple[int, int, bytes]], tally: numpy.ndarray, width: int) -> None:
        """Count lists of different lengths, past their prefixes, only for the units at or above their bar.

        ``lists`` holds (length, bar, list); ``tally`` follows the units that move up.
        """
        sizes = [len(packed) // 4 for _, _, packed in lists]
        listed = numpy.frombuffer(b"".join(packed for _, _, packed in lists), dtype=numpy.uint32)
        bars = numpy.repeat(numpy.array([bar for _, bar, _ in lists], dtype=numpy.int64), sizes)
        lengths = numpy.repeat(numpy.array([length for length, _, _ in lists], dtype=numpy.int64), sizes)
        inside = listed < len(self.counts)  # a unit past the array was never hit
        listed, bars, lengths = listed[inside], bars[inside], lengths[inside]
        hits = self.counts[listed]
        rising = hits >= bars  # past the prefix bars are 1 or more: no unit is added
        listed, hits = listed[rising], hits[rising].astype(numpy.int64)
        moved = lengths[rising] * width + hits
        tally -= numpy.bincount(moved, minlength=len(tally))
        tally += numpy.bincount(moved + 1, minlength=len(tally))
        self.counts[listed] += 1

    def _grow(self, size: int) -> None:
        """Make room for unit ids below ``size``: once per call of ``read_prefixes``, whose lists are all at hand."""
        if size > len(self.counts):
            grown = numpy.zeros(size + size // 4, dtype=self.counts.dtype)
            grown[:len(self.counts)] = self.counts
            self.counts = grown

    def _units(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The units hit, and their lengths."""
        if len(self.hit) != 1:
            empty = numpy.zeros(0, dtype=numpy.uint32)
            self.hit = [(numpy.concatenate([u for u, _ in self.hit]) if self.hit else empty,
                         numpy.concatenate([n for _, n in self.hit]) if self.hit else empty)]
        return self.hit[0]

    def _bars(self, threshold: float) -> numpy.ndarray:
        """Length → the bar at ``threshold`` (out of reach beyond the lengths that can reach it)."""
        shortest, longest = length_range(self.size, threshold)
        bars = numpy.full(max(longest, self.longest) + 1, _OUT_OF_REACH, dtype=numpy.int32)
        bars[shortest:longest + 1] = [self.bar(length, threshold) for length in range(shortest, longest + 1)]
        return bars

    def bound(self, hits: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
        """Upper bounds of the similarity (0-1) of units of ``lengths`` hit ``hits`` times.

        Such a unit shares at most ``hits`` tokens plus the lists not read
        at its length, and no more than either holds.
        """
        hits, lengths = numpy.asarray(hits, dtype=numpy.int64), numpy.asarray(lengths, dtype=numpy.int64)
        read = numpy.zeros(int(lengths.max(initial=0)) + 1, dtype=numpy.int64)
        for length, lists in self.read.items():
            if length < len(read):
                read[length] = lists
        shared = numpy.minimum(hits + len(self.queue) - read[lengths], numpy.minimum(self.size, lengths))
        return 2 * shared / (self.size + lengths)

    def leaders(self, count: int) -> list[int]:
        """The ``count`` units hit most often: likely the best matches, scored first to raise the threshold.

        Ties go to the shorter units, then the lower ids: the same leaders however the lists were fetched.
        """
        units, lengths = self._units()
        hits = self.counts[units].astype(numpy.int64)
        if len(units) > count > 0:  # only those with as many hits as the count-th most
            top = hits >= numpy.partition(hits, len(hits) - count)[len(hits) - count]
            units, lengths, hits = units[top], lengths[top], hits[top]
        order = numpy.lexsort((units, lengths, -hits))
        return units[order[:count]].tolist()

    def tallies(self) -> dict[int, dict[int, int]]:
        """Unit length → unit → lists read that hold it."""
        found: dict[int, dict[int, int]] = {}
        units, lengths = self._units()
        for unit, length in sorted(zip(units.tolist(), lengths.tolist())):
            found.setdefault(length, {})[unit] = int(self.counts[unit])
        return dict(sorted(found.items()))

    def candidates(self, threshold: float) -> list[tuple[float, int]]:
        """Every unit hit whose bound reaches ``threshold``, as (bound, unit), best bound first.

        Complete once ``read_prefixes`` has run at ``threshold`` or lower.
        """
        units, lengths = self._units()
        hits = self.counts[units]
        passing = hits >= self._bars(threshold)[lengths]  # most units hit are far below it
        units, bounds = units[passing], self.bound(hits[passing], lengths[passing])
        order = numpy.lexsort((units, -bounds))
        return list(zip(bounds[order].tolist(), units[order].tolist()))


def pack(units: cabc.Iterable[int]) -> bytes:
    """Unit ids as stored in a posting list."""
    return array.array("I", units).tobytes()


def unpack(packed: bytes) -> array.array[int]:
    units = array.array("I")
    units.frombytes(packed)
    return units
