"""``duet extract``: each release's template, merged into every target locale's PO file."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from ..formats.files import write_all_atomic
from ..formats.po import encode_po, read_po
from ..model import Catalog, Release, Segment
from ..workspace import Workspace
from .sources import load_releases, segment_releases

if t.TYPE_CHECKING:
    from ..catalog import MergeReport


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
        planned = [plan for release, segments in releases
                   for plan in plan_release(workspace, release, segments, purge_obsolete=purge_obsolete)]
        if not check_only:
            write_all_atomic((path, data) for path, data, update in planned if update.changed)
    return [update for _, _, update in planned]


def plan_release(workspace: Workspace, release: Release, segments: cabc.Sequence[Segment], *,
                 purge_obsolete: bool = False) -> list[tuple[Path, bytes, CatalogUpdate]]:
    """The template and every locale's merged PO file of one release, rendered, not written."""
    from ..catalog import extract_template, merge_catalog

    config = workspace.config
    template = extract_template(release, segments)
    planned = [_plan(workspace, workspace.template_path(release.id), template, release.id, None, None)]
    for locale in config.target_locales:
        path = workspace.po_path(locale, release.id)
        old = read_po(path, display=workspace.relative(path)) if path.exists() else None
        merged, report = merge_catalog(
            old, template, locale=locale, source_language=config.source_locale,
            threshold=config.fuzzy_threshold, purge_obsolete=purge_obsolete,
        )
        planned.append(_plan(workspace, path, merged, release.id, locale, report))
    return planned


def _plan(workspace: Workspace, path: Path, catalog: Catalog, release_id: str, locale: str | None,
          report: MergeReport | None) -> tuple[Path, bytes, CatalogUpdate]:
    data = encode_po(catalog, path=workspace.relative(path))
    try:
        changed = path.read_bytes() != data
    except FileNotFoundError:
        changed = True
    live = sum(1 for m in catalog.messages if not m.obsolete)
    return path, data, CatalogUpdate(workspace.relative(path), release_id, locale, live, changed, report, catalog)
