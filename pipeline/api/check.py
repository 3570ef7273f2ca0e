"""``duet check``: every check on the workspace's PO files, consistency judged against the whole workspace.

Also the check as ``duet build`` and ``duet export`` run it (``CheckStage``):
only counts per file, from a batch of changed files at a time and an index of
the workspace's translations kept under ``.duet/``.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import typing as t
from dataclasses import dataclass
from pathlib import Path

from .. import locales
from ..errors import InputError
from ..formats.files import read_bytes
from ..formats.po import parse_po, read_po
from ..formats.report import CheckSummary
from ..model import Catalog, Finding, Location
from ..workspace import Workspace
from .digests import FileDigests, GlossaryChange
from .run import Run
from .state import NO_CONTEXT, BuildState, Entry

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


Counts = dict[str, t.Any]  # errors, warnings, silenced, by_check ({check: {"reported", "silenced"}}), entries


class CheckStage:
    """The checks' counts for every PO file of the workspace, recounting only what may have changed.

    The counts are those ``duet check`` finds (tested against it), without
    holding the workspace: changed files are read a batch at a time, their
    entries' own checks counted and their translations put in the index in
    place of their old ones. A file's consistency findings are its entries
    whose sentence the index holds in more than one rendering, so only the
    files holding a sentence that became (in)consistent are recounted, from
    the index alone. A changed glossary term recounts the files whose
    entries hold it.
    """

    BATCH = 400  # PO files read and checked at a time: memory holds one batch, not the workspace

    def __init__(self, run: Run, state: BuildState, digests: FileDigests,
                 po_files: dict[str, tuple[str, Path]]) -> None:
        self.run, self.state, self.digests, self.po_files = run, state, digests, po_files
        self.glossary = GlossaryChange(run, state, "checked-glossary")
        self._warm = False  # whether this process has checked a share itself (and loaded what the checks load)

    @classmethod
    def counts_of(cls, run: Run) -> CountsByFile:
        """The counts from the state a build keeps (made if there is none), for a command that runs no build."""
        from .digests import setup_digest

        workspace = run.workspace
        state = BuildState.open(workspace.build_state, setup_digest(run))
        try:
            po_files = {workspace.relative(path): (locale, path) for locale, path in workspace.po_files()}
            return cls(run, state, FileDigests(workspace, state), po_files).counts()
        finally:
            state.close()

    def counts(self) -> CountsByFile:
        state, located = self.state, self.po_files
        if self.glossary.changed:
            state.invalidate_counts(sorted({path for path, msgid in state.translated_sources()
                                            if self.glossary.holds_changed_term(msgid)}))  # fmt: skip
        records = state.check_records()
        gone = sorted(set(records) - set(located))
        for shown in gone:
            state.forget_po(shown)
        changed = [shown for shown, (_, path) in located.items()
                   if (r := records.get(shown)) is None or r.own_json is None or r.sha != self.digests.of(path)]
        if not changed and not gone and all(records[shown].counts_json is not None for shown in located):
            self.glossary.remember()
            return CountsByFile({shown: t.cast(str, records[shown].counts_json) for shown in located})
        own: dict[str, str] = {}  # as JSON: one string a file, not a few dozen objects
        for start in range(0, len(changed), self.BATCH):
            batch = changed[start:start + self.BATCH]
            for shown, (own_json, entries) in zip(batch, self._checked(batch)):
                locale, path = located[shown]
                state.replace_entries(shown, entries)
                state.put_checked(shown, locale, self.digests.of(path), own_json)
                own[shown] = own_json
        affected = (set(changed) | state.settle()
                    | {shown for shown in located if shown in records and records[shown].counts_json is None})
        inconsistent = state.inconsistent_entries(sorted(affected))
        silenced_checks = self.run.config.silenced_checks
        counts: dict[str, str] = {}
        for shown in located:
            if shown not in affected:
                counts[shown] = t.cast(str, records[shown].counts_json)
                continue
            mine = json.loads(own[shown] if shown in own else t.cast(str, records[shown].own_json))
            counts[shown] = json.dumps(_with_consistency(mine, *inconsistent.get(shown, (0, 0)), silenced_checks))
            state.put_counts(shown, counts[shown])
        self.glossary.remember()
        return CountsByFile(counts)

    def _checked(self, batch: list[str]) -> list[tuple[str, list[Entry]]]:
        """Each file's own counts (JSON) and its entries for the index, the files read and checked in children.

        The parsed catalogs never reach this process: its heap, which every
        child forked later (export's renderers) starts from, keeps only counts.
        This process checks a share of the first batch itself, so that the
        tables the checks load once are there for the children of the next.
        """
        from ..compute import MAX_PROCESSES, ForkedMap, cores, gc_paused

        self.run.matchers(self.po_files[s][0] for s in batch)  # made once, here, for every child
        parts = min(cores(), MAX_PROCESSES, max(1, len(batch) // self.GROUP_AT_LEAST))
        groups = [batch[len(batch) * i // parts:len(batch) * (i + 1) // parts] for i in range(parts)]
        here = not self._warm or len(batch) < self.GROUP_AT_LEAST
        with gc_paused(), ForkedMap(self._check_group, groups, min_share=1, here=here) as checking:
            done = [checked for group in checking.results() for checked in group]
        self._warm = True
        return done

    GROUP_AT_LEAST = 20  # files a child is worth forking for

    def _check_group(self, group: list[str]) -> list[tuple[str, list[Entry]]]:
        root = self.run.workspace.root
        parsed = {name: parse_po(read_bytes(root / name, display=name), name) for name in group}
        own = self._own_counts(group, parsed)
        return [(json.dumps(own[s]), _entries(parsed[s], self.po_files[s][0])) for s in group]

    def _own_counts(self, batch: list[str], parsed: dict[str, Catalog]) -> dict[str, Counts]:
        """The counts of the checks that look at each entry alone (the consistency check is the index's)."""
        from ..checks import CheckedCatalog, check_catalogs

        run, located = self.run, self.po_files
        checked = [CheckedCatalog(parsed[s], located[s][0], run.matcher(located[s][0])) for s in batch]
        findings = check_catalogs(checked, source_language=run.source_language,
                                  silenced_checks=run.config.silenced_checks, consistency=False)  # fmt: skip
        by_file: dict[str, list[Finding]] = {s: [] for s in batch}
        for finding in findings:
            by_file[finding.loc.path].append(finding)
        return {s: _counts(CheckSummary.of(by_file[s], files=1, entries=len(parsed[s].live))) for s in batch}


class CountsByFile(cabc.Mapping[str, Counts]):
    """Each PO file's counts, kept as the JSON the state holds and decoded when asked for: a workspace's
    worth of small dicts would be most of what a build holds."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts

    def __getitem__(self, shown: str) -> Counts:
        return json.loads(self._texts[shown])

    def text(self, shown: str) -> str | None:
        """A file's counts as JSON (None if it has none): what a digest of them needs, undecoded."""
        return self._texts.get(shown)

    def __iter__(self) -> cabc.Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def summary_of(counts: cabc.Sequence[Counts], *, files: int) -> CheckSummary:
    """The checks' summary of a release's ``files`` PO files from each file's counts (``CheckStage``)."""
    return CheckSummary(files, sum(c["entries"] for c in counts), sum(c["errors"] for c in counts),
                        sum(c["warnings"] for c in counts), sum(c["silenced"] for c in counts),
                        _merged_by_check(c["by_check"] for c in counts))  # fmt: skip


_CONSISTENCY = "inconsistent-translation"


def _entries(catalog: Catalog, locale: str) -> list[Entry]:
    """What the consistency check compares of each translated entry (see ``checks.consistency``)."""
    from ..checks import silences
    from ..checks.consistency import comparable

    return [(locale, NO_CONTEXT if m.context is None else m.context, m.id, comparable(m.string),
             int(silences(m, _CONSISTENCY))) for m in catalog.live if m.translated]  # fmt: skip


def _with_consistency(own: Counts, reported: int, silenced: int, silenced_checks: cabc.Collection[str]) -> Counts:
    """A file's counts: its entries' own checks and, for each entry rendered otherwise elsewhere, one finding."""
    from ..checks import SEVERITIES

    if _CONSISTENCY in silenced_checks:
        reported, silenced = 0, reported + silenced
    if not reported and not silenced:
        return own
    severity = "errors" if SEVERITIES[_CONSISTENCY] == "error" else "warnings"
    counts = {**own, "silenced": own["silenced"] + silenced, severity: own[severity] + reported}
    counts["by_check"] = _merged_by_check([own["by_check"], {_CONSISTENCY: {"reported": reported, "silenced": silenced}}])
    return counts


def _counts(summary: CheckSummary) -> Counts:
    return {"errors": summary.errors, "warnings": summary.warnings, "silenced": summary.silenced,
            "by_check": summary.by_check, "entries": summary.entries}  # fmt: skip


def _merged_by_check(parts: cabc.Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for part in parts:
        for check, counts in part.items():
            into = merged.setdefault(check, {"reported": 0, "silenced": 0})
            into["reported"] += counts["reported"]
            into["silenced"] += counts["silenced"]
    return dict(sorted(merged.items()))
