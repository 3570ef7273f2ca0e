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
        return -math.log(math.erfc(deviation / math.sqrt(2)))

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
