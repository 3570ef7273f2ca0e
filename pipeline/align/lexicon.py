"""Sentence pairs → a small lexicon of English words and Chinese character runs that translate each other.

No dictionary is shipped: the pairs a first alignment is sure of are the
dictionary. A word and a run of one or two Chinese characters that occur in
the same pairs much more often than apart (Dice coefficient over pairs) are
taken as translations, each word keeping its best run and each run its best
word (competitive linking, Melamed 2000). Names (陈清扬 ↔ Chen Qingyang) and
the recurring vocabulary of a text are what it finds.

>>> pairs = [("Chen came.", "陈来了。"), ("Chen left.", "陈走了。"), ("I came.", "我来了。"), ("Chen slept.", "陈睡了。")]
>>> lexicon = learn_lexicon(pairs, "en", "zh", minimum=3)
>>> sorted(a[1:3] for a in lexicon.source("Chen and I"))
[('chen', '陈')]
"""

from __future__ import annotations

import collections.abc as cabc
import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from .anchors import Anchor

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# A word of the memory's source language → the atoms of the other language that render it, with their strength.
Renderings = cabc.Callable[[str], cabc.Mapping[str, float]]


@dataclass(frozen=True)
class Lexicon:
    """Word ↔ run pairs with their strength; gives each sentence its ``(kind, word, run, strength)`` anchors.

    ``kind`` tells the lexicon learned from the text (``"w"``) from the
    memory's (``"m"``), so that a pair both know counts for each.
    """

    entries: tuple[tuple[str, str, float], ...]
    source_is_chinese: bool
    kind: str = "w"

    def source(self, text: str) -> Counter[Anchor]:
        return self._anchors(text, self.source_is_chinese)

    def target(self, text: str) -> Counter[Anchor]:
        return self._anchors(text, not self.source_is_chinese)

    def _anchors(self, text: str, chinese: bool) -> Counter[Anchor]:
        index = self._by_run if chinese else self._by_word
        units = _runs(text) if chinese else _words(text)
        return Counter((self.kind, *entry) for unit in units for entry in index.get(unit, ()))

    @functools.cached_property
    def _by_word(self) -> dict[str, list[tuple[str, str, float]]]:
        found: dict[str, list[tuple[str, str, float]]] = {}
        for entry in self.entries:
            found.setdefault(entry[0], []).append(entry)
        return found

    @functools.cached_property
    def _by_run(self) -> dict[str, list[tuple[str, str, float]]]:
        found: dict[str, list[tuple[str, str, float]]] = {}
        for entry in self.entries:
            found.setdefault(entry[1], []).append(entry)
        return found


def learn_lexicon(pairs: cabc.Sequence[tuple[str, str]], source_language: str, target_language: str, *,
                  minimum: int = 3, threshold: float = 0.4) -> Lexicon:  # fmt: skip
    """Word ↔ run pairs found together in at least ``minimum`` pairs, with Dice at least ``threshold``."""
    source_is_chinese = source_language.replace("_", "-").split("-")[0].lower() == "zh"
    sides = [(_words(e), _runs(c)) for e, c in ((t, s) if source_is_chinese else (s, t) for s, t in pairs)]
    word_count = Counter(word for words, _ in sides for word in words)
    run_count = Counter(run for _, runs in sides for run in runs)
    limit = max(minimum, len(pairs) // 4)  # a word in a quarter of the pairs is a function word
    # Dice ≤ 2·min(w, r) / (w + r) for a word in w pairs and a run in r: past a ratio of counts no pair can reach
    # the threshold, and it is not counted (a long text has millions of pairs); one unit more either side for safety
    spread = (2 - threshold) / threshold if 0 < threshold < 2 else math.inf
    together: dict[str, Counter[str]] = {}  # word → run → pairs holding both
    for words, runs in sides:
        kept = sorted((run_count[run], run) for run in runs if minimum <= run_count[run] <= limit)
        counts, kept_runs = [count for count, _ in kept], [run for _, run in kept]
        for word in words:
            count = word_count[word]
            if minimum <= count <= limit:
                low = bisect.bisect_left(counts, count / spread - 1)
                high = bisect.bisect_right(counts, count * spread + 1)
                together.setdefault(word, Counter()).update(kept_runs[low:high])
    candidates = []
    for word, runs_together in together.items():
        for run, both in runs_together.items():
            if both < minimum:
                continue
            dice = 2 * both / (word_count[word] + run_count[run])
            if dice >= threshold:
                candidates.append((dice, len(run), word, run))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    words_taken: set[str] = set()
    runs_taken: set[str] = set()
    entries = []
    for dice, _, word, run in candidates:
        if word in words_taken or run in runs_taken:
            continue
        words_taken.add(word)
        runs_taken.add(run)
        entries.append((word, run, round(dice, 3)))
    return Lexicon(tuple(entries), source_is_chinese)


def memory_lexicon(renderings: Renderings, source: cabc.Sequence[str], target: cabc.Sequence[str],
                   source_is_chinese: bool) -> Lexicon:  # fmt: skip
    """What the memory says of the words of ``source`` (English words, or Chinese characters, as it indexes them).

    The memory proposes, the text confirms: a rendering found in many more
    (or many fewer) sentences of ``target`` than its word in ``source`` is
    not how this text translates it (a character of the memory's rendering
    that is common here). Of what is left, each word keeps its strongest
    rendering and each atom its strongest word (competitive linking).
    """
    sides = [[_characters(text) if chinese else _words(text) for text in texts]
             for texts, chinese in ((source, source_is_chinese), (target, not source_is_chinese))]
    held = [Counter(unit for units in side for unit in units) for side in sides]
    candidates = []
    for unit in sorted(held[0]):
        for atom, strength in renderings(unit).items():
            if _in_proportion(held[0][unit], held[1][atom]):
                candidates.append((strength, unit, atom))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    units_taken: set[str] = set()
    atoms_taken: set[str] = set()
    entries = []
    for strength, unit, atom in candidates:
        if unit in units_taken or atom in atoms_taken:
            continue
        units_taken.add(unit)
        atoms_taken.add(atom)
        entries.append((atom, unit, strength) if source_is_chinese else (unit, atom, strength))
    return Lexicon(tuple(entries), source_is_chinese, kind="m")


def _in_proportion(source_count: int, target_count: int) -> bool:
    """Sentences holding a word and sentences holding its rendering: about as many, give or take a half and one."""
    return 0 < target_count and max(source_count, target_count) <= 1.5 * min(source_count, target_count) + 1


def _characters(text: str) -> set[str]:
    return {character for run in _HAN.findall(text) for character in run}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _runs(text: str) -> set[str]:
    """Every character and every pair of neighbouring characters of the Chinese runs in ``text``."""
    found: set[str] = set()
    for run in _HAN.findall(text):
        found.update(run)
        found.update(run[k:k + 2] for k in range(len(run) - 1))
    return found
