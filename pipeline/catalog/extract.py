"""A release's segments → its PO template (one message per unique sentence).

The template carries what a translator needs to place a sentence: every
source reference (``sources/<file>:<line>``) and, as extracted comments, the
kind of paragraph and the sentence's position in it. Its dates come from the
release, never from the clock, so extracting twice gives the same bytes.
"""

from __future__ import annotations

import collections.abc as cabc

from ..model import Catalog, Message, Release, Segment

GENERATOR = "Duet"


def extract_template(release: Release, segments: cabc.Sequence[Segment]) -> Catalog:
    """One message per unique segment text, in order of first appearance.

    A sentence that appears several times becomes one message holding all its
    references and positions.
    """
    references: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    sentence_in_paragraph: dict[int, int] = {}
    breaks_before: dict[int, tuple[int, int]] = {}  # paragraph -> (offset, line breaks before it): counted once
    for segment in segments:
        paragraph = release.paragraphs[segment.paragraph]
        number = sentence_in_paragraph.get(segment.paragraph, 0) + 1
        sentence_in_paragraph[segment.paragraph] = number
        offset, breaks = breaks_before.get(segment.paragraph, (0, 0))
        breaks += paragraph.text.count("\n", offset, segment.start)
        breaks_before[segment.paragraph] = (segment.start, breaks)
        line = paragraph.line + breaks
        references.setdefault(segment.text, []).append(f"{release.path}:{line}")
        notes.setdefault(segment.text, []).append(f"{paragraph.kind}, p{segment.paragraph + 1} s{number}")
    messages = tuple(
        Message(id=text, references=tuple(dict.fromkeys(references[text])), notes=tuple(notes[text]))
        for text in references
    )
    return Catalog(header=template_header(release), messages=messages)


def template_header(release: Release) -> Message:
    title = release.meta.title or release.id
    fields = [
        ("Project-Id-Version", release.id),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", header_date(release.meta.date)),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", GENERATOR),
    ]
    return Message(
        id="",
        string=format_metadata(fields),
        comments=(f"Translation template for the release {release.id}.", title.replace("\n", " ")),
        flags=("fuzzy",),
    )


def format_metadata(fields: cabc.Iterable[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields)


def header_date(date: str) -> str:
    """A release date (``YYYY-MM-DD[THH:MM]``) in the PO header form ``YYYY-MM-DD HH:MM+ZONE``.

    Without a release date, ``SOURCE_DATE_EPOCH`` is used where set, else the
    epoch itself: never the clock, so output stays reproducible.

    >>> header_date("2026-01-22T17:02")
    '2026-01-22 17:02+0000'
    >>> header_date("2026-01-22")
    '2026-01-22 00:00+0000'
    """
    if date:
        day, _, time = date.partition("T")
        return f"{day} {(time or '00:00')[:5]}+0000"
    from ..reproducible import fallback_date

    return fallback_date().strftime("%Y-%m-%d %H:%M+0000")
