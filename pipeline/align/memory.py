"""Aligned releases → translation units for the memory, each with where it came from and how sure the link is.

A unit is a link with sentences on both sides: its source sentences joined
(with a space in English, with nothing in Chinese), the same for the target.
Its props say which releases it came from (their URLs, else their files),
the link's shape and its confidence, so that a reviewer of the TMX, or the
memory's provenance, can tell an aligned unit from a translator's own. The
same pair of texts is kept once, from the first release pair that gave it.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
from dataclasses import dataclass

from ..formats.tmx import TranslationUnit, Variant, tmx_date
from ..model import Release
from .documents import AlignedReleases
from .links import Link


@dataclass(frozen=True, slots=True)
class MemoryUnits:
    """What a set of aligned releases gives the memory, and what it leaves out."""

    units: tuple[TranslationUnit, ...]
    weak: int  # links with both sides under the confidence asked for
    unlinked: int  # sentences linked to nothing (1-0 and 0-1 links)
    repeated: int  # links whose two texts an earlier link already gave


def memory_units(aligned: cabc.Iterable[AlignedReleases], source_language: str, target_language: str, *,
                 min_confidence: float) -> MemoryUnits:  # fmt: skip
    """The units of every link at or above ``min_confidence``; languages are BCP 47 tags."""
    units: list[TranslationUnit] = []
    seen: set[tuple[str, str]] = set()
    weak = unlinked = repeated = 0
    for pair in aligned:
        for link in pair.links:
            if link.null:
                unlinked += len(link.source) + len(link.target)
                continue
            if link.confidence < min_confidence:
                weak += 1
                continue
            source, target = joined_texts(pair, link, source_language, target_language)
            if (source, target) in seen:
                repeated += 1
                continue
            seen.add((source, target))
            units.append(_unit(pair, link, source, target, source_language, target_language))
    return MemoryUnits(tuple(units), weak, unlinked, repeated)


def joined_texts(pair: AlignedReleases, link: Link, source_language: str, target_language: str) -> tuple[str, str]:
    """The two sides of a link as one text each."""
    return (_join([pair.source_sentences[i].text for i in link.source], source_language),
            _join([pair.target_sentences[j].text for j in link.target], target_language))


def _join(sentences: list[str], language: str) -> str:
    """Sentences as one text; a line break inside a paragraph is a space in English and nothing in Chinese."""
    if language.split("-")[0].lower() == "zh":
        return "".join(part.strip() for sentence in sentences for part in sentence.splitlines())
    return " ".join(" ".join(sentence.split()) for sentence in sentences)


def _unit(pair: AlignedReleases, link: Link, source: str, target: str, source_language: str,
          target_language: str) -> TranslationUnit:  # fmt: skip
    return TranslationUnit(
        Variant(source_language, source), (Variant(target_language, target),),
        creation_date=release_date(pair.source),
        origin=release_reference(pair.source),
        props=(("x-translation-origin", release_reference(pair.target)), ("x-alignment", link.kind),
               ("x-confidence", f"{link.confidence:.3f}")),
    )


def release_reference(release: Release) -> str:
    """How a unit names its release: the URL it was published at, else its file."""
    return release.meta.url or release.path or release.id


def release_date(release: Release) -> str | None:
    """The release's date as a TMX date (the date as written, taken as UTC), if it has one."""
    if not release.meta.date:
        return None
    return tmx_date(dt.datetime.fromisoformat(release.meta.date))
