"""The memory as a word-alignment model: where a phrase is translated, and how a new phrase is.

Sub-segment repair asks two questions of the memory: which span of a
remembered translation renders the old phrase (``down`` → 下降), and what the
new phrase's translation is (``up`` → 上升). Both are answered from the units
themselves, by association and competitive linking (Melamed 2000): a target
atom (a Chinese character, an English word) belongs to a phrase when the
phrase and the atom occur in the same units much more often than apart (the
Dice coefficient over units is at least ``CONFIDENT``) and no other word of
the source is associated with it as strongly (a tie is no answer). So 指數 goes to ``index``
and 百分之 to ``per cent`` even in the units that also say ``up``, and what
is left for ``up`` is 上升.

The atoms a phrase owns in a sentence's translation must form one run, or one
run linked more strongly (by ``MARGIN``) than any other. The old phrase's run in the remembered translation is where it is
rendered; over the units whose source holds the new phrase, the run that at
least ``MIN_UNITS`` of them (and ``AGREEMENT`` of those read) share is its
translation. Anything less certain is no answer.

The counts come from the memory's own index (the posting lists: the units holding
each source token, kept up to date by every refresh, so the model is as
incremental as the memory and stored with it); at most ``SAMPLE`` units are
read a phrase, and a fixed sample of the memory gives each atom's frequency.
"""

from __future__ import annotations

import collections
import re
import typing as t
from dataclasses import dataclass

from ..numbers.placeables import find_placeables
from .text import index_keys, tokens

if t.TYPE_CHECKING:
    from .store import TranslationMemory

CONFIDENT = 0.5  # the Dice coefficient of a phrase and an atom for the atom to be part of its translation
MIN_UNITS = 2  # units a new phrase's translation must be seen in
AGREEMENT = 0.6  # share of the units read that must agree on it
SAMPLE = 20  # units read per phrase, for its links
EXAMPLES = 6  # units of a new phrase whose translations are compared
BACKGROUND = 400  # units read once for the atoms' frequencies
COMMON = 20_000  # a source token in more units than this is a function word: no phrase is learned through it
RIVALS = 8  # other words of a source compared with a phrase: the rarest, which links are likeliest with
MARGIN = 0.15  # how much more strongly one run must be linked to a phrase than any other run for it to be the one

_EN_ATOM = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Substitution:
    """The span of a translation that renders an old phrase, and the new phrase's translation."""

    start: int
    end: int
    text: str
    units: int  # the units the two renderings were learned from


@dataclass(frozen=True, slots=True)
class _Phrase:
    """What the memory says of a phrase: how many units hold it, and the share of those read whose target has each atom."""

    units: float
    shares: dict[str, float]
    read: tuple[tuple[str, str], ...]


class Lexicon:
    """Alignment questions answered from one language pair of a ``TranslationMemory``."""

    def __init__(self, memory: TranslationMemory, source_language: str, target_language: str) -> None:
        self.backend = memory.backend
        self.source_language = source_language
        self.target_language = target_language
        self.chinese_target = _chinese(target_language)
        self.chinese_source = _chinese(source_language)
        self.pairs = self.backend.pairs(source_language, target_language)
        self._phrases: dict[str, _Phrase] = {}  # phrases recur across a release: each is read once
        self._frequencies: tuple[float, dict[str, float]] | None = None

    def renderings(self, word: str) -> dict[str, float]:
        """The atoms whose Dice coefficient with ``word`` is at least ``CONFIDENT``, with it (for the aligner)."""
        phrase = self._phrase(word)
        strengths = {atom: self._dice(phrase, atom) for atom in phrase.shares}
        return {atom: round(s, 3) for atom, s in sorted(strengths.items()) if s >= CONFIDENT}

    def substitute(self, old: str, new: str, source: str, target: str,
                   blocked: t.Sequence[tuple[int, int]] = ()) -> Substitution | None:  # fmt: skip
        """Where ``target`` (translating ``source``) renders ``old``, and what renders ``new`` there.

        ``blocked`` spans of ``target`` (placeables already accounted for)
        are never part of the answer. ``None`` when either is not known with
        confidence.
        """
        learned = self._phrase(new)
        if learned.units < MIN_UNITS:
            return None
        span = self._rendering(old, source, target, blocked, extra=(source, target))
        if span is None:
            return None
        found: collections.Counter[str] = collections.Counter()
        for other_source, other in learned.read[:EXAMPLES]:
            spans = [(p.start, p.end) for p in find_placeables(other, self.target_language)]
            run = self._rendering(new, other_source, other, spans)
            if run is not None:
                found[other[run[0]:run[1]]] += 1
        if not found:
            return None
        [(best, count), *rest] = found.most_common(2)
        if count < MIN_UNITS or count < AGREEMENT * len(learned.read[:EXAMPLES]) or (rest and rest[0][1] == count):
            return None
        rendered = target[span[0]:span[1]]
        seen = sum(1 for _, other in self._phrase(old).read if rendered in other) or 1
        return Substitution(span[0], span[1], best, seen + count)

    def _rendering(self, phrase: str, source: str, target: str, blocked: t.Sequence[tuple[int, int]],
                   extra: tuple[str, str] | None = None) -> tuple[int, int] | None:  # fmt: skip
        """The one run of ``target`` atoms that ``phrase`` is linked to, against every other word of ``source``."""
        at = _holder(phrase, self.chinese_source).search(source)
        if at is None:
            return None
        mine = self._phrase(phrase, extra)
        rivals = [self._phrase(word) for word in self._rivals(self._words(source, at.start(), at.end()), mine.units)]
        runs: list[tuple[int, int, float]] = []  # start, end, the weakest link in it
        for start, end, atom in self._positions(target):
            if any(s < end and start < e for s, e in blocked):
                continue
            strength = self._dice(mine, atom)
            if strength < CONFIDENT or any(strength <= self._dice(rival, atom) for rival in rivals):
                continue
            if runs and not target[runs[-1][1]:start].strip():
                runs[-1] = (runs[-1][0], end, min(runs[-1][2], strength))
            else:
                runs.append((start, end, strength))
        runs.sort(key=lambda run: -run[2])
        if not runs or len(runs) > 1 and runs[0][2] - runs[1][2] < MARGIN:
            return None
        start, end, _ = runs[0]
        return (start, end) if self._plausible(phrase, target[start:end]) else None

    def _dice(self, phrase: _Phrase, atom: str) -> float:
        together = phrase.shares.get(atom, 0.0) * phrase.units
        if not together:
            return 0.0
        total, frequencies = self._background()
        alone = max(together, frequencies.get(atom, 0.0) * total)
        return 2 * together / (phrase.units + alone)

    def _words(self, source: str, start: int, end: int) -> list[str]:
        """The other words of ``source``, outside ``start``-``end`` and its placeables: the phrase's rivals."""
        spans = [(p.start, p.end) for p in find_placeables(source, self.source_language)] + [(start, end)]
        pattern = _HAN if self.chinese_source else _WORD
        words = [m.group().lower() for m in pattern.finditer(source)
                 if not any(s < m.end() and m.start() < e for s, e in spans)]
        return list(dict.fromkeys(words))

    def _rivals(self, words: list[str], units: float) -> list[str]:
        """The words that could be linked to an atom as strongly as a phrase held by ``units`` units.

        A phrase's Dice with an atom reaches ``CONFIDENT`` (c) only if the atom
        is in at most ``units·(2−c)/c`` units, and a word in ``n`` units has
        a Dice of c with such an atom only if ``n`` is at most that times
        ``(2−c)/c`` again: more common words (the, of, 的's partners) cannot
        compete and are not read.
        """
        most = max(units * ((2 - CONFIDENT) / CONFIDENT) ** 2, MIN_UNITS)
        keys = {f"{'c' if self.chinese_source else 'w'} {word}": word for word in words}
        with self.backend.reading():
            counts = {key: df for key, (_, df) in self.backend.tokens(list(keys)).items()}
        competing = sorted((counts[key], word) for key, word in keys.items() if 0 < counts.get(key, 0) <= most)
        return [word for _, word in competing[:RIVALS]]

    def _positions(self, text: str) -> list[tuple[int, int, str]]:
        if self.chinese_target:
            return [(i, i + 1, ch) for i, ch in enumerate(text) if _han(ch)]
        return [(m.start(), m.end(), m.group().lower()) for m in _EN_ATOM.finditer(text)]

    def _plausible(self, phrase: str, rendering: str) -> bool:
        """A rendering no longer than a phrase of that size could be: a run is not a whole clause."""
        size = len(tokens(phrase, self.source_language))
        if self.chinese_target:
            return len(rendering) <= 3 * size + 2
        return len(_EN_ATOM.findall(rendering)) <= 2 * size + 2

    def _phrase(self, phrase: str, extra: tuple[str, str] | None = None) -> _Phrase:
        """What the memory says of ``phrase`` (and of ``extra``, a unit the caller holds, if the memory lacks it)."""
        known = self._phrases.get(phrase)
        if known is None:
            known = self._phrases[phrase] = self._read(phrase)
        if extra is None or extra in known.read:
            return known
        read = (*known.read, extra)
        return _Phrase(known.units + 1, _shares(self._atoms, read), read)

    def _read(self, phrase: str) -> _Phrase:
        """Up to ``SAMPLE`` distinct units of this pair whose source holds ``phrase``, and how many there are."""
        words = tokens(phrase, self.source_language)
        empty = _Phrase(0, {}, ())
        if not words or not self.pairs:
            return empty
        keys = sorted({key for key in index_keys(words, self.source_language) if key.count(" ") == 1})
        with self.backend.reading():
            known = self.backend.tokens(keys)
            if len(known) < len(keys):
                return empty
            rarest, df = min((known[key] for key in keys), key=lambda found: found[1])  # a tie: the first key
            if df > COMMON or df == 0:
                return empty
            ids = self.backend.holding(rarest)
            chosen = ids[::max(1, len(ids) // (2 * SAMPLE))][:2 * SAMPLE]  # spread over the memory, in a stable order
            rows = self.backend.texts(chosen)
        holds = _holder(phrase, self.chinese_source)
        pairs = set(self.pairs)
        held = [(source, target) for source, target, pair in rows if pair in pairs and holds.search(source)]
        read = tuple(dict.fromkeys(held))[:SAMPLE]
        units = len(held) * len(ids) / len(chosen) if chosen else 0.0
        return _Phrase(units, _shares(self._atoms, read), read)

    def _atoms(self, text: str) -> set[str]:
        if self.chinese_target:
            return {ch for ch in set(text) if _han(ch)}
        return {m.group().lower() for m in _EN_ATOM.finditer(text)}

    def _background(self) -> tuple[float, dict[str, float]]:
        """How many units the pair has, and each atom's share of an evenly spread sample of their targets."""
        if self._frequencies is None and not self.pairs:
            self._frequencies = (0.0, {})
        if self._frequencies is None:
            with self.backend.reading():
                count, rows = self.backend.sample(self.pairs, BACKGROUND)
            self._frequencies = (float(count), _shares(self._atoms, rows))
        return self._frequencies


def _shares(atoms: t.Callable[[str], set[str]], units: t.Sequence[tuple[str, str]]) -> dict[str, float]:
    """The share of ``units`` whose target holds each atom."""
    counts: collections.Counter[str] = collections.Counter()
    for _, target in units:
        counts.update(atoms(target))
    return {atom: count / len(units) for atom, count in counts.items()} if units else {}


def _holder(phrase: str, chinese: bool) -> re.Pattern[str]:
    if chinese:
        return re.compile(re.escape(phrase))
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


def _han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _chinese(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() == "zh"
