"""Bilingual stage: a release, its segments and one locale's PO catalog → a ``BilingualRelease``.

Every bundle file (XML, HTML, TMX, XLIFF) is written from this one value, so
they agree on ids, status and origin. A segment's id depends only on its
source text (and which occurrence of it this is), so anchors and TM links
survive edits elsewhere in the release. A segment's origin is the
``Provenance`` of its PO entry, and the line breaks between the segments of a
paragraph (a numbered list's items) are kept as ``starts_line``.
"""

from __future__ import annotations

import collections.abc as cabc
import hashlib
import typing as t

from .model import (
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    Catalog,
    Message,
    Release,
    Segment,
)

if t.TYPE_CHECKING:
    from .glossary import TermMatcher


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
    ends: dict[int, int] = {}  # where the paragraph's last segment so far ends
    for segment in segments:
        seen[segment.text] = seen.get(segment.text, 0) + 1
        gap = release.paragraphs[segment.paragraph].text[ends.get(segment.paragraph, segment.start):segment.start]
        ends[segment.paragraph] = segment.end
        aligned = _aligned(segment.text, seen[segment.text], entries.get(segment.text), terms, starts_line="\n" in gap)
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


def _aligned(source: str, occurrence: int, entry: Message | None, terms: TermMatcher | None, *,
             starts_line: bool) -> AlignedSegment:
    found = tuple((hit.text, hit.expected.approved) for hit in terms.find(source)) if terms else ()
    ident = segment_id(source, occurrence)
    if entry is None or not entry.string:
        return AlignedSegment(ident, source, "", "untranslated", "none", terms=found, starts_line=starts_line)
    provenance = entry.provenance
    status = "fuzzy" if entry.fuzzy else "translated"
    if provenance is None:
        return AlignedSegment(ident, source, entry.string, status, "human", terms=found, starts_line=starts_line)
    return AlignedSegment(ident, source, entry.string, status, provenance.origin, provenance.score, found,
                          provenance.came_from, starts_line)  # fmt: skip
