"""Sentence links: what an aligner returns and a gold file holds, and how the two are scored.

A link joins consecutive source sentences to consecutive target sentences;
either side may be empty (a sentence left unpaired). Scores follow Sennrich
and Volk (2010) as Vecalign and Bertalign compute them: *strict* counts a
link right only when it is identical to a gold link, *lax* when it shares a
source and a target sentence with one; counts are pooled over documents;
recall ignores null links, precision counts a predicted null link right only
when the gold has the same one.

>>> gold = [Link((0,), (0, 1)), Link((1,), (2,)), Link((2,), ())]
>>> test = [Link((0,), (0,)), Link((), (1,)), Link((1,), (2,)), Link((2,), ())]
>>> round(score_links([gold], [test]).strict_f1, 3), round(score_links([gold], [test]).lax_f1, 3)
(0.5, 0.857)
"""

from __future__ import annotations

import ast
import collections.abc as cabc
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    """Source sentences ``source`` are translated by target sentences ``target`` (0-based indices)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float = 1.0

    @property
    def kind(self) -> str:
        """``"2-1"``: two source sentences, one target sentence."""
        return f"{len(self.source)}-{len(self.target)}"

    @property
    def null(self) -> bool:
        return not self.source or not self.target


def parse_links(text: str, path: str = "<links>") -> list[Link]:
    """Read the Bertalign/Vecalign format: one ``[0, 1]:[2]`` per line.

    >>> parse_links("[0]:[0, 1]\\n[]:[2]\\n")
    [Link(source=(0,), target=(0, 1), confidence=1.0), Link(source=(), target=(2,), confidence=1.0)]
    """
    from ..errors import InputError
    from ..model import Location

    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, sep, right = line.partition(":")
        try:
            source, target = ast.literal_eval(left.strip()), ast.literal_eval(right.strip())
            if not sep or not _indices(source) or not _indices(target):
                raise ValueError
        except (ValueError, SyntaxError):
            raise InputError(f"expected a link such as [0, 1]:[2], got {line.strip()[:60]!r}",
                             Location(path, number)) from None
        links.append(Link(tuple(source), tuple(target)))
    return links


def _indices(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value)


def format_links(links: cabc.Iterable[Link]) -> str:
    """The Bertalign/Vecalign format, one link a line."""
    return "".join(f"{list(link.source)}:{list(link.target)}\n" for link in links)


@dataclass(frozen=True, slots=True)
class Scores:
    """Strict and lax precision, recall and F1, pooled over documents."""

    strict_precision: float
    strict_recall: float
    lax_precision: float
    lax_recall: float

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall)

    @property
    def lax_f1(self) -> float:
        return _f1(self.lax_precision, self.lax_recall)


def score_links(gold: cabc.Sequence[cabc.Sequence[Link]], test: cabc.Sequence[cabc.Sequence[Link]]) -> Scores:
    """Score ``test`` against ``gold``, document by document (the two lists pair by position)."""
    precision = [0, 0, 0]  # strict right, lax right, predicted
    recall = [0, 0, 0]
    for gold_links, test_links in zip(gold, test, strict=True):
        _count(precision, gold_links, test_links)
        _count(recall, [g for g in test_links if not g.null], [t for t in gold_links if not t.null])
    return Scores(_ratio(precision[0], precision[2]), _ratio(recall[0], recall[2]),
                  _ratio(precision[1], precision[2]), _ratio(recall[1], recall[2]))


def _count(counts: list[int], reference: cabc.Sequence[Link], predicted: cabc.Sequence[Link]) -> None:
    """Add to ``counts`` how many ``predicted`` links are strictly and laxly right against ``reference``."""
    exact = {(link.source, link.target) for link in reference if link.source or link.target}
    targets_of: dict[int, set[int]] = {}
    for link in reference:
        for index in link.source:
            targets_of.setdefault(index, set()).update(link.target)
    for link in {(p.source, p.target) for p in predicted if p.source or p.target}:
        counts[2] += 1
        if link in exact:
            counts[0] += 1
            counts[1] += 1
        elif any(target in targets_of.get(source, ()) for source in link[0] for target in link[1]):
            counts[1] += 1


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
