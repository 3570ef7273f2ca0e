"""A translation's ``Provenance`` and the ``#.`` note that keeps it in a PO file.

The stage that makes a translation sets its provenance on the message and
writes the note a translator reads (``duet: tm fuzzy 82 (similarity 86,
numbers -4) from locales/memory/bureau.tmx``). Between ``duet translate`` and
``duet export`` the PO file is the only storage, so the note is read back
into the value once, where a PO file becomes messages (``read_notes``);
every later stage reads the value.
"""

from __future__ import annotations

import collections.abc as cabc
import re

from ..catalog.merge import STAGE_NOTE
from ..model import Match, Provenance

# The ORIGINS value of each kind of match.
ORIGIN_OF_KIND = {"in-context": "tm-exact", "exact": "tm-exact", "normalized": "tm-fuzzy", "fuzzy": "tm-fuzzy",
                  "repaired": "repaired", "mt": "mt"}  # fmt: skip
_MATCH_NOTE = re.compile(rf"{re.escape(STAGE_NOTE)}(?:tm|mt) ({'|'.join(ORIGIN_OF_KIND)}) ([0-9]+(?:\.[0-9]+)?) \([^()]*\) from (.*)",
                         re.DOTALL)  # fmt: skip
_CONVERTED_NOTE = re.compile(rf"{re.escape(STAGE_NOTE)}converted from (.+)", re.DOTALL)


def of_match(match: Match) -> Provenance:
    """What a translation taken from ``match`` carries; an exact match's score says nothing and is left out."""
    origin = ORIGIN_OF_KIND[match.kind]
    return Provenance(origin, None if origin == "tm-exact" else match.score, match.origin)


def match_note(match: Match) -> str:
    """``duet: tm fuzzy 87 (similarity 92, numbers -3, provenance -2) from x.po:42``."""
    parts = [f"similarity {match.similarity:g}"] + [f"{name} -{value:g}" for name, value in match.penalties]
    source = "mt" if match.kind == "mt" else "tm"
    return f"{STAGE_NOTE}{source} {match.kind} {match.score:g} ({', '.join(parts)}) from {match.origin}"


def converted(base_locale: str) -> Provenance:
    return Provenance("converted", came_from=base_locale)


def converted_note(base_locale: str) -> str:
    return f"{STAGE_NOTE}converted from {base_locale}"


def read_notes(notes: cabc.Iterable[str]) -> Provenance | None:
    """The provenance the first stage note among ``notes`` records; ``None`` when no stage made the translation.

    >>> read_notes(["duet: tm fuzzy 82 (similarity 86, numbers -4) from bureau.tmx", "duet: glossary: x = y"])
    Provenance(origin='tm-fuzzy', score=82.0, came_from='bureau.tmx')
    >>> read_notes(["duet: converted from zh_Hant_HK"]), read_notes(["a note of the extractor"])
    (Provenance(origin='converted', score=None, came_from='zh_Hant_HK'), None)
    """
    for note in notes:
        described = _MATCH_NOTE.fullmatch(note)
        if described:
            origin = ORIGIN_OF_KIND[described.group(1)]
            score = None if origin == "tm-exact" else float(described.group(2))
            return Provenance(origin, score, described.group(3))
        converted_from = _CONVERTED_NOTE.fullmatch(note)
        if converted_from:
            return converted(converted_from.group(1))
    return None
