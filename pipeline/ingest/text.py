"""Plain-text release ↔ ``Release``.

The format is what press officers paste: an optional header of ``Key: value``
lines closed by ``---``, then paragraphs separated by blank lines. A header is
only a header when the ``---`` line closes it, so a photo caption such as
``On tour: Under Secretary ...`` on the first line stays text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from .. import locales
from ..errors import InputError
from ..model import Location, Paragraph, ParagraphKind, Release, ReleaseMeta
from .characters import check_text

# Matched on right-stripped lines: a trailing \s* after the lazy value would
# retry every space of a long run (quadratic).
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)?)\s*:\s*(.*)")
_HEADER_END = "---"
_META_FIELDS = ("title", "date", "url", "department", "language")

# A HK photo caption names who is where: "Under Secretary ... (right) visits ...",
# "考察：財經事務及庫務局副局長陳浩濂（右）參觀 ...".
_CAPTION = re.compile(
    r"^\s*(?:photo|picture)s?\s*:"
    r"|[(（](?:right|left|centre|center|front|back|second|third|first|[左右中前後][一二三四五]?)[^()（）]{0,30}[)）]",
    re.IGNORECASE,
)
_TRAILER = re.compile(r"^\s*(?:Ends/|Issued at HKT\b|完\s*$)")
# Searched in right-stripped text, for the same reason.
_SENTENCE_END = re.compile(r"[.!?。！？:：;；]\s*[\"'”’」』）)]*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")


def parse_text(text: str, *, path: str, release_id: str, language: str = "en") -> Release:
    """Parse a plain-text release.

    ``path`` is what paragraph lines and errors refer to; ``language`` (BCP 47)
    applies unless the header names one. Control characters are refused (see
    :mod:`.characters`).
    """
    check_text(text, path)
    lines = text.splitlines()
    meta, body_start = _parse_header(lines, path, language)
    blocks = _paragraph_blocks(lines, body_start)
    kinds: list[ParagraphKind] = []
    for index, (_, block_text) in enumerate(blocks):
        kinds.append(_kind(index, block_text, len(blocks), meta, kinds))
    paragraphs = tuple(Paragraph(text, kind, line) for (line, text), kind in zip(blocks, kinds, strict=True))
    if not meta.title and kinds and kinds[0] == "title":
        meta = dataclasses.replace(meta, title=paragraphs[0].text)
    return Release(id=release_id, meta=meta, paragraphs=paragraphs, path=path)


def format_text(release: Release) -> str:
    """Serialize a release to the plain-text format; ``parse_text`` reads it back unchanged."""
    header = [f"{name.capitalize() if name != 'url' else 'URL'}: {value}"
              for name in _META_FIELDS if (value := getattr(release.meta, name))]
    header += [f"{name}: {value}" for name, value in release.meta.extra]
    body = "\n\n".join(p.text for p in release.paragraphs)
    head = "\n".join(header) + f"\n{_HEADER_END}\n\n" if header else ""
    return head + body + "\n"


def _parse_header(lines: list[str], path: str, language: str) -> tuple[ReleaseMeta, int]:
    """Return the metadata and the index of the first body line."""
    fields: dict[str, str] = {"language": language}
    try:
        end = next(i for i, line in enumerate(lines) if line.strip() == _HEADER_END)
    except StopIteration:
        return ReleaseMeta(language=language), 0
    extra: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines[:end], start=1):
        if not line.strip():
            continue
        match = _HEADER_LINE.fullmatch(line.rstrip())
        if not match:
            return ReleaseMeta(language=language), 0  # a '---' rule in the body, not a header
        key, value = match.group(1).lower(), match.group(2)
        if key in seen:
            raise InputError(f"header key '{match.group(1)}' given twice", Location(path, number))
        seen.add(key)
        if key in _META_FIELDS:
            fields[key] = _check_field(key, value, Location(path, number))
        else:
            extra.append((key, value))
    return ReleaseMeta(**fields, extra=tuple(extra)), end + 1  # type: ignore[arg-type]


def _check_field(key: str, value: str, loc: Location) -> str:
    if key == "language":
        try:
            return locales.to_bcp47(value)
        except locales.UnknownLocale as exc:
            raise InputError(f"Language: {exc}", loc) from exc
    if key == "date":
        if not _DATE.fullmatch(value):
            raise InputError(f"Date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {value!r}", loc)
        try:
            dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise InputError(f"Date: {exc}", loc) from exc
        return value.replace(" ", "T")
    return value


def _paragraph_blocks(lines: list[str], start: int) -> list[tuple[int, str]]:
    """(1-based first line, text) per paragraph; indentation and trailing blanks dropped."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for number in range(start, len(lines)):
        stripped = lines[number].strip()
        if not stripped:
            if current:
                blocks.append((first, "\n".join(current)))
                current = []
            continue
        if not current:
            first = number + 1
        current.append(stripped)
    if current:
        blocks.append((first, "\n".join(current)))
    return blocks


def _kind(index: int, text: str, count: int, meta: ReleaseMeta, before: list[ParagraphKind]) -> ParagraphKind:
    """Titles and captions only open a release; a trailer only closes it."""
    if index == count - 1 and count > 1 and _TRAILER.match(text):
        return "trailer"
    if index == 0 and count > 1:
        if meta.title and text == meta.title:
            return "title"
        if _CAPTION.search(text):
            return "caption"
        if not meta.title and "\n" not in text and len(text.split()) <= 20 and not _SENTENCE_END.search(text.rstrip()):
            return "title"
    if index == 1 and before == ["title"] and count > 2 and _CAPTION.search(text):
        return "caption"
    return "body"
