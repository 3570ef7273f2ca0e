"""The stages between the template and the translator: exact, fuzzy, repair, machine translation,
and glossary enforcement on every candidate.

Nothing a machine proposes is published unreviewed: only an exact memory
match whose translation has every glossary term's approved rendering is
written as a final translation. Everything else is written ``#, fuzzy``, with
``#| msgid`` holding the remembered source and ``#.`` notes saying where the
candidate came from, how it scored and which terms it must render. An entry a
translator has filled (translated or fuzzy) is never touched.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import typing as t
from dataclasses import dataclass

from ..catalog.merge import STAGE_NOTE as NOTE
from ..model import Catalog, Match, Message
from .repair import repair

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher

STAGES = ("exact", "fuzzy", "repair", "mt")
DEFAULT_STAGES = ("exact", "fuzzy", "repair")
DEFAULT_THRESHOLD = 75

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
) -> tuple[Catalog, TranslateReport]:
    """Fill every empty entry of ``catalog`` that a stage can, and say how."""
    live = [i for i, m in enumerate(catalog.messages) if not m.obsolete]
    messages = list(catalog.messages)
    counts = dict.fromkeys(("in_context", "exact", "repaired", "fuzzy", "mt", "none", "kept"), 0)
    waiting: list[int] = []
    for position, index in enumerate(live):
        message = messages[index]
        if message.has_target or message.fuzzy:
            counts["kept"] += 1
            continue
        previous = messages[live[position - 1]].id if position else ""
        following = messages[live[position + 1]].id if position + 1 < len(live) else ""
        matches = lookup(message.id, previous, following) if {"exact", "fuzzy"} & set(stages) else []
        filled = _from_memory(message, matches, stages, threshold, terms, source_language, target_language)
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


def _from_memory(
    message: Message,
    matches: list[Match],
    stages: cabc.Collection[str],
    threshold: float,
    terms: TermMatcher | None,
    source_language: str,
    target_language: str,
) -> tuple[Message, str] | None:
    exact = [m for m in matches if m.kind in ("in-context", "exact")]
    if exact and "exact" in stages:
        best = exact[0]
        others = list(dict.fromkeys(m.target for m in exact if m.target != best.target))
        outcome = "in_context" if best.kind == "in-context" else "exact"
        if not others and not _missing_terms(message.id, best.target, terms):
            notes = (*message.notes, f"{NOTE}{_describe(best)}")
            return dataclasses.replace(message, string=best.target, notes=notes), outcome
        also = [f"{NOTE}also translated as '{target}'" for target in others]
        return _candidate(message, best.target, best, terms, extra=also), outcome
    if "fuzzy" not in stages:
        return None
    near = [m for m in matches if m.kind in ("normalized", "fuzzy") and m.score >= threshold]
    if not near:
        return None
    best = near[0]
    if "repair" in stages and best.kind == "fuzzy":
        repaired = repair(message.id, best.source, best.target, source_language=source_language,
                          target_language=target_language, terms=terms)  # fmt: skip
        if repaired is not None:
            done = dataclasses.replace(best, kind="repaired", target=repaired)
            return _candidate(message, repaired, done, terms), "repaired"
    return _candidate(message, best.target, best, terms), "fuzzy"


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
    notes = [*message.notes, f"{NOTE}{_describe(match)}", *extra]
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
    )


def _missing_terms(source: str, target: str, terms: TermMatcher | None) -> list[str]:
    if terms is None:
        return []
    return [hit.text for hit in terms.find(source) if hit.expected.approved and not terms.renders(target, hit)]


def _describe(match: Match) -> str:
    """``tm fuzzy 87 (similarity 92, numbers -3, provenance -2) from x.po:42``."""
    parts = [f"similarity {match.similarity:g}"] + [f"{name} -{value:g}" for name, value in match.penalties]
    source = "mt" if match.kind == "mt" else "tm"
    return f"{source} {match.kind} {match.score:g} ({', '.join(parts)}) from {match.origin}"
