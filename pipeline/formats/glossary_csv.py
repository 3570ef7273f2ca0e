"""Glossary CSV ↔ ``Term`` values.

The header names the columns: one per language by BCP 47 tag (``en``,
``zh-Hant-HK``; POSIX ``zh_Hant_HK`` is accepted), ``<tag>:variants`` (other
accepted renderings) and ``<tag>:forbidden`` (renderings that must not be
used), both separated by ``;``, and ``case`` (``sensitive`` or
``insensitive``; empty means insensitive, except for acronyms such as
``HKMA``), ``pos`` (TBX-Basic's part of speech: noun, verb, adjective,
adverb, other) and ``note``. Every refusal names the file and line; a
character XML cannot hold (NUL and the other C0 controls but tab and
newlines, U+FFFE, U+FFFF) is refused, since every glossary must be writable
as TBX.

A cell Duet writes that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be a formula to a spreadsheet (CSV injection): as OWASP
recommends, it is written with a leading ``'``, so that a spreadsheet shows
it as text instead of evaluating it. Reading drops one ``'`` before those characters, so
a file Duet wrote reads back to the same terms (``+852``, ``-ism``); to
write the term ``'=x`` by hand, double the quote (``''=x``).

>>> terms = parse_glossary_csv('en,zh_Hant_HK,zh-Hant-HK:forbidden\\ncross-boundary,跨境,跨界\\n', "g.csv")
>>> terms[0].rendering("zh-Hant-HK")
Rendering(approved='跨境', variants=(), forbidden=('跨界',))
>>> print(format_glossary_csv(terms), end="")
en,zh-Hant-HK,zh-Hant-HK:forbidden
cross-boundary,跨境,跨界
>>> print(format_glossary_csv(parse_glossary_csv('en,note\\n+852,=HYPERLINK("x")\\n', "g.csv")), end="")
en,note
'+852,"'=HYPERLINK(""x"")"
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
from .xml_safe import NOT_XML

CASE_VALUES = ("sensitive", "insensitive")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")  # TBX-Basic's picklist
_FIELDS = ("case", "pos", "note")
_LISTS = ("variants", "forbidden")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]*[A-Z0-9]")
# OWASP, "CSV Injection": a spreadsheet evaluates a cell starting with one of these; quotes before them are ours.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def read_glossary_csv(path: str | os.PathLike[str], display: str | None = None) -> tuple[Term, ...]:
    """Read a glossary CSV file; each term's ``loc`` is the line its row starts on."""
    shown = display or str(path)
    return parse_glossary_csv(read_text(path, display=shown), shown)


def parse_glossary_csv(text: str, display: str) -> tuple[Term, ...]:
    """Parse glossary CSV text (see the module docstring)."""
    bad = NOT_XML.search(text)
    if bad:
        raise InputError(f"character U+{ord(bad[0]):04X} is not allowed in a glossary (XML and TBX cannot hold it)",
                         Location(display, text.count("\n", 0, bad.start()) + 1))
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
    for (language, kind), written in zip(columns, row):
        cell = written[1:] if written.startswith("'") and _FORMULA.match(written) else written
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
    header = [f"{language}:{kind}" if language and kind != "term" else language or kind for language, kind in columns]
    rows = [[_neutralised(_cell(term, language, kind)) for language, kind in columns] for term in terms]
    return "".join(_csv_line(row) for row in [header, *rows])


def _csv_line(cells: list[str]) -> str:
    """One CSV row ending in LF; written with CRLF first, since the csv module quotes a lone CR only then."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()[:-2] + "\n"


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


def _neutralised(cell: str) -> str:
    """``'=1+1`` for ``=1+1``, which a spreadsheet would evaluate; ``''=1`` for ``'=1``, which reading would unquote."""
    return "'" + cell if _FORMULA.match(cell) else cell


def write_glossary_csv(path: str | os.PathLike[str], terms: cabc.Sequence[Term]) -> None:
    """Write ``terms`` as glossary CSV, atomically."""
    write_atomic(path, format_glossary_csv(terms))
