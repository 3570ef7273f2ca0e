"""The library API of the later stages: ``duet translate``, ``duet tm`` and ``duet export``.

Split from ``api`` to keep each orchestration module readable in one sitting;
``pipeline.api`` re-exports these functions.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import datetime as dt
import json
import typing as t
from dataclasses import dataclass
from pathlib import Path

from . import locales
from .errors import InputError, PipelineError
from .formats.files import read_bytes, write_all_atomic
from .formats.po import encode_po, read_po
from .model import Catalog, Finding, Location, Release, Segment
from .workspace import Workspace

if t.TYPE_CHECKING:
    from .glossary import TermMatcher
    from .memory import TranslationMemory
    from .translate.derive import DeriveReport
    from .translate.repair import Leveraged
    from .translate.stages import TranslateReport

MEMORY_DB = "memory.sqlite"


@dataclass(frozen=True, slots=True)
class TranslateUpdate:
    """One PO file ``duet translate`` filled (or would have): what each stage did."""

    path: str
    release_id: str
    locale: str
    report: TranslateReport | DeriveReport
    changed: bool


def open_memory(workspace: Workspace) -> TranslationMemory:
    """The workspace's memory under ``.duet/``, refreshed from the files that changed since last time."""
    from .memory import TranslationMemory, workspace_files

    memory = TranslationMemory.open(workspace.cache_dir / MEMORY_DB)
    memory.refresh(workspace_files(workspace))
    return memory


def translate(
    workspace: Workspace,
    names: cabc.Sequence[str] = (),
    *,
    locale: str | None = None,
    progress: cabc.Callable[[str], None] | None = None,
    refused: list[PipelineError] | None = None,
) -> list[TranslateUpdate]:
    """Run the configured stages on every empty entry of the releases' PO files, then derive locales.

    A release that cannot be read goes to ``refused`` (see ``api.load_releases``).
    """
    from .api import load_releases
    from .translate.derive import derive_catalog
    from .memory.lexicon import Lexicon
    from .translate.stages import memory_lookup, pretranslate

    config = workspace.config
    chosen = [locales.normalize(locale)] if locale else list(config.target_locales)
    derived = dict(config.derived_locales)
    source_language = locales.to_bcp47(config.source_locale)
    with workspace.lock(), contextlib.closing(open_memory(workspace)) as memory:
        release_ids = [release.id for release in load_releases(workspace, names, refused=refused)]
        matchers = _term_matchers(workspace, chosen)
        updates: list[tuple[Path, Catalog, TranslateUpdate]] = []
        done: dict[tuple[str, str], Catalog] = {}
        for target in [c for c in chosen if c not in derived] + [c for c in chosen if c in derived]:
            target_language = locales.to_bcp47(target)
            terms = matchers.get(target)
            machine = _machine(workspace, source_language, target_language, terms)
            lexicon = Lexicon(memory, source_language, target_language)
            for release_id in release_ids:
                path = workspace.po_path(target, release_id)
                catalog = _read_existing(workspace, path)
                if target in derived:
                    base_locale = derived[target]
                    base = done.get((base_locale, release_id)) or _read_existing(workspace, workspace.po_path(base_locale, release_id))
                    base_terms = matchers.get(base_locale) or _term_matchers(workspace, [base_locale]).get(base_locale)
                    filled, report = derive_catalog(catalog, base, base_locale=base_locale, terms=terms, base_terms=base_terms)
                else:
                    filled, report = pretranslate(
                        catalog,
                        lookup=memory_lookup(memory, source_language=source_language, target_language=target_language,
                                             threshold=config.translate_threshold, terms=terms),
                        source_language=source_language, target_language=target_language,
                        stages=config.translate_stages, threshold=config.translate_threshold,
                        terms=terms, machine=machine, lexicon=lexicon,
                    )
                done[(target, release_id)] = filled
                updates.append((path, filled, TranslateUpdate(workspace.relative(path), release_id, target, report,
                                                              filled != catalog)))
                if progress is not None:
                    progress(workspace.relative(path))
        write_all_atomic((path, encode_po(filled, path=workspace.relative(path)))
                         for path, filled, update in updates if update.changed)
    return [update for _, _, update in updates]


def _read_existing(workspace: Workspace, path: Path) -> Catalog:
    if not path.is_file():
        raise InputError("no PO file yet; run 'duet extract' first", Location(workspace.relative(path)))
    return read_po(path, display=workspace.relative(path))


def _machine(workspace: Workspace, source_language: str, target_language: str,
             terms: TermMatcher | None) -> cabc.Callable[[list[str]], t.Any] | None:
    config = workspace.config
    if "mt" not in config.translate_stages or config.mt is None:
        return None
    from .translate.mt import MachineTranslator, mt_config_from

    translator = MachineTranslator(mt_config_from(config.mt, config.path or "duet.toml", cache_dir=workspace.cache_dir / "mt"))
    return lambda sources: translator.translate(sources, source_language=source_language,
                                                target_language=target_language, terms=terms)  # fmt: skip


def _term_matchers(workspace: Workspace, targets: cabc.Iterable[str]) -> dict[str, TermMatcher]:
    from .api import term_matchers

    return term_matchers(workspace, set(targets))


# --------------------------------------------------------------------- duet tm


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: str
    units: int
    skipped: int
    unmatched_languages: tuple[str, ...]


def tm_import(workspace: Workspace, file: Path) -> ImportResult:
    """Validate a TMX file and copy it, byte for byte, into ``locales/memory/``."""
    from .formats.tmx import parse_tmx

    data = read_bytes(file)
    document = parse_tmx(data, str(file), source_locale=workspace.config.source_locale,
                         target_locales=workspace.config.target_locales)  # fmt: skip
    if not document.units:
        raise InputError(f"no unit pairs {workspace.config.source_locale} with a target locale "
                         f"({', '.join(workspace.config.target_locales)})", Location(str(file)))  # fmt: skip
    target = workspace.inside(workspace.memory_dir / (file.stem + ".tmx"))
    with workspace.lock():
        write_all_atomic([(target, data)])
    return ImportResult(workspace.relative(target), len(document.units), document.skipped, document.unmatched_languages)


def tm_export(workspace: Workspace, locale: str | None = None) -> tuple[bytes, int]:
    """Every memory unit of one language pair as TMX 1.4b; the date is the newest unit's, never the clock."""
    from importlib.metadata import version

    from .formats.tmx import TranslationUnit, Variant, format_tmx
    from .memory import workspace_files

    target = locales.normalize(locale or workspace.config.target_locales[0])
    source_tag, target_tag = locales.to_bcp47(workspace.config.source_locale), locales.to_bcp47(target)
    units = []
    for file in workspace_files(workspace):
        for unit in file.load():
            if unit.target_language == target_tag and unit.status != "fuzzy":
                units.append(TranslationUnit(
                    Variant(source_tag, unit.source), (Variant(target_tag, unit.target),),
                    creation_date=_tmx_date(unit.creation_date), usage_count=unit.usage_count, origin=unit.origin,
                ))
    newest = max((u.creation_date for u in units if u.creation_date), default=None)
    stamp = _export_date(newest)
    data = format_tmx(units, source_locale=workspace.config.source_locale, target_locale=target,
                      tool_version=version("duet"), creation_date=stamp)  # fmt: skip
    return data, len(units)


def _tmx_date(iso: str) -> str | None:
    """``2026-01-22 17:02+0000`` or ``2026-01-22T17:02`` → ``20260122T170200Z``."""
    digits = "".join(c for c in iso[:16] if c.isdigit())
    return f"{digits[:8]}T{digits[8:12]}00Z" if len(digits) == 12 else None


def _export_date(newest: str | None) -> dt.datetime:
    from .reproducible import fallback_date, source_date

    if newest and source_date() is None:
        return dt.datetime.strptime(newest, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    return fallback_date()


def tm_lookup(workspace: Workspace, text: str, *, locale: str | None = None, min_score: float = 75,
              limit: int = 5) -> list[Leveraged]:
    """The memory's best matches for ``text``, each as repair would propose it, with its edits."""
    from .memory.lexicon import Lexicon
    from .translate.stages import lookup_repaired

    target = locales.normalize(locale or workspace.config.target_locales[0])
    terms = _term_matchers(workspace, [target]).get(target)
    source_language, target_language = locales.to_bcp47(workspace.config.source_locale), locales.to_bcp47(target)
    with contextlib.closing(open_memory(workspace)) as memory:
        return lookup_repaired(memory, text, source_language=source_language, target_language=target_language,
                               min_score=min_score, limit=limit, terms=terms,
                               lexicon=Lexicon(memory, source_language, target_language))


def tm_stats(workspace: Workspace) -> dict[str, t.Any]:
    with contextlib.closing(open_memory(workspace)) as memory:
        return memory.stats()


# ----------------------------------------------------------------- duet export


@dataclass(frozen=True, slots=True)
class ExportResult:
    """One release's bundle: its folder, the files written, the zip, and publish pages refused."""

    release_id: str
    folder: str
    files: tuple[str, ...]
    changed: int  # files whose bytes changed (new ones included)
    zip: str | None
    refused: tuple[str, ...]
    errors: int  # check errors in the release's PO files: the bundle is written but marked not ready


def export(
    workspace: Workspace,
    names: cabc.Sequence[str] = (),
    *,
    zip_bundle: bool = False,
    allow_incomplete: bool = False,
    findings: cabc.Sequence[Finding] | None = None,
    refused: list[PipelineError] | None = None,
) -> list[ExportResult]:
    """Write ``output/<release>/`` for every release: XML, HTML, publish page, TMX, XLIFF per locale, manifest.

    ``findings`` are the checks' findings on these releases' PO files when the
    caller ran them already (``build`` does); otherwise they are run here. A
    release that cannot be read goes to ``refused`` (see ``api.load_releases``).
    """
    with workspace.lock():
        return _export(workspace, names, zip_bundle=zip_bundle, allow_incomplete=allow_incomplete,
                       findings=findings, refused=refused)  # fmt: skip


def _export(workspace: Workspace, names: cabc.Sequence[str], *, zip_bundle: bool, allow_incomplete: bool,
            findings: cabc.Sequence[Finding] | None, refused: list[PipelineError] | None,
            releases: cabc.Sequence[tuple[Release, cabc.Sequence[Segment]]] | None = None) -> list[ExportResult]:
    """Render and write one release's bundle at a time, so memory holds one bundle whatever the workspace's size.

    ``releases`` are the segmented releases when the caller has them already
    (``build`` does), so a build reads and segments each source once; ``names``
    is then unused. Each bundle is written whole before the next is rendered:
    every file staged, then renamed (the manifest last), then the files its old
    manifest listed and this one does not removed. An error leaves the bundles
    before it new and the others old; a run killed between one bundle's renames
    leaves that bundle mixed, its old manifest still in place, until the next
    export.
    """
    from importlib.metadata import version

    from .api import check, load_releases, segment_releases, term_matchers

    config = workspace.config
    tool_version = version("duet")
    matchers = term_matchers(workspace, set(config.target_locales))
    if releases is None:
        releases = segment_releases(workspace, load_releases(workspace, names, refused=refused), refused=refused)
    existing = [p for r, _ in releases for locale in config.target_locales if (p := workspace.po_path(locale, r.id)).is_file()]
    if findings is None:
        findings = check(workspace, existing).findings if existing else []
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.loc.path, []).append(finding)
    return [_export_release(workspace, release, segments, by_file, matchers, tool_version=tool_version,
                            zip_bundle=zip_bundle, allow_incomplete=allow_incomplete)
            for release, segments in releases]  # fmt: skip


def _export_release(workspace: Workspace, release: Release, segments: cabc.Sequence[Segment],
                    by_file: cabc.Mapping[str, cabc.Sequence[Finding]], matchers: cabc.Mapping[str, TermMatcher], *,
                    tool_version: str, zip_bundle: bool, allow_incomplete: bool) -> ExportResult:
    from .bilingual import align
    from .export import bundle, zip_bundle as pack
    from .formats.report import CheckSummary

    config = workspace.config
    source_language = locales.to_bcp47(config.source_locale)
    paths = [workspace.po_path(locale, release.id) for locale in config.target_locales]
    catalogs = [read_po(p, display=workspace.relative(p)) if p.is_file() else None for p in paths]
    aligned = [
        align(release, segments, catalog, locale=locale, source_language=source_language,
              target_language=locales.to_bcp47(locale), terms=matchers.get(locale))
        for locale, catalog in zip(config.target_locales, catalogs, strict=True)
    ]
    mine = [f for p in paths for f in by_file.get(workspace.relative(p), [])]
    summary = CheckSummary.of(mine, files=sum(c is not None for c in catalogs),
                              entries=sum(len(c.live) for c in catalogs if c))  # fmt: skip
    checks = {"errors": summary.errors, "warnings": summary.warnings, "silenced": summary.silenced,
              "by_check": summary.by_check}  # fmt: skip
    made = bundle(aligned, tool_version=tool_version, checks=checks, allow_incomplete=allow_incomplete)
    folder = workspace.bundle_dir(release.id)
    files = [(workspace.inside(folder / name), data) for name, data in made.files.items()]
    zipped = workspace.bundle_zip(release.id) if zip_bundle else None
    if zipped is not None:
        files.insert(-1, (zipped, pack(made.files, release.id)))  # the manifest stays the last file renamed
    changed = [(p, d) for p, d in files if not p.is_file() or p.read_bytes() != d]
    stale = _no_longer_written(folder, set(made.files))  # before the new manifest replaces the old one
    write_all_atomic(changed)
    for path in stale:
        path.unlink(missing_ok=True)
    return ExportResult(release.id, workspace.relative(folder), tuple(sorted(made.files)), len(changed),
                        workspace.relative(zipped) if zipped else None, made.refused, summary.errors)


def _no_longer_written(folder: Path, names: set[str]) -> list[Path]:
    """Files an earlier export wrote in ``folder`` that this one does not: those its manifest lists, and only those.

    Whatever else is in the folder (a web team's notes, a file a link put
    there) was not written by Duet and is left alone; a name that is not a
    plain file name in this folder is never followed.
    """
    try:
        listed = {entry["name"] for entry in json.loads((folder / "manifest.json").read_bytes())["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    plain = {name for name in listed if isinstance(name, str) and name not in ("", ".", "..")
             and name == Path(name).name and "\\" not in name}  # fmt: skip
    return [folder / name for name in sorted(plain - names)
            if (folder / name).is_file() and not (folder / name).is_symlink()]
