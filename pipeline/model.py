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


SegmentStatus = t.Literal["translated", "fuzzy", "untranslated"]
# Where a segment's target came from: ``converted`` is a derived locale's OpenCC conversion, ``none`` no target at all.
ORIGINS = ("human", "tm-exact", "tm-fuzzy", "repaired", "mt", "converted", "none")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a translation a stage made came from, as that stage knew it.

    ``origin`` is one of ``ORIGINS``; ``score`` (0-100) is the match's, for
    a machine-made one (none for an exact memory match); ``came_from`` names
    the donor: a PO file and line, a TMX file, an MT engine, the base locale.
    """

    origin: str
    score: float | None = None
    came_from: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """One PO entry, with every part a translator or gettext may have put there.

    Field names follow the PO format so nothing is lost between reading and
    writing: ``id``/``string`` are msgid/msgstr, ``context`` is msgctxt,
    ``previous_*`` are the ``#|`` lines, ``flags`` the ``#,`` line (``fuzzy``
    included), ``comments`` the translator's ``# `` lines, ``notes`` the
    extracted ``#.`` lines. ``line`` is the 1-based line of ``msgid`` in the
    file it was read from (0 for a message Duet made). ``provenance`` is where
    a stage's translation came from (``None``: no stage made it); a PO file
    keeps it as the stage's ``#.`` note, so it is not part of equality.
    """

    id: str
    string: str = ""
    context: str | None = None
    id_plural: str | None = None
    plural_strings: tuple[str, ...] = ()  # msgstr[0], msgstr[1], ... when id_plural is set
    flags: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    previous_id: str | None = None
    previous_context: str | None = None
    previous_id_plural: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)
    provenance: Provenance | None = field(default=None, compare=False)

    def __reduce__(self) -> tuple[type[Message], tuple[t.Any, ...]]:
        # Pickled as the constructor's arguments: several times faster than a slotted dataclass's
        # state, which matters when forked processes send parsed catalogs back (``api.check``).
        return (Message, (self.id, self.string, self.context, self.id_plural, self.plural_strings, self.flags,
                          self.comments, self.notes, self.references, self.previous_id, self.previous_context,
                          self.previous_id_plural, self.obsolete, self.line, self.provenance))

    @property
    def key(self) -> tuple[str | None, str]:
        """What identifies a message in a catalog: msgctxt and msgid."""
        return (self.context, self.id)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def targets(self) -> tuple[str, ...]:
        """Every translated form: the msgstr, or each msgstr[n] of a plural message."""
        return self.plural_strings if self.id_plural is not None else (self.string,)

    @property
    def has_target(self) -> bool:
        return any(self.targets)

    @property
    def translated(self) -> bool:
        """Ready to publish: every form filled and not fuzzy."""
        return not self.fuzzy and all(self.targets) and bool(self.targets)


@dataclass(frozen=True, slots=True)
class Catalog:
    """A PO or POT file: its header entry (msgid ``""``) and its messages in file order.

    Obsolete (``#~``) messages are kept in ``messages`` with ``obsolete=True``.
    """

    header: Message
    messages: tuple[Message, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def metadata(self) -> dict[str, str]:
        """The header's ``Name: value`` fields, in order."""
        fields: dict[str, str] = {}
        for line in self.header.string.split("\n"):
            name, sep, value = line.partition(":")
            if sep and name.strip():
                fields[name.strip()] = value.strip()
        return fields

    @property
    def live(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if not m.obsolete)

    @property
    def obsolete(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if m.obsolete)


@dataclass(frozen=True, slots=True)
class Rendering:
    """How one language writes a term: the approved form, other accepted forms, forbidden ones."""

    approved: str
    variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.approved, *self.variants) if self.approved else self.variants


@dataclass(frozen=True, slots=True)
class Term:
    """A termbase entry: one concept with its rendering in each language (BCP 47 tags).

    Either language may be the source of a workspace, so a term has no fixed
    direction; ``renderings`` holds every language, the English one included.
    """

    renderings: tuple[tuple[str, Rendering], ...]
    case_sensitive: bool = False
    pos: str = ""
    note: str = ""
    loc: Location | None = field(default=None, compare=False)

    def rendering(self, language: str) -> Rendering | None:
        for tag, rendering in self.renderings:
            if tag == language:
                return rendering
        return None


Severity = t.Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem a check found in one PO entry; checks return these, never raise them.

    ``loc`` is the PO file and the line of the entry's ``msgid``. A finding a
    translator or the workspace silenced is kept with ``silenced=True`` so that
    summaries still count it.
    """

    check: str
    severity: Severity
    message: str
    loc: Location
    locale: str
    msgid: str
    msgctxt: str | None = None
    term: str | None = None
    expected: str | None = None
    silenced: bool = False


MatchKind = t.Literal["in-context", "exact", "normalized", "repaired", "fuzzy", "mt"]


@dataclass(frozen=True, slots=True)
class Match:
    """A translation the memory (or a machine) proposes for a source sentence, with why.

    ``score`` (0-100) is ``similarity`` less the ``penalties``, each named
    (``numbers``, ``glossary``, ``provenance``), so a translator can see what
    lowered it. ``origin`` says where the translation came from
    (``locales/zh_Hant_HK/LC_MESSAGES/x.po:42``, a TMX file, an MT engine);
    ``status`` is how far it can be trusted: ``approved`` (a translated PO
    entry), ``fuzzy``, ``imported`` (a TMX unit) or ``mt``. ``context``
    identifies the neighbours the remembered sentence was translated between
    (``None`` when unknown, as for a TMX unit).
    """

    source: str
    target: str
    kind: MatchKind
    score: float
    similarity: float
    penalties: tuple[tuple[str, float], ...] = ()
    origin: str = ""
    status: str = "approved"
    context: int | None = None


@dataclass(frozen=True, slots=True)
class AlignedSegment:
    """One sentence of a release with its translation, as a bundle publishes it.

    ``id`` is stable across runs (it depends on the paragraph, the position
    and the source text); ``origin`` is one of ``ORIGINS`` (``score`` set for
    the machine-made ones, ``came_from`` naming the donor as ``Provenance``
    does); ``terms`` holds each glossary term found in the source with its
    approved rendering. ``starts_line`` is true when a line break separates
    the segment from the one before it in its paragraph (the items of a
    ``(1) ... (2) ...`` list, the lines of an address).
    """

    id: str
    source: str
    target: str
    status: SegmentStatus
    origin: str = "human"
    score: float | None = None
    terms: tuple[tuple[str, str], ...] = ()
    came_from: str = ""
    starts_line: bool = False

    @property
    def publishable(self) -> bool:
        return self.status == "translated"


@dataclass(frozen=True, slots=True)
class AlignedParagraph:
    kind: ParagraphKind
    segments: tuple[AlignedSegment, ...]


@dataclass(frozen=True, slots=True)
class BilingualRelease:
    """A release paired with one locale's translation: what every bundle file is written from.

    Languages are BCP 47 tags (``en``, ``zh-Hant-HK``); ``locale`` is the
    POSIX form used in file names (``zh_Hant_HK``).
    """

    id: str
    meta: ReleaseMeta
    source_language: str
    target_language: str
    locale: str
    paragraphs: tuple[AlignedParagraph, ...]

    @property
    def segments(self) -> tuple[AlignedSegment, ...]:
        return tuple(s for p in self.paragraphs for s in p.segments)
