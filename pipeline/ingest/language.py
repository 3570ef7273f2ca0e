"""Which language a release is written in, so that a Chinese release never becomes an English source.

A release states its language (the ``Language:`` header of a fetched page,
an HTML ``lang``) or, dropped into ``sources/`` by hand, does not; its text
always tells: Chinese is written in Han characters, English in Latin letters.
The share of Han characters among the letters separates the two by a wide
margin on real releases (Government releases of 2026-01-22: English 0.000,
Chinese 0.70 to 1.00, the lowest one full of ``Bq/kg`` and Latin names), so a
release is refused only when that share is clearly on the other side: an
English release quoting Chinese names, or a Chinese one listing English
company names, is read as it is labelled.
"""

from __future__ import annotations

import regex

from .. import locales
from ..errors import InputError
from ..model import Location, Release

HAN_AT_LEAST = 0.5  # of a release's letters: Chinese
HAN_AT_MOST = 0.1  # English (or another Latin-script language)

_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")


def han_share(text: str) -> float | None:
    """Han characters among the letters of ``text``; None when it has no letter.

    >>> round(han_share("The Chief Executive, Mr John Lee (李家超), said."), 3), han_share("行政長官李家超（John Lee）表示。")
    (0.091, 0.5625)
    """
    letters = len(_LETTER.findall(text))
    return len(_HAN.findall(text)) / letters if letters else None


def written_in(text: str) -> str | None:
    """``Hani`` or ``Latn`` when ``text`` is clearly written in that script, else None (mixed, or no letters)."""
    share = han_share(text)
    if share is None:
        return None
    if share >= HAN_AT_LEAST:
        return "Hani"
    return "Latn" if share <= HAN_AT_MOST else None


def check_release_language(release: Release, language: str) -> None:
    """Refuse ``release`` unless it may be a source in ``language`` (BCP 47), by its label and by its text.

    Only Chinese and Latin-script languages are told apart; a release in
    any other script is not judged. The error names the release's first
    paragraph written the other way.
    """
    expected = _script(language)
    if expected is None:
        return
    other = "Latn" if expected == "Hani" else "Hani"
    labelled = _script(release.meta.language) if release.meta.language else None
    text = "\n".join(paragraph.text for paragraph in release.paragraphs)
    if labelled != other and written_in(text) != other:
        return
    line = next((p.line for p in release.paragraphs if written_in(p.text) == other),
                release.paragraphs[0].line if release.paragraphs else 1)
    share = han_share(text)
    found = f"{round(100 * share)}% of its letters are Han characters" if share is not None else "it has no letters"
    label = f"labelled {release.meta.language}, " if labelled == other else ""
    raise InputError(f"this release is {label}written in {_NAMES[other]} ({found}), but the workspace's source "
                     f"language is {language} (source_locale)", Location(release.path, line))


_NAMES = {"Hani": "Chinese", "Latn": "Latin letters"}


def _script(language: str) -> str | None:
    """``Hani`` for Chinese, ``Latn`` for a language written in Latin letters, None for any other (or unknown) one."""
    try:
        script = locales.likely_subtags(language)[1]
    except locales.UnknownLocale:
        return None
    if script in ("Hans", "Hant", "Hani"):
        return "Hani"
    return "Latn" if script == "Latn" else None
