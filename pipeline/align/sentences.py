"""Two lists of sentences → links, scored by length, anchors and a lexicon learned on the way.

The cost of a link adds three terms (negative log-probabilities, roughly):

- the Gale-Church length cost (``length``);
- the prior of the link's shape: 1-1 links are the rule, 1-0 and 0-1 rare;
- minus a bonus for each anchor the two sides share (``anchors``), weighted
  by how rare it is: a number found in one sentence of each side pins them
  together, one found in many says little.

On long texts a first pass teaches a lexicon: English words and Chinese
character runs that keep turning up in linked sentences (or their
neighbours) far more than chance, mostly names and recurring words — what
Hunalign learns when it is given no dictionary. Later passes add them as
anchors and search a band around the path of the pass before.

>>> source = ["The Fund approved 4 projects.", "They cost $24.4 million.", "Details are online."]
>>> target = ["基金批出4個項目，涉及二千四百四十萬元。", "詳情已上載網頁。"]
>>> [(link.source, link.target) for link in align_sentences(source, target, "en", "zh-Hant-HK")]
[((0, 1), (0,)), ((2,), (1,))]
"""

from __future__ import annotations

import bisect
import collections.abc as cabc
import math
from collections import Counter
from dataclasses import dataclass, field

from .anchors import Anchor, AnchorReader, is_chinese
from .dp import MOVES, best_alignment_by_rows
from .length import CostTable, LengthModel, text_length
from .lexicon import Renderings, learn_lexicon, memory_lexicon
from .links import Link

# Gale and Church's priors, 1-2 and 2-1 as likely as each other, 3-1 and 1-3 allowed (HK translators merge sentences).
DEFAULT_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89, (1, 2): 0.04, (2, 1): 0.04, (2, 2): 0.01, (1, 3): 0.005, (3, 1): 0.005, (1, 0): 0.005, (0, 1): 0.005,
}
_GUIDED_WIDTH = 6  # sentences either side of an earlier pass's path
_MAX_SPREAD = 20  # an anchor in more sentences weighs next to nothing, and would cost a full grid
_NEIGHBOURS = 1  # a lexicon learns from a link's source and the targets of the links either side too
_TABLE_FROM = 10_000  # source × target units from which length costs are kept in a table


@dataclass(frozen=True, slots=True)
class Settings:
    """What the costs are made of; the defaults were tuned on Hong Kong press releases and MAC-Dev."""

    variance: float = 8.0  # of the Gale-Church model, per character of the longer text
    anchor_weight: float = 14.0  # bonus for an anchor found in one sentence of each side
    priors: dict[tuple[int, int], float] = field(default_factory=lambda: dict(DEFAULT_PRIORS))
    rounds: int = 2  # passes with a learned lexicon, after the first
    lexicon_from: int = 60  # links of the first pass needed to learn a lexicon


DEFAULT = Settings()


@dataclass(frozen=True, slots=True)
class Features:
    """What the costs read of each sentence (or paragraph) of one side."""

    lengths: list[int]
    anchors: list[Counter[Anchor]]

    @classmethod
    def read(cls, texts: cabc.Sequence[str], anchors: cabc.Callable[[str], Counter[Anchor]]) -> Features:
        return cls([text_length(text) for text in texts], [anchors(text) for text in texts])

    def merged(self, groups: cabc.Sequence[cabc.Sequence[int]]) -> Features:
        """One unit per group of units (sentences into paragraphs): lengths and anchors added."""
        return Features([sum(self.lengths[i] for i in group) for group in groups],
                        [sum((self.anchors[i] for i in group), Counter()) for group in groups])

    def with_anchors(self, texts: cabc.Sequence[str], anchors: cabc.Callable[[str], Counter[Anchor]]) -> Features:
        """The same units with more anchors, read from their ``texts``."""
        return Features(self.lengths, [found + anchors(text) for found, text in zip(self.anchors, texts, strict=True)])

    def subset(self, indices: cabc.Sequence[int]) -> Features:
        return Features([self.lengths[i] for i in indices], [self.anchors[i] for i in indices])

    def total(self) -> Counter[Anchor]:
        return sum(self.anchors, Counter())

    def __len__(self) -> int:
        return len(self.lengths)


def align_sentences(source: cabc.Sequence[str], target: cabc.Sequence[str], source_language: str,
                    target_language: str, *, reader: AnchorReader | None = None, settings: Settings = DEFAULT,
                    renderings: Renderings | None = None) -> list[Link]:  # fmt: skip
    """Link ``source`` to ``target`` sentences: every index of each side once, in order.

    ``renderings`` are a memory's word translations, in the direction
    ``source`` → ``target``: they join the lexicon learned from the text,
    in the passes that learn one (on short texts their characters, common
    there, would pull sentences together).
    """
    reader = reader or AnchorReader(source_language, target_language)
    source_features = Features.read(source, reader.source)
    target_features = Features.read(target, reader.target)
    model = LengthModel.estimate(source_features.lengths, target_features.lengths, settings.variance)
    # Only the last pass's confidences are kept: the forward-backward pass is skipped in a pass another will follow
    may_learn = settings.rounds > 0 and min(len(source), len(target)) >= settings.lexicon_from
    links = align_features(source_features, target_features, model, settings, scored=not may_learn)
    last_pass: tuple[Features, Features, list[Link]] = (source_features, target_features, [])
    if renderings is not None and settings.rounds and sum(not link.null for link in links) >= settings.lexicon_from:
        remembered = memory_lexicon(renderings, source, target, is_chinese(source_language))
        source_features = source_features.with_anchors(source, remembered.source)
        target_features = target_features.with_anchors(target, remembered.target)
    for done in range(1, settings.rounds + 1):
        paired = [link for link in links if not link.null]
        if len(paired) < settings.lexicon_from:
            break
        pairs = [(" ".join(source[i] for i in link.source),
                  " ".join(target[j] for near in paired[max(0, k - _NEIGHBOURS):k + _NEIGHBOURS + 1] for j in near.target))
                 for k, link in enumerate(paired)]  # fmt: skip
        lexicon = learn_lexicon(pairs, source_language, target_language)
        last_pass = (source_features.with_anchors(source, lexicon.source),
                     target_features.with_anchors(target, lexicon.target), links)
        links = align_features(*last_pass[:2], model, settings, guide=links, scored=done == settings.rounds)
    if links and math.isnan(links[0].confidence):  # the pass that was to follow did not: the same pass, scored
        links = align_features(*last_pass[:2], model, settings, guide=last_pass[2])
    return links


def align_features(source: Features, target: Features, model: LengthModel, settings: Settings,
                   guide: cabc.Sequence[Link] = (), *, scored: bool = True) -> list[Link]:  # fmt: skip
    """One pass of the dynamic programme over units already read.

    Unless ``scored``, the links' confidences are left out (NaN): a pass
    that only guides the next one has no use for them, and they cost as
    much as finding the links.
    """
    costs = _RowCosts(source, target, model, settings)
    moves = [shape for shape in MOVES if shape in costs.prior_cost]
    nodes = _nodes(guide)
    found = best_alignment_by_rows(len(source), len(target), costs, moves, guide=nodes,
                                   width=_GUIDED_WIDTH if nodes else 0, scored=scored)  # fmt: skip
    return [Link(s, t, round(c, 4)) for s, t, c in found]


class _RowCosts:
    """The cost of linking ``source[i:i+a]`` with ``target[j:j+b]``, for a row of ``j`` at a time.

    A link costs its length cost, plus its shape's prior, minus the anchor
    weight times its anchor bonus: a row is the length costs of one source
    length against a run of target lengths, and the few links that share
    anchors are then charged their bonus one by one.
    """

    def __init__(self, source: Features, target: Features, model: LengthModel, settings: Settings) -> None:
        self.shared = _SharedAnchors(source.anchors, target.anchors)
        self.prior_cost = {shape: -math.log(p) for shape, p in settings.priors.items()}
        # a long text asks the same pairs of lengths over and over; a short one hardly, and a table would only cost
        self.length_costs: CostTable | LengthModel = CostTable(model) if len(source) * len(target) > _TABLE_FROM else model
        self.weight = settings.anchor_weight
        self.source_sums = _prefix_sums(source.lengths)
        self.target_sums = _prefix_sums(target.lengths)
        self._target_lengths: dict[int, list[int]] = {}  # b → the length of target[j:j+b] for each j

    def __call__(self, i: int, a: int, b: int, start: int, stop: int) -> list[float]:
        lengths = self._target_lengths.get(b)
        if lengths is None:
            sums = self.target_sums
            lengths = self._target_lengths[b] = [sums[j + b] - sums[j] for j in range(len(sums) - b)]
        source_length = self.source_sums[i + a] - self.source_sums[i]
        row = self.length_costs.costs(source_length, lengths[start:stop], self.prior_cost[(a, b)])
        if self.weight:
            for j in self.shared.linked_starts(i, a, b, start, stop):
                row[j - start] -= self.weight * self.shared.bonus(i, j, a, b)
        return row


def _nodes(links: cabc.Sequence[Link]) -> list[tuple[int, int]]:
    """The lattice nodes a path of links passes through, from (0, 0); none for no path."""
    nodes = [(0, 0)] if links else []
    for link in links:
        i, j = nodes[-1]
        nodes.append((i + len(link.source), j + len(link.target)))
    return nodes


def _prefix_sums(values: list[int]) -> list[int]:
    sums = [0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


class _SharedAnchors:
    """The anchors the two sides share, and what a link earns for them.

    An anchor weighs 1 when it is in one unit of each side, less the more
    units hold it, so that a recurring number or name cannot pull links out
    of place. A link earns each anchor as many times as both its sides hold
    it: joining two sentences whose numbers match their neighbours' earns
    nothing more than linking them one by one.
    """

    def __init__(self, source: list[Counter[Anchor]], target: list[Counter[Anchor]]) -> None:
        where_source, where_target = _where(source), _where(target)
        self.weights: dict[Anchor, float] = {}
        for anchor, source_indices in where_source.items():
            target_indices = where_target.get(anchor)
            if target_indices:
                spread = max(len(source_indices), len(target_indices))
                if spread <= _MAX_SPREAD:
                    self.weights[anchor] = _kind_weight(anchor) / spread
        self.source = [{k: n for k, n in anchors.items() if k in self.weights} for anchors in source]
        self.target = [{k: n for k, n in anchors.items() if k in self.weights} for anchors in target]
        # cells[i][j]: what linking unit i alone to unit j alone earns
        self.cells: dict[int, dict[int, float]] = {}
        for anchor in self.weights:
            for i in where_source[anchor]:
                row = self.cells.setdefault(i, {})
                for j in where_target[anchor]:
                    row[j] = row.get(j, 0.0) + self.weights[anchor] * min(source[i][anchor], target[j][anchor])
        self.columns = {i: sorted(row) for i, row in self.cells.items()}  # the units j of each row of cells

    def linked_starts(self, i: int, a: int, b: int, start: int, stop: int) -> list[int]:
        """The ``j`` in ``range(start, stop)`` whose link ``source[i:i+a]`` ↔ ``target[j:j+b]`` holds a shared anchor."""
        found: set[int] = set()
        for si in range(i, i + a) if b else ():
            columns = self.columns.get(si)
            if columns:  # a unit j' is in the link of every j from j' - b + 1 to j'
                for tj in columns[bisect.bisect_left(columns, start):bisect.bisect_left(columns, stop + b - 1)]:
                    found.update(range(max(start, tj - b + 1), min(stop, tj + 1)))
        return sorted(found) if found else []

    def bonus(self, i: int, j: int, a: int, b: int) -> float:
        earned = 0.0
        cells = 0
        for si in range(i, i + a):
            row = self.cells.get(si)
            if row:
                for tj in range(j, j + b):
                    value = row.get(tj)
                    if value:
                        earned += value
                        cells += 1
        if cells <= 1:  # one cell of the link shares anchors: they are all in it
            return earned
        source_counts: Counter[Anchor] = Counter()
        for si in range(i, i + a):
            source_counts.update(self.source[si])
        target_counts: Counter[Anchor] = Counter()
        for tj in range(j, j + b):
            target_counts.update(self.target[tj])
        return sum(self.weights[k] * min(n, target_counts[k]) for k, n in source_counts.items() if k in target_counts)


def _where(units: list[Counter[Anchor]]) -> dict[Anchor, list[int]]:
    found: dict[Anchor, list[int]] = {}
    for index, anchors in enumerate(units):
        for anchor in anchors:
            found.setdefault(anchor, []).append(index)
    return found


def _kind_weight(anchor: Anchor) -> float:
    """Punctuation is a weak anchor; a word pair, learned or remembered, weighs its strength."""
    kind = anchor[0]
    if kind == "p":
        return 0.3
    if kind in ("w", "m"):
        return float(anchor[-1])
    return 1.0
