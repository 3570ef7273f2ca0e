"""The termbase: a glossary file → ``Glossary`` (terms, languages, matchers, lint).

>>> from pipeline.model import Rendering, Term
>>> glossary = Glossary([Term((("en", Rendering("fintech")), ("zh-HK", Rendering("金融科技"))))])
>>> glossary.column_for("zh_Hant_HK"), glossary.column_for("zh_Hans_CN")
('zh-HK', None)
>>> [h.expected.approved for h in glossary.matcher("en", "zh_Hant_HK").find("Fintech week")]
['金融科技']
"""

from __future__ import annotations

import collections.abc as cabc
import os
import typing as t
from pathlib import Path


from .. import locales
from ..errors import InputError
from ..model import Location, Term
from .matcher import TermMatcher

if t.TYPE_CHECKING:
    from .lint import LintIssue

SUFFIXES = (".csv", ".tbx")


class Glossary:
    """Terms with their renderings in ``languages`` (BCP 47 tags, in column order)."""

    def __init__(self, terms: cabc.Iterable[Term], *, path: str = "", languages: cabc.Sequence[str] = ()) -> None:
        self.terms = tuple(terms)
        self.path = path
        seen = dict.fromkeys(languages)
        seen.update(dict.fromkeys(tag for term in self.terms for tag, _ in term.renderings))
        self.languages = tuple(seen)
        self._matchers: dict[tuple[str, str], TermMatcher] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<Glossary {self.path or '(memory)'}: {len(self.terms)} terms, {', '.join(self.languages)}>"

    def column_for(self, locale: str) -> str | None:
        """The language column serving ``locale`` (POSIX or BCP 47): the same tag, else the
        closest one of the same language and script once both are expanded with CLDR's
        likely subtags (``zh_Hant_HK`` is served by ``zh-HK`` or ``zh-Hant``, never by
        ``zh-Hans-CN``); ``None`` when no column fits.
        """
        wanted = locales.to_bcp47(locale)
        if wanted in self.languages:
            return wanted
        language, script, territory = _maximize(wanted)
        best: tuple[int, str] | None = None
        for index, column in enumerate(self.languages):
            c_language, c_script, c_territory = _maximize(column)
            if (c_language, c_script) != (language, script):
                continue
            rank = (0 if c_territory == territory else 1, index)
            if best is None or rank < best:
                best = rank  # type: ignore[assignment]
        return self.languages[best[1]] if best else None

    def matcher(self, source_locale: str, target_locale: str) -> TermMatcher:
        """The (cached) matcher from ``source_locale`` to ``target_locale``."""
        source = self._column(source_locale, "source")
        target = self._column(target_locale, "target")
        if (source, target) not in self._matchers:
            self._matchers[(source, target)] = TermMatcher(self.terms, source, target)
        return self._matchers[(source, target)]

    def _column(self, locale: str, role: str) -> str:
        column = self.column_for(locale)
        if column is None:
            raise InputError(f"the glossary has no column for the {role} locale {locale} "
                             f"(columns: {', '.join(self.languages) or 'none'})", Location(self.path) if self.path else None)
        return column

    def lint(self, source_locale: str = "en") -> list[LintIssue]:
        """Problems in the glossary itself (see ``pipeline.glossary.lint``)."""
        from .lint import lint_glossary

        return lint_glossary(self, self._column(source_locale, "source"))


def _maximize(tag: str) -> tuple[str, str, str]:
    """Language, script and territory of ``tag`` with CLDR's likely subtags filled in; a tag CLDR does not know fits none."""
    try:
        return locales.likely_subtags(tag)[:3]
    except locales.UnknownLocale:
        return (tag, "", "")


def load_glossary(path: str | os.PathLike[str], *, display: str | None = None) -> Glossary:
    """Read a glossary file: ``.csv`` or ``.tbx`` by its suffix."""
    shown = display or str(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        from ..formats.files import read_text
        from ..formats.glossary_csv import csv_languages, parse_glossary_csv

        text = read_text(path, display=shown)
        return Glossary(parse_glossary_csv(text, shown), path=shown, languages=csv_languages(text, shown))
    if suffix == ".tbx":
        from ..formats.tbx import read_tbx

        return Glossary(read_tbx(path, shown), path=shown)
    raise InputError(f"unknown glossary format '{suffix or Path(path).name}': use .csv or .tbx", Location(shown))


def dump_glossary(path: str | os.PathLike[str], terms: cabc.Sequence[Term]) -> None:
    """Write ``terms`` to ``path``, as CSV or TBX by its suffix, atomically."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        from ..formats.glossary_csv import write_glossary_csv

        write_glossary_csv(path, terms)
    elif suffix == ".tbx":
        from ..formats.tbx import write_tbx

        write_tbx(path, terms)
    else:
        raise InputError(f"unknown glossary format '{suffix or Path(path).name}': use .csv or .tbx", Location(str(path)))


def format_glossary(terms: cabc.Sequence[Term], fmt: str) -> bytes:
    """The bytes of a ``csv`` or ``tbx`` glossary file."""
    if fmt == "csv":
        from ..formats.glossary_csv import format_glossary_csv

        return format_glossary_csv(terms).encode("utf-8")
    from ..formats.tbx import format_tbx

    return format_tbx(terms)

