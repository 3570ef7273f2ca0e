"""The stages between the template and the translator: exact, fuzzy, repair, machine translation,
and glossary enforcement on every candidate.

Nothing a machine proposes is published unreviewed: only an exact memory
match whose translation has every glossary term's approved rendering is
written as a final translation. Everything else is written ``#, fuzzy``, with
``#| msgid`` holding the remembered source and ``#.`` notes saying where the
candidate came from, how it scored, what repair rewrote and which terms it
must render. Fuzzy candidates are ranked by their score after repair
(``repair.leverage``), so one that repair makes whole is not lost to the
threshold.

An entry a translator has filled (translated or fuzzy) is never touched. The
one exception is an entry ``duet extract`` made fuzzy from a changed source
whose translation is still its donor's, word for word: no translator has
touched it, and it is repaired like any other remembered translation.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import typing as t
from dataclasses import dataclass

from ..catalog.merge import STAGE_NOTE as NOTE
from ..memory.text import tokens
from ..model import Catalog, Match, Message
from ..numbers.placeables import find_placeables
from .provenance import match_note, of_match
from .repair import Edit, Leveraged, leverage

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher
    from ..memory import TranslationMemory
    from ..memory.lexicon import Lexicon

STAGES = ("exact", "fuzzy", "repair", "mt")
DEFAULT_STAGES = ("exact", "fuzzy", "repair")
DEFAULT_THRESHOLD = 75

CANDIDATES = 5  # memory matches repaired and ranked per sentence
LOWEST_REACH = 55.0  # the lowest memory score worth repairing

# (source, previous source, next source) -> matches, best first
Lookup = cabc.Callable[[str, str, str], list[Match]]


class MachineResult(t.Protocol):
    text: str
    match: Match
    missing_terms: tuple[str, ...]


Machine = cabc.Callable[[list[str]], cabc.Sequence[MachineResult]]


@dataclass(frozen=True, slots=True)
class TranslateReport:
    """What the stages did to one PO file: entries filled by each stage, and those left alone."""

    in_context: int = 0
    exact: int = 0
    repaired: int = 0
    fuzzy: int = 0
    mt: int = 0
    none: int = 0
    kept: int = 0  # filled by a translator before: never touched


def pretranslate(
    catalog: Catalog,
    *,
    lookup: Lookup,
    source_language: str,
    target_language: str,
    stages: cabc.Collection[str] = DEFAULT_STAGES,
    threshold: float = DEFAULT_THRESHOLD,
    terms: TermMatcher | None = None,
    machine: Machine | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[Catalog, TranslateReport]:
    """Fill every empty entry of ``catalog`` that a stage can, and say how.

    ``lexicon`` (the memory's alignment model) lets repair substitute words
    as well as placeables.
    """
    live = [i for i, m in enumerate(catalog.messages) if not m.obsolete]
    messages = list(catalog.messages)
    counts = dict.fromkeys(("in_context", "exact", "repaired", "fuzzy", "mt", "none", "kept"), 0)
    waiting: list[int] = []
    languages = {"source_language": source_language, "target_language": target_language, "terms": terms,
                 "lexicon": lexicon}
    donors = {(m.context, m.id, m.string): m for m in catalog.messages if m.string}
    for position, index in enumerate(live):
        message = messages[index]
        if message.has_target or message.fuzzy:
            donor = _donor(message, donors, catalog.path, lookup) if "repair" in stages else None
            repaired = _repaired(message, donor, terms, languages) if donor is not None else None
            messages[index] = repaired or message
            counts["repaired" if repaired else "kept"] += 1
            continue
        previous = messages[live[position - 1]].id if position else ""
        following = messages[live[position + 1]].id if position + 1 < len(live) else ""
        matches = lookup(message.id, previous, following) if {"exact", "fuzzy"} & set(stages) else []
        filled = _from_memory(message, matches, stages, threshold, terms, languages)
        if filled is None:
            waiting.append(index)
            continue
        messages[index], outcome = filled
        counts[outcome] += 1
    if machine is not None and "mt" in stages and waiting:
        for index, result in zip(waiting, machine([messages[i].id for i in waiting]), strict=True):
            messages[index] = _candidate(messages[index], result.text, result.match, terms, missing=result.missing_terms)
            counts["mt"] += 1
        waiting = []
    counts["none"] += len(waiting)
    return dataclasses.replace(catalog, messages=tuple(messages)), TranslateReport(**counts)


def memory_lookup(memory: TranslationMemory, *, source_language: str, target_language: str, threshold: float,
                  terms: TermMatcher | None = None) -> Lookup:  # fmt: skip
    """The lookup ``pretranslate`` needs: the memory's best matches, down to what repair may lift over ``threshold``."""
    def lookup(text: str, previous: str, following: str) -> list[Match]:
        return _best(memory, text, source_language=source_language, target_language=target_language,
                     min_score=threshold, limit=CANDIDATES, previous=previous, next=following, terms=terms)

    return lookup


def _best(memory: TranslationMemory, text: str, *, min_score: float, limit: int, **options: t.Any) -> list[Match]:
    """The memory's ``limit`` best matches scoring at least ``reach(text, ...)``.

    Looked up at ``min_score`` first: when that finds ``limit`` matches they
    are the best ones at any lower bar too, and the slower search down to the
    reach is not needed.
    """
    found = memory.lookup(text, min_score=min_score, limit=limit, **options)
    lowest = reach(text, options["source_language"], min_score)
    if len(found) >= limit or lowest >= min_score:
        return found
    return memory.lookup(text, min_score=lowest, limit=limit, **options)


def lookup_repaired(memory: TranslationMemory, text: str, *, source_language: str, target_language: str,
                    min_score: float = DEFAULT_THRESHOLD, limit: int = 5, terms: TermMatcher | None = None,
                    lexicon: Lexicon | None = None) -> list[Leveraged]:  # fmt: skip
    """``duet tm lookup``: the memory's best matches for ``text``, each as repair would propose it, best first."""
    found = _best(memory, text, source_language=source_language, target_language=target_language,
                  min_score=min_score, limit=max(limit, CANDIDATES), terms=terms)
    same = [Leveraged(m) for m in found if m.kind != "fuzzy"]
    near = leverage(text, [m for m in found if m.kind == "fuzzy"], source_language=source_language,
                    target_language=target_language, terms=terms, lexicon=lexicon)  # fmt: skip
    return [f for f in same + near if f.match.score >= min_score][:limit]


def reach(text: str, language: str, threshold: float) -> float:
    """The lowest memory score of a match that repair could lift to ``threshold``.

    A remembered sentence that differs from ``text`` only in its placeables
    and in a couple of words shares at least the rest of ``text``'s tokens;
    its score also loses up to 10 points for the numbers that differ.

    >>> reach("The index on Thursday, November 13, 2025 is 104.4 (down 0.1).", "en", 75)
    55.0
    >>> reach("The Secretary for Justice met the delegation from Shanghai today.", "en", 75)
    71.82
    """
    found = tokens(text, language)
    if not found:
        return threshold
    placed = sum(len(tokens(text[p.start:p.end], language)) for p in find_placeables(text, language))
    kept = 100 * (len(found) - placed - 2) / len(found) - 10
    return round(max(LOWEST_REACH, min(threshold, kept)), 2)


def _from_memory(
    message: Message,
    matches: list[Match],
    stages: cabc.Collection[str],
    threshold: float,
    terms: TermMatcher | None,
    languages: dict[str, t.Any],
) -> tuple[Message, str] | None:
    exact = [m for m in matches if m.kind in ("in-context", "exact")]
    if exact and "exact" in stages:
        best = exact[0]
        others = list(dict.fromkeys(m.target for m in exact if m.target != best.target))
        outcome = "in_context" if best.kind == "in-context" else "exact"
        settled = _fits_any_context(best, exact)
        if not others and settled and not _missing_terms(message.id, best.target, terms):
            notes = (*message.notes, match_note(best))
            return dataclasses.replace(message, string=best.target, notes=notes, provenance=of_match(best)), outcome
        also = [f"{NOTE}also translated as '{target}'" for target in others]
        if not settled:
            also.append(f"{NOTE}translated once before, between other sentences: check it still fits")
        return _candidate(message, best.target, best, terms, extra=also), outcome
    if "fuzzy" not in stages:
        return None
    near = [m for m in matches if m.kind in ("normalized", "fuzzy")]
    if "repair" in stages:
        ranked = [(found.match, found.edits) for found in leverage(message.id, near, **languages)]
    else:
        ranked = [(match, ()) for match in near]
    ranked = [(match, edits) for match, edits in ranked if match.score >= threshold]
    if not ranked:
        return None
    best, edits = ranked[0]
    return _candidate(message, best.target, best, terms, extra=_edit_notes(edits)), "repaired" if edits else "fuzzy"


def _fits_any_context(best: Match, exact: list[Match]) -> bool:
    """Whether an exact match may be final whatever its neighbours.

    A sentence can lean on the one before it (該業主 after one owner, 該等業主
    after several): remembered between other neighbours only once, its
    translation may not fit here. It does when it is in context, when the
    memory has it between two different pairs of neighbours, or when its
    neighbours are unknown (a TMX unit: a translation given for the sentence
    alone).
    """
    if best.kind == "in-context":
        return True
    contexts = {m.context for m in exact if m.target == best.target}
    return None in contexts or len(contexts) > 1


def _donor(message: Message, donors: dict[tuple[str | None, str, str], Message], path: str,
           lookup: Lookup) -> Match | None:
    """The remembered translation a merged fuzzy entry still holds untouched, as the match it came from.

    ``duet extract`` lends an old entry's translation to a changed source
    and keeps the old source as ``#| msgid``; while the translation is still
    that entry's (obsolete now, or elsewhere in the memory), no translator
    has touched it. ``donors`` holds the catalog's messages by context, source and translation.
    """
    old = message.previous_id
    if not message.fuzzy or not old or old == message.id or not message.string or message.id_plural is not None:
        return None
    other = donors.get((message.context, old, message.string))
    if other is not None:
        return Match(old, message.string, "fuzzy", 0, 0, origin=f"{path}:{other.line}" if path else "merged")
    return next((m for m in lookup(old, "", "") if m.kind in ("in-context", "exact") and m.target == message.string),
                None)


def _repaired(message: Message, donor: Match, terms: TermMatcher | None, languages: dict[str, t.Any]) -> Message | None:
    """A merged fuzzy entry repaired for its new source; ``None`` when repair changes nothing."""
    [found] = leverage(message.id, [dataclasses.replace(donor, kind="fuzzy")], **languages)
    if not found.edits:
        return None
    kept = [note for note in message.notes if not note.startswith(NOTE)]
    cleared = dataclasses.replace(message, notes=tuple(kept))
    return _candidate(cleared, found.match.target, found.match, terms, extra=_edit_notes(found.edits))


def _edit_notes(edits: cabc.Sequence[Edit]) -> list[str]:
    return [f"{NOTE}repaired: {edit.describe()}" for edit in edits]


def _candidate(
    message: Message,
    target: str,
    match: Match,
    terms: TermMatcher | None,
    *,
    extra: cabc.Sequence[str] = (),
    missing: cabc.Sequence[str] = (),
) -> Message:
    """A proposal for review: fuzzy, with the remembered source and the notes that explain it."""
    notes = [*message.notes, match_note(match), *extra]
    lacking = set(missing) | set(_missing_terms(message.id, target, terms))
    for hit in terms.find(message.id) if terms else []:
        state = " (missing)" if hit.text in lacking else ""
        notes.append(f"{NOTE}glossary: {hit.text} = {hit.expected.approved}{state}")
    return dataclasses.replace(
        message,
        string=target,
        flags=("fuzzy", *(f for f in message.flags if f != "fuzzy")),
        previous_id=match.source if match.source and match.source != message.id else None,
        notes=tuple(dict.fromkeys(notes)),
        provenance=of_match(match),
    )


def _missing_terms(source: str, target: str, terms: TermMatcher | None) -> list[str]:
    if terms is None:
        return []
    return [hit.text for hit in terms.find(source) if hit.expected.approved and not terms.renders(target, hit)]

