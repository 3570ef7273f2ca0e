"""``duet fetch``: press releases downloaded and normalized into ``sources/``, or, both language
versions of each, into an archive for ``duet align`` (``--bilingual DIR``: ``DIR/en/``, ``DIR/zh/``)."""

from __future__ import annotations

import collections.abc as cabc
import os
import re
import typing as t
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .. import locales
from ..errors import InputError, PipelineError, WorkspaceError
from ..formats.files import write_all_atomic, write_atomic
from ..model import Location, Release
from ..workspace import SOURCE_SUFFIXES, Workspace, check_release_id

if t.TYPE_CHECKING:
    import requests

    from ..formats.web import FetchedPage, FetchPolicy


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One URL of ``duet fetch``: the release it became, or the error it met."""

    url: str
    release_id: str = ""
    path: str = ""
    from_cache: bool = False
    paragraphs: int = 0
    error: PipelineError | None = None
    language: str = ""  # with --bilingual: ``en`` or ``zh``, the archive folder it went to


@dataclass(frozen=True, slots=True)
class BilingualResult:
    """One URL of ``duet fetch --bilingual``: both versions as saved (the page asked for first), or the error
    that kept both out; ``found_by`` says how the page linked to its other version."""

    url: str
    saved: tuple[FetchResult, ...] = ()
    found_by: str = ""
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
    from ..formats.web import FetchPolicy, check_url
    from ..ingest import format_text
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
                page, release = _download(workspace, url, rid, policy or FetchPolicy(), session)
                check_release_language(release, locales.to_bcp47(workspace.config.source_locale))
                target = workspace.inside(workspace.sources_dir / f"{rid}.txt")
                _check_free_id(workspace, workspace.source_files(), rid, url, page.final_url, force=force)
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


def _check_free_id(workspace: Workspace, existing: cabc.Iterable[Path], release_id: str, url: str, final_url: str,
                   *, force: bool) -> None:  # fmt: skip
    """A fetched release may replace its own earlier fetch (``URL:`` is ``url`` or where it led), never
    another kind of source; nor, unless ``force``, a release written by hand or fetched from elsewhere.
    ``existing``: the releases of the folder it goes to."""
    from ..ingest import read_source

    for other in existing:
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


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A page downloaded and read: what ``--bilingual`` checks before it writes anything."""

    url: str
    release_id: str
    page: FetchedPage
    release: Release
    language: str  # en or zh, as written


def fetch_bilingual(
    workspace: Workspace,
    urls: cabc.Sequence[str],
    folder: Path,
    *,
    release_id: str | None = None,
    policy: FetchPolicy | None = None,
    session: requests.Session | None = None,
    force: bool = False,
) -> list[BilingualResult]:
    """Download each URL and the version in the other language its page links to; save both, normalized,
    as ``folder/en/<id>.txt`` and ``folder/zh/<id>.txt``, where ``duet align folder/en folder/zh`` pairs them.

    ``folder`` (as given: relative to the current directory) must lie inside the workspace and outside
    ``sources/``, which holds source-language releases only. A URL may be either version. Both files are
    written, together, only when both pages were fetched and read, each is in its expected language and
    neither would replace a release that did not come from its URL (``force`` replaces it): for a page
    that links to no other version, nothing is saved, as an archive for alignment has no use for half a
    pair (and a failed URL leaves nothing behind, as in ``sources/``). ``release_id`` names both files.
    """
    from ..formats.web import FetchPolicy

    if release_id is not None and len(urls) != 1:
        raise InputError("--id needs exactly one URL")
    if release_id is not None:
        check_release_id(release_id, Location("--id"))
    policy = policy or FetchPolicy()
    results = []
    with workspace.lock():
        archive = _archive_folder(workspace, folder)
        for url in urls:
            try:
                results.append(_fetch_pair(workspace, archive, url, release_id, policy, session, force=force))
            except PipelineError as exc:
                results.append(BilingualResult(url, error=exc))
    return results


def _fetch_pair(workspace: Workspace, archive: Path, url: str, release_id: str | None, policy: FetchPolicy,
                session: requests.Session | None, *, force: bool) -> BilingualResult:  # fmt: skip
    from ..formats.web import check_url
    from ..ingest import format_text
    from ..ingest.html import decode_html
    from ..ingest.links import NAMES, find_other_version

    check_url(url)
    first = _fetch_release(workspace, url, release_id, policy, session)
    text, _ = decode_html(first.page.body, first.page.charset, path=url)
    other = find_other_version(text, page_url=first.page.final_url, language=first.language, path=url)
    if other is None:
        raise InputError(f"no link to its {NAMES['zh' if first.language == 'en' else 'en']} version found "
                         "in the page; nothing saved", Location(url))
    linked = f"the {NAMES[other.language]} version linked from {url}"
    try:
        second = _fetch_release(workspace, other.url, release_id, policy, session)
    except PipelineError as exc:
        raise type(exc)(f"{exc.message} ({linked}; neither saved)", exc.loc) from exc
    if second.language != other.language:
        raise InputError(f"{linked} is written in {NAMES[second.language]} too; neither saved", Location(other.url))
    files, saved = [], []
    for fetched in (first, second):
        target = workspace.inside(archive / fetched.language / f"{fetched.release_id}.txt")
        existing = [p for p in target.parent.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES] \
            if target.parent.is_dir() else []  # fmt: skip
        _check_free_id(workspace, existing, fetched.release_id, fetched.url, fetched.page.final_url, force=force)
        files.append((target, format_text(fetched.release)))
        saved.append(FetchResult(fetched.url, fetched.release_id, workspace.relative(target), fetched.page.from_cache,
                                 len(fetched.release.paragraphs), language=fetched.language))
    write_all_atomic(files)
    return BilingualResult(url, tuple(saved), other.found_by)


def _fetch_release(workspace: Workspace, url: str, release_id: str | None, policy: FetchPolicy,
                   session: requests.Session | None) -> _Fetched:  # fmt: skip
    """Download and read one version; its language is the one its text is written in (its label when mixed)."""
    from ..ingest.language import written_in
    from ..ingest.links import language_key

    rid = release_id or release_id_from_url(url)
    page, release = _download(workspace, url, rid, policy, session)
    labelled = language_key(release.meta.language)
    script = written_in("\n".join(p.text for p in release.paragraphs))
    language = "zh" if script == "Hani" else ("en" if labelled else None) if script == "Latn" else labelled
    if language is None:
        raise InputError(f"this page is in {release.meta.language}; --bilingual fetches English and Chinese "
                         "releases", Location(url))
    if labelled != language:  # a page labelled one way and written the other: the text decides
        release = replace(release, meta=replace(release.meta, language=language))
    return _Fetched(url, rid, page, release, language)


def _download(workspace: Workspace, url: str, release_id: str, policy: FetchPolicy,
              session: requests.Session | None) -> tuple[FetchedPage, Release]:
    """One page over HTTP (cached under ``.duet/http/``), read as release ``release_id``."""
    from ..formats.web import fetch as fetch_page
    from ..ingest.html import read_html

    page = fetch_page(url, cache_dir=workspace.cache_dir / "http", policy=policy, session=session)
    return page, read_html(page.body, path=url, release_id=release_id, url=page.final_url, encoding=page.charset)


def _archive_folder(workspace: Workspace, folder: Path) -> Path:
    """``folder`` (relative to the current directory) as a path from the workspace root, refused outside the
    workspace and inside ``sources/``."""
    root = Path(os.path.abspath(workspace.root))
    try:
        inner = Path(os.path.abspath(folder)).relative_to(root)
    except ValueError:
        raise WorkspaceError("a path outside the workspace: Duet reads and writes only inside it",
                             Location(str(folder))) from None
    path = workspace.inside(workspace.root / inner)
    if os.path.realpath(path) == os.path.realpath(workspace.sources_dir) or \
            os.path.realpath(path).startswith(os.path.realpath(workspace.sources_dir) + os.sep):  # fmt: skip
        raise InputError("sources/ holds the releases to translate, in the source language only: "
                         "give --bilingual another folder, such as archive", Location(str(folder)))
    return path
