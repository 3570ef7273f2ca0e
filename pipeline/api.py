"""The library API: what the ``duet`` commands do, callable from Python.

Each function takes a ``Workspace`` (or plain values), runs the stages and
touches files only through ``formats``. The CLI adds argument parsing and
output on top and nothing else.
"""

from __future__ import annotations

import collections
import collections.abc as cabc
import contextlib
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import locales
from .errors import InputError, PipelineError
from .formats.files import write_all_atomic, write_atomic
from .formats.po import encode_po, read_po
from .model import Catalog, Finding, Location, Release, Segment
from .workspace import Workspace, check_release_id, init_workspace, open_workspace

if t.TYPE_CHECKING:
    import requests

    from .catalog import MergeReport
    from .segment import SrxRules

    from .glossary import TermMatcher

    from .formats.web import FetchPolicy

__all__ = [
    "open_workspace",
    "init_workspace",
    "segment",
    "load_releases",
    "fetch",
    "build",
    "extract",
    "check",
    "translate",
    "export",
    "open_memory",
    "tm_import",
    "tm_export",
    "tm_lookup",
    "tm_stats",
    "CatalogUpdate",
    "ExportResult",
    "ImportResult",
    "TranslateUpdate",
    "CheckResult",
    "FetchResult",
    "ReleaseSummary",
]

def segment(text: str, lang: str, *, rules_path: Path | None = None) -> list[Segment]:
    """Split raw text into sentences; blank lines separate paragraphs."""
    from .segment import load_rules, segment_document

    return segment_document(text, lang, load_rules(rules_path))


def workspace_rules(workspace: Workspace) -> SrxRules:
    """The workspace's own SRX rules where configured, else Duet's defaults."""
    from .segment import load_rules

    return load_rules(workspace.segmentation_rules)


def load_releases(workspace: Workspace, names: cabc.Sequence[str] = (), *,
                  refused: list[PipelineError] | None = None) -> list[Release]:
    """Read the named releases (ids, or file names in ``sources/``), or every release.

    A release that cannot be read (a bad file name, a link out of the
    workspace, a file with no text) stops the run, unless ``refused`` is given:
    then its error is added there and the other releases go on.
    """
    from .ingest import read_source

    files = workspace.source_files()
    if names:
        by_id = {f.stem: f for f in files}
        missing = [n for n in names if Path(n).stem not in by_id]
        if missing:
            raise InputError(f"no source release named '{missing[0]}'", Location(workspace.relative(workspace.sources_dir)))
        files = [by_id[Path(n).stem] for n in names]
    language = locales.to_bcp47(workspace.config.source_locale)
    releases = []
    for file in files:
        shown = workspace.relative(file)
        try:
            workspace.inside(file)
            check_release_id(file.stem, Location(shown))
            releases.append(read_source(file, display=shown, language=language))
        except PipelineError as exc:
            _refuse(exc, refused)
    return releases


def segment_releases(workspace: Workspace, releases: cabc.Sequence[Release], *,
                     refused: list[PipelineError] | None = None) -> list[tuple[Release, tuple[Segment, ...]]]:
    """Each release with its sentences; one the rules cannot segment is refused like an unreadable one."""
    from .segment import segment_release

    rules = workspace_rules(workspace)
    segmented = []
    for release in releases:
        try:
            segmented.append((release, segment_release(release, rules)))
        except PipelineError as exc:
            _refuse(exc, refused)
    return segmented


def _refuse(error: PipelineError, refused: list[PipelineError] | None) -> None:
    if refused is None:
        raise error
    refused.append(error)


@dataclass(frozen=True, slots=True)
class CatalogUpdate:
    """One file ``duet extract`` wrote or would write: a template or a locale's PO."""

    path: str
    release_id: str
    locale: str | None  # None for the template
    messages: int
    changed: bool  # the file is new or its bytes differ
    report: MergeReport | None = None  # None for the template
    catalog: Catalog | None = None


def extract(
    workspace: Workspace,
    names: cabc.Sequence[str] = (),
    *,
    check_only: bool = False,
    purge_obsolete: bool = False,
    refused: list[PipelineError] | None = None,
) -> list[CatalogUpdate]:
    """Write each release's template and merge it into every target locale's PO file.

    Every file is read, merged and rendered before the first one is written, so
    a broken PO file stops the run with nothing written; each write is atomic.
    With ``check_only``, nothing is written: the result says what would change.
    A release that cannot be read goes to ``refused`` (see ``load_releases``).
    """
    with contextlib.nullcontext() if check_only else workspace.lock():
        releases = segment_releases(workspace, load_releases(workspace, names, refused=refused), refused=refused)
        return _extract(workspace, releases, check_only=check_only, purge_obsolete=purge_obsolete)


def _extract(workspace: Workspace, releases: cabc.Sequence[tuple[Release, cabc.Sequence[Segment]]], *,
             check_only: bool = False, purge_obsolete: bool = False) -> list[CatalogUpdate]:
    from .catalog import extract_template, merge_catalog

    config = workspace.config
    with contextlib.nullcontext() if check_only else workspace.lock():
        planned: list[tuple[Path, bytes, CatalogUpdate]] = []
        for release, segments in releases:
            template = extract_template(release, segments)
            planned.append(_plan(workspace, workspace.template_path(release.id), template, release.id, None, None))
            for locale in config.target_locales:
                path = workspace.po_path(locale, release.id)
                old = read_po(path, display=workspace.relative(path)) if path.exists() else None
                merged, report = merge_catalog(
                    old, template, locale=locale, source_language=config.source_locale,
                    threshold=config.fuzzy_threshold, purge_obsolete=purge_obsolete,
                )
                planned.append(_plan(workspace, path, merged, release.id, locale, report))
        if not check_only:
            write_all_atomic((path, data) for path, data, update in planned if update.changed)
    return [update for _, _, update in planned]


def _plan(workspace: Workspace, path: Path, catalog: Catalog, release_id: str, locale: str | None,
          report: MergeReport | None) -> tuple[Path, bytes, CatalogUpdate]:
    data = encode_po(catalog, path=workspace.relative(path))
    try:
        changed = path.read_bytes() != data
    except FileNotFoundError:
        changed = True
    live = sum(1 for m in catalog.messages if not m.obsolete)
    return path, data, CatalogUpdate(workspace.relative(path), release_id, locale, live, changed, report, catalog)


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    """What ``duet build`` reports for one release."""

    id: str
    path: str
    language: str
    paragraphs: int
    segments: int
    kinds: dict[str, int]
    locales: dict[str, dict[str, int]]  # locale -> translated / fuzzy / untranslated messages
    files_written: int
    findings: dict[str, dict[str, int]]  # locale -> "errors" / "warnings" the checks reported (silenced ones left out)
    bundle: ExportResult


def build(
    workspace: Workspace, names: cabc.Sequence[str] = (), *, progress: cabc.Callable[[str], None] | None = None,
    refused: list[PipelineError] | None = None,
) -> list[ReleaseSummary]:
    """Run the whole pipeline: ingest, segment, extract and merge every PO file, translate, check, export.

    Bundles are written even when the checks find errors; their manifests say
    they are not ready. ``progress`` is called with the name of each stage as
    it starts and each PO file as it is translated. A release that cannot be
    read goes to ``refused`` and the others are built (see ``load_releases``).
    The workspace stays locked from the first read to the last write.
    """
    with workspace.lock():
        return _build(workspace, names, progress or (lambda _: None), refused)


def _build(workspace: Workspace, names: cabc.Sequence[str], step: cabc.Callable[[str], None],
           refused: list[PipelineError] | None) -> list[ReleaseSummary]:
    step("extract")
    releases = segment_releases(workspace, load_releases(workspace, names, refused=refused), refused=refused)
    updates = _extract(workspace, releases)
    po_files = {u.path: (u.release_id, u.locale) for u in updates if u.locale}
    written = {u.path: u.release_id for u in updates if u.changed}
    del updates  # every merged catalog of the workspace: not to be held through the stages that follow
    step("translate")
    translated = translate(workspace, [release.id for release, _ in releases], progress=step) if releases else []
    written.update((u.path, u.release_id) for u in translated if u.changed)
    step("check")
    findings = check(workspace, [workspace.root / path for path in po_files]).findings if po_files else []
    step("export")
    exported = _export(workspace, (), zip_bundle=False, allow_incomplete=False, findings=findings, refused=refused,
                       releases=releases)
    bundles = {r.release_id: r for r in exported}
    files_written = collections.Counter(written.values())
    counts = _finding_counts(findings, po_files)
    paths_of: dict[str, list[str]] = {}
    for path, (release_id, _) in po_files.items():
        paths_of.setdefault(release_id, []).append(path)
    summaries = []
    for release, segments in releases:
        kinds: dict[str, int] = {}
        for paragraph in release.paragraphs:
            kinds[paragraph.kind] = kinds.get(paragraph.kind, 0) + 1
        mine = paths_of.get(release.id, [])
        summaries.append(ReleaseSummary(
            release.id, release.path, release.meta.language, len(release.paragraphs), len(segments), kinds,
            {po_files[path][1]: catalog_status(read_po(workspace.root / path, display=path)) for path in mine},
            files_written[release.id],
            {po_files[path][1]: counts[path] for path in mine},
            bundles[release.id],
        ))
    return summaries


def _finding_counts(findings: cabc.Iterable[Finding], paths: cabc.Iterable[str]) -> dict[str, dict[str, int]]:
    """Errors and warnings not silenced, by PO file: one pass over the findings, however many files."""
    counts = {path: {"errors": 0, "warnings": 0} for path in paths}
    for finding in findings:
        if not finding.silenced and finding.severity in ("error", "warning") and finding.loc.path in counts:
            counts[finding.loc.path][finding.severity + "s"] += 1
    return counts


def catalog_status(catalog: Catalog) -> dict[str, int]:
    """Live messages by state: translated, fuzzy, untranslated."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for message in catalog.live:
        state = "translated" if message.translated else "fuzzy" if message.fuzzy else "untranslated"
        counts[state] += 1
    return counts


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``duet check`` found: every finding (silenced ones flagged) and what was checked."""

    findings: list[Finding]
    files: int
    entries: int


def check(workspace: Workspace, paths: cabc.Sequence[str | Path] = ()) -> CheckResult:
    """Run every check on the workspace's PO files, or only on ``paths``.

    Consistency is always judged against the whole workspace: a file checked
    alone is still compared with every other translation of its sentences.
    """
    from .checks import CheckedCatalog, check_catalogs
    from .compute import ForkedMap, gc_paused

    everything = {path.resolve(): locale for locale, path in workspace.po_files()}
    chosen = [Path(p).resolve() for p in paths] or list(everything)
    for path in chosen:
        if path not in everything:
            if not path.is_file():
                raise InputError("no such PO file", Location(workspace.relative(path)))
            everything[path] = _locale_of(path, workspace)
    files = list(everything)
    with gc_paused(), ForkedMap(lambda path: read_po(path, display=workspace.relative(path)), files,
                                min_share=100) as reading:
        matchers = term_matchers(workspace, set(everything.values()))  # while the children read
        parsed = reading.results()
    shown = set(chosen)
    catalogs = [CheckedCatalog(catalog, everything[path], matchers.get(everything[path]), report=path in shown)
                for path, catalog in zip(files, parsed)]
    findings = check_catalogs(
        catalogs, source_language=locales.to_bcp47(workspace.config.source_locale),
        silenced_checks=workspace.config.silenced_checks,
    )
    entries = sum(len(c.catalog.live) for c in catalogs if c.report)
    return CheckResult(findings, len(shown), entries)


def _locale_of(path: Path, workspace: Workspace) -> str:
    """A PO file outside the workspace layout: its locale from ``<locale>/LC_MESSAGES/``, else its header."""
    candidate = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else read_po(path).metadata.get("Language", "")
    try:
        return locales.normalize(candidate)
    except locales.UnknownLocale as exc:
        raise InputError(f"cannot tell the locale of this PO file ({exc})", Location(workspace.relative(path))) from exc


def term_matchers(workspace: Workspace, target_locales: set[str]) -> dict[str, TermMatcher]:
    """One term matcher per target locale, built once from the workspace's glossary."""
    if workspace.glossary_path is None:
        return {}
    from .glossary import load_glossary

    glossary = load_glossary(workspace.glossary_path)
    source = locales.to_bcp47(workspace.config.source_locale)
    return {locale: glossary.matcher(source, locales.to_bcp47(locale)) for locale in sorted(target_locales)}


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One URL of ``duet fetch``: the release it became, or the error it met."""

    url: str
    release_id: str = ""
    path: str = ""
    from_cache: bool = False
    paragraphs: int = 0
    error: PipelineError | None = None


def fetch(
    workspace: Workspace,
    urls: cabc.Sequence[str],
    *,
    release_id: str | None = None,
    policy: FetchPolicy | None = None,
    session: requests.Session | None = None,
    force: bool = False,
) -> list[FetchResult]:
    """Download each URL, normalize it to a plain-text release in ``sources/``.

    A failure on one URL is recorded in its result and does not stop the
    others; nothing is written for a failed URL. A release already in
    ``sources/`` is replaced only by a new fetch of the URL it came from, or
    with ``force``: a hand-written one has no ``URL:`` header to match.
    """
    from .formats.web import FetchPolicy, check_url, fetch as fetch_page
    from .ingest import format_text
    from .ingest.html import read_html

    if release_id is not None and len(urls) != 1:
        raise InputError("--id needs exactly one URL")
    if release_id is not None:
        check_release_id(release_id, Location("--id"))
    results = []
    with workspace.lock():
        for url in urls:
            rid = release_id or ""
            try:
                check_url(url)
                rid = release_id or release_id_from_url(url)
                page = fetch_page(url, cache_dir=workspace.cache_dir / "http", policy=policy or FetchPolicy(), session=session)
                release = read_html(page.body, path=url, release_id=rid, url=page.final_url, encoding=page.charset)
                target = workspace.inside(workspace.sources_dir / f"{rid}.txt")
                _check_free_id(workspace, rid, url, page.final_url, force=force)
                write_atomic(target, format_text(release))
            except PipelineError as exc:
                results.append(FetchResult(url, rid, error=exc))
                continue
            results.append(FetchResult(url, rid, workspace.relative(target), page.from_cache, len(release.paragraphs)))
    return results


def release_id_from_url(url: str) -> str:
    """``https://www.info.gov.hk/gia/general/202601/22/P2026012200320.htm`` → ``P2026012200320``."""
    parts = urlsplit(url)
    stem = Path(parts.path.rstrip("/")).stem or parts.hostname or "release"
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "release"
    return cleaned[:100]


def _check_free_id(workspace: Workspace, release_id: str, url: str, final_url: str, *, force: bool) -> None:
    """A fetched release may replace its own earlier fetch (``URL:`` is ``url`` or where it led), never
    another kind of source; nor, unless ``force``, a release written by hand or fetched from elsewhere."""
    from .ingest import read_source

    for other in workspace.source_files():
        if other.stem != release_id:
            continue
        shown = workspace.relative(other)
        if other.suffix != ".txt":
            raise InputError(f"release '{release_id}' already exists as {shown}", Location(shown))
        if force:
            continue
        try:
            came_from = read_source(other, display=shown).meta.url
        except PipelineError:
            came_from = ""  # unreadable: surely not an earlier fetch
        if came_from not in (url, final_url):
            was = f"its URL: is {came_from}" if came_from else "it has no URL: header"
            raise InputError(f"not replaced by {url}: this release was not fetched from there ({was}); "
                             "--force replaces it, --id saves the page under another id", Location(shown))


from .api_stages import (  # noqa: E402  (re-exported: the later stages' API lives in its own module)
    ExportResult,
    ImportResult,
    TranslateUpdate,
    _export,
    export,
    open_memory,
    tm_export,
    tm_import,
    tm_lookup,
    tm_stats,
    translate,
)
