"""Text and releases → :class:`~pipeline.model.Segment` values with exact offsets.

Duet never rewrites text: a segment is a slice of its paragraph, with the
whitespace around it left out, so ``paragraph[start:end] == text`` always.
"""

from __future__ import annotations

import regex

from .. import locales
from ..errors import SegmentationError
from ..model import Location, Release, Segment
from .engine import Breaker
from .srx import SrxRules, load_rules

# Characters for which str.isspace() is true, so that "blank line" here agrees
# with the str.strip() that trims segments.
_SPACE = r"\t\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_BLANK_LINES = regex.compile(rf"\n(?:[{_SPACE}]*\n)+")


def normalize_language(lang: str) -> str:
    """``zh_Hant_HK`` → ``zh-Hant-HK``; a language CLDR does not know is refused.

    >>> normalize_language("zh_Hant_HK")
    'zh-Hant-HK'
    """
    try:
        return locales.to_bcp47(lang)
    except locales.UnknownLocale as exc:
        raise SegmentationError(f"unknown language {lang!r}") from exc


def segment_text(text: str, lang: str, rules: SrxRules | None = None) -> list[Segment]:
    """Split one paragraph into sentences; offsets index ``text``.

    >>> [s.text for s in segment_text("Mr. Chan spoke. He left.", "en")]
    ['Mr. Chan spoke.', 'He left.']
    """
    breaker = _breaker(lang, rules)
    return _cut(text, breaker.breaks(text), 0, 0, None)


def segment_document(text: str, lang: str, rules: SrxRules | None = None) -> list[Segment]:
    """Split a whole text: blank lines always separate paragraphs, numbered from 0.

    Offsets index the whole ``text``; each paragraph is segmented on its own,
    so rules never look across a paragraph boundary.
    """
    breaker = _breaker(lang, rules)
    segments: list[Segment] = []
    start = 0
    index = 0
    for sep in [*_BLANK_LINES.finditer(text), None]:
        end = len(text) if sep is None else sep.start()
        paragraph = text[start:end]
        if paragraph and not paragraph.isspace():
            segments.extend(_cut(paragraph, breaker.breaks(paragraph), start, index, None))
            index += 1
        if sep is not None:
            start = sep.end()
    return segments


def segment_release(release: Release, rules: SrxRules | None = None) -> tuple[Segment, ...]:
    """Segment every paragraph of a release; offsets index each paragraph's text.

    A language the rules do not cover is an error about the release (its file
    stated the language), so it names the release's file.
    """
    try:
        breaker = _breaker(release.meta.language, rules)
    except SegmentationError as exc:
        rules_file = f" in {exc.loc.path}" if exc.loc else ""
        raise SegmentationError(f"{exc.message}{rules_file}", Location(release.path)) from exc
    segments: list[Segment] = []
    for index, paragraph in enumerate(release.paragraphs):
        loc = Location(release.path, paragraph.line)
        segments.extend(_cut(paragraph.text, breaker.breaks(paragraph.text, loc), 0, index, loc))
    return tuple(segments)


def _breaker(lang: str, rules: SrxRules | None) -> Breaker:
    return (rules or load_rules()).breaker_for_tag(lang, normalize_language)


def _cut(text: str, breaks: list[int], offset: int, paragraph: int, loc: Location | None) -> list[Segment]:
    if not breaks:  # one sentence: the most common paragraph
        body = text.strip()
        if not body:
            return []
        start = offset + len(text) - len(text.lstrip())
        return [Segment(body, start, start + len(body), paragraph, loc)]
    segments = []
    prev = 0
    for pos in [*breaks, len(text)]:
        rest = text[prev:pos].lstrip()
        if rest:
            body = rest.rstrip()
            start = offset + pos - len(rest)
            segments.append(Segment(body, start, start + len(body), paragraph, loc))
        prev = pos
    return segments
