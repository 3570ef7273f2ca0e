"""A release and its translation → sentence links: paragraphs first, then sentences within linked paragraphs.

Paragraphs are aligned as units (their sentences' lengths and anchors
added up), then the sentences of each linked group of paragraphs; sentences
of a paragraph left unlinked are left unlinked too. A sentence link's
confidence is its own times its paragraphs' link's. Indices count sentences
from the start of each release, as ``segment_release`` gives them.
"""

from __future__ import annotations

import collections.abc as cabc
from collections import Counter
from dataclasses import dataclass

from ..model import Release, Segment
from ..segment import SrxRules, segment_release
from .anchors import Anchor
from .length import LengthModel
from .links import Link
from .sentences import DEFAULT, Features, Settings, align_features


@dataclass(frozen=True, slots=True)
class ReadRelease:
    """A release with its sentences and what the costs read of them, read once for pairing and aligning."""

    release: Release
    sentences: tuple[Segment, ...]
    features: Features

    @property
    def paragraphs(self) -> list[list[int]]:
        """The sentence indices of each paragraph that has any."""
        groups: list[list[int]] = [[] for _ in self.release.paragraphs]
        for index, sentence in enumerate(self.sentences):
            groups[sentence.paragraph].append(index)
        return [group for group in groups if group]


@dataclass(frozen=True, slots=True)
class AlignedReleases:
    """Two releases, their sentences and the links between them."""

    source: Release
    target: Release
    source_sentences: tuple[Segment, ...]
    target_sentences: tuple[Segment, ...]
    links: tuple[Link, ...]
    paragraph_links: tuple[Link, ...]


def read_release(release: Release, anchors: cabc.Callable[[str], Counter[Anchor]],
                 rules: SrxRules | None = None) -> ReadRelease:  # fmt: skip
    """Segment ``release`` and read its sentences' lengths and anchors."""
    sentences = segment_release(release, rules)
    return ReadRelease(release, sentences, Features.read([s.text for s in sentences], anchors))


def align_releases(source: ReadRelease, target: ReadRelease, settings: Settings = DEFAULT) -> AlignedReleases:
    """Link the sentences of ``source`` to those of ``target``, its translation."""
    model = LengthModel.estimate(source.features.lengths, target.features.lengths, settings.variance)
    source_groups, target_groups = source.paragraphs, target.paragraphs
    paragraph_links = align_features(source.features.merged(source_groups), target.features.merged(target_groups),
                                     model, settings)
    links: list[Link] = []
    for paragraph_link in paragraph_links:
        source_ids = [i for p in paragraph_link.source for i in source_groups[p]]
        target_ids = [j for p in paragraph_link.target for j in target_groups[p]]
        if not source_ids or not target_ids:
            links += [Link((i,), (), paragraph_link.confidence) for i in source_ids]
            links += [Link((), (j,), paragraph_link.confidence) for j in target_ids]
            continue
        inner = align_features(source.features.subset(source_ids), target.features.subset(target_ids), model, settings)
        links += [Link(tuple(source_ids[i] for i in link.source), tuple(target_ids[j] for j in link.target),
                       round(link.confidence * paragraph_link.confidence, 4)) for link in inner]
    return AlignedReleases(source.release, target.release, source.sentences, target.sentences, tuple(links),
                           tuple(paragraph_links))
