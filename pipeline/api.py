"""The library API: what the ``duet`` commands do, callable from Python.

Each function takes a ``Workspace`` (or plain values), runs the stages and
touches files only through ``formats``. The CLI adds argument parsing and
output on top and nothing else.
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import locales
from .errors import InputError, PipelineError
from .formats.files import write_atomic
from .ingest import format_text, read_source
from .model import Location, Release, Segment
from .segment import SrxRules, load_rules, segment_document, segment_release
from .workspace import Workspace, init_workspace, open_workspace

if t.TYPE_CHECKING:
    import requests

    from .formats.web import FetchPolicy

__all__ = [
    "open_workspace",
    "init_workspace",
    "segment",
    "load_releases",
    "fetch",
    "build",
    "FetchResult",
    "ReleaseSummary",
]

_RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def segment(text: str, lang: str, *, rules_path: Path | None = None) -> list[Segment]:
    """Split raw text into sentences; blank lines separate paragraphs."""
    return segment_document(text, lang, load_rules(rules_path))


def workspace_rules(workspace: Workspace) -> SrxRules:
    """The workspace's own SRX rules where configured, else Duet's defaults."""
    return load_rules(workspace.segmentation_rules)


def load_releases(workspace: Workspace, names: cabc.Sequence[str] = ()) -> list[Release]:
    """Read the named releases (ids, or file names in ``sources/``), or every release."""
    files = workspace.source_files()
    if names:
        by_id = {f.stem: f for f in files}
        missing = [n for n in names if Path(n).stem not in by_id]
        if missing:
            raise InputError(f"no source release named '{missing[0]}'", Location(workspace.relative(workspace.sources_dir)))
        files = [by_id[Path(n).stem] for n in names]
    language = locales.to_bcp47(workspace.config.source_locale)
    return [read_source(f, display=workspace.relative(f), language=language) for f in files]


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    """What ``duet build`` reports for one release."""

    id: str
    path: str
    language: str
    paragraphs: int
    segments: int
    kinds: dict[str, int]


def build(workspace: Workspace, names: cabc.Sequence[str] = ()) -> list[ReleaseSummary]:
    """Run the pipeline as far as it exists: ingest and segment every release."""
    rules = workspace_rules(workspace)
    summaries = []
    for release in load_releases(workspace, names):
        segments = segment_release(release, rules)
        kinds: dict[str, int] = {}
        for paragraph in release.paragraphs:
            kinds[paragraph.kind] = kinds.get(paragraph.kind, 0) + 1
        summaries.append(
            ReleaseSummary(release.id, release.path, release.meta.language, len(release.paragraphs), len(segments), kinds)
        )
    return summaries


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
) -> list[FetchResult]:
    """Download each URL, normalize it to a plain-text release in ``sources/``.

    A failure on one URL is recorded in its result and does not stop the
    others; nothing is written for a failed URL.
    """
    from .formats.web import FetchPolicy, fetch as fetch_page
    from .ingest.html import read_html

    if release_id is not None and len(urls) != 1:
        raise InputError("--id needs exactly one URL")
    if release_id is not None and not _RELEASE_ID.fullmatch(release_id):
        raise InputError(f"invalid release id '{release_id}' (letters, digits, '.', '_' and '-')")
    results = []
    with workspace.lock():
        for url in urls:
            rid = release_id or release_id_from_url(url)
            try:
                _check_free_id(workspace, rid)
                page = fetch_page(url, cache_dir=workspace.cache_dir / "http", policy=policy or FetchPolicy(), session=session)
                release = read_html(page.body, path=url, release_id=rid, url=page.final_url, encoding=page.charset)
                target = workspace.sources_dir / f"{rid}.txt"
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


def _check_free_id(workspace: Workspace, release_id: str) -> None:
    """A fetched release may replace its own earlier fetch, never another kind of source."""
    for other in workspace.source_files():
        if other.stem == release_id and other.suffix != ".txt":
            raise InputError(f"release '{release_id}' already exists as {workspace.relative(other)}", Location(workspace.relative(other)))
