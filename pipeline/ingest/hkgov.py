"""Text rules of Hong Kong government press releases (info.gov.hk/gia).

Paragraphs → title marker, trailer date and department. No HTML here:
``pipeline.ingest.html`` finds the headline and the paragraphs of
``#pressrelease`` and hands their text to these functions.

A release ends with a trailer that gives the issue date and time::

    Ends/Thursday, January 22, 2026
    Issued at HKT 17:02

    完
    2026年1月22日（星期四）
    香港時間17時02分

optionally followed by the wire-service marker ``NNNN``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import regex

from ..errors import InputError
from ..model import Location, Paragraph

MONTHS = ("january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_EN_TRAILER = regex.compile(
    r"Ends?\s*/\s*(?:(?P<weekday>[a-z]+)\s*,\s*)?"
    r"(?P<month>[a-z]+)\s+(?P<day>\d{1,2})\s*,\s*(?P<year>\d{4})"
    r"(?:\s*Issued\s+at\s+HKT\s*(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{2}))?"
    r"(?:\s*NNNN)?",
    regex.IGNORECASE,
)
_ZH_TRAILER = regex.compile(
    r"完\s*(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"\s*(?:[（(]\s*星期(?P<weekday>[一二三四五六日天])\s*[）)])?"
    r"(?:\s*香港時間\s*(?P<hour>\d{1,2})\s*時\s*(?P<minute>\d{1,2})\s*分)?"
    r"(?:\s*NNNN)?",
)
_TRAILER_START = regex.compile(r"Ends?\s*/|完", regex.IGNORECASE)
# A trailer is at most 16 tokens ("完 2026 年 1 月 22 日 （ 星期四 ） 香港時間 17 時 02
# 分 NNNN"), so it spans at most 16 of a paragraph's (never blank) lines; looking
# no further keeps a body of many lines opening with 完 (完成, 完善) linear.
_TRAILER_LINES = 20
_WIRE_MARKER = "NNNN"

# Headline suffixes that announce attached media; the value is what meta.extra records.
# Searched from the end: forwards, the leading \s* would be retried at every
# space of a long run (a title of 20,000 &nbsp; took 11 s).
_MEDIA = regex.compile(
    r"\s*(?:\(\s*with\s+(?P<en>photos?(?:\s*/\s*videos?)?|videos?)\s*\)"
    r"|[（(]\s*附(?P<zh>圖(?:\s*(?:/|／|及)\s*短片)?|短片)\s*[）)])\s*$",
    regex.IGNORECASE | regex.REVERSE,
)
_ZH_MEDIA = {"圖": "photos", "短片": "video"}

_ON_BEHALF = (
    regex.compile(r"^The following is issued on behalf of (?:the )?(?P<name>[^:\n]+?)\s*:$"),
    regex.compile(r"^下稿代(?P<name>[^\n]+?)發出\s*[:：︰]$"),
)


def split_media(title: str) -> tuple[str, str]:
    """Split a headline into its text and its media marker ("" when none).

    >>> split_media("HKPF showcases policing professionalism at Expo (with photos)")
    ('HKPF showcases policing professionalism at Expo', 'photos')
    >>> split_media("警務處呼籲市民提防釣魚短訊（附圖）")
    ('警務處呼籲市民提防釣魚短訊', 'photos')
    """
    match = _MEDIA.search(title)
    if match is None:
        return title, ""
    if match["en"]:
        media = regex.sub(r"\s+", "", match["en"].lower())
    else:
        parts = regex.split(r"\s*(?:/|／|及)\s*", match["zh"])
        media = "/".join(_ZH_MEDIA[p] for p in parts)
    return title[: match.start()].rstrip(), media


def department(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> str:
    """The body's "issued on behalf of" department, or "" when the release names none.

    >>> department([Paragraph("The following is issued on behalf of the Hong Kong Monetary Authority:")])
    'Hong Kong Monetary Authority'
    """
    for para in paragraphs[:2]:
        for pattern in _ON_BEHALF:
            match = pattern.match(para.text)
            if match:
                return match["name"]
    return ""


def cut_trailer(paragraphs: list[Paragraph], path: str) -> tuple[list[Paragraph], str]:
    """Remove the trailer (and ``NNNN``) from the end of ``paragraphs``; return the rest and its ISO date.

    The date is "" when there is no trailer. A trailer whose date does not exist
    is an :class:`InputError`; a weekday that disagrees with the date is a typo
    in the page and the date wins, so a real release is never refused for it.
    """
    paragraphs = list(paragraphs)
    while paragraphs and paragraphs[-1].text == _WIRE_MARKER:
        paragraphs.pop()
    lines = [(i, j, line)
             for i in range(max(0, len(paragraphs) - 3), len(paragraphs))
             for j, line in enumerate(paragraphs[i].text.split("\n"))][-_TRAILER_LINES:]
    for k in range(len(lines) - 1, -1, -1):
        i, j, line = lines[k]
        if not _TRAILER_START.match(line):
            continue
        tail = "\n".join(text for _, _, text in lines[k:])
        for pattern, parse in ((_EN_TRAILER, _en_date), (_ZH_TRAILER, _zh_date)):
            match = pattern.fullmatch(tail)
            if match:
                loc = Location(path, paragraphs[i].line + j)
                date = parse(match, loc)
                kept = paragraphs[:i]
                if j:
                    head = "\n".join(paragraphs[i].text.split("\n")[:j])
                    kept.append(dataclasses.replace(paragraphs[i], text=head))
                return kept, date
    return paragraphs, ""


def find_date(paragraphs: list[Paragraph], path: str) -> str:
    """The ISO date of a trailer anywhere in ``paragraphs`` (for trailers outside ``#pressrelease``)."""
    for i in range(len(paragraphs)):
        _, date = cut_trailer(paragraphs[: i + 1], path)
        if date:
            return date
    return ""


def date_from_url(url: str) -> str:
    """The issue day encoded in a GIA URL, or "".

    >>> date_from_url("https://www.info.gov.hk/gia/general/202601/22/P2026012200320.htm")
    '2026-01-22'
    """
    match = regex.search(r"/gia/general/(\d{4})(\d{2})/(\d{2})/", url)
    if match is None:
        return ""
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return ""


def _en_date(match: regex.Match[str], loc: Location) -> str:
    month = match["month"].lower()
    if month not in MONTHS:
        raise InputError(f"unknown month {match['month']!r} in trailer", loc)
    if match["weekday"] and match["weekday"].lower() not in WEEKDAYS:
        raise InputError(f"unknown weekday {match['weekday']!r} in trailer", loc)
    return _iso(match, MONTHS.index(month) + 1, loc)


def _zh_date(match: regex.Match[str], loc: Location) -> str:
    return _iso(match, int(match["month"]), loc)


def _iso(match: regex.Match[str], month: int, loc: Location) -> str:
    try:
        day = dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError as exc:
        raise InputError(f"invalid date in trailer: {exc}", loc) from exc
    if match["hour"] is None:
        return day.isoformat()
    try:
        time = dt.time(int(match["hour"]), int(match["minute"]))
    except ValueError as exc:
        raise InputError(f"invalid time in trailer: {exc}", loc) from exc
    return f"{day.isoformat()}T{time:%H:%M}"
