"""The row-at-a-time dynamic programme against a plain node-by-node one: the same links, the same floats."""

from __future__ import annotations

import functools
import math
import random
import string
from collections import Counter
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align import sentences
from pipeline.align.anchors import AnchorReader
from pipeline.align.dp import MOVES, best_alignment
from pipeline.align.length import CostTable, LengthModel
from pipeline.align.lexicon import _runs, _words, learn_lexicon
from pipeline.align.sentences import DEFAULT, Features, Settings, _RowCosts, _SharedAnchors, align_sentences


def reference_alignment(n: int, m: int, cost, moves, *, guide=(), width: int = 0):  # noqa: ANN001, ANN201
    """What ``best_alignment`` computes, node by node with a dict of edges, as it was first written."""
    from pipeline.align.dp import _band

    if n == 0 or m == 0:
        return [((i,), (), 1.0) for i in range(n)] + [((), (j,), 1.0) for j in range(m)]
    width = width or min(40, max(8, (max(n, m) + 19) // 20))
    while True:
        low, high = _band(n, m, guide, width)
        edges = {}
        for i in range(n + 1):
            for j in range(low[i], high[i] + 1):
                edges[(i, j)] = [(i - a, j - b, a, b, cost(i - a, j - b, a, b)) for a, b in moves
                                 if i - a >= 0 and j - b >= 0 and low[i - a] <= j - b <= high[i - a]]
        best = {(0, 0): (0.0, None)}
        for node, into in edges.items():
            if node == (0, 0):
                continue
            choice = (math.inf, None)
            for edge in into:
                before = best.get((edge[0], edge[1]))
                if before is not None and before[0] + edge[4] < choice[0]:
                    choice = (before[0] + edge[4], edge)
            if choice[1] is not None:
                best[node] = choice
        path, node = [], (n, m)
        while node != (0, 0):
            step = best[node][1]
            path.append(step)
            node = (step[0], step[1])
        path.reverse()
        touches = any((j == low[i] and j > 0) or (j == high[i] and j < m) for i, j, *_ in path[1:])
        if width >= max(n, m) or not touches:
            break
        width *= 2
    forward = {(0, 0): 0.0}
    for node, into in edges.items():
        terms = [forward[(e[0], e[1])] + e[4] for e in into if (e[0], e[1]) in forward]
        if terms and node != (0, 0):
            forward[node] = _neg_log_sum(terms)
    backward = {(n, m): 0.0}
    outgoing: dict = {}
    for node in reversed(list(edges)):
        after = 0.0 if node == (n, m) else None
        if node != (n, m):
            terms = outgoing.pop(node, None)
            if not terms:
                continue
            after = backward[node] = _neg_log_sum(terms)
        for e in edges[node]:
            outgoing.setdefault((e[0], e[1]), []).append(after + e[4])
    total = forward[(n, m)]
    return [(tuple(range(i, i + a)), tuple(range(j, j + b)),
             min(1.0, math.exp(total - forward[(i, j)] - value - backward[(i + a, j + b)])))
            for i, j, a, b, value in path]  # fmt: skip


def _neg_log_sum(costs: list[float]) -> float:
    low = min(costs)
    return low - math.log(sum(math.exp(low - c) for c in costs))


def random_costs(seed: int, ties: bool):  # noqa: ANN201
    """A cost for each link, whatever order links are asked in: small integers (many ties) or any float."""

    def cost(i: int, j: int, a: int, b: int) -> float:
        rnd = random.Random(f"{seed} {i} {j} {a} {b}")
        return float(rnd.randint(0, 3)) if ties else rnd.uniform(0.0, 30.0)

    return cost


def guide_path(n: int, m: int, seed: int) -> list[tuple[int, int]]:
    rnd = random.Random(seed)
    nodes = [(0, 0)]
    while nodes[-1] != (n, m):
        a, b = rnd.choice([(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)])
        node = (min(n, nodes[-1][0] + a), min(m, nodes[-1][1] + b))
        if node != nodes[-1]:
            nodes.append(node)
    return nodes


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 14), st.integers(1, 14), st.integers(0, 10**6), st.booleans(), st.sampled_from([0, 1, 2, 3]),
       st.booleans(), st.sets(st.sampled_from(MOVES[:6]), min_size=1))  # fmt: skip
def test_the_same_links_and_confidences_as_node_by_node(n: int, m: int, seed: int, ties: bool, width: int,
                                                        guided: bool, shapes: set[tuple[int, int]]) -> None:  # fmt: skip
    moves = [move for move in MOVES if move in shapes or move in ((1, 0), (0, 1))]
    guide = guide_path(n, m, seed) if guided else ()
    expected = reference_alignment(n, m, random_costs(seed, ties), moves, guide=guide, width=width)
    assert best_alignment(n, m, random_costs(seed, ties), moves, guide=guide, width=width) == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 10**6), st.booleans())
def test_several_within_row_links_are_taken_node_after_node(n: int, m: int, seed: int, ties: bool) -> None:
    """A 0-2 link besides the 0-1 one: a node lowered by one lowers the nodes after it through the other.

    The within-row links come last in the tie order, as in ``MOVES``: the sums are then added in the same order.
    """
    moves = [*MOVES[:-1], (2, 0), (0, 1), (0, 2)]
    expected = reference_alignment(n, m, random_costs(seed, ties), moves, width=2)
    assert best_alignment(n, m, random_costs(seed, ties), moves, width=2) == expected


def test_an_empty_side_links_every_sentence_to_nothing() -> None:
    assert best_alignment(2, 0, random_costs(0, False), MOVES) == [((0,), (), 1.0), ((1,), (), 1.0)]


lengths = st.lists(st.integers(0, 400), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(lengths, st.lists(st.integers(0, 400), min_size=1, max_size=30), st.floats(0.1, 5.0), st.floats(0.0, 10.0))
def test_a_row_of_length_costs_is_the_cost_of_each_link(sources: list[int], targets: list[int], ratio: float,
                                                        plus: float) -> None:  # fmt: skip
    model = LengthModel(ratio, 8.0)
    table = CostTable(model)
    for source in sources:
        expected = [model.cost(source, target) + plus for target in targets]
        assert model.costs(source, targets, plus) == expected
        assert table.costs(source, targets, plus) == expected
        assert table.costs(source, targets, plus) == expected  # and again, from the table


ENGLISH = ["The Fund approved 5 projects in 2024.", "They cost $12.5 million.", "Call 2345 6789.", "Thank you!",
           "HKPC runs the B14 scheme.", "See www.stf.hkpc.org for 5 projects.", "Why?", "In 2024, 12.5 was paid."]
CHINESE = ["基金於2024年批出5個項目。", "涉及一千二百五十萬元。", "請致電2345 6789。", "謝謝！", "生產力局推行B14計劃。",
           "詳見www.stf.hkpc.org。", "為甚麼？", "二〇二四年付出12.5。"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ENGLISH), min_size=1, max_size=10),
       st.lists(st.sampled_from(CHINESE), min_size=1, max_size=10))
def test_a_row_of_link_costs_is_length_prior_and_anchor_bonus(source: list[str], target: list[str]) -> None:
    """Anchors repeated across sentences, so that links of several units share them too."""
    reader = AnchorReader("en", "zh-Hant-HK")
    source_features, target_features = Features.read(source, reader.source), Features.read(target, reader.target)
    model = LengthModel.estimate(source_features.lengths, target_features.lengths, DEFAULT.variance)
    costs = _RowCosts(source_features, target_features, model, DEFAULT)
    shared = _SharedAnchors(source_features.anchors, target_features.anchors)
    n, m = len(source), len(target)
    for a, b in MOVES:
        for i in range(n - a + 1):
            expected = []
            for j in range(m - b + 1):
                length = model.cost(sum(source_features.lengths[i:i + a]), sum(target_features.lengths[j:j + b]))
                prior = -math.log(DEFAULT.priors[(a, b)])
                expected.append(length + prior - DEFAULT.anchor_weight * shared.bonus(i, j, a, b))
            assert costs(i, a, b, 0, m - b + 1) == expected


def reference_lexicon_counts(pairs: list[tuple[str, str]], minimum: int) -> Counter[tuple[str, str]]:
    """Every word and run found in the same pair, counted: what ``learn_lexicon`` chooses from."""
    sides = [(_words(e), _runs(c)) for e, c in pairs]
    words = Counter(w for ws, _ in sides for w in ws)
    runs = Counter(r for _, rs in sides for r in rs)
    limit = max(minimum, len(pairs) // 4)
    return Counter((w, r) for ws, rs in sides for w in ws for r in rs
                   if minimum <= words[w] <= limit and minimum <= runs[r] <= limit)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(["chen", "wong", "came", "left", "the", "fund", "i"]), max_size=6),
                          st.text("陈黄来走了基金我的", max_size=8)), min_size=1, max_size=40),
       st.integers(1, 4), st.sampled_from([0.2, 0.4, 0.6, 0.9]))  # fmt: skip
def test_the_lexicon_counts_only_pairs_that_can_reach_the_threshold(sentences: list[tuple[list[str], str]],
                                                                    minimum: int, threshold: float) -> None:  # fmt: skip
    """Leaving out pairs whose counts are too far apart for their Dice to reach the threshold changes nothing."""
    pairs = [(" ".join(words), chinese) for words, chinese in sentences]
    counts = reference_lexicon_counts(pairs, minimum)
    sides = [(_words(e), _runs(c)) for e, c in pairs]
    words = Counter(w for ws, _ in sides for w in ws)
    runs = Counter(r for _, rs in sides for r in rs)
    candidates = sorted(((2 * both / (words[w] + runs[r]), len(r), w, r) for (w, r), both in counts.items()
                         if both >= minimum and 2 * both / (words[w] + runs[r]) >= threshold),
                        key=lambda c: (-c[0], -c[1], c[2], c[3]))  # fmt: skip
    expected, taken_words, taken_runs = [], set(), set()
    for dice, _, word, run in candidates:
        if word not in taken_words and run not in taken_runs:
            taken_words.add(word)
            taken_runs.add(run)
            expected.append((word, run, round(dice, 3)))
    assert learn_lexicon(pairs, "en", "zh", minimum=minimum, threshold=threshold).entries == tuple(expected)


english_sentences = st.lists(st.text(string.ascii_letters + " .,$0123456789", max_size=40), min_size=1, max_size=12)
chinese_sentences = st.lists(st.text("基金批出項目申請截止查詢一二三四五十萬元。0123456789", max_size=20),
                             min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(english_sentences, chinese_sentences, st.integers(1, 6))
def test_every_pass_that_is_kept_has_its_confidences(source: list[str], target: list[str], lexicon_from: int) -> None:
    """A pass another may follow skips its confidences; the links returned are those of every pass scored."""
    chosen = Settings(lexicon_from=lexicon_from)
    links = align_sentences(source, target, "en", "zh-Hant-HK", settings=chosen)
    assert all(0.0 <= link.confidence <= 1.0 for link in links)
    always_scored = functools.partial(sentences.align_features, scored=True)
    with mock.patch.object(sentences, "align_features", lambda *args, scored=True, **kw: always_scored(*args, **kw)):
        assert align_sentences(source, target, "en", "zh-Hant-HK", settings=chosen) == links


def test_one_sentence_against_a_hundred_is_aligned() -> None:
    """Far from the diagonal's slope, each row of the band still reaches the one before it (by a 1-0 link)."""
    links = align_sentences(["The Fund approved five projects."], ["基金批出五個項目。"] * 100, "en", "zh-Hant-HK")
    assert [j for link in links for j in link.target] == list(range(100))
    assert [i for link in links for i in link.source] == [0]
