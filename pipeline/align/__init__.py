"""Past bilingual releases → document pairs → sentence links → translation memory (``duet align``).

``pairing`` decides which release translates which; ``documents`` aligns a
pair paragraph by paragraph, then sentence by sentence with ``sentences``
(a banded dynamic programme, ``dp``, over Gale-Church ``length`` costs and
shared ``anchors``: numbers as values, copied codes and addresses, glossary
terms, and a ``lexicon`` learned from the text itself); ``memory`` makes
translation units of the links; ``links`` reads, writes and scores
alignments in the gold-set format; ``workflow`` does it all in a workspace.
"""

from __future__ import annotations

from .documents import AlignedReleases, ReadRelease, align_releases, read_release
from .links import Link, Scores, format_links, parse_links, score_links
from .sentences import Settings, align_sentences

__all__ = ["AlignedReleases", "Link", "ReadRelease", "Scores", "Settings", "align_releases", "align_sentences",
           "format_links", "parse_links", "read_release", "score_links"]
