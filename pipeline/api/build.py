"""``duet build``: every stage composed over one run, redoing only what changed since the last build.

The stages run in turn over the releases (extract, translate, check, export),
each release written as soon as its stage is done, so memory holds one
release at a time. What each stage read is recorded under ``.duet/`` by the
digests of its inputs (``state``); a stage whose inputs are unchanged is
skipped and writes nothing. The consistency check is workspace-wide: an index
of every translated entry lets a changed file re-check only the files that
share an inconsistent sentence with it.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import hashlib
import json
import os
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError, WorkspaceError
from ..formats.files import read_bytes, write_atomic
from ..formats.po import encode_po, parse_po
from ..model import Catalog, Location
from ..workspace import Workspace
from .check import catalog_status
from .export import ExportResult, export_release
from .extract import plan_release
from .run import Run
from .sources import read_release, refuse, source_paths
from .state import NO_CONTEXT, BuildState, Entry, PoRecord, ReleaseRecord
from .translate import in_derivation_order, translate_catalog

from ..formats.report import CheckSummary


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
    with workspace.lock(), Run(workspace) as run:
        state = BuildState.open(workspace.build_state, setup_digest(run))
        try:
            return _Build(run, state, progress or (lambda _: None), refused).build(names)
        finally:
            state.close()


class _Build:
    def __init__(self, run: Run, state: BuildState, step: cabc.Callable[[str], None],
                 refused: list[PipelineError] | None) -> None:
        self.run, self.state, self.step, self.refused = run, state, step, refused
        self.workspace = run.workspace
        self.setup = setup_digest(run)
        self.written: dict[str, int] = {}
        self.sources: dict[str, tuple[Path, str]] = {}  # release id -> (file, digest), in build order
        self.summaries: dict[str, dict[str, t.Any]] = {}
        self.unextracted: dict[str, ReleaseRecord] = {}  # releases extract found unchanged, as recorded then
        self.shas: dict[str, str] = {}  # PO file (shown path) -> digest of its bytes now
        self.records = state.po_records()  # as the last build left them; updated in the state as this one goes
        self.digests = state.digests()
        self.final: dict[str, PoRecord] = {}  # as this build leaves them, once checked
        self._po_paths: dict[tuple[str, str], tuple[Path, str]] = {}
        glossary = self.workspace.glossary_path
        self.glossary = (glossary.suffix.lower(), glossary.read_bytes()) if glossary is not None else ("", b"")
        self.glossary_sha = _sha(self.glossary[1]) if glossary is not None else ""
        self.terms_changed = (state.meta("glossary") or b"").decode() != self.glossary_sha

    def po(self, locale: str, release_id: str) -> tuple[Path, str]:
        """A release's PO file for ``locale``: its path and the path shown, checked inside the workspace once."""
        key = (locale, release_id)
        if key not in self._po_paths:
            path = self.workspace.po_path(locale, release_id)
            self._po_paths[key] = (path, self.workspace.relative(path))
        return self._po_paths[key]

    def build(self, names: cabc.Sequence[str]) -> list[ReleaseSummary]:
        self.step("extract")
        for file in source_paths(self.workspace, names):
            self._extract(file)
        self.state.commit()
        self.step("translate")
        self._translate()
        self.state.commit()
        self.run.close_memory()  # its page cache is no use to check and export
        self.records = {}  # check reads them again, as translate left them
        self.step("check")
        counts = self._check()
        self.state.commit()
        self.final = self.state.po_records()
        self.step("export")
        bundles = self._export_all(counts)
        if not names:
            for gone in self.state.releases() - set(self.sources):
                self.state.forget_release(gone)
        if not names or not self.terms_changed:
            self.state.put_meta("glossary", self.glossary_sha.encode())
            self.state.put_meta("glossary-bytes", self.glossary[0].encode() + b"\0" + self.glossary[1])
        return [self._summary(release_id, counts, bundles[release_id]) for release_id in self.sources]

    # a glossary changed since the last build

    @functools.cached_property
    def _changed_terms(self) -> list[t.Any] | None:
        """The matchers of the terms added, removed or changed since the last build; None: assume every term."""
        import tempfile

        from ..glossary import Glossary, load_glossary

        kept, new = self.state.meta("glossary-bytes"), self.run.glossary
        if kept is None or new is None:
            return None
        suffix, _, data = kept.partition(b"\0")
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("glossary" + suffix.decode())
                path.write_bytes(data)
                old = load_glossary(path)
            changed = set(old.terms) ^ set(new.terms)
            glossary = Glossary(sorted(changed, key=repr), languages=new.languages)
            return [glossary.matcher(self.run.source_language, locale) for locale in self.run.config.target_locales]
        except (PipelineError, OSError):
            return None

    def _holds_changed_term(self, source: str) -> bool:
        matchers = self._changed_terms
        return matchers is None or any(matcher.find(source) for matcher in matchers)

    def _template_holds_changed_term(self, release_id: str) -> bool:
        template = self.workspace.template_path(release_id)
        try:
            catalog = parse_po(read_bytes(template), self.workspace.relative(template))
        except (PipelineError, OSError):
            return True
        return any(self._holds_changed_term(message.id) for message in catalog.live)

    # extract

    def _extract(self, file: Path) -> None:
        workspace, config = self.workspace, self.run.config
        try:
            source_sha = self._sha_of(workspace.inside(file))
        except PipelineError as exc:
            refuse(exc, self.refused)
            return
        release_id = file.stem
        template = workspace.template_path(release_id)
        record = self.state.release(release_id)
        if (record is not None and record.source == source_sha and record.template == self._sha_of(template)
                and all(self._sha_of(path) == _recorded_sha(self.records.get(shown))
                        for path, shown in (self.po(locale, release_id) for locale in config.target_locales))):
            self.sources[release_id] = (file, source_sha)
            self.summaries[release_id] = record.summary
            self.unextracted[release_id] = record
            return
        segmented = self._segmented(file)
        if segmented is None:
            return
        release, segments = segmented
        planned = plan_release(workspace, release, segments)
        for path, data_out, update in planned:
            if update.changed:
                self._write(path, data_out)
                self.written[release_id] = self.written.get(release_id, 0) + 1
            else:
                self._unwritten(path, data_out)
        kinds: dict[str, int] = {}
        for paragraph in release.paragraphs:
            kinds[paragraph.kind] = kinds.get(paragraph.kind, 0) + 1
        summary = {"path": release.path, "language": release.meta.language, "paragraphs": len(release.paragraphs),
                   "segments": len(segments), "kinds": kinds}  # fmt: skip
        self.state.put_release(release_id, source_sha, _sha(planned[0][1]), summary)
        self.sources[release_id] = (file, source_sha)
        self.summaries[release_id] = summary

    def _segmented(self, file: Path) -> tuple[t.Any, tuple[t.Any, ...]] | None:
        from ..segment import segment_release

        release = read_release(self.workspace, file, refused=self.refused)
        if release is None:
            return None
        try:
            return release, segment_release(release, self.run.rules)
        except PipelineError as exc:
            refuse(exc, self.refused)
            return None

    def _sha_of(self, path: Path) -> str:
        """The digest of a file's bytes ("" when there is no file); not read again while its size and
        modification time are those it had when last hashed, as ``make`` and git's index judge a file."""
        shown = self.workspace.relative(path)
        if shown not in self.shas:
            self.shas[shown] = self._hashed(path, shown)
        return self.shas[shown]

    def _hashed(self, path: Path, shown: str) -> str:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return ""
        except OSError as exc:
            raise WorkspaceError(f"cannot read: {exc.strerror or exc}", Location(shown)) from exc
        known = self.digests.get(shown)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        sha = _sha(read_bytes(path, display=shown))
        if stat.st_mtime_ns + _SETTLED_NS <= time.time_ns():  # a later write in the same clock tick cannot hide
            self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, sha)
        return sha

    def _unwritten(self, path: Path, data: bytes) -> None:
        """A file found to hold ``data`` already: its digest is known without reading it again."""
        shown = self.workspace.relative(path)
        self.shas[shown] = sha = _sha(data)
        stat = path.stat()
        if stat.st_size == len(data) and stat.st_mtime_ns + _SETTLED_NS <= time.time_ns():
            self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, sha)

    def _write(self, path: Path, data: bytes) -> None:
        """Write a file and remember its digest: the next build does not read what this one wrote."""
        write_atomic(path, data)
        shown = self.workspace.relative(path)
        stat = path.stat()
        self.shas[shown] = sha = _sha(data)
        self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, sha)

    # translate

    def _translate(self) -> None:
        memory = self._memory_digest()
        derived = dict(self.run.config.derived_locales)
        for target in in_derivation_order(self.run, self.run.config.target_locales):
            for release_id in self.sources:
                path, shown = self.po(target, release_id)
                sha = self._sha_of(path)
                basis = (self._sha_of(self.po(derived[target], release_id)[0]) if target in derived else memory
                         ) + self.glossary_sha
                record = self.records.get(shown)
                if not (record is not None and record.sha == sha
                        and (record.basis == basis or (target not in derived and record.open == 0))):
                    self._translate_one(target, release_id, path, basis)
                self.step(shown)

    def _translate_one(self, target: str, release_id: str, path: Path, basis: str) -> None:
        from .translate import read_existing

        shown = self.workspace.relative(path)
        catalog = read_existing(self.workspace, path)
        filled, update = translate_catalog(self.run, target, release_id, catalog, {})
        if update.changed:
            self._write(path, encode_po(filled, path=shown))
            self.written[release_id] = self.written.get(release_id, 0) + 1
        self.state.put_translated(shown, target, self.shas[shown], _open(filled),
                                  None if update.changed else basis, catalog_status(filled))

    @functools.cached_property
    def _po_files(self) -> dict[str, tuple[str, Path]]:
        """Every PO file of the workspace once extract has made them: shown path -> (locale, path)."""
        return {self.workspace.relative(path): (locale, path) for locale, path in self.workspace.po_files()}

    def _memory_digest(self) -> str:
        """The memory's files as they are before translate writes: the memory translate will read.

        A team's memory on a server also holds what other workspaces wrote:
        no digest of this workspace's files says it is unchanged, so every
        file with entries still open is translated again.
        """
        workspace = self.workspace
        if not isinstance(workspace.memory_location, Path):
            return "server " + os.urandom(16).hex()
        files = [(shown, self._sha_of(path)) for shown, (_, path) in self._po_files.items()]
        files += [(workspace.relative(path), self._sha_of(path)) for path in workspace.memory_files()]
        return _sha(json.dumps(sorted(files)).encode())

    # check

    def _check(self) -> dict[str, dict[str, t.Any]]:
        """The checks' counts for every PO file of the workspace, recounting only what may have changed.

        Changed files are read a batch at a time: their entries' own checks are
        counted and their translations replace theirs in the index. A file's
        consistency findings are its entries whose sentence the index holds in
        more than one rendering, so only the files holding a sentence that
        became (in)consistent are recounted, from the index alone.
        """
        located = self._po_files
        if self.terms_changed:
            self.state.invalidate_counts(sorted({path for path, msgid in self.state.translated_sources()
                                                 if self._holds_changed_term(msgid)}))  # fmt: skip
        records = self.state.po_records()  # with what translate recorded in this build
        gone = sorted(set(records) - set(located))
        for shown in gone:
            self.state.forget_po(shown)
        changed = [shown for shown, (_, path) in located.items()
                   if (r := records.get(shown)) is None or r.own is None or r.sha != self._sha_of(path)]
        if not changed and not gone and all(records[shown].counts is not None for shown in located):
            return {shown: records[shown].counts for shown in located}
        own: dict[str, dict[str, t.Any]] = {}
        for start in range(0, len(changed), _CHECK_BATCH):
            batch = changed[start:start + _CHECK_BATCH]
            parsed = self._parse(batch, located)
            own.update(self._own_counts(batch, parsed, located))
            for shown in batch:
                locale, path = located[shown]
                catalog = parsed[shown]
                self.state.replace_entries(shown, _entries(catalog, locale))
                self.state.put_checked(shown, locale, self._sha_of(path), own[shown], catalog_status(catalog),
                                       _open(catalog))
        affected = (set(changed) | self.state.settle()
                    | {shown for shown in located if shown in records and records[shown].counts is None})
        inconsistent = self.state.inconsistent_entries(sorted(affected))
        silenced_checks = self.run.config.silenced_checks
        counts: dict[str, dict[str, t.Any]] = {}
        for shown in located:
            if shown not in affected:
                counts[shown] = records[shown].counts
                continue
            mine = own[shown] if shown in own else records[shown].own
            counts[shown] = _with_consistency(mine, *inconsistent.get(shown, (0, 0)), silenced_checks)
            self.state.put_counts(shown, counts[shown])
        return counts

    def _parse(self, shown: cabc.Sequence[str], located: dict[str, tuple[str, Path]]) -> dict[str, Catalog]:
        from ..compute import ForkedMap, gc_paused

        root = self.workspace.root
        with gc_paused(), ForkedMap(lambda name: parse_po(read_bytes(root / name, display=name), name),
                                    list(shown), min_share=100) as reading:  # fmt: skip
            return dict(zip(shown, reading.results()))

    def _own_counts(self, batch: list[str], parsed: dict[str, Catalog],
                    located: dict[str, tuple[str, Path]]) -> dict[str, dict[str, t.Any]]:
        """The counts of the checks that look at each entry alone (the consistency check is the index's)."""
        from ..checks import CheckedCatalog, check_catalogs

        run = self.run
        checked = [CheckedCatalog(parsed[s], located[s][0], run.matcher(located[s][0])) for s in batch]
        findings = check_catalogs(checked, source_language=run.source_language,
                                  silenced_checks=run.config.silenced_checks, consistency=False)  # fmt: skip
        by_file: dict[str, list[t.Any]] = {s: [] for s in batch}
        for finding in findings:
            by_file[finding.loc.path].append(finding)
        return {s: _counts(CheckSummary.of(by_file[s], files=1, entries=len(parsed[s].live))) for s in batch}

    # export

    def _export_all(self, counts: dict[str, dict[str, t.Any]]) -> dict[str, ExportResult]:
        """Every release's bundle: the unchanged ones as recorded, the others rendered over the cores."""
        from ..compute import ForkedMap, gc_paused

        bundles: dict[str, ExportResult] = {}
        pending: list[tuple[str, Path, str, CheckSummary]] = []
        for release_id, (file, source_sha) in self.sources.items():
            kept, key, summary = self._export_key(release_id, source_sha, counts)
            if kept is not None:
                bundles[release_id] = kept
            else:
                pending.append((release_id, file, key, summary))
        with gc_paused(), ForkedMap(self._render, pending, min_share=20) as rendering:
            for (release_id, _, key, _), (result, outputs) in zip(pending, rendering.results()):
                bundle = {"release_id": result.release_id, "folder": result.folder, "files": list(result.files),
                          "zip": result.zip, "refused": list(result.refused), "errors": result.errors}  # fmt: skip
                self.state.put_export(release_id, key, bundle, outputs)
                bundles[release_id] = result
        return {release_id: bundles[release_id] for release_id in self.sources}

    def _export_key(self, release_id: str, source_sha: str, counts: dict[str, dict[str, t.Any]]
                    ) -> tuple[ExportResult | None, str, CheckSummary]:
        """The digest of what a release's bundle is made from, and the bundle itself when it was made from that."""
        workspace = self.workspace
        shown = [self.po(locale, release_id)[1] for locale in self.run.config.target_locales]
        present = [s for s in shown if (workspace.root / s).is_file()]
        record = self.unextracted.pop(release_id, None) or self.state.release(release_id)
        terms = record.terms if record is not None else ""
        if self.terms_changed and (record is None or self._template_holds_changed_term(release_id)):
            terms = self.glossary_sha
            self.state.put_terms(release_id, terms)
        key = _sha(json.dumps([self.setup, source_sha, [self.shas.get(s) if s in present else None for s in shown],
                               [counts.get(s) for s in shown], terms]).encode())  # fmt: skip
        mine = [counts[s] for s in present if s in counts]
        summary = CheckSummary(len(present), sum(c["entries"] for c in mine), sum(c["errors"] for c in mine),
                               sum(c["warnings"] for c in mine), sum(c["silenced"] for c in mine),
                               _merged_by_check(c["by_check"] for c in mine))  # fmt: skip
        if (record is not None and record.export_key == key and record.bundle
                and _unchanged(workspace.bundle_dir(release_id), record.outputs)):
            kept = ExportResult(**{**record.bundle, "files": tuple(record.bundle["files"]),
                                   "refused": tuple(record.bundle["refused"]), "changed": 0})
            return kept, key, summary
        return None, key, summary

    def _render(self, item: tuple[str, Path, str, CheckSummary]) -> tuple[ExportResult, dict[str, list[int]]]:
        """One release's bundle rendered and written (in a forked child, on a share of the releases)."""
        release_id, file, _, summary = item
        segmented = self._segmented(file)
        if segmented is None:  # read a moment ago; unreadable now only if it changed under the build
            raise PipelineError("the source changed during the build")
        result = export_release(self.run, *segmented, summary, zip_bundle=False, allow_incomplete=False)
        folder = self.workspace.bundle_dir(release_id)
        outputs = {}
        for name in result.files:
            stat = (folder / name).stat()
            outputs[name] = [stat.st_size, stat.st_mtime_ns]
        return result, outputs

    def _summary(self, release_id: str, counts: dict[str, dict[str, t.Any]], bundle: ExportResult) -> ReleaseSummary:
        summary = self.summaries[release_id]
        locales, findings = {}, {}
        for locale in self.run.config.target_locales:
            shown = self.po(locale, release_id)[1]
            record = self.final.get(shown)
            if record is None or record.status is None:
                continue
            locales[locale] = record.status
            found = counts.get(shown) or {"errors": 0, "warnings": 0}
            findings[locale] = {"errors": found["errors"], "warnings": found["warnings"]}
        return ReleaseSummary(release_id, summary["path"], summary["language"], summary["paragraphs"],
                              summary["segments"], summary["kinds"], locales, self.written.get(release_id, 0),
                              findings, bundle)  # fmt: skip


_SETTLED_NS = 2_000_000_000  # a file this much older than its hashing is trusted by its size and mtime
_CHECK_BATCH = 400  # PO files read and checked at a time: memory holds one batch, not the workspace
_CONSISTENCY = "inconsistent-translation"


def setup_digest(run: Run) -> str:
    """What every release's outputs depend on: Duet's code, the configuration, the rules (the glossary is apart)."""
    config, workspace = run.config, run.workspace
    parts = [_code_digest(), json.dumps([repr(config), config.mt], sort_keys=True, default=str),
             os.environ.get("SOURCE_DATE_EPOCH", "")]
    rules = workspace.segmentation_rules
    parts.append(_file_sha(rules) if rules is not None else "")
    return _sha("\0".join(parts).encode())


@functools.cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".srx", ".rng", ".xsd"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _entries(catalog: Catalog, locale: str) -> list[Entry]:
    """What the consistency check compares of each translated entry (see ``checks.consistency``)."""
    from ..checks import silences
    from ..checks.consistency import comparable

    return [(locale, NO_CONTEXT if m.context is None else m.context, m.id, comparable(m.string),
             int(silences(m, _CONSISTENCY))) for m in catalog.live if m.translated]  # fmt: skip


def _with_consistency(own: dict[str, t.Any], reported: int, silenced: int,
                      silenced_checks: cabc.Collection[str]) -> dict[str, t.Any]:
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


def _open(catalog: Catalog) -> int:
    return sum(1 for m in catalog.live if not m.translated)


def _counts(summary: CheckSummary) -> dict[str, t.Any]:
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


def _recorded_sha(record: PoRecord | None) -> str | None:
    return record.sha if record is not None else None


def _unchanged(folder: Path, outputs: dict[str, list[int]] | None) -> bool:
    """The bundle's files are the ones the last build wrote: same sizes, not touched since."""
    if not outputs:
        return False
    where = os.fspath(folder)
    for name, (size, mtime) in outputs.items():
        try:
            stat = os.stat(os.path.join(where, name))
        except OSError:
            return False
        if stat.st_size != size or stat.st_mtime_ns != mtime:
            return False
    return True


def _file_sha(path: Path) -> str:
    try:
        return _sha(path.read_bytes())
    except FileNotFoundError:
        return ""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
