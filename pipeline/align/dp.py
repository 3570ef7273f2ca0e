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

>>> costs = {(1, 1): 0.0, (1, 2): 3.0, (2, 1): 3.0}
>>> [(s, t) for s, t, _ in best_alignment(2, 2, lambda i, j, a, b: costs.get((a, b), 9.0), MOVES)]
[((0,), (0,)), ((1,), (1,))]
"""

from __future__ import annotations

import collections.abc as cabc
import math

# Link shapes (source sentences, target sentences) in the order ties are broken.
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1))

BlockCost = cabc.Callable[[int, int, int, int], float]  # (i, j, a, b): link source[i:i+a] with target[j:j+b]
Aligned = list[tuple[tuple[int, ...], tuple[int, ...], float]]  # (source indices, target indices, confidence)
_INF = math.inf


def best_alignment(n: int, m: int, cost: BlockCost, moves: cabc.Sequence[tuple[int, int]], *,
                   guide: cabc.Sequence[tuple[int, int]] = (), width: int = 0) -> Aligned:  # fmt: skip
    """The cheapest alignment of ``n`` source with ``m`` target sentences.

    ``guide`` is a path of nodes ``(i, j)`` from ``(0, 0)`` to ``(n, m)`` to
    search around (default: the diagonal); ``width`` how far from it to look
    at first (default: a twentieth of the longer side, from 8 to 40).
    """
    if n == 0 or m == 0:
        return [((i,), (), 1.0) for i in range(n)] + [((), (j,), 1.0) for j in range(m)]
    width = width or min(40, max(8, (max(n, m) + 19) // 20))
    known: dict[tuple[int, int, int, int], float] = {}  # a widened band keeps the costs of the narrower one

    def remembered(i: int, j: int, a: int, b: int) -> float:
        key = (i, j, a, b)
        value = known.get(key)
        if value is None:
            value = known[key] = cost(i, j, a, b)
        return value

    while True:
        low, high = _band(n, m, guide, width)
        lattice = _Lattice(n, m, low, high, remembered, moves)
        path = lattice.viterbi_path()
        if width >= max(n, m) or not lattice.touches_edge(path):
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
    for i in range(1, n + 1):  # every row must connect to the one before it
        low[i] = min(max(low[i], low[i - 1]), high[i])
    return low, high


class _Lattice:
    def __init__(self, n: int, m: int, low: list[int], high: list[int], cost: BlockCost,
                 moves: cabc.Sequence[tuple[int, int]]) -> None:  # fmt: skip
        self.n, self.m, self.low, self.high = n, m, low, high
        # edges[(i, j)]: the (previous i, previous j, a, b, cost) links into each node of the band
        self.edges: dict[tuple[int, int], list[tuple[int, int, int, int, float]]] = {}
        for i in range(n + 1):
            for j in range(low[i], high[i] + 1):
                into = []
                for a, b in moves:
                    pi, pj = i - a, j - b
                    if pi >= 0 and pj >= 0 and low[pi] <= pj <= high[pi] and (pi, pj) != (i, j):
                        into.append((pi, pj, a, b, cost(pi, pj, a, b)))
                self.edges[(i, j)] = into

    def viterbi_path(self) -> list[tuple[int, int, int, int, float]]:
        best: dict[tuple[int, int], tuple[float, tuple[int, int, int, int, float] | None]] = {(0, 0): (0.0, None)}
        for node, into in self.edges.items():
            if node == (0, 0):
                continue
            choice: tuple[float, tuple[int, int, int, int, float] | None] = (_INF, None)
            for edge in into:
                before = best.get((edge[0], edge[1]))
                if before is not None and before[0] + edge[4] < choice[0]:
                    choice = (before[0] + edge[4], edge)
            if choice[1] is not None:
                best[node] = choice
        path = []
        node = (self.n, self.m)
        while node != (0, 0):
            step = best[node][1]
            assert step is not None  # the end is reachable: a row always connects to the one before
            path.append(step)
            node = (step[0], step[1])
        path.reverse()
        return path

    def touches_edge(self, path: list[tuple[int, int, int, int, float]]) -> bool:
        for i, j, _, _, _ in path[1:]:
            if (j == self.low[i] and j > 0) or (j == self.high[i] and j < self.m):
                return True
        return False

    def with_confidence(self, path: list[tuple[int, int, int, int, float]]) -> Aligned:
        forward: dict[tuple[int, int], float] = {(0, 0): 0.0}
        for node, into in self.edges.items():
            terms = [forward[(e[0], e[1])] + e[4] for e in into if (e[0], e[1]) in forward]
            if terms and node != (0, 0):
                forward[node] = _neg_log_sum(terms)
        backward: dict[tuple[int, int], float] = {(self.n, self.m): 0.0}
        outgoing: dict[tuple[int, int], list[float]] = {}
        for node in reversed(list(self.edges)):
            after = backward.get(node) if node == (self.n, self.m) else None
            if node != (self.n, self.m):
                terms = outgoing.pop(node, None)
                if not terms:
                    continue
                after = backward[node] = _neg_log_sum(terms)
            if after is None:
                continue
            for e in self.edges[node]:
                outgoing.setdefault((e[0], e[1]), []).append(after + e[4])
        total = forward[(self.n, self.m)]
        links = []
        for i, j, a, b, value in path:
            log_p = total - forward[(i, j)] - value - backward[(i + a, j + b)]
            links.append((tuple(range(i, i + a)), tuple(range(j, j + b)), min(1.0, math.exp(log_p))))
        return links


def _neg_log_sum(costs: list[float]) -> float:
    """``-log Σ exp(-c)``, without underflow."""
    low = min(costs)
    return low - math.log(sum(math.exp(low - c) for c in costs))
