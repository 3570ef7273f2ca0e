"""``duet export`` alone counts the checks the way ``duet build`` does: from the state under ``.duet/``, the PO
files changed since a batch at a time, never the whole workspace at once. The counts, and so every byte of
the bundles (their manifests carry them), are those that ``duet check``'s findings give; ``.duet/`` stays a
cache; and what export records never passes for what a build made."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import polib
import pytest

from pipeline import api
from pipeline.api.check import CheckStage
from pipeline.errors import PipelineError

check_module = importlib.import_module("pipeline.api.check")  # the package's ``check`` is the function

ID = "hk-gd-financial-cooperation"
LOCALE = "zh_Hant_HK"
SATISFIED_TERM = "financial institutions,金融機構,,,金融机构,,,,noun,"  # rendered so already: no finding


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".duet" not in p.relative_to(root).parts}


def _po(root: Path, release_id: str) -> Path:
    return root / "locales" / LOCALE / "LC_MESSAGES" / f"{release_id}.po"


def _copies(root: Path, *names: str) -> None:
    """The sample release again under other ids (one PO file each once built)."""
    text = (root / "sources" / f"{ID}.txt").read_text(encoding="utf-8")
    for name in names:
        (root / "sources" / f"{name}.txt").write_text(text, encoding="utf-8")


def _retranslate(po_path: Path, text: str) -> None:
    """A translator changes the first translated entry (polib writes the file its own way)."""
    po = polib.pofile(str(po_path), wrapwidth=79)
    next(e for e in po if not e.obsolete and e.msgstr).msgstr = text
    po.save(str(po_path))


def _export_given_check_findings(root: Path, tmp_path: Path, names: tuple[str, ...] = ()) -> tuple[list, dict]:
    """What export writes when handed ``duet check``'s findings, on a copy without ``.duet/``."""
    twin = tmp_path / "twin"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns(".duet"))
    workspace = api.open_workspace(twin)
    results = api.export(workspace, names, findings=api.check(workspace).findings)
    return results, _files(twin)


def _build_from_scratch(root: Path, tmp_path: Path) -> dict[str, bytes]:
    scratch = tmp_path / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".duet"))
    api.build(api.open_workspace(scratch))
    return _files(scratch)


def test_export_alone_reads_a_batch_of_changed_files_at_a_time(sample_workspace: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Three PO files changed since the build, batches of two: export parses two, then one, and never runs
    the workspace-wide check; its bundles are those made from ``duet check``'s findings, inconsistency included."""
    _copies(sample_workspace, "a-copy", "b-copy")
    api.build(api.open_workspace(sample_workspace))
    for name, text in (("a-copy", "另一種譯法。"), ("b-copy", "第三種譯法。"), (ID, "又一種譯法。")):
        _retranslate(_po(sample_workspace, name), text)
    expected, expected_files = _export_given_check_findings(sample_workspace, tmp_path)
    assert all(result.errors for result in expected)  # the three renderings disagree: the counts matter here

    batches: list[int] = []
    checked = CheckStage._checked
    monkeypatch.setattr(CheckStage, "BATCH", 2)
    monkeypatch.setattr(CheckStage, "GROUP_AT_LEAST", 1)  # the second batch checked in children, one file each
    monkeypatch.setattr(CheckStage, "_checked", lambda self, batch: batches.append(len(batch)) or checked(self, batch))
    monkeypatch.setattr(check_module, "check", lambda *a, **k: pytest.fail("export ran the workspace-wide check"))
    assert api.export(api.open_workspace(sample_workspace)) == expected
    assert batches == [2, 1]
    mine = _files(sample_workspace)
    assert [name for name in expected_files if mine.get(name) != expected_files[name]] == []
    assert [r.changed for r in api.export(api.open_workspace(sample_workspace))] == [0, 0, 0]
    assert batches == [2, 1]  # nothing changed since: nothing read again


def test_export_alone_after_an_edit_then_a_build_then_without_caches(sample_workspace: Path, tmp_path: Path) -> None:
    """Built, then a translation edited in another tool (its own line wrapping): export alone counts the
    file; the build after it still merges and rewrites the file as a build from scratch does (export's
    record of the file is not a build's); export after ``.duet/`` is deleted writes nothing new."""
    _copies(sample_workspace, "a-copy")
    api.build(api.open_workspace(sample_workspace))
    po = _po(sample_workspace, ID)
    _retranslate(po, "另一種譯法。")
    edited = po.read_bytes()
    expected, expected_files = _export_given_check_findings(sample_workspace, tmp_path)
    assert api.export(api.open_workspace(sample_workspace)) == expected
    assert _files(sample_workspace) == expected_files
    api.build(api.open_workspace(sample_workspace))
    assert _files(sample_workspace) == _build_from_scratch(sample_workspace, tmp_path)
    assert po.read_bytes() != edited  # written again by the build, in Duet's own layout
    built = _files(sample_workspace)
    shutil.rmtree(sample_workspace / ".duet")
    assert [r.changed for r in api.export(api.open_workspace(sample_workspace))] == [0, 0]
    assert _files(sample_workspace) == built


def test_the_glossary_export_counted_with_is_not_the_one_the_bundles_were_built_with(
        sample_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A term added, then ``duet export`` of one release: the build after it equals a build from scratch
    (export keeps its own record of the glossary it counted with). A term changed and exported: a second
    export recounts nothing; changed back: counted again, as ``duet check`` counts it."""
    _copies(sample_workspace, "a-copy")
    api.build(api.open_workspace(sample_workspace))
    glossary = sample_workspace / "locales" / "glossary.csv"
    original = glossary.read_text(encoding="utf-8")
    glossary.write_text(original.rstrip("\n") + "\n" + SATISFIED_TERM + "\n", encoding="utf-8")
    api.export(api.open_workspace(sample_workspace), ["a-copy"])
    assert [s.bundle.changed for s in api.build(api.open_workspace(sample_workspace))] == [0, 4]  # terms marked
    assert _files(sample_workspace) == _build_from_scratch(sample_workspace, tmp_path)

    changed = original.replace("粵港金融合作專家小組", "粵港金融合作小組")
    glossary.write_text(changed, encoding="utf-8")
    expected, _ = _export_given_check_findings(sample_workspace, tmp_path)
    assert api.export(api.open_workspace(sample_workspace)) == expected
    batches: list[int] = []
    checked = CheckStage._checked
    monkeypatch.setattr(CheckStage, "_checked", lambda self, batch: batches.append(len(batch)) or checked(self, batch))
    again = api.export(api.open_workspace(sample_workspace))
    assert [(r.errors, r.changed) for r in again] == [(r.errors, 0) for r in expected]
    assert batches == []  # the same glossary as the export before: no file recounted
    glossary.write_text(original, encoding="utf-8")
    expected_back, _ = _export_given_check_findings(sample_workspace, tmp_path)
    assert [r.errors for r in expected_back] != [r.errors for r in expected]  # the term's change is counted
    assert api.export(api.open_workspace(sample_workspace)) == expected_back
    api.build(api.open_workspace(sample_workspace))
    assert _files(sample_workspace) == _build_from_scratch(sample_workspace, tmp_path)


def test_export_reads_each_release_in_turn_and_goes_on_past_a_bad_one(sample_workspace: Path) -> None:
    """Releases are read one at a time as they are exported: a bad one is refused (the others exported),
    or, without a list to put it in, stops the export at that release."""
    _copies(sample_workspace, "a-copy", "z-copy")
    api.build(api.open_workspace(sample_workspace))
    (sample_workspace / "sources" / "m-bad.txt").write_text("Title: x\nDate: soon\n---\nBody.\n", encoding="utf-8")
    refused: list = []
    results = api.export(api.open_workspace(sample_workspace), refused=refused)
    assert [r.release_id for r in results] == ["a-copy", ID, "z-copy"]
    assert [str(e) for e in refused] == ["sources/m-bad.txt:2: Date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got 'soon'"]
    with pytest.raises(PipelineError, match="got 'soon'"):
        api.export(api.open_workspace(sample_workspace))
