"""What ``duet align`` does in a workspace: read and check the files, pair, align, write the memory.

The workspace decides the direction (its source language's file comes
first), lends its glossary and segmentation rules, and receives the TMX in
``locales/memory/``. Everything is read and checked before anything is
written, and the TMX is written in one atomic rename: bad input never
leaves a partial file.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .. import locales
from ..errors import InputError
from ..formats.files import read_text, write_all_atomic
from ..formats.tmx import format_tmx
from ..glossary import load_glossary
from ..ingest import read_source
from ..model import Location, Release
from ..reproducible import fallback_date, tool_version
from ..segment import load_rules
from ..workspace import RELEASE_ID, SOURCE_SUFFIXES, Workspace
from .anchors import AnchorReader
from .documents import AlignedReleases, align_releases, read_release
from .inputs import check_language, check_not_empty, check_proportion, language_of
from .length import text_length
from .links import Link
from .memory import MemoryUnits, memory_units
from .pairing import Pairing, pair_releases, release_facts
from .remembered import workspace_renderings
from .sentences import align_sentences


@dataclass(frozen=True, slots=True)
class Direction:
    """The workspace's two languages as BCP 47 tags, and which of them is English."""

    source: str
    target: str

    @property
    def source_key(self) -> str:
        return _primary(self.source)

    @property
    def target_key(self) -> str:
        return _primary(self.target)


@dataclass(frozen=True, slots=True)
class SegmentedAlignment:
    source: list[str]
    target: list[str]
    links: list[Link]
    direction: Direction


@dataclass(frozen=True, slots=True)
class AlignmentReport:
    """What ``duet align EN ZH`` did: the pairs aligned, the releases left unpaired, the memory written."""

    direction: Direction
    aligned: tuple[AlignedReleases, ...]
    pairing: Pairing | None  # None when two files were given, paired by the user
    memory: MemoryUnits
    written: str | None  # the TMX file, workspace-relative; None without --into


def direction(workspace: Workspace) -> Direction:
    """English → Chinese or Chinese → English, from the configuration; any other pair is refused."""
    source = locales.to_bcp47(workspace.config.source_locale)
    target = locales.to_bcp47(workspace.config.target_locales[0])
    if {_primary(source), _primary(target)} != {"en", "zh"}:
        where = Location(workspace.config.path or str(workspace.root))
        raise InputError(f"duet align pairs English with Chinese; the workspace translates {source} to {target}", where)
    return Direction(source, target)


def align_segmented(workspace: Workspace, source_path: Path, target_path: Path) -> SegmentedAlignment:
    """Align two files of one sentence per line, as they are (the gold-set format).

    A workspace with a memory lends its word translations (``remembered``).
    """
    way = direction(workspace)
    source_text, target_text = read_text(source_path), read_text(target_path)
    for text, path, language, role in ((source_text, source_path, way.source_key, "first file"),
                                       (target_text, target_path, way.target_key, "second file")):
        check_not_empty(text, str(path))
        check_language(list(enumerate(text.splitlines(), start=1)), language, str(path), role)
    source, target = source_text.splitlines(), target_text.splitlines()
    _check_proportion(way, sum(map(text_length, source)), sum(map(text_length, target)), source_path, target_path)
    with workspace_renderings(workspace, way.source, way.target) as renderings:
        links = align_sentences(source, target, way.source, way.target, reader=_reader(workspace, way),
                                renderings=renderings)
    return SegmentedAlignment(source, target, links, way)


def align_into(workspace: Workspace, source_path: Path, target_path: Path, *, into: str | None = None,
               min_confidence: float = 0.0) -> AlignmentReport:  # fmt: skip
    """Align two releases, or pair and align two folders of releases; write ``locales/memory/INTO.tmx``."""
    way = direction(workspace)
    target_file = _memory_file(workspace, into) if into is not None else None
    reader = _reader(workspace, way)
    rules = load_rules(workspace.segmentation_rules)
    if source_path.is_dir() or target_path.is_dir():
        sources = _read_folder(source_path, way.source, way.source_key, "first folder")
        targets = _read_folder(target_path, way.target, way.target_key, "second folder")
        read_sources = [read_release(r, reader.source, rules) for r in sources]
        read_targets = [read_release(r, reader.target, rules) for r in targets]
        pairing = pair_releases([release_facts(r) for r in read_sources], [release_facts(r) for r in read_targets],
                                source_is_english=way.source_key == "en")
        by_release = {id(r.release): r for r in (*read_sources, *read_targets)}
        pairs = [(by_release[id(p.source)], by_release[id(p.target)]) for p in pairing.pairs]
    else:
        source = _read_release(source_path, way.source, way.source_key, "first file")
        target = _read_release(target_path, way.target, way.target_key, "second file")
        _check_proportion(way, _release_length(source), _release_length(target), source_path, target_path)
        pairing, pairs = None, [(read_release(source, reader.source, rules), read_release(target, reader.target, rules))]
    aligned = tuple(align_releases(s, t) for s, t in pairs)
    units = memory_units(aligned, way.source, way.target, min_confidence=min_confidence)
    written = None
    if target_file is not None:
        _write_memory(workspace, target_file, units, way)
        written = workspace.relative(target_file)
    return AlignmentReport(way, aligned, pairing, units, written)


def pair_paths(workspace: Workspace, paths: cabc.Sequence[Path]) -> tuple[Direction, Pairing]:
    """Pair the releases among ``paths`` (files or folders, both languages mixed): each file's language is read from its text."""
    way = direction(workspace)
    releases = [_read_any(file, way) for file in _files(paths)]
    reader = _reader(workspace, way)
    rules = load_rules(workspace.segmentation_rules)
    sources = [read_release(r, reader.source, rules) for r in releases if _primary(r.meta.language) == way.source_key]
    targets = [read_release(r, reader.target, rules) for r in releases if _primary(r.meta.language) == way.target_key]
    pairing = pair_releases([release_facts(r) for r in sources], [release_facts(r) for r in targets],
                            source_is_english=way.source_key == "en")
    return way, pairing


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _reader(workspace: Workspace, way: Direction) -> AnchorReader:
    """Anchors with the workspace's glossary terms, when it has a glossary with both languages."""
    path = workspace.glossary_path
    if path is None or not path.is_file():
        return AnchorReader(way.source, way.target)
    glossary = load_glossary(path, display=workspace.relative(path))
    if glossary.column_for(way.source) is None or glossary.column_for(way.target) is None:
        return AnchorReader(way.source, way.target)
    return AnchorReader(way.source, way.target, source_terms=glossary.matcher(way.source, way.target),
                        target_terms=glossary.matcher(way.target, way.source))


def _memory_file(workspace: Workspace, name: str) -> Path:
    if not RELEASE_ID.fullmatch(name):
        raise InputError(f"{name!r} is not a memory name: letters, digits, '.', '_' and '-', starting with a "
                         "letter or digit", Location("--into"))  # fmt: skip
    return workspace.inside(workspace.memory_dir / f"{name}.tmx")


def _read_release(path: Path, language: str, key: str, role: str) -> Release:
    shown = str(path)  # as the user typed it
    if path.suffix.lower() == ".txt":
        check_not_empty(read_text(path, display=shown), shown)
    release = read_source(path, display=shown, language=language)
    check_language([(p.line, p.text) for p in release.paragraphs], key, shown, role)
    return release


def _read_any(path: Path, way: Direction) -> Release:
    """A release in either language: the language its text is written in decides."""
    release = read_source(path, display=str(path), language=way.source)
    found = language_of("\n".join(p.text for p in release.paragraphs))
    return replace(release, meta=replace(release.meta, language=way.source if found == way.source_key else way.target))


def _files(paths: cabc.Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
        else:
            found.append(path)
    return found


def _read_folder(folder: Path, language: str, key: str, role: str) -> list[Release]:
    if not folder.is_dir():
        raise InputError("give two folders or two files, not one of each", Location(str(folder)))
    files = _files([folder])
    if not files:
        raise InputError("no release in this folder (.txt, .html or .htm files)", Location(str(folder)))
    return [_read_release(file, language, key, role) for file in files]


def _release_length(release: Release) -> int:
    return sum(text_length(p.text) for p in release.paragraphs)


def _check_proportion(way: Direction, source_length: int, target_length: int, source_path: Path,
                      target_path: Path) -> None:  # fmt: skip
    if way.source_key == "en":
        check_proportion(source_length, target_length, str(source_path), str(target_path))
    else:
        check_proportion(target_length, source_length, str(target_path), str(source_path))


def _write_memory(workspace: Workspace, path: Path, units: MemoryUnits, way: Direction) -> None:
    if not units.units:
        raise InputError("no link is confident enough to write: lower --min-confidence", Location(workspace.relative(path)))
    dates = [u.creation_date for u in units.units if u.creation_date]
    stamp = _parse_tmx_date(max(dates)) if dates else fallback_date()
    data = format_tmx(units.units, source_locale=way.source, target_locale=way.target, tool_version=tool_version(),
                      creation_date=stamp)
    with workspace.lock():
        write_all_atomic([(path, data)])


def _parse_tmx_date(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
