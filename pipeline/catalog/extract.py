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
    created = header_date(release.meta.date)
    fields = [
        ("Project-Id-Version", release.id),
        ("Report-Msgid-Bugs-To", ""),
        *([("POT-Creation-Date", created)] if created else []),
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


def header_date(date: str) -> str | None:
    """A release date (ISO 8601) in the PO header form ``YYYY-MM-DD HH:MM+ZONE``, on the release's own clock.

    A release's time is Hong Kong time unless it names another offset (see
    :func:`pipeline.export.release_time`). Without a release date,
    ``SOURCE_DATE_EPOCH`` stands in where set, shown in Hong Kong time; else
    there is no date (None) and the header leaves the field out, which
    ``msgfmt --check`` and ``msgmerge`` accept, rather than claim 1970.

    >>> header_date("2026-01-22T17:02"), header_date("2026-01-22"), header_date("2026-01-22T09:02+00:00")
    ('2026-01-22 17:02+0800', '2026-01-22 00:00+0800', '2026-01-22 09:02+0000')
    """
    import datetime as dt

    from ..export import HKT, release_time
    from ..reproducible import source_date

    moment = release_time(date)
    if moment is not None:
        return moment.astimezone(dt.datetime.fromisoformat(date).tzinfo or HKT).strftime("%Y-%m-%d %H:%M%z")
    stand_in = source_date()
    return stand_in.astimezone(HKT).strftime("%Y-%m-%d %H:%M%z") if stand_in else None
