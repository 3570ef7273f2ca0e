"""``duet fetch``: press releases downloaded and normalized into ``sources/``."""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import locales
from ..errors import InputError, PipelineError
from ..formats.files import write_atomic
from ..model import Location
from ..workspace import Workspace, check_release_id

if t.TYPE_CHECKING:
    import requests

    from ..formats.web import FetchPolicy


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
    from ..formats.web import FetchPolicy, check_url, fetch as fetch_page
    from ..ingest import format_text
    from ..ingest.html import read_html
    from ..ingest.language import check_release_language

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
                check_release_language(release, locales.to_bcp47(workspace.config.source_locale))
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
    from ..ingest import read_source

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
