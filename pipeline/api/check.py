"""``duet check``: every check on the workspace's PO files, consistency judged against the whole workspace."""

from __future__ import annotations

import collections.abc as cabc
from dataclasses import dataclass
from pathlib import Path

from .. import locales
from ..errors import InputError
from ..formats.po import read_po
from ..model import Catalog, Finding, Location
from ..workspace import Workspace
from .run import Run

@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``duet check`` found: every finding (silenced ones flagged) and what was checked."""

    findings: list[Finding]
    files: int
    entries: int


def check(workspace: Workspace, paths: cabc.Sequence[str | Path] = (), *, run: Run | None = None) -> CheckResult:
    """Run every check on the workspace's PO files, or only on ``paths``.

    Consistency is always judged against the whole workspace: a file checked
    alone is still compared with every other translation of its sentences.
    """
    from ..checks import CheckedCatalog, check_catalogs
    from ..compute import ForkedMap, gc_paused

    run = run or Run(workspace)
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
        matchers = run.matchers(everything.values())  # while the children read
        parsed = reading.results()
    shown = set(chosen)
    catalogs = [CheckedCatalog(catalog, everything[path], matchers.get(everything[path]), report=path in shown)
                for path, catalog in zip(files, parsed)]
    findings = check_catalogs(catalogs, source_language=run.source_language,
                              silenced_checks=workspace.config.silenced_checks)  # fmt: skip
    entries = sum(len(c.catalog.live) for c in catalogs if c.report)
    return CheckResult(findings, len(shown), entries)


def _locale_of(path: Path, workspace: Workspace) -> str:
    """A PO file outside the workspace layout: its locale from ``<locale>/LC_MESSAGES/``, else its header."""
    candidate = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else read_po(path).metadata.get("Language", "")
    try:
        locale = locales.normalize(candidate)
    except locales.UnknownLocale as exc:
        raise InputError(f"cannot tell the locale of this PO file ({exc})", Location(workspace.relative(path))) from exc
    return next((target for target in workspace.config.target_locales if locales.same_locale(target, locale)), locale)


def catalog_status(catalog: Catalog) -> dict[str, int]:
    """Live messages by state: translated, fuzzy, untranslated."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for message in catalog.live:
        state = "translated" if message.translated else "fuzzy" if message.fuzzy else "untranslated"
        counts[state] += 1
    return counts
