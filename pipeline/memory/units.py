"""The values the memory stores and reports: units, the files they come from, refresh counts."""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from dataclasses import dataclass, field

Status = t.Literal["approved", "fuzzy", "imported"]
STATUSES: tuple[Status, ...] = ("approved", "fuzzy", "imported")


@dataclass(frozen=True, slots=True)
class MemoryUnit:
    """A source sentence and its translation, with where it came from and how far to trust it.

    Languages are BCP 47 tags (``en``, ``zh-Hant-HK``). ``origin`` is
    ``path:line`` for a PO entry, ``path#tuid`` (or ``path:line``) for a TMX
    unit. ``previous``/``next`` are the neighbouring source segments, for
    in-context matches; empty when unknown. ``creation_date`` is ISO 8601 or
    empty.
    """

    source: str
    target: str
    source_language: str
    target_language: str
    origin: str
    status: Status = "approved"
    previous: str = ""
    next: str = ""
    creation_date: str = ""
    usage_count: int = 0


@dataclass(frozen=True, slots=True)
class MemoryFile:
    """A file the memory is built from: its path as shown to users, a digest of its bytes, a loader.

    ``load`` is called only when ``digest`` differs from the one stored, so a
    caller passes a cheap digest (SHA-256 of the bytes) and defers parsing.
    """

    path: str
    digest: str
    load: cabc.Callable[[], cabc.Iterable[MemoryUnit]] = field(compare=False)


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What ``TranslationMemory.refresh`` did: files by fate, units written and removed, units now held."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    units_added: int = 0
    units_removed: int = 0
    units: int = 0
