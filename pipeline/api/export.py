"""``duet export``: one bundle per release, rendered and written one release at a time."""

from __future__ import annotations

import collections.abc as cabc
import json
import typing as t
from dataclasses import dataclass
from pathlib import Path

from .. import locales
from ..errors import PipelineError
from ..formats.files import write_all_atomic
from ..formats.po import read_po
from ..model import Catalog, Finding, Release, Segment
from ..workspace import Workspace
from .check import CheckStage, CountsByFile, summary_of
from .run import Run
from .sources import read_release, segment_releases, source_paths

if t.TYPE_CHECKING:
    from ..formats.report import CheckSummary


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
    caller ran them already; otherwise each file's counts come from the check
    ``duet build`` runs (``CheckStage``: the files changed since it last ran
    are checked a batch at a time, consistency from its index under
    ``.duet/``). A release that cannot be read goes to ``refused`` (see
    ``load_releases``).

    Each release is read, rendered and written whole before the next, so
    memory holds one bundle whatever the workspace's size: every file staged,
    then renamed (the manifest last), then the files its old manifest listed
    and this one does not removed. An error leaves the bundles before it new
    and the others old.
    """
    with workspace.lock(), Run(workspace) as run:
        summaries = _Summaries(run, findings)
        results = []
        for release, segments in _read_and_segmented(workspace, names, refused, run):
            paths = [workspace.po_path(locale, release.id) for locale in run.config.target_locales]
            catalogs = [read_po(p, display=workspace.relative(p)) if p.is_file() else None for p in paths]
            summary = summaries.of(paths, catalogs)
            results.append(export_release(run, release, segments, summary, zip_bundle=zip_bundle,
                                          allow_incomplete=allow_incomplete, catalogs=catalogs))  # fmt: skip
        return results


def _read_and_segmented(workspace: Workspace, names: cabc.Sequence[str], refused: list[PipelineError] | None,
                        run: Run) -> cabc.Iterator[tuple[Release, tuple[Segment, ...]]]:
    """Each release read and segmented when its turn comes (the workspace's releases are never all held).

    Refused releases are listed as if every release had been read first: the
    unreadable ones, then those the rules cannot segment.
    """
    unsegmented: list[PipelineError] | None = None if refused is None else []
    try:
        for file in source_paths(workspace, names):
            release = read_release(workspace, file, refused=refused)
            if release is not None:
                yield from segment_releases(workspace, [release], refused=unsegmented, rules=run.rules)
    finally:
        if refused is not None and unsegmented:
            refused += unsegmented


class _Summaries:
    """The checks' summary of each release's PO files: from the caller's findings, else from ``CheckStage``'s
    counts, worked out when the first release with a PO file needs them."""

    def __init__(self, run: Run, findings: cabc.Sequence[Finding] | None) -> None:
        self.run = run
        self.by_file: dict[str, list[Finding]] | None = None
        if findings is not None:
            self.by_file = {}
            for finding in findings:
                self.by_file.setdefault(finding.loc.path, []).append(finding)
        self._counts: CountsByFile | None = None

    def of(self, paths: cabc.Sequence[Path], catalogs: cabc.Sequence[Catalog | None]) -> CheckSummary:
        from ..formats.report import CheckSummary

        shown = [self.run.workspace.relative(p) for p, c in zip(paths, catalogs, strict=True) if c is not None]
        if self.by_file is not None:
            return CheckSummary.of([f for s in shown for f in self.by_file.get(s, [])], files=len(shown),
                                   entries=sum(len(c.live) for c in catalogs if c))  # fmt: skip
        if not shown:
            return CheckSummary(0, 0)
        if self._counts is None:
            self._counts = CheckStage.counts_of(self.run)
        return summary_of([self._counts[s] for s in shown if s in self._counts], files=len(shown))


def export_release(run: Run, release: Release, segments: cabc.Sequence[Segment], summary: CheckSummary, *,
                   zip_bundle: bool, allow_incomplete: bool,
                   catalogs: cabc.Sequence[Catalog | None] | None = None) -> ExportResult:
    """Render one release's bundle and write it, ``summary`` counting the checks' findings on its PO files.

    ``catalogs`` are its PO files (one per target locale, None where missing) when the caller read them.
    """
    from ..bilingual import align
    from ..export import bundle, zip_bundle as pack
    from ..reproducible import tool_version

    workspace, config = run.workspace, run.config
    if catalogs is None:
        paths = [workspace.po_path(locale, release.id) for locale in config.target_locales]
        catalogs = [read_po(p, display=workspace.relative(p)) if p.is_file() else None for p in paths]
    aligned = [
        align(release, segments, catalog, locale=locale, source_language=run.source_language,
              target_language=locales.to_bcp47(locale), terms=run.matcher(locale))
        for locale, catalog in zip(config.target_locales, catalogs, strict=True)
    ]
    checks = {"errors": summary.errors, "warnings": summary.warnings, "silenced": summary.silenced,
              "by_check": summary.by_check}  # fmt: skip
    made = bundle(aligned, tool_version=tool_version(), checks=checks, allow_incomplete=allow_incomplete)
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
