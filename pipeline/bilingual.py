"""Bilingual stage: a release, its segments and one locale's PO catalog → a ``BilingualRelease``.

Every bundle file (XML, HTML, TMX, XLIFF) is written from this one value, so
they agree on ids, status and origin. A segment's id depends only on its
source text (and which occurrence of it this is), so anchors and TM links
survive edits elsewhere in the release.
"""

from __future__ import annotations

import collections.abc as cabc
import hashlib
import re
import typing as t

from .catalog.merge import STAGE_NOTE
from .model import AlignedParagraph, AlignedSegment, BilingualRelease, Catalog, Message, Release, Segment
from .translate.derive import converted_note

if t.TYPE_CHECKING:
    from .glossary import TermMatcher

# "duet: tm fuzzy 87 (similarity 92, ...) from x.po:3", "duet: mt mt 0 (...) from mt:libretranslate@..."
_ORIGIN_NOTE = re.compile(rf"^{re.escape(STAGE_NOTE)}(tm|mt) (in-context|exact|normalized|repaired|fuzzy|mt) ([0-9.]+)")
_ORIGINS = {"in-context": "tm-exact", "exact": "tm-exact", "normalized": "tm-fuzzy", "fuzzy": "tm-fuzzy",
            "repaired": "repaired", "mt": "mt"}  # fmt: skip
_CONVERTED_NOTE = converted_note("")  # "duet: converted from ", the base locale follows


def align(
    release: Release,
    segments: cabc.Sequence[Segment],
    catalog: Catalog | None,
    *,
    locale: str,
    source_language: str,
    target_language: str,
    terms: TermMatcher | None = None,
) -> BilingualRelease:
    """Pair each segment with its entry in ``catalog`` (by msgid); a missing entry is untranslated."""
    entries = {m.id: m for m in catalog.live} if catalog else {}
    seen: dict[str, int] = {}
    by_paragraph: dict[int, list[AlignedSegment]] = {}
    for segment in segments:
        seen[segment.text] = seen.get(segment.text, 0) + 1
        aligned = _aligned(segment.text, seen[segment.text], entries.get(segment.text), terms)
        by_paragraph.setdefault(segment.paragraph, []).append(aligned)
    paragraphs = tuple(
        AlignedParagraph(paragraph.kind, tuple(by_paragraph.get(index, ())))
        for index, paragraph in enumerate(release.paragraphs)
    )
    return BilingualRelease(release.id, release.meta, source_language, target_language, locale, paragraphs)


def segment_id(source: str, occurrence: int = 1) -> str:
    """``s`` and 10 hex digits of the source's SHA-256, ``-2`` for its second occurrence.

    >>> segment_id("The group met."), segment_id("The group met.", 2)
    ('sa7a78604a8', 'sa7a78604a8-2')
    """
    digest = "s" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
    return digest if occurrence == 1 else f"{digest}-{occurrence}"


def _aligned(source: str, occurrence: int, entry: Message | None, terms: TermMatcher | None) -> AlignedSegment:
    found = tuple((hit.text, hit.expected.approved) for hit in terms.find(source)) if terms else ()
    if entry is None or not entry.string:
        return AlignedSegment(segment_id(source, occurrence), source, "", "untranslated", "none", terms=found)
    origin, score = "human", None
    for note in entry.notes:
        described = _ORIGIN_NOTE.match(note)
        if note.startswith(_CONVERTED_NOTE):
            origin, score = "converted", None
            break
        if described:
            origin = _ORIGINS[described.group(2)]
            score = float(described.group(3)) if origin != "tm-exact" else None
            break
    status = "fuzzy" if entry.fuzzy else "translated"
    return AlignedSegment(segment_id(source, occurrence), source, entry.string, status, origin, score, found)
