"""One source sentence translated in different ways across the workspace.

Press offices want one sentence to read the same in every release; the
finding lists every rendering with where it is, so a translator can pick one.
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
import unicodedata

from ..model import Location, Message
from .base import Problem


def inconsistent_translations(
    entries: cabc.Iterable[tuple[str, Location, Message]],
) -> dict[tuple[str, Location], Problem]:
    """``(locale, location, message)`` of translated entries → a problem for each inconsistent one."""
    return inconsistent_at(entries, str)


_Where = t.TypeVar("_Where", bound=cabc.Hashable)


def inconsistent_at(
    entries: cabc.Iterable[tuple[str, _Where, Message]], show: cabc.Callable[[_Where], str]
) -> dict[tuple[str, _Where], Problem]:
    """``inconsistent_translations`` with the places given in any hashable form and ``show`` to write one."""
    renderings: dict[tuple[str, str | None, str], dict[str, tuple[str, list[_Where]]]] = {}
    normalized: dict[str, str] = {}  # workspaces repeat their translations
    for locale, loc, message in entries:
        key = (locale, message.context, message.id)
        by_text = renderings.get(key)
        if by_text is None:
            by_text = renderings[key] = {}
        string = message.string
        text = normalized.get(string)
        if text is None:
            text = normalized[string] = comparable(string)
        rendering = by_text.get(text)
        if rendering is None:
            by_text[text] = (string, [loc])
        else:
            rendering[1].append(loc)
    problems: dict[tuple[str, _Where], Problem] = {}
    for (locale, _, _), by_text in renderings.items():
        if len(by_text) < 2:
            continue
        listing = "; ".join(f"'{text}' ({', '.join(show(loc) for loc in locs)})" for text, locs in by_text.values())
        message = f"translated {len(by_text)} ways in the workspace: {listing}"
        for _, locs in by_text.values():
            for loc in locs:
                problems[(locale, loc)] = Problem("inconsistent-translation", message)
    return problems


_SPACE_BY_CJK = re.compile(r"\s+(?=[\u3000-\u9fff\uf900-\ufaff])|(?<=[\u3000-\u9fff\uf900-\ufaff])\s+")


def comparable(text: str) -> str:
    """The form two renderings are compared in: width, and spaces next to Chinese characters (which Chinese does not use), do not count."""
    return " ".join(_SPACE_BY_CJK.sub("", unicodedata.normalize("NFKC", text)).split())
