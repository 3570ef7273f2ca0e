"""What ``duet glossary import|export|lookup|lint`` do, on a workspace."""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Location, Rendering
from .lint import LintIssue
from .matcher import TermHit
from .termbase import SUFFIXES, Glossary, dump_glossary, format_glossary, load_glossary

if t.TYPE_CHECKING:
    from ..workspace import Workspace

DEFAULT_PATH = "locales/glossary.csv"


def glossary_path(workspace: Workspace) -> Path:
    """The workspace's glossary file, or where ``import`` creates one (``locales/glossary.csv``)."""
    return workspace.glossary_path or workspace.inside(workspace.root / DEFAULT_PATH)


def workspace_glossary(workspace: Workspace) -> Glossary:
    """Load the workspace's glossary; refused with a clear error when there is none."""
    path = workspace.glossary_path
    if path is None or not path.is_file():
        shown = workspace.relative(path) if path else workspace.relative(workspace.locales_dir)
        raise InputError("no glossary: create locales/glossary.csv or run 'duet glossary import FILE'", Location(shown))
    return load_glossary(path, display=workspace.relative(path))


@dataclass(frozen=True, slots=True)
class ImportResult:
    source: str
    path: str
    terms: int
    languages: tuple[str, ...]


def import_glossary(workspace: Workspace, source: Path) -> ImportResult:
    """Read ``source`` (CSV or TBX; every error refused with its line) and write it as the
    workspace's glossary, in the format of the glossary path's suffix. The old file is replaced.
    """
    glossary = load_glossary(source)
    target = glossary_path(workspace)
    if target.suffix.lower() not in SUFFIXES:
        raise InputError("the glossary must be a .csv or .tbx file", Location(workspace.relative(target)))
    with workspace.lock():
        dump_glossary(target, glossary.terms)
    return ImportResult(str(source), workspace.relative(target), len(glossary), glossary.languages)


def export_glossary(workspace: Workspace, fmt: str) -> bytes:
    """The workspace's glossary as ``csv`` or ``tbx`` bytes."""
    return format_glossary(workspace_glossary(workspace).terms, fmt)


@dataclass(frozen=True, slots=True)
class Lookup:
    """A term found in a text, with its rendering in every target locale and the terms nested in it."""

    hit: TermHit
    renderings: tuple[tuple[str, Rendering], ...]  # (target locale, rendering)
    inner: tuple[Lookup, ...] = ()

    def to_json(self) -> dict[str, t.Any]:
        """The object ``duet glossary lookup --format json`` prints."""
        term = self.hit.term
        return {
            "text": self.hit.text, "start": self.hit.start, "end": self.hit.end,
            "line": term.loc.line if term.loc else None,
            "renderings": {locale: {"approved": r.approved, "variants": list(r.variants), "forbidden": list(r.forbidden)}
                           for locale, r in self.renderings},
            "case": "sensitive" if term.case_sensitive else "insensitive",
            "pos": term.pos, "note": term.note,
            "inner": [inner.to_json() for inner in self.inner],
        }


def lookup(workspace: Workspace, text: str) -> list[Lookup]:
    """The glossary terms in ``text`` (in the workspace's source language), each with its nested terms."""
    glossary = workspace_glossary(workspace)
    config = workspace.config
    columns = [(locale, glossary.column_for(locale)) for locale in config.target_locales]
    matcher = glossary.matcher(config.source_locale, config.source_locale)  # renderings come from every target column
    return [_lookup(hit, columns) for hit in matcher.find(text)]


def _lookup(hit: TermHit, columns: cabc.Sequence[tuple[str, str | None]]) -> Lookup:
    renderings = tuple((locale, (hit.term.rendering(column) if column else None) or Rendering("")) for locale, column in columns)
    return Lookup(hit, renderings, tuple(_lookup(inner, columns) for inner in hit.inner))


def lint(workspace: Workspace) -> tuple[Glossary, list[LintIssue]]:
    """The workspace's glossary and the problems in it, with the workspace's source locale as the source column."""
    glossary = workspace_glossary(workspace)
    return glossary, glossary.lint(workspace.config.source_locale)
