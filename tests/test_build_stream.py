"""``duet build`` and ``duet export`` write one bundle at a time: same bytes as the commands run one by one,
and a run that fails midway leaves every bundle wholly old or wholly new."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import api
from pipeline.cli import cli
from pipeline.errors import PipelineError, WorkspaceError
from pipeline.formats import files as files_module

ID = "hk-gd-financial-cooperation"
COPIES = ("a-copy", "b-copy")  # sorted before the sample's id: three releases, exported in this order


def _three_releases(root: Path) -> None:
    """The sample release under two more ids, the second with one sentence changed (a fuzzy entry)."""
    text = (root / "sources" / f"{ID}.txt").read_text(encoding="utf-8")
    (root / "sources" / f"{COPIES[0]}.txt").write_text(text, encoding="utf-8")
    (root / "sources" / f"{COPIES[1]}.txt").write_text(text.replace("ninth", "tenth", 1), encoding="utf-8")


def _files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its caches, by path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".duet" not in p.relative_to(root).parts}


def _bundle(root: Path, release_id: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output" / release_id).iterdir())}


def test_a_build_writes_the_bytes_of_extract_translate_and_export_run_one_by_one(
        runner: CliRunner, sample_workspace: Path, tmp_path: Path) -> None:
    """Three releases (one with a changed sentence); ``duet build`` in one copy, ``duet extract``,
    ``translate`` and ``export`` in another: every file outside ``.duet/`` is the same, byte for byte."""
    _three_releases(sample_workspace)
    twin = tmp_path / "twin"
    shutil.copytree(sample_workspace, twin)
    assert runner.invoke(cli, ["build", "-w", str(sample_workspace)]).exit_code in (0, 1)
    for command in ("extract", "translate", "export"):
        assert runner.invoke(cli, [command, "-w", str(twin)]).exit_code in (0, 1), command
    built, one_by_one = _files(sample_workspace), _files(twin)
    assert sorted(built) == sorted(one_by_one)
    assert [name for name in built if built[name] != one_by_one[name]] == []
    assert {f"output/{rid}/manifest.json" for rid in (*COPIES, ID)} <= set(built)


@pytest.mark.parametrize("failing_write", [1, 3, 6, 7, 10, 13, 15])
def test_an_export_failing_midway_leaves_each_bundle_wholly_old_or_wholly_new(
        sample_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_write: int) -> None:
    """Three releases built, then every PO file edited; ``api.export`` fails on its n-th staged file (a full
    disk): the bundles whose files were all staged before are wholly new, the others wholly old, no
    temporary file stays behind, and the next export completes."""
    _three_releases(sample_workspace)
    api.build(api.open_workspace(sample_workspace))
    old = {rid: _bundle(sample_workspace, rid) for rid in (*COPIES, ID)}
    for po in (sample_workspace / "locales" / "zh_Hant_HK" / "LC_MESSAGES").glob("*.po"):
        po.write_text(po.read_text(encoding="utf-8").replace("香港", "本港"), encoding="utf-8")
    twin = tmp_path / "twin"
    shutil.copytree(sample_workspace, twin)

    stage = files_module._stage
    staged: list[str] = []

    def counting(target: Path, payload: files_module.Content) -> str:
        staged.append(target.parent.name)
        return stage(target, payload)

    monkeypatch.setattr(files_module, "_stage", counting)
    api.export(api.open_workspace(twin))
    new = {rid: _bundle(twin, rid) for rid in (*COPIES, ID)}
    assert all(new[rid] != old[rid] for rid in new) and staged[0] == COPIES[0]

    def failing(target: Path, payload: files_module.Content) -> str:
        if len(calls) + 1 == failing_write:
            raise OSError(28, "No space left on device")
        calls.append(target)
        return stage(target, payload)

    calls: list[Path] = []
    monkeypatch.setattr(files_module, "_stage", failing)
    with pytest.raises(WorkspaceError, match="No space left on device"):
        api.export(api.open_workspace(sample_workspace))
    whole = {rid for rid in new if staged.count(rid) == staged[:failing_write - 1].count(rid)}
    assert {rid: _bundle(sample_workspace, rid) for rid in new} == {rid: new[rid] if rid in whole else old[rid]
                                                                      for rid in new}  # fmt: skip
    assert not list((sample_workspace / "output").rglob("*.tmp"))
    monkeypatch.setattr(files_module, "_stage", stage)
    api.export(api.open_workspace(sample_workspace))
    assert {rid: _bundle(sample_workspace, rid) for rid in new} == new


def test_a_build_over_the_cores_writes_the_bytes_of_one_in_one_process(
        sample_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """45 releases (44 with their own sentence changed) and one that cannot be read: a build whose extract,
    check and export run in forked children (extract in two batches, the first shared) and one run in this
    process alone write the same files and refuse the same release, with the same message."""
    from pipeline import compute
    build_module = importlib.import_module("pipeline.api.build")

    text = (sample_workspace / "sources" / f"{ID}.txt").read_text(encoding="utf-8")
    for i in range(44):
        (sample_workspace / "sources" / f"r{i:02}.txt").write_text(text.replace("ninth", f"batch {i}", 1),
                                                                   encoding="utf-8")
    (sample_workspace / "sources" / "r20-bad.txt").write_bytes(b"Title\n\nA sentence \xff here.\n")
    alone = tmp_path / "alone"
    shutil.copytree(sample_workspace, alone)
    children: list[int] = []

    class Counted(compute.ForkedMap):  # type: ignore[type-arg]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            children.append(len(self.children))

    def built(root: Path, forking: bool) -> tuple[list[str], dict[str, bytes]]:
        with monkeypatch.context() as patch:
            patch.setattr(compute, "cores", lambda: 2)
            patch.setattr(compute, "_may_fork", lambda: forking)
            patch.setattr(compute, "ForkedMap", Counted)
            patch.setattr(build_module, "EXTRACT_BATCH", 41)
            refused: list[PipelineError] = []
            api.build(api.open_workspace(root), refused=refused)
        return [str(error) for error in refused], _files(root)

    spread = built(sample_workspace, True)
    assert children[:2] == [1, 0] and children[-1] == 2, children  # extract: 41 shared with a child, 5 here
    children.clear()
    assert built(alone, False) == spread and sum(children) == 0
    assert spread[0] == ["sources/r20-bad.txt:3: not valid UTF-8 (byte 0xff)"]
    assert "output/r43/manifest.json" in spread[1] and "output/r20-bad/manifest.json" not in spread[1]
