"""Reading and segmenting the workspace's source releases: what every later stage starts from."""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from pathlib import Path

from .. import locales
from ..errors import InputError, PipelineError
from ..model import Location, Release, Segment
from ..workspace import Workspace, check_release_id

if t.TYPE_CHECKING:
    from ..segment import SrxRules


def segment(text: str, lang: str, *, rules_path: Path | None = None) -> list[Segment]:
    """Split raw text into sentences; blank lines separate paragraphs."""
    from ..segment import load_rules, segment_document

    return segment_document(text, lang, load_rules(rules_path))


def workspace_rules(workspace: Workspace) -> SrxRules:
    """The workspace's own SRX rules where configured, else Duet's defaults."""
    from ..segment import load_rules

    return load_rules(workspace.segmentation_rules)


def source_paths(workspace: Workspace, names: cabc.Sequence[str] = ()) -> list[Path]:
    """The files of the named releases (ids, or file names in ``sources/``), or of every release."""
    files = workspace.source_files()
    if not names:
        return files
    by_id = {f.stem: f for f in files}
    missing = [n for n in names if Path(n).stem not in by_id]
    if missing:
        raise InputError(f"no source release named '{missing[0]}'", Location(workspace.relative(workspace.sources_dir)))
    return [by_id[Path(n).stem] for n in names]


def read_release(workspace: Workspace, file: Path, *, refused: list[PipelineError] | None = None) -> Release | None:
    """One source file as a release; one that cannot be read is refused (see ``load_releases``)."""
    from ..ingest import read_source

    shown = workspace.relative(file)
    try:
        workspace.inside(file)
        check_release_id(file.stem, Location(shown))
        return read_source(file, display=shown, language=locales.to_bcp47(workspace.config.source_locale),
                           refuse_other_language=True)
    except PipelineError as exc:
        refuse(exc, refused)
        return None


def load_releases(workspace: Workspace, names: cabc.Sequence[str] = (), *,
                  refused: list[PipelineError] | None = None) -> list[Release]:
    """Read the named releases (ids, or file names in ``sources/``), or every release.

    A release that cannot be read (a bad file name, a link out of the
    workspace, a file with no text) stops the run, unless ``refused`` is given:
    then its error is added there and the other releases go on.
    """
    releases = (read_release(workspace, file, refused=refused) for file in source_paths(workspace, names))
    return [release for release in releases if release is not None]


def segment_releases(workspace: Workspace, releases: cabc.Iterable[Release], *,
                     refused: list[PipelineError] | None = None,
                     rules: SrxRules | None = None) -> cabc.Iterator[tuple[Release, tuple[Segment, ...]]]:
    """Each release with its sentences, one at a time; one the rules cannot segment is refused like an unreadable one."""
    from ..segment import segment_release

    rules = rules or workspace_rules(workspace)
    for release in releases:
        try:
            segmented = segment_release(release, rules)
        except PipelineError as exc:
            refuse(exc, refused)
            continue
        yield release, segmented


def refuse(error: PipelineError, refused: list[PipelineError] | None) -> None:
    """Raise ``error``, or keep it in ``refused`` so that the run goes on with the other releases."""
    if refused is None:
        raise error
    refused.append(error)
