"""Link costs → the cheapest monotone alignment inside a band, with each link's posterior probability.

The grid has a node ``(i, j)`` for "the first ``i`` source and ``j`` target
sentences are aligned"; a link of shape ``(a, b)`` joins ``(i - a, j - b)`` to
``(i, j)``. Only nodes near the diagonal are visited, as in Hunalign (or near
a guide path, an earlier pass's alignment); when the best path runs along the
edge of the band the band was too narrow, and it is widened until the path
keeps clear of it.

The costs are negative log-potentials, so the same lattice gives, by the
forward-backward algorithm, the probability of each chosen link among every
alignment in the band: its confidence.

The lattice is kept row by row, in lists, and costs are asked for a row of
links at a time (``RowCost``): a Python object and a call per link made the
Bible (5,000 × 6,301 sentences) cost minutes. Each row is computed with the
same floating-point operations, in the same order, as a node-by-node
programme would do them (``tests/align/test_align_dp.py`` keeps one), so the
path and the confidences are the same to the last bit.

>>> costs = {(1, 1): 0.0, (1, 2): 3.0, (2, 1): 3.0}
>>> [(s, t) for s, t, _ in best_alignment(2, 2, lambda i, j, a, b: costs.get((a, b), 9.0), MOVES)]
[((0,), (0,)), ((1,), (1,))]
"""

from __future__ import annotations

import collections.abc as cabc
import math
import operator

# Link shapes (source sentences, target sentences) in the order ties are broken.
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1))

BlockCost = cabc.Callable[[int, int, int, int], float]  # (i, j, a, b): link source[i:i+a] with target[j:j+b]
# (i, a, b, start, stop): the costs of linking source[i:i+a] with target[j:j+b], for each j in range(start, stop)
RowCost = cabc.Callable[[int, int, int, int, int], cabc.Sequence[float]]
Aligned = list[tuple[tuple[int, ...], tuple[int, ...], float]]  # (source indices, target indices, confidence)
Step = tuple[int, int, int, int, float]  # a link of the path: from node (i, j), shape (a, b), its cost
_INF = math.inf


def best_alignment(n: int, m: int, cost: BlockCost, moves: cabc.Sequence[tuple[int, int]], *,
                   guide: cabc.Sequence[tuple[int, int]] = (), width: int = 0) -> Aligned:  # fmt: skip
    """The cheapest alignment of ``n`` source with ``m`` target sentences, ``cost`` asked link by link.

    ``guide`` is a path of nodes ``(i, j)`` from ``(0, 0)`` to ``(n, m)`` to
    search around (default: the diagonal); ``width`` how far from it to look
    at first (default: a twentieth of the longer side, from 8 to 40).
    """

    def row(i: int, a: int, b: int, start: int, stop: int) -> list[float]:
        return [cost(i, j, a, b) for j in range(start, stop)]

    return best_alignment_by_rows(n, m, row, moves, guide=guide, width=width)


def best_alignment_by_rows(n: int, m: int, row_cost: RowCost, moves: cabc.Sequence[tuple[int, int]], *,
                           guide: cabc.Sequence[tuple[int, int]] = (), width: int = 0,
                           scored: bool = True) -> Aligned:  # fmt: skip
    """``best_alignment``, with the costs asked a row of links at a time: what long texts need.

    Unless ``scored``, the forward-backward pass is skipped and every confidence is NaN.
    """
    if n == 0 or m == 0:
        return [((i,), (), 1.0) for i in range(n)] + [((), (j,), 1.0) for j in range(m)]
    width = width or min(40, max(8, (max(n, m) + 19) // 20))
    while True:
        low, high = _band(n, m, guide, width)
        lattice = _Lattice(n, m, low, high, row_cost, moves)
        path = lattice.viterbi_path()
        if width >= max(n, m) or not lattice.touches_edge(path):
            if not scored:
                return [(tuple(range(i, i + a)), tuple(range(j, j + b)), math.nan) for i, j, a, b, _ in path]
            return lattice.with_confidence(path)
        width *= 2


def _band(n: int, m: int, guide: cabc.Sequence[tuple[int, int]], width: int) -> tuple[list[int], list[int]]:
    """For each row ``i``, the first and last column visited."""
    if guide:
        reach_low = [m] * (n + 1)
        reach_high = [0] * (n + 1)
        for i, j in guide:
            reach_low[i] = min(reach_low[i], j)
            reach_high[i] = max(reach_high[i], j)
        for i in range(1, n + 1):  # rows a guide link skipped over lie between its ends
            if reach_high[i] < reach_low[i]:
                reach_low[i], reach_high[i] = reach_low[i - 1], reach_high[i - 1]
    else:
        reach_low = reach_high = [round(i * m / n) for i in range(n + 1)]
    low = [max(0, j - width) for j in reach_low]
    high = [min(m, j + width) for j in reach_high]
    low[0], high[n] = 0, m
    for i in range(1, n + 1):  # every row must connect to the one before it, by a 1-0 link at least
        low[i] = min(max(low[i], low[i - 1]), high[i], high[i - 1])
    return low, high


class _Lattice:
    """The band's links, row by row: ``costs[i][k]`` holds the links of shape ``moves[k]`` into row ``i``.

    Each is ``(first, values)``: the links into nodes ``(i, first)``,
    ``(i, first + 1)``, … (those whose start is in the band too), or None.
    A node's value lists (Viterbi, forward, backward) are indexed by its
    column less ``low[i]``; a node no path reaches holds infinity.

    Moves whose source side is empty (0-1) stay within a row and are taken
    node after node; the others come from earlier rows and are taken a row
    at a time. A node's terms are added in the order a node-by-node
    programme adds them (forwards in ``moves`` order, backwards by
    decreasing end node) when the within-row moves come last in ``moves``,
    as 0-1 does in ``MOVES``; else a confidence may differ in its last bits.
    """

    def __init__(self, n: int, m: int, low: list[int], high: list[int], row_cost: RowCost,
                 moves: cabc.Sequence[tuple[int, int]]) -> None:  # fmt: skip
        self.n, self.m, self.low, self.high = n, m, low, high
        self.moves = [move for move in moves if move != (0, 0)]
        self.costs: list[list[tuple[int, cabc.Sequence[float]] | None]] = []
        for i in range(n + 1):
            into: list[tuple[int, cabc.Sequence[float]] | None] = []
            for a, b in self.moves:
                p = i - a
                first, last = (max(low[i], low[p] + b), min(high[i], high[p] + b)) if p >= 0 else (1, 0)
                into.append((first, row_cost(p, a, b, first - b, last - b + 1)) if first <= last else None)
            self.costs.append(into)
        self.across = [(k, a, b) for k, (a, b) in enumerate(self.moves) if a]
        self.across_backwards = sorted(self.across, key=lambda move: move[1:], reverse=True)  # by decreasing end node
        self.within = [(k, b) for k, (a, b) in enumerate(self.moves) if not a]

    # ------------------------------------------------------------------------------------------- Viterbi

    def viterbi_path(self) -> list[Step]:
        best = self._viterbi()
        path = []
        i, j = self.n, self.m
        while (i, j) != (0, 0):
            value = best[i][j - self.low[i]]
            for (a, b), into in zip(self.moves, self.costs[i], strict=True):
                # the first move (in tie order) whose sum is the node's value: the one a strict "<" keeps
                if into is not None and 0 <= j - into[0] < len(into[1]):
                    p = i - a
                    cost = into[1][j - into[0]]
                    if best[p][j - b - self.low[p]] + cost == value:
                        path.append((p, j - b, a, b, cost))
                        i, j = p, j - b
                        break
            else:  # pragma: no cover - the end is reachable: a row always connects to the one before
                raise AssertionError(f"no link into node {(i, j)}")
        path.reverse()
        return path

    def _viterbi(self) -> list[list[float]]:
        rows: list[list[float]] = []
        for i in range(self.n + 1):
            width = self.high[i] - self.low[i] + 1
            padded = [[_INF] * x + values + [_INF] * (width - x - len(values)) for x, values in self._terms_into(i, rows)]
            if len(padded) > 1:
                best = list(map(min, *padded))  # one call a node rather than one a node and a link
            else:
                best = padded[0] if padded else [_INF] * width
            if i == 0:
                best[0] = 0.0
            _lower_along(best, self._within(i))
            rows.append(best)
        return rows

    def _terms_into(self, i: int, rows: list[list[float]]) -> list[tuple[int, list[float]]]:
        """The terms of the links into row ``i`` from earlier rows, in ``moves`` order: ``(x, [value + cost, …])``."""
        terms = []
        start = self.low[i]
        for k, a, b in self.across:
            into = self.costs[i][k]
            if into is not None:
                first, values = into
                before = rows[i - a]
                offset = first - b - self.low[i - a]
                terms.append((first - start, list(map(operator.add, before[offset:offset + len(values)], values))))
        return terms

    def _terms_out_of(self, i: int, rows: list[list[float]]) -> list[tuple[int, list[float]]]:
        """The terms of the links out of row ``i`` to later rows, by decreasing end node (``(3, 1)`` first)."""
        terms = []
        start = self.low[i]
        for k, a, b in self.across_backwards:
            if i + a > self.n or (into := self.costs[i + a][k]) is None:
                continue
            first, values = into
            after = rows[i + a]
            offset = first - self.low[i + a]
            terms.append((first - b - start, list(map(operator.add, after[offset:offset + len(values)], values))))
        return terms

    def _within(self, i: int) -> list[tuple[int, int, cabc.Sequence[float]]]:
        """Row ``i``'s within-row links, in ``moves`` order: ``(b, x of the first end node, costs)``."""
        found = []
        for k, b in self.within:
            into = self.costs[i][k]
            if into is not None:
                found.append((b, into[0] - self.low[i], into[1]))
        return found

    def touches_edge(self, path: list[Step]) -> bool:
        for i, j, _, _, _ in path[1:]:
            if (j == self.low[i] and j > 0) or (j == self.high[i] and j < self.m):
                return True
        return False

    # ---------------------------------------------------------------------------------- forward-backward

    def with_confidence(self, path: list[Step]) -> Aligned:
        forward = self._forward()
        backward = self._backward()
        low = self.low
        total = forward[self.n][self.m - low[self.n]]
        links = []
        for i, j, a, b, value in path:
            log_p = total - forward[i][j - low[i]] - value - backward[i + a][j + b - low[i + a]]
            links.append((tuple(range(i, i + a)), tuple(range(j, j + b)), min(1.0, math.exp(log_p))))
        return links

    def _forward(self) -> list[list[float]]:
        rows: list[list[float]] = []
        for i in range(self.n + 1):
            width = self.high[i] - self.low[i] + 1
            rows.append(_row_sums(width, self._terms_into(i, rows), self._within(i), (0, 0.0) if i == 0 else None))
        return rows

    def _backward(self) -> list[list[float]]:
        rows: list[list[float]] = [[] for _ in range(self.n + 1)]
        for i in range(self.n, -1, -1):
            width = self.high[i] - self.low[i] + 1
            # by decreasing end node, as the terms from later rows: the longest link first
            links = [(-b, first - b, values) for b, first, values in sorted(self._within(i), key=lambda w: -w[0])]
            rows[i] = _row_sums(width, self._terms_out_of(i, rows), links, (width - 1, 0.0) if i == self.n else None)
        return rows


def _lower_along(best: list[float], links: list[tuple[int, int, cabc.Sequence[float]]]) -> None:
    """Lower each node of ``best`` to its lowest sum through the within-row ``links`` (``(b, first, costs)``).

    The lowest sum is the same whatever the order its terms are compared in.
    A lone link lowers few nodes: they are found in C, and the row is taken
    node by node only from the first of them (a lowered node may lower the
    next).
    """
    if len(links) == 1:
        b, first, costs = links[0]
        stop = first + len(costs)
        lower = list(map(operator.lt, map(operator.add, best[first - b:stop - b], costs), best[first:stop]))
        if True not in lower:
            return
        start = first + lower.index(True)
    else:
        start = 0
    for x in range(start, len(best)):
        for b, first, costs in links:
            if 0 <= x - first < len(costs):
                term = best[x - b] + costs[x - first]
                if term < best[x]:
                    best[x] = term


def _row_sums(width: int, terms: list[tuple[int, list[float]]], links: list[tuple[int, int, cabc.Sequence[float]]],
              fixed: tuple[int, float] | None) -> list[float]:  # fmt: skip
    """A row's ``-log Σ exp(-t)`` node by node: its ``terms`` from other rows, then those of its within-row ``links``.

    A link ``(step, first, costs)`` joins node ``x`` to ``x - step`` with
    cost ``costs[x - first]``, for the nodes ``x`` from ``first`` on; ``step``
    is negative when the row is taken leftwards (backwards). ``fixed`` is a
    node whose value is set beforehand (the start or the end of every path).
    """
    lowest, sums = _lowest_and_sums(width, terms)
    row = _neg_log_sums(lowest, sums)
    if fixed is not None:
        row[fixed[0]] = fixed[1]
    if not links:
        return row
    log, exp = math.log, math.exp
    if len(links) == 1:  # the usual case, a 0-1 link: the loop written out
        step, first, costs = links[0]
        nodes = range(first, first + len(costs)) if step > 0 else range(first + len(costs) - 1, first - 1, -1)
        for x in nodes:
            before = row[x - step]
            if before < _INF:
                term = before + costs[x - first]
                low = lowest[x]
                if term >= low:  # the lowest term is still the lowest: go on adding to the sum
                    row[x] = low - log(sums[x] + exp(low - term))
                else:
                    row[x] = _neg_log_sum([*_terms_at(terms, x), term])
        return row
    leftwards = links[0][0] < 0
    for x in range(width - 1, -1, -1) if leftwards else range(width):
        extra = [row[x - step] + costs[x - first] for step, first, costs in links
                 if 0 <= x - first < len(costs) and row[x - step] < _INF]
        if extra:
            low = lowest[x]
            if min(extra) >= low:
                total = sums[x]
                for term in extra:
                    total += exp(low - term)
                row[x] = low - log(total)
            else:
                row[x] = _neg_log_sum(_terms_at(terms, x) + extra)
    return row


def _terms_at(terms: list[tuple[int, list[float]]], x: int) -> list[float]:
    return [term for first, values in terms if 0 <= x - first < len(values) for term in (values[x - first],) if term < _INF]


def _lowest_and_sums(width: int, terms: list[tuple[int, list[float]]]) -> tuple[list[float], list[float]]:
    """For each of ``width`` nodes, its lowest term and ``Σ exp(lowest - t)`` over its terms, in their order.

    ``terms`` are runs ``(x, values)`` of consecutive nodes' terms. Each sum
    starts from 0.0 and adds as ``_neg_log_sum`` does, so that it gives the
    same floats as that function on the node's list of terms.
    """
    lowest = [_INF] * width
    for x, values in terms:
        lowest[x:x + len(values)] = map(min, lowest[x:x + len(values)], values)
    sums = [0.0] * width
    exp = math.exp
    for x, values in terms:
        y = x + len(values)
        sums[x:y] = [s + exp(low - t) if t < _INF else s for s, low, t in zip(sums[x:y], lowest[x:y], values)]
    return lowest, sums


def _neg_log_sums(lowest: list[float], sums: list[float]) -> list[float]:
    log = math.log
    return [low - log(s) if low < _INF else _INF for low, s in zip(lowest, sums)]


def _neg_log_sum(costs: list[float]) -> float:
    """``-log Σ exp(-c)``, without underflow."""
    low = min(costs)
    return low - math.log(sum(math.exp(low - c) for c in costs))
