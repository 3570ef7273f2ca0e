"""``duet build``: every stage composed over one run, redoing only what changed since the last build.

The stages run in turn over the releases (extract, translate, check, export),
each release written as soon as its stage is done, so memory holds one
release at a time. What each stage read is recorded under ``.duet/`` by the
digests of its inputs (``state``); a stage whose inputs are unchanged is
skipped and writes nothing. The consistency check is workspace-wide: an index
of every translated entry lets a changed file re-check only the files that
share an inconsistent sentence with it (``check.CheckStage``, which ``duet
export`` runs too). Parsing, checking and rendering run in forked children, so
the process they fork from keeps only what the build records.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import json
import os
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ..compute import release_freed_memory
from ..errors import PipelineError
from ..formats.files import read_bytes, write_atomic
from ..formats.po import encode_po, parse_po
from ..model import Catalog
from ..workspace import Workspace
from .check import CheckStage, CountsByFile, catalog_status, summary_of
from .digests import FileDigests, GlossaryChange, setup_digest, sha as _sha
from .export import ExportResult, export_release
from .extract import plan_release
from .run import Run
from .sources import read_release, refuse, source_paths
from .state import BuildState, PoRecord, ReleaseRecord
from .translate import in_derivation_order, translate_catalog


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


EXTRACT_BATCH = 200  # releases planned by the children before the parent writes them: bounds what it holds


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
        self.digests = FileDigests(self.workspace, state)
        self.records = state.po_records()  # as the last build left them; updated in the state as this one goes
        self.statuses: dict[str, str] = {}  # PO file -> its messages by state (JSON), as translate left it
        self._po_paths: dict[tuple[str, str], tuple[Path, str]] = {}
        self.terms = GlossaryChange(run, state, "glossary")  # the glossary the bundles were last exported with
        self.glossary_sha, self.terms_changed = self.terms.sha, self.terms.changed

    def po(self, locale: str, release_id: str) -> tuple[Path, str]:
        """A release's PO file for ``locale``: its path and the path shown, checked inside the workspace once."""
        key = (locale, release_id)
        if key not in self._po_paths:
            path = self.workspace.po_path(locale, release_id)
            self._po_paths[key] = (path, self.workspace.relative(path))
        return self._po_paths[key]

    def build(self, names: cabc.Sequence[str]) -> list[ReleaseSummary]:
        self.step("extract")
        self._extract_all(names)
        self.state.commit()
        self.step("translate")
        self._translate()
        self.state.commit()
        self.run.close_memory()  # its page cache is no use to check and export
        self.records = {}
        self.statuses = self.state.po_statuses()
        release_freed_memory()  # what the memory's refresh freed, before check forks its readers
        self.step("check")
        counts = CheckStage(self.run, self.state, self.digests, self._po_files).counts()
        self.state.commit()
        release_freed_memory()  # the check's batches, before export forks its renderers
        self.step("export")
        bundles = self._export_all(counts)
        if not names:
            for gone in self.state.releases() - set(self.sources):
                self.state.forget_release(gone)
        if not names or not self.terms_changed:
            self.terms.remember()
        return [self._summary(release_id, counts, bundles[release_id]) for release_id in self.sources]

    # a glossary changed since the last build

    def _template_holds_changed_term(self, release_id: str) -> bool:
        template = self.workspace.template_path(release_id)
        try:
            catalog = parse_po(read_bytes(template), self.workspace.relative(template))
        except (PipelineError, OSError):
            return True
        return any(self.terms.holds_changed_term(message.id) for message in catalog.live)

    # extract

    def _extract_all(self, names: cabc.Sequence[str]) -> None:
        """Every release's template and PO files merged: the changed releases planned over the cores, a batch at a time."""
        from ..compute import ForkedMap, gc_paused

        pending = [item for file in source_paths(self.workspace, names) if (item := self._changed_source(file))]
        for start in range(0, len(pending), EXTRACT_BATCH):
            batch = pending[start:start + EXTRACT_BATCH]
            with gc_paused(), ForkedMap(self._planned, batch, min_share=20) as planning:
                for (_, release_id, source_sha), (errors, planned) in zip(batch, planning.results()):
                    for error in errors:
                        refuse(error, self.refused)
                    if planned is not None:
                        self._extracted(release_id, source_sha, *planned)
                    else:
                        del self.sources[release_id]

    def _changed_source(self, file: Path) -> tuple[Path, str, str] | None:
        """The release to extract again (file, id, source digest); None when its files are as extract left them."""
        workspace, config = self.workspace, self.run.config
        try:
            source_sha = self._sha_of(workspace.inside(file))
        except PipelineError as exc:
            refuse(exc, self.refused)
            return None
        release_id = file.stem
        template = workspace.template_path(release_id)
        record = self.state.release(release_id)
        self.sources[release_id] = (file, source_sha)  # in build order, while the changed ones are planned
        if (record is not None and record.source == source_sha and record.template == self._sha_of(template)
                and all(self._sha_of(path) == _recorded_sha(self.records.get(shown))
                        for path, shown in (self.po(locale, release_id) for locale in config.target_locales))):
            self.summaries[release_id] = record.summary
            self.unextracted[release_id] = record
            return None
        return file, release_id, source_sha

    def _planned(self, item: tuple[Path, str, str]) -> tuple[list[PipelineError], tuple[t.Any, ...] | None]:
        """One release read, segmented and merged (in a forked child): the files to write, not written.

        Each file comes back as (path, digest, its bytes when they differ from
        the file's, else None), so unchanged files cost the parent nothing.
        """
        refused: list[PipelineError] = []
        segmented = self._segmented(item[0], refused)
        if segmented is None:
            return refused, None
        release, segments = segmented
        files = [(path, _sha(data), data if update.changed else None)
                 for path, data, update in plan_release(self.workspace, release, segments)]
        kinds: dict[str, int] = {}
        for paragraph in release.paragraphs:
            kinds[paragraph.kind] = kinds.get(paragraph.kind, 0) + 1
        summary = {"path": release.path, "language": release.meta.language, "paragraphs": len(release.paragraphs),
                   "segments": len(segments), "kinds": kinds}  # fmt: skip
        return refused, (files, summary)

    def _extracted(self, release_id: str, source_sha: str, files: list[tuple[Path, str, bytes | None]],
                   summary: dict[str, t.Any]) -> None:
        for path, digest, data in files:
            if data is not None:
                self._write(path, data)
                self.written[release_id] = self.written.get(release_id, 0) + 1
            else:
                self.digests.holding(path, digest)
        self.state.put_release(release_id, source_sha, files[0][1], summary)
        self.summaries[release_id] = summary

    def _segmented(self, file: Path, refused: list[PipelineError] | None) -> tuple[t.Any, tuple[t.Any, ...]] | None:
        from ..segment import segment_release

        release = read_release(self.workspace, file, refused=refused)
        if release is None:
            return None
        try:
            return release, segment_release(release, self.run.rules)
        except PipelineError as exc:
            refuse(exc, refused)
            return None

    def _sha_of(self, path: Path) -> str:
        return self.digests.of(path)

    def _write(self, path: Path, data: bytes) -> None:
        """Write a file and remember its digest: the next build does not read what this one wrote."""
        write_atomic(path, data)
        self.digests.holding(path, _sha(data), len(data))

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
        self.state.put_translated(shown, target, self._sha_of(path), _open(filled),
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

    # export

    def _export_all(self, counts: CountsByFile) -> dict[str, ExportResult]:
        """Every release's bundle: the unchanged ones as recorded, the others rendered over the cores."""
        from ..compute import ForkedMap, gc_paused

        bundles: dict[str, ExportResult] = {}
        pending: list[tuple[str, Path, str]] = []
        for release_id, (file, source_sha) in self.sources.items():
            kept, key = self._export_key(release_id, source_sha, counts)
            if kept is not None:
                bundles[release_id] = kept
            else:
                pending.append((release_id, file, key))
        render = functools.partial(self._render, counts)
        with gc_paused(), ForkedMap(render, pending, min_share=20, here=False) as rendering:
            for (release_id, _, key), (result, outputs) in zip(pending, rendering.results()):
                bundle = {"release_id": result.release_id, "folder": result.folder, "files": list(result.files),
                          "zip": result.zip, "refused": list(result.refused), "errors": result.errors}  # fmt: skip
                self.state.put_export(release_id, key, bundle, outputs)
                bundles[release_id] = result
        return {release_id: bundles[release_id] for release_id in self.sources}

    def _export_key(self, release_id: str, source_sha: str, counts: CountsByFile) -> tuple[ExportResult | None, str]:
        """The digest of what a release's bundle is made from, and the bundle itself when it was made from that."""
        workspace = self.workspace
        shown = [self.po(locale, release_id)[1] for locale in self.run.config.target_locales]
        present = [s for s in shown if (workspace.root / s).is_file()]
        record = self.unextracted.pop(release_id, None) or self.state.release(release_id)
        terms = record.terms if record is not None else ""
        if self.terms_changed and (record is None or self._template_holds_changed_term(release_id)):
            terms = self.glossary_sha
            self.state.put_terms(release_id, terms)
        key = _sha(json.dumps([self.setup, source_sha, [self.digests.get(s) if s in present else None for s in shown],
                               [counts.text(s) for s in shown], terms]).encode())  # fmt: skip
        if (record is not None and record.export_key == key and record.bundle
                and _unchanged(workspace.bundle_dir(release_id), record.outputs)):
            kept = ExportResult(**{**record.bundle, "files": tuple(record.bundle["files"]),
                                   "refused": tuple(record.bundle["refused"]), "changed": 0})
            return kept, key
        return None, key

    def _render(self, counts: CountsByFile, item: tuple[str, Path, str]) -> tuple[ExportResult, dict[str, list[int]]]:
        """One release's bundle rendered and written (in a forked child, on a share of the releases)."""
        release_id, file, _ = item
        segmented = self._segmented(file, self.refused)
        if segmented is None:  # read a moment ago; unreadable now only if it changed under the build
            raise PipelineError("the source changed during the build")
        present = [s for s in (self.po(locale, release_id)[1] for locale in self.run.config.target_locales)
                   if (self.workspace.root / s).is_file()]  # fmt: skip
        summary = summary_of([counts[s] for s in present if s in counts], files=len(present))
        result = export_release(self.run, *segmented, summary, zip_bundle=False, allow_incomplete=False)
        folder = self.workspace.bundle_dir(release_id)
        outputs = {}
        for name in result.files:
            stat = (folder / name).stat()
            outputs[name] = [stat.st_size, stat.st_mtime_ns]
        return result, outputs

    def _summary(self, release_id: str, counts: CountsByFile, bundle: ExportResult) -> ReleaseSummary:
        summary = self.summaries[release_id]
        locales, findings = {}, {}
        for locale in self.run.config.target_locales:
            shown = self.po(locale, release_id)[1]
            status = self.statuses.get(shown)
            if status is None:
                continue
            locales[locale] = json.loads(status)
            found = counts.get(shown) or {"errors": 0, "warnings": 0}
            findings[locale] = {"errors": found["errors"], "warnings": found["warnings"]}
        return ReleaseSummary(release_id, summary["path"], summary["language"], summary["paragraphs"],
                              summary["segments"], summary["kinds"], locales, self.written.get(release_id, 0),
                              findings, bundle)  # fmt: skip


def _open(catalog: Catalog) -> int:
    return sum(1 for m in catalog.live if not m.translated)


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
