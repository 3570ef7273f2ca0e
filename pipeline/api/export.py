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
from .run import Run
from .sources import load_releases, segment_releases

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
    caller ran them already; otherwise they are run here. A release that cannot
    be read goes to ``refused`` (see ``load_releases``).

    Each bundle is written whole before the next is rendered, so memory holds
    one bundle whatever the workspace's size: every file staged, then renamed
    (the manifest last), then the files its old manifest listed and this one
    does not removed. An error leaves the bundles before it new and the others
    old.
    """
    from ..formats.report import CheckSummary
    from .check import check

    with workspace.lock(), Run(workspace) as run:
        loaded = load_releases(workspace, names, refused=refused)
        existing = [p for r in loaded for locale in run.config.target_locales
                    if (p := workspace.po_path(locale, r.id)).is_file()]  # fmt: skip
        if findings is None:
            findings = check(workspace, existing, run=run).findings if existing else []
        by_file: dict[str, list[Finding]] = {}
        for finding in findings:
            by_file.setdefault(finding.loc.path, []).append(finding)
        results = []
        for release, segments in segment_releases(workspace, loaded, refused=refused, rules=run.rules):
            paths = [workspace.po_path(locale, release.id) for locale in run.config.target_locales]
            catalogs = [read_po(p, display=workspace.relative(p)) if p.is_file() else None for p in paths]
            summary = CheckSummary.of([f for p in paths for f in by_file.get(workspace.relative(p), [])],
                                      files=sum(c is not None for c in catalogs),
                                      entries=sum(len(c.live) for c in catalogs if c))  # fmt: skip
            results.append(export_release(run, release, segments, summary, zip_bundle=zip_bundle,
                                          allow_incomplete=allow_incomplete, catalogs=catalogs))  # fmt: skip
        return results


def export_release(run: Run, release: Release, segments: cabc.Sequence[Segment], summary: CheckSummary, *,
                   zip_bundle: bool, allow_incomplete: bool,
                   catalogs: cabc.Sequence[Catalog | None] | None = None) -> ExportResult:
    """Render one release's bundle and write it, ``summary`` counting the checks' findings on its PO files.

    ``catalogs`` are its PO files (one per target locale, None where missing) when the caller read them.
    """
    from importlib.metadata import version

    from ..bilingual import align
    from ..export import bundle, zip_bundle as pack

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
    made = bundle(aligned, tool_version=version("duet"), checks=checks, allow_incomplete=allow_incomplete)
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
