"""Sentence lengths → the Gale-Church length cost of linking two runs of sentences.

A translation's length is roughly proportional to its source's: Gale and
Church (1993) model the target length of a link as normal around ``ratio``
times the source length, with a variance that grows with the length. The
ratio is estimated for each pair of texts from their total lengths; the
variance was tuned on the gold sets (it is measured in characters of the
longer text, English next to Chinese, so one value serves both directions).

>>> model = LengthModel(ratio=0.3, variance=2.0)
>>> model.cost(100, 30) < model.cost(100, 45) < model.cost(100, 90)
True
"""

from __future__ import annotations

import collections.abc as cabc
import math
import re
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
_ADDRESS = re.compile(r"[\w.%+\-/:?&=#~]*(?:www\.|://|@)[\w.%+\-/:?&=#~]*[A-Za-z0-9/]", re.ASCII)
_MAX_DEVIATION = 35.0  # erfc(35/√2) is still a normal float; beyond, the cost only grows
_SQRT2 = math.sqrt(2)


def text_length(text: str) -> int:
    """Characters, a run of spaces counting one, web and e-mail addresses none.

    Characters measure English and Chinese alike; an address is copied as it
    is, so it would count ten Chinese characters' worth for every ten letters.

    >>> text_length("See  www.cfs.gov.hk/english/index.html now."), text_length("見網頁www.cfs.gov.hk/tc_chi/index.html。")
    (8, 4)
    """
    return len(_SPACE.sub(" ", _ADDRESS.sub("", text).strip()))


@dataclass(frozen=True, slots=True)
class LengthModel:
    """Target length ≈ ``ratio`` × source length, with ``variance`` per source character."""

    ratio: float
    variance: float

    def cost(self, source_length: float, target_length: float) -> float:
        """``-log P(|δ| at least this large)``: 0 for lengths in proportion, growing with the gap."""
        scaled = target_length / self.ratio
        mean = (source_length + scaled) / 2
        if mean == 0:
            return 0.0
        deviation = min(abs(scaled - source_length) / math.sqrt(self.variance * mean), _MAX_DEVIATION)
        return -math.log(math.erfc(deviation / _SQRT2))

    def costs(self, source_length: float, target_lengths: cabc.Iterable[float], plus: float = 0.0) -> list[float]:
        """``cost(source_length, t) + plus`` for each ``t``: a row of the aligner's lattice in one pass.

        The same operations as ``cost`` in the same order, so the same floats, without a call per link.
        """
        ratio, variance = self.ratio, self.variance
        log, erfc, sqrt = math.log, math.erfc, math.sqrt
        return [plus if (mean := (source_length + (scaled := t / ratio)) / 2) == 0 else
                -log(erfc(min(abs(scaled - source_length) / sqrt(variance * mean), _MAX_DEVIATION) / _SQRT2)) + plus
                for t in target_lengths]  # fmt: skip

    @classmethod
    def estimate(cls, source_lengths: cabc.Sequence[int], target_lengths: cabc.Sequence[int],
                 variance: float) -> LengthModel:  # fmt: skip
        """The ratio of the two texts' totals; ``variance`` is per character of the longer text.

        Measured in characters of the shorter text (Chinese, next to English) it is that much smaller.
        """
        total_source, total_target = sum(source_lengths), sum(target_lengths)
        if not total_source or not total_target:
            return cls(1.0, variance)
        ratio = total_target / total_source
        return cls(ratio, variance * min(1.0, 1 / ratio))


class CostTable:
    """One model's ``cost(s, t) + plus``, each pair of lengths computed once.

    A long text asks the same few hundred thousand pairs of lengths tens of
    millions of times (the Bible: 23 million links); a row of the lattice is
    then a lookup per link, in C, for what ``LengthModel.costs`` gives.

    >>> table = CostTable(LengthModel(ratio=0.3, variance=2.0))
    >>> table.costs(100, [30, 45], plus=1.0) == LengthModel(ratio=0.3, variance=2.0).costs(100, [30, 45], plus=1.0)
    True
    """

    def __init__(self, model: LengthModel) -> None:
        self.model = model
        self._rows: dict[tuple[float, float], _CostsByTargetLength] = {}

    def costs(self, source_length: float, target_lengths: cabc.Iterable[float], plus: float = 0.0) -> list[float]:
        row = self._rows.get((source_length, plus))
        if row is None:
            row = self._rows[(source_length, plus)] = _CostsByTargetLength(self.model, source_length, plus)
        return list(map(row.__getitem__, target_lengths))


class _CostsByTargetLength(dict[float, float]):
    """Target length → cost, for one source length and ``plus``; a length not asked before is computed."""

    __slots__ = ("model", "source_length", "plus")

    def __init__(self, model: LengthModel, source_length: float, plus: float) -> None:
        super().__init__()
        self.model, self.source_length, self.plus = model, source_length, plus

    def __missing__(self, target_length: float) -> float:
        value = self[target_length] = self.model.costs(self.source_length, (target_length,), self.plus)[0]
        return value
