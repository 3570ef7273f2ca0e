"""The small data model passed between the pipeline's stages.

Stages take these frozen values and return new ones (``dataclasses.replace``);
none of them edits its input, which keeps every stage a pure function.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

ParagraphKind = t.Literal["title", "caption", "body", "trailer"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where text came from. Line and column are 1-based, as editors show them."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of a release; always a segment boundary.

    ``line`` is the 1-based line of the source file where the paragraph starts
    (for HTML, the line of the element that opened it).
    """

    text: str
    kind: ParagraphKind = "body"
    line: int = 1


@dataclass(frozen=True, slots=True)
class ReleaseMeta:
    """What a press office publishes about a release besides its text."""

    title: str = ""
    date: str = ""  # ISO 8601: YYYY-MM-DD, or YYYY-MM-DDTHH:MM when the time is known
    url: str = ""
    department: str = ""
    language: str = "en"  # BCP 47
    extra: tuple[tuple[str, str], ...] = ()  # other header keys and markers, in order

    def get(self, key: str, default: str = "") -> str:
        for name, value in self.extra:
            if name == key:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Release:
    """One source release: what ``ingest`` produces and every later stage reads."""

    id: str
    meta: ReleaseMeta
    paragraphs: tuple[Paragraph, ...]
    path: str = ""  # workspace-relative path of the source file, for references


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence: ``text`` is exactly ``paragraph[start:end]`` (offsets in characters)."""

    text: str
    start: int
    end: int
    paragraph: int = 0  # index of the paragraph in its release; 0 for bare text
    loc: Location | None = field(default=None, compare=False)
