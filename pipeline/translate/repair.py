"""Repair a near match: rewrite the remembered translation where the new sentence differs from the remembered one.

The two sources are compared with their placeables masked by kind
(``pipeline.numbers.placeables``), so that ``... on Thursday, January 22, 2026
is 102.8 (up 0.1 ...)`` and ``... on Thursday, November 13, 2025 is 104.4
(down 0.1 ...)`` differ in one word. Then:

- each placeable whose value changed is found in the remembered translation by
  its value and rewritten there in the translator's own style
  (``pipeline.numbers.style``): 二○二五年十一月十三日 → 二○二六年一月二十二日,
  一百零四點四 → 一百零二點八, 78,300 → 119,900, ``November 13`` →
  ``January 22``, ``23rd`` → ``24th``; a glossary term's approved rendering is
  swapped for the new term's;
- each run of words that changed is substituted where the memory's alignment
  model (``pipeline.memory.lexicon``) knows both where the old words are
  translated and how the new ones are: 下降 → 上升 for ``down`` → ``up``.

Every rewrite is an :class:`Edit` of one span of the remembered translation,
and nothing outside those spans changes. What cannot be repaired (a clause
added, a number with no counterpart) is left as it was and lowers the score;
a repair is a proposal for review, never a final translation.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

from ..memory.score import STATUS_RANK
from ..model import Match
from ..numbers.placeables import SIGNS, Placeable, Token, find_placeables, masked_tokens
from ..numbers.read import Quantity, chinese_numbers, english_numbers
from ..numbers.style import rewrite

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher
    from ..memory.lexicon import Lexicon

PLACEABLE_COST = 0.5  # points a rewritten placeable costs: a rewrite by value is rarely wrong
WORD_COST = 2.0  # points a substituted run of words costs: learned, so reviewed with more care
PER_NUMBER, MAX_NUMBERS = 2.0, 10.0  # a placeable that differs and was left as it was, as the memory's penalty
PER_TERM, MAX_TERMS = 3.0, 15.0
LEARNED_CANDIDATES = 1  # candidates per sentence whose differing words are looked up in the memory's alignment model

_ZH_UNITS = {"day": "日", "week": "星期", "month": "個月", "year": "年", "hour": "小時", "minute": "分鐘"}
_ZH_UNIT_SYNONYMS = {"day": ("日", "天"), "week": ("星期", "個星期", "週", "周"), "month": ("個月", "月"),
                     "year": ("年",), "hour": ("小時", "個小時"), "minute": ("分鐘",)}


@dataclass(frozen=True, slots=True)
class Edit:
    """One rewrite of a remembered translation: ``target[start:end]`` (``old``) became ``new``, and why.

    ``kind`` is a placeable's kind (``date``, ``number``, ``term``, ...) or
    ``words``; ``source_old``/``source_new`` are what the two sources say
    there; ``evidence`` says where a substitution's translation came from.
    """

    start: int
    end: int
    old: str
    new: str
    kind: str
    source_old: str
    source_new: str
    evidence: str = ""

    def describe(self) -> str:
        """``下降 → 上升 (up/down, learned from 14 units)``, ``十一月十三日 → 一月二十二日 (date: January 22)``."""
        if self.kind in ("words", "term"):
            return f"{self.old} → {self.new} ({self.source_new}/{self.source_old}, {self.evidence})"
        return f"{self.old} → {self.new} ({self.kind}: {self.source_new})"


@dataclass(frozen=True, slots=True)
class Repair:
    """A remembered translation rewritten for a new source, with what changed and what could not be.

    ``similarity`` (0-100) compares the two sources with placeables masked
    by kind and every repaired difference counted as equal; ``numbers`` and
    ``terms`` count the placeables and glossary terms that differ and were
    left as they were, ``words`` the runs of differing words left.
    """

    target: str
    edits: tuple[Edit, ...]
    similarity: float
    numbers: int = 0
    terms: int = 0
    words: int = 0

    @property
    def complete(self) -> bool:
        """Every difference repaired: the translation now says what the new source says."""
        return self.similarity == 100 and not self.numbers and not self.terms

    @property
    def penalties(self) -> tuple[tuple[str, float], ...]:
        """What lowers a repaired match's score: what was repaired (cheaply) and what was left."""
        placeables = sum(1 for e in self.edits if e.kind != "words")
        words = len(self.edits) - placeables
        found = [("placeables repaired", PLACEABLE_COST * placeables), ("words repaired", WORD_COST * words),
                 ("numbers", min(PER_NUMBER * self.numbers, MAX_NUMBERS)),
                 ("glossary", min(PER_TERM * self.terms, MAX_TERMS))]
        return tuple((name, points) for name, points in found if points)


def repair(
    new_source: str,
    old_source: str,
    old_target: str,
    *,
    source_language: str = "en",
    target_language: str = "zh-Hant-HK",
    terms: TermMatcher | None = None,
    lexicon: Lexicon | None = None,
) -> str | None:
    """``old_target`` rewritten for ``new_source``, or ``None`` unless every difference could be repaired."""
    done = plan_repair(new_source, old_source, old_target, source_language=source_language,
                       target_language=target_language, terms=terms, lexicon=lexicon)  # fmt: skip
    return done.target if done.complete and done.edits else None


def plan_repair(
    new_source: str,
    old_source: str,
    old_target: str,
    *,
    source_language: str = "en",
    target_language: str = "zh-Hant-HK",
    terms: TermMatcher | None = None,
    lexicon: Lexicon | None = None,
    new_tokens: list[Token] | None = None,
) -> Repair:
    """What can be rewritten in ``old_target`` (translating ``old_source``) for ``new_source``, and the result.

    ``new_tokens`` are ``masked_tokens(new_source, ...)`` when the caller
    repairs several candidates for one sentence.
    """
    ours = new_tokens if new_tokens is not None else masked_tokens(new_source, source_language, terms=terms)
    theirs = masked_tokens(old_source, source_language, terms=terms)
    old_texts, new_texts = [x.text for x in theirs], [x.text for x in ours]
    changed: list[tuple[Placeable, Placeable]] = []
    words: list[tuple[int, int, int, int]] = []  # token ranges (old start, old end, new start, new end)
    for tag, i1, i2, j1, j2 in _blocks(old_texts, new_texts):
        if tag == "equal":
            changed += [(a.placeable, b.placeable) for a, b in zip(theirs[i1:i2], ours[j1:j2], strict=True)
                        if a.placeable and b.placeable and a.placeable.value != b.placeable.value]
        elif i1 < i2 and j1 < j2 and not any(x.placeable for x in (*theirs[i1:i2], *ours[j1:j2])):
            words.append((i1, i2, j1, j2))
    olds = [x.placeable for x in theirs if x.placeable]
    edits, left_numbers, left_terms = _placeable_edits(changed, olds, old_target, target_language, terms)
    repaired_words: list[tuple[int, int, int, int]] = []
    if lexicon is not None:
        blocked = [(p.start, p.end) for p in find_placeables(old_target, target_language)]
        for i1, i2, j1, j2 in words:
            old_phrase = old_source[theirs[i1].start:theirs[i2 - 1].end]
            new_phrase = new_source[ours[j1].start:ours[j2 - 1].end]
            found = lexicon.substitute(old_phrase, new_phrase, old_source, old_target,
                                       blocked=blocked + [(e.start, e.end) for e in edits])  # fmt: skip
            if found is not None and found.text != old_target[found.start:found.end]:
                edits.append(Edit(found.start, found.end, old_target[found.start:found.end], found.text, "words",
                                  old_phrase, new_phrase, f"learned from {found.units} units"))
                repaired_words.append((i1, i2, j1, j2))
    edits.sort(key=lambda e: e.start)
    target = old_target
    for edit in reversed(edits):
        target = target[:edit.start] + edit.new + target[edit.end:]
    compared = list(old_texts)
    for i1, i2, j1, j2 in sorted(repaired_words, reverse=True):
        compared[i1:i2] = new_texts[j1:j2]
    similarity = round(100 * Indel.normalized_similarity(compared, new_texts), 2)
    return Repair(target, tuple(edits), similarity, left_numbers, left_terms, len(words) - len(repaired_words))


def _blocks(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes with neighbouring changes merged: one block per run of differing tokens."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in Levenshtein.opcodes(old, new):
        tag = "equal" if op.tag == "equal" else "change"
        if out and out[-1][0] == tag == "change":
            out[-1] = (tag, out[-1][1], op.src_end, out[-1][3], op.dest_end)
        else:
            out.append((tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return out


def _placeable_edits(
    changed: list[tuple[Placeable, Placeable]],
    olds: list[Placeable],
    old_target: str,
    target_language: str,
    terms: TermMatcher | None,
) -> tuple[list[Edit], int, int]:
    """The edits for placeables whose value changed, and how many numbers and terms were left as they were.

    ``olds`` are all the placeables of the remembered source.
    """
    edits: list[Edit] = []
    left_numbers = left_terms = 0
    if not changed:
        return edits, 0, 0
    targets = find_placeables(old_target, target_language)
    read = chinese_numbers if _chinese(target_language) else english_numbers
    taken: set[int] = set()
    for old, new in changed:
        if old.kind == "term":
            edit = _term_edit(old, new, old_target, olds, terms)
        else:
            place = _counterpart(old, olds, targets, changed)
            edit = None if place is None or place.start in taken else _rewrite(old, new, place, target_language, read)
        if edit is None or any(e.start < edit.end and edit.start < e.end for e in edits):
            if old.kind == "term":
                left_terms += 1
            else:
                left_numbers += 1
            continue
        taken.add(edit.start)
        edits.append(edit)
    return edits, left_numbers, left_terms


def _counterpart(old: Placeable, olds: list[Placeable], targets: list[Placeable],
                 changed: list[tuple[Placeable, Placeable]]) -> Placeable | None:  # fmt: skip
    """The placeable of the translation that says what ``old`` says.

    A value the source says several times is paired occurrence by occurrence
    when the translation says it as often; said fewer times there, all the
    source's occurrences must change alike.
    """
    key = _key(old)
    same = [p for p in olds if _key(p) == key]
    there = [p for p in targets if _key(p) == key]
    if len(there) == len(same):
        return there[same.index(old)] if old in same else None
    news = {new.value for o, new in changed if _key(o) == key}
    if len(there) == 1 and len(news) == 1 and all(any(o == p for o, _ in changed) for p in same):
        return there[0]
    return None


def _key(placeable: Placeable) -> cabc.Hashable:
    """What a placeable says, comparable across languages: a date's month and day (or its parts), else a value."""
    if placeable.kind == "date":
        parts = {q.kind: q.value for q in placeable.parts}
        if "month" in parts and "day" in parts:
            return ("date", parts["month"], parts["day"])
        return ("date", frozenset(parts.items()))
    if placeable.kind in ("url", "email", "code"):
        return placeable.text
    if placeable.kind == "term":
        return ("term", placeable.term)
    kind = placeable.parts[0].kind
    group = "time" if kind in ("time", "clock") else kind if kind in ("percent", "weekday") else "number"
    return (group, placeable.parts[0].value)


def _rewrite(old: Placeable, new: Placeable, place: Placeable, language: str,
             read: cabc.Callable[[str], list[Quantity]]) -> Edit | None:  # fmt: skip
    """``place`` (which says ``old``) rewritten to say ``new``, checked by reading it back."""
    if old.kind in ("url", "email", "code"):
        return Edit(place.start, place.end, place.text, new.text, old.kind, old.text, new.text)
    pieces: list[tuple[int, int, str]] = []  # spans of place.text and their new text
    if old.kind == "date":
        olds, news = {q.kind: q for q in old.parts}, {q.kind: q for q in new.parts}
        if set(olds) - set(news):
            return None  # the new date leaves out a part the translation may say
        for kind, quantity in news.items():
            written = place.date_part(kind)
            previous = olds.get(kind)
            if previous is not None and previous.value == quantity.value:
                continue
            if written is None:
                if previous is None or kind in ("year", "weekday"):
                    continue  # the translation never said it
                return None
            text = rewrite(written.text, written.value, quantity.value, kind, language)
            if text is None:
                return None
            pieces.append((written.start - place.start, written.end - place.start, text))
    else:
        written, value = place.parts[0], new.parts[0].value
        if written.value != value:
            text = rewrite(written.text, written.value, value, written.kind, language)
            if text is None:
                return None
            pieces.append((written.start - place.start, written.end - place.start, text))
        if new.sign != old.sign:
            flipped = _flipped(place.text, language)
            if not place.sign or flipped is None:
                return None
            pieces.append(flipped)
        if old.kind == "duration" and new.unit != old.unit:
            unit = _unit(place.text[written.end - place.start:], old.unit, new.unit, value, language)
            if unit is None:
                return None
            pieces.append((written.end - place.start, place.end - place.start, unit))
    if not pieces:
        return None  # what changed is what the translation never said: left for the translator to judge
    first, last = min(start for start, _, _ in pieces), max(end for _, end, _ in pieces)
    if old.kind == "date" and last < len(place.text) and place.text[last] in "年月日號":
        last += 1  # 十三日, not 十三: a Chinese date part with its character
    closing = {"(": ")", "（": "）"}
    if any(place.text.count(o, first, last) > place.text.count(c, first, last) for o, c in closing.items()):
        last = len(place.text)  # （星期四）: the bracket the rewrite opened is closed in it
    out = place.text[first:last]
    for start, end, text in sorted(pieces, reverse=True):
        out = out[:start - first] + text + out[end - first:]
    whole = place.text[:first] + out + place.text[last:]
    if whole == place.text:
        return None
    said = {q.value for q in read(whole)}
    if old.kind == "date":
        wanted = {q.value for q in new.parts if place.date_part(q.kind) is not None}
    else:
        wanted = {new.parts[0].value}
    if not wanted <= said:
        return None
    kind = "sign" if old.kind != "date" and old.parts[0].value == new.parts[0].value else old.kind
    return Edit(place.start + first, place.start + last, place.text[first:last], out, kind, old.text, new.text)


def _flipped(text: str, language: str) -> tuple[int, int, str] | None:
    """The sign word ``text`` starts with, as the span to replace and its opposite: 下降 → 上升, ``down`` → ``up``."""
    words = SIGNS["zh" if _chinese(language) else "en"]
    word = next((w for w in sorted(words, key=len, reverse=True) if text.lower().startswith(w)), None)
    if word is None:
        return None
    other = words[word]
    return 0, len(word), other.capitalize() if text[:1].isupper() else other


def _unit(written: str, old: str, new: str, count: t.Any, language: str) -> str | None:
    """A duration's unit word in the translation, for the new unit: 日 → 個月, ``days`` → ``months``."""
    if _chinese(language):
        stripped = written.lstrip()
        if not any(stripped.startswith(form) for form in _ZH_UNIT_SYNONYMS[old]):
            return None
        return written[:len(written) - len(stripped)] + _ZH_UNITS[new]
    lowered = written.lower()
    at = lowered.find(old)
    if at < 0:
        return None
    plural = "s" if count != 1 and written[at + len(old):at + len(old) + 1] in ("s", "") and "-" not in written else ""
    rest = written[at + len(old):].removeprefix("s")
    return written[:at] + new + plural + rest


def _term_edit(old: Placeable, new: Placeable, target: str, olds: list[Placeable],
               terms: TermMatcher | None) -> Edit | None:  # fmt: skip
    """Swap the old term's rendering for the new term's approved one, where it stands as often as the source says it."""
    if terms is None:
        return None
    old_rendering = terms.terms[old.term].rendering(terms.target_language)
    new_rendering = terms.terms[new.term].rendering(terms.target_language)
    if old_rendering is None or new_rendering is None or not new_rendering.approved:
        return None
    said = sum(1 for p in olds if p.kind == "term" and p.term == old.term)
    for form in sorted(old_rendering.accepted, key=len, reverse=True):
        if target.count(form) == said == 1:
            at = target.index(form)
            return Edit(at, at + len(form), form, new_rendering.approved, "term", old.text, new.text, "glossary")
    return None


def _chinese(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() == "zh"



def _rescored(match: Match, done: Repair) -> Match:
    """``match`` as repaired: kind ``repaired``, the new target, the score after repair."""
    penalties = (*done.penalties, *((name, points) for name, points in match.penalties if name == "provenance"))
    score = max(0.0, done.similarity - sum(points for _, points in penalties))
    return Match(match.source, done.target, "repaired", round(score, 2), done.similarity, penalties, match.origin,
                 match.status)


@dataclass(frozen=True, slots=True)
class Leveraged:
    """A memory match after repair: the match as proposed (kind ``repaired`` when rewritten) and its edits."""

    match: Match
    edits: tuple[Edit, ...] = ()


def leverage(
    text: str,
    matches: cabc.Sequence[Match],
    *,
    source_language: str,
    target_language: str,
    terms: TermMatcher | None = None,
    lexicon: Lexicon | None = None,
) -> list[Leveraged]:
    """Each fuzzy match repaired where it can be, rescored, and ranked by the score after repair.

    A repaired match's score is its masked similarity after repair less what
    was repaired, what was left and its provenance (``Repair.penalties``);
    a match repair cannot touch keeps the memory's score. So a candidate that
    differs only in placeables and known words ranks as the near-full match
    it has become, wherever the memory ranked it.
    """
    ours = masked_tokens(text, source_language, terms=terms)
    languages = {"source_language": source_language, "target_language": target_language, "terms": terms,
                 "new_tokens": ours}
    planned = {i: plan_repair(text, m.source, m.target, **languages) for i, m in enumerate(matches) if m.kind == "fuzzy"}
    if lexicon is not None:  # learning words costs reads of the memory: only for the one that may come first with them
        hopeful = sorted((i for i, done in planned.items() if done.words),
                         key=lambda i: -_rescored(matches[i], planned[i]).score)[:LEARNED_CANDIDATES]
        for i in hopeful:
            planned[i] = plan_repair(text, matches[i].source, matches[i].target, lexicon=lexicon, **languages)
    out = [Leveraged(_rescored(match, planned[i]), planned[i].edits) if planned.get(i) and planned[i].edits
           else Leveraged(match) for i, match in enumerate(matches)]
    out.sort(key=lambda found: (-found.match.score, STATUS_RANK.get(found.match.status, 9), found.match.origin,
                                found.match.target))
    return out
