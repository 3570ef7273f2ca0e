"""Glossary CSV ↔ ``Term`` values.

The header names the columns: one per language by BCP 47 tag (``en``,
``zh-Hant-HK``; POSIX ``zh_Hant_HK`` is accepted), ``<tag>:variants`` (other
accepted renderings) and ``<tag>:forbidden`` (renderings that must not be
used), both separated by ``;``, and ``case`` (``sensitive`` or
``insensitive``; empty means insensitive, except for acronyms such as
``HKMA``), ``pos`` (TBX-Basic's part of speech: noun, verb, adjective,
adverb, other) and ``note``. Every refusal names the file and line.

>>> terms = parse_glossary_csv('en,zh_Hant_HK,zh-Hant-HK:forbidden\\ncross-boundary,跨境,跨界\\n', "g.csv")
>>> terms[0].rendering("zh-Hant-HK")
Rendering(approved='跨境', variants=(), forbidden=('跨界',))
>>> print(format_glossary_csv(terms), end="")
en,zh-Hant-HK,zh-Hant-HK:forbidden
cross-boundary,跨境,跨界
"""

from __future__ import annotations

import collections.abc as cabc
import csv
import io
import os
import re

from .. import locales
from ..errors import InputError
from ..model import Location, Rendering, Term
from .files import read_text, write_atomic

CASE_VALUES = ("sensitive", "insensitive")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")  # TBX-Basic's picklist
_FIELDS = ("case", "pos", "note")
_LISTS = ("variants", "forbidden")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]*[A-Z0-9]")


def read_glossary_csv(path: str | os.PathLike[str], display: str | None = None) -> tuple[Term, ...]:
    """Read a glossary CSV file; each term's ``loc`` is the line its row starts on."""
    shown = display or str(path)
    return parse_glossary_csv(read_text(path, display=shown), shown)


def parse_glossary_csv(text: str, display: str) -> tuple[Term, ...]:
    """Parse glossary CSV text (see the module docstring)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    terms: list[Term] = []
    columns: list[tuple[str, str]] | None = None
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"bad CSV: {exc}", Location(display, line)) from exc
        if columns is None:
            columns = _header(row, Location(display, line))
        elif any(cell.strip() for cell in row):
            terms.append(_term(row, columns, Location(display, line)))
        line = reader.line_num + 1
    if columns is None:
        raise InputError("empty glossary: no header row", Location(display, 1))
    return tuple(terms)


def csv_languages(text: str, display: str) -> list[str]:
    """The language columns of glossary CSV text, in order (an all-empty column included)."""
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), strict=True), [])
    except csv.Error as exc:
        raise InputError(f"bad CSV: {exc}", Location(display, 1)) from exc
    return [language for language, kind in _header(row, Location(display, 1)) if kind == "term"]


def _header(row: list[str], loc: Location) -> list[tuple[str, str]]:
    """Each column as ``(language, kind)``: kind is "term", "variants" or "forbidden"; or ``("", field)``."""
    columns: list[tuple[str, str]] = []
    for cell in row:
        name = cell.strip()
        if name.lower() in _FIELDS:
            column = ("", name.lower())
        else:
            tag, sep, kind = name.partition(":")
            kind = kind.strip().lower() if sep else "term"
            if sep and kind not in _LISTS:
                raise InputError(f"unknown column '{name}': after ':' use 'variants' or 'forbidden'", loc)
            try:
                column = (locales.to_bcp47(tag.strip()), kind)
            except locales.UnknownLocale as exc:
                raise InputError(
                    f"unknown column '{name}': expected a language tag (en, zh-Hant-HK), "
                    f"<tag>:variants, <tag>:forbidden, case, pos or note",
                    loc,
                ) from exc
        if column in columns:
            raise InputError(f"column '{name}' appears twice", loc)
        columns.append(column)
    languages = [language for language, kind in columns if kind == "term"]
    if not languages:
        raise InputError("no language column: the header needs at least one, such as 'en'", loc)
    for language, kind in columns:
        if kind in _LISTS and language not in languages:
            raise InputError(f"column '{language}:{kind}' has no '{language}' column", loc)
    return columns


def _term(row: list[str], columns: list[tuple[str, str]], loc: Location) -> Term:
    if len(row) != len(columns):
        raise InputError(f"row has {len(row)} cells, the header has {len(columns)}", loc)
    approved: dict[str, str] = {}
    lists: dict[tuple[str, str], tuple[str, ...]] = {}
    fields = dict.fromkeys(_FIELDS, "")
    for (language, kind), cell in zip(columns, row):
        if not language:
            fields[kind] = cell.strip()
        elif kind == "term":
            approved[language] = cell.strip()
        else:
            lists[(language, kind)] = split_list(cell)
    renderings = tuple(
        (language, Rendering(text, lists.get((language, "variants"), ()), lists.get((language, "forbidden"), ())))
        for language, text in approved.items()
    )
    if not any(r.approved or r.variants for _, r in renderings):
        raise InputError("row has no term in any language", loc)
    case = fields["case"].lower()
    if case and case not in CASE_VALUES:
        raise InputError(f"case must be 'sensitive' or 'insensitive', not '{fields['case']}'", loc)
    pos = fields["pos"].lower()
    if pos and pos not in PARTS_OF_SPEECH:
        raise InputError(f"pos must be one of {', '.join(PARTS_OF_SPEECH)} (TBX-Basic), not '{fields['pos']}'", loc)
    sensitive = case == "sensitive" if case else default_case_sensitive(renderings)
    return Term(renderings, case_sensitive=sensitive, pos=pos, note=fields["note"], loc=loc)


def split_list(cell: str) -> tuple[str, ...]:
    """``"a; b;;a"`` → ``("a", "b")``: trimmed, empty and repeated items dropped."""
    return tuple(dict.fromkeys(item.strip() for item in cell.split(";") if item.strip()))


def default_case_sensitive(renderings: cabc.Iterable[tuple[str, Rendering]]) -> bool:
    """Acronyms (``HKMA``, ``SFC``) match their exact case unless the glossary says otherwise.

    >>> default_case_sensitive([("en", Rendering("HKMA"))]), default_case_sensitive([("en", Rendering("Hong Kong"))])
    (True, False)
    """
    return any(_ACRONYM.fullmatch(r.approved) for _, r in renderings)


def languages_of(terms: cabc.Iterable[Term]) -> list[str]:
    """Every language of ``terms``, in order of first appearance."""
    return list(dict.fromkeys(language for term in terms for language, _ in term.renderings))


def format_glossary_csv(terms: cabc.Sequence[Term]) -> str:
    """Glossary CSV text: languages in order of first appearance, each followed by its
    variants and forbidden columns where any term has them, then case, pos and note
    where any term sets them.
    """
    columns: list[tuple[str, str]] = []
    for language in languages_of(terms):
        columns.append((language, "term"))
        rendered = [t.rendering(language) for t in terms]
        for kind in _LISTS:
            if any(r is not None and getattr(r, kind) for r in rendered):
                columns.append((language, kind))
    if any(t.case_sensitive != default_case_sensitive(t.renderings) for t in terms):
        columns.append(("", "case"))
    for name in ("pos", "note"):
        if any(getattr(t, name) for t in terms):
            columns.append(("", name))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"{language}:{kind}" if language and kind != "term" else language or kind for language, kind in columns])
    for term in terms:
        writer.writerow([_cell(term, language, kind) for language, kind in columns])
    return out.getvalue()


def _cell(term: Term, language: str, kind: str) -> str:
    if not language:
        if kind == "case":
            return "" if term.case_sensitive == default_case_sensitive(term.renderings) else CASE_VALUES[not term.case_sensitive]
        return str(getattr(term, kind))
    rendering = term.rendering(language)
    if rendering is None:
        return ""
    if kind == "term":
        return rendering.approved
    return "; ".join(getattr(rendering, kind))


def write_glossary_csv(path: str | os.PathLike[str], terms: cabc.Sequence[Term]) -> None:
    """Write ``terms`` as glossary CSV, atomically."""
    write_atomic(path, format_glossary_csv(terms))
