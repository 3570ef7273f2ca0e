"""An incremental ``duet build`` writes what a build from scratch writes, after any sequence of changes.

A hypothesis state machine changes the workspace as its users do (a source
edited, a release added or removed, a translation edited, a glossary term or a
config key changed, ``.duet/`` deleted), then builds it, and builds a copy of
it made without ``.duet/``: every file but the caches must be the same, byte for
byte, and so must what the two builds report; and the check counts the build
keeps must be those of ``duet check``, which reads the whole workspace.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pipeline import api
from pipeline.api.check import CheckStage
from pipeline.errors import PipelineError
from pipeline.formats.po import read_po
from pipeline.formats.report import CheckSummary
from pipeline.model import Finding

REPO = Path(__file__).resolve().parents[1]
ID = "hk-gd-financial-cooperation"
LOCALE = "zh_Hant_HK"
SENTENCES = (
    "The Government will continue to monitor the situation closely.",
    "The meeting was held in Hong Kong today.",
    "The ninth meeting of the Expert Group was held in Foshan.",
    "Members of the public are advised to stay alert.",
)
CONFIGS = (
    'target_locales = ["zh_Hant_HK"]\n',
    'target_locales = ["zh_Hant_HK", "zh_Hans_CN"]\n[derived_locales]\nzh_Hans_CN = "zh_Hant_HK"\n',
    'target_locales = ["zh_Hant_HK"]\nsilenced_checks = ["untranslated"]\nfuzzy_threshold = 80\n',
)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".duet" not in p.relative_to(root).parts}


def _build(root: Path) -> list[tuple[object, ...]]:
    refused: list[PipelineError] = []
    summaries = api.build(api.open_workspace(root), refused=refused)
    return [(s.id, s.paragraphs, s.segments, s.kinds, s.locales, s.findings, s.bundle.files, s.bundle.refused,
             s.bundle.errors) for s in summaries] + [tuple(str(e) for e in refused)]


def _recorded_counts(root: Path) -> dict[str, dict[str, object]]:
    """Each PO file's check counts as the build recorded them, from its index of the workspace."""
    with contextlib.closing(sqlite3.connect(root / ".duet" / "build.sqlite")) as db:
        return {path: json.loads(counts) for path, counts in db.execute("SELECT path, counts FROM checked")}


def _counts_of_duet_check(root: Path) -> dict[str, dict[str, object]]:
    """The same counts from ``duet check``, which reads and checks every file of the workspace at once."""
    workspace = api.open_workspace(root)
    result = api.check(workspace)
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(str(finding.loc.path), []).append(finding)
    counts = {}
    for _, path in workspace.po_files():
        shown = workspace.relative(path)
        summary = CheckSummary.of(by_file.get(shown, []), files=1, entries=len(read_po(path).live))
        counts[shown] = {"errors": summary.errors, "warnings": summary.warnings, "silenced": summary.silenced,
                         "by_check": summary.by_check, "entries": summary.entries}
    return counts


class IncrementalBuild(RuleBasedStateMachine):
    """The workspace under test; ``self.twin`` is rebuilt from scratch after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.top = Path(self.scratch)
        self.root = self.top / "workspace"

    scratch = ""

    @initialize()
    def sample(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        shutil.copytree(REPO / "sources", self.root / "sources")
        shutil.copytree(REPO / "locales", self.root / "locales")
        (self.root / "duet.toml").write_text(CONFIGS[0], encoding="utf-8")
        self.releases = [ID]

    def _source(self, release_id: str) -> Path:
        return self.root / "sources" / f"{release_id}.txt"

    @rule(release=st.integers(0, 9), sentence=st.sampled_from(SENTENCES), replace=st.booleans())
    def edit_source(self, release: int, sentence: str, replace: bool) -> None:
        path = self._source(self.releases[release % len(self.releases)])
        text = path.read_text(encoding="utf-8")
        if replace:
            text = text.replace("ninth", "tenth", 1) if "ninth" in text else text.replace("tenth", "ninth", 1)
        else:
            text = text.rstrip("\n") + "\n\n" + sentence + "\n"
        path.write_text(text, encoding="utf-8")

    @rule(name=st.sampled_from(["a-copy", "b-copy", "z-copy"]), sentence=st.sampled_from(SENTENCES))
    def add_release(self, name: str, sentence: str) -> None:
        text = (REPO / "sources" / f"{ID}.txt").read_text(encoding="utf-8")
        self._source(name).write_text(text.rstrip("\n") + "\n\n" + sentence + "\n", encoding="utf-8")
        if name not in self.releases:
            self.releases.append(name)

    @precondition(lambda self: len(self.releases) > 1)
    @rule(release=st.integers(1, 9))
    def remove_release(self, release: int) -> None:
        gone = self.releases.pop(release % len(self.releases) or 1)
        self._source(gone).unlink()

    @rule(release=st.integers(0, 9), entry=st.integers(0, 30), text=st.sampled_from(["政府會密切留意情況。", "", "會議今日舉行。"]),
          fuzzy=st.booleans())
    def edit_translation(self, release: int, entry: int, text: str, fuzzy: bool) -> None:
        path = self.root / "locales" / LOCALE / "LC_MESSAGES" / f"{self.releases[release % len(self.releases)]}.po"
        if not path.is_file():
            return
        po = polib.pofile(str(path), wrapwidth=79)
        live = [e for e in po if not e.obsolete]
        chosen = live[entry % len(live)]
        chosen.msgstr = text
        if fuzzy and text and "fuzzy" not in chosen.flags:
            chosen.flags.append("fuzzy")
        elif not fuzzy and "fuzzy" in chosen.flags:
            chosen.flags.remove("fuzzy")
        po.save(str(path))

    @rule(release=st.integers(0, 9), entry=st.integers(0, 30))
    def toggle_consistency_flag(self, release: int, entry: int) -> None:
        """A translator silences the consistency check on one entry, or takes the flag off again."""
        path = self.root / "locales" / LOCALE / "LC_MESSAGES" / f"{self.releases[release % len(self.releases)]}.po"
        if not path.is_file():
            return
        po = polib.pofile(str(path), wrapwidth=79)
        chosen = [e for e in po if not e.obsolete][entry % len([e for e in po if not e.obsolete])]
        flag = "no-duet-consistency-check"
        chosen.flags.remove(flag) if flag in chosen.flags else chosen.flags.append(flag)
        po.save(str(path))

    @rule(rendering=st.sampled_from(["粵港金融合作專家小組", "粵港金融合作小組"]))
    def change_glossary_term(self, rendering: str) -> None:
        path = self.root / "locales" / "glossary.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("粵港金融合作專家小組", rendering).replace("粵港金融合作小組", rendering),
                        encoding="utf-8")

    @rule(term=st.sampled_from(["situation,情況,,,情况,,,,noun,", "meeting,會議,,,会议,,,,noun,"]))
    def toggle_glossary_term(self, term: str) -> None:
        """A term only some releases hold (the sentences added to them), added or taken out."""
        path = self.root / "locales" / "glossary.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = [line for line in lines if line != term] if term in lines else [*lines, term]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(config=st.sampled_from(CONFIGS))
    def change_config(self, config: str) -> None:
        (self.root / "duet.toml").write_text(config, encoding="utf-8")

    @rule()
    def delete_caches(self) -> None:
        shutil.rmtree(self.root / ".duet", ignore_errors=True)

    @rule(release=st.integers(0, 9), entry=st.integers(0, 30), text=st.sampled_from(["政府會密切留意情況。", "會議今日舉行。"]),
          rendering=st.sampled_from(["", "粵港金融合作專家小組", "粵港金融合作小組"]), one=st.booleans())
    def export_alone(self, release: int, entry: int, text: str, rendering: str, one: bool) -> None:
        """A translation (and perhaps a term) changed, then ``duet export`` alone, of every release or of one:
        its counts come from the build's state, which has not seen the change; its bundles must be those of
        an export given the findings of ``duet check``, on a copy without ``.duet/``. The build after it must
        still equal a build from scratch (the invariant): what export records must not pass for what a build
        made, nor the bundles it left alone for ones made with the glossary as it is now."""
        self.edit_translation(release, entry, text, fuzzy=False)
        if rendering:
            self.change_glossary_term(rendering)
        names = [self.releases[release % len(self.releases)]] if one else []
        twin = self.top / "twin-export"
        shutil.rmtree(twin, ignore_errors=True)
        shutil.copytree(self.root, twin, ignore=shutil.ignore_patterns(".duet"))
        mine = api.export(api.open_workspace(self.root), names, refused=[])
        workspace = api.open_workspace(twin)
        theirs = api.export(workspace, names, findings=api.check(workspace).findings, refused=[])
        assert not (twin / ".duet" / "build.sqlite").exists()
        assert mine == theirs
        mine_files, their_files = _files(self.root), _files(twin)
        assert [name for name in sorted(set(mine_files) | set(their_files))
                if mine_files.get(name) != their_files.get(name)] == []

    @invariant()
    def builds_like_a_build_from_scratch(self) -> None:
        if not hasattr(self, "releases"):
            return
        twin = self.top / "twin"
        shutil.rmtree(twin, ignore_errors=True)
        shutil.copytree(self.root, twin, ignore=shutil.ignore_patterns(".duet"))
        incremental, scratch = _build(self.root), _build(twin)
        assert incremental == scratch
        assert _recorded_counts(self.root) == _counts_of_duet_check(self.root)
        mine, theirs = _files(self.root), _files(twin)
        assert sorted(mine) == sorted(theirs)
        assert [name for name in mine if mine[name] != theirs[name]] == []


def test_incremental_builds_equal_builds_from_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769072520")
    monkeypatch.setattr(CheckStage, "BATCH", 3)  # several batches, after the first checked in children
    monkeypatch.setattr(CheckStage, "GROUP_AT_LEAST", 1)
    IncrementalBuild.scratch = str(tmp_path)
    IncrementalBuild.TestCase.settings = settings(max_examples=12, stateful_step_count=8, deadline=None)
    IncrementalBuild.TestCase().runTest()


def test_a_second_build_skips_what_did_not_change(sample_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built twice with nothing changed in between: the second build reads no release and writes no file."""
    build_module = importlib.import_module("pipeline.api.build")
    api.build(api.open_workspace(sample_workspace))
    api.build(api.open_workspace(sample_workspace))  # the first no-op may re-translate: the memory grew
    check_module = importlib.import_module("pipeline.api.check")
    calls: list[str] = []
    for module, name in ((build_module, "read_release"), (build_module, "translate_catalog"),
                         (build_module, "export_release"), (build_module, "plan_release"),
                         (build_module, "read_bytes"), (check_module, "read_bytes")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _n=name, _o=original, **k: calls.append(_n) or _o(*a, **k))
    summaries = api.build(api.open_workspace(sample_workspace))
    assert calls == []
    assert [s.files_written for s in summaries] == [0] and summaries[0].bundle.changed == 0
    assert summaries[0].locales[LOCALE]["translated"] == 12


def test_a_file_is_read_again_when_its_size_or_time_says_it_may_have_changed(sample_workspace: Path) -> None:
    """Unchanged files are judged by size and modification time; an edit of the same size shows by its time,
    and a file edited moments before a build is hashed again next time even if its time is put back."""
    po = sample_workspace / "locales" / LOCALE / "LC_MESSAGES" / f"{ID}.po"
    bundle = sample_workspace / "output" / ID

    def published(phrase: str) -> bool:
        api.build(api.open_workspace(sample_workspace))
        return any(phrase.encode() in path.read_bytes() for path in bundle.rglob("*.xml"))

    assert published("專家小組亦同意")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("專家小組亦同意", "專家小組也同意"), encoding="utf-8")  # 亦 and 也: three bytes each
    moved = po.stat().st_mtime_ns + 1_000_000_000
    os.utime(po, ns=(moved, moved))
    assert published("專家小組也同意")
    po.write_text(text, encoding="utf-8")
    os.utime(po, ns=(moved, moved))  # same size, same time as the build saw: only hashing again can tell
    assert published("專家小組亦同意")


def test_deleting_the_caches_changes_no_output_byte(sample_workspace: Path) -> None:
    api.build(api.open_workspace(sample_workspace))
    before = _files(sample_workspace)
    shutil.rmtree(sample_workspace / ".duet")
    summaries = api.build(api.open_workspace(sample_workspace))
    assert _files(sample_workspace) == before
    assert sum(s.files_written + s.bundle.changed for s in summaries) == 0


def test_a_build_killed_at_any_moment_is_finished_by_the_next(tmp_path: Path) -> None:
    """SIGKILL a real ``duet build`` of 40 changed releases at random moments: every PO file and bundle file
    is then either as before the build or as a complete build makes it, and the next build ends with
    exactly the files of a build that was never interrupted."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1769072520"}
    duet = [sys.executable, "-m", "pipeline", "build", "-w"]
    old = tmp_path / "old"
    (old / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "locales", old / "locales", ignore=shutil.ignore_patterns("*.po", "*.pot"))
    text = (REPO / "sources" / f"{ID}.txt").read_text(encoding="utf-8")
    for n in range(40):
        (old / "sources" / f"r{n:03}.txt").write_text(text.replace("ninth", f"number {n}"), encoding="utf-8")
    subprocess.run([*duet, str(old)], env=env, capture_output=True)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    for source in (new / "sources").iterdir():
        source.write_text(source.read_text(encoding="utf-8").replace("Foshan", "Zhaoqing"), encoding="utf-8")
    started = time.monotonic()
    subprocess.run([*duet, str(new)], env=env, capture_output=True)
    duration = time.monotonic() - started
    before, after = _files(old), _files(new)
    rng = random.Random(12)
    for attempt in range(3):
        victim = tmp_path / f"victim{attempt}"
        shutil.copytree(old, victim)
        shutil.copytree(new / "sources", victim / "sources", dirs_exist_ok=True)
        process = subprocess.Popen([*duet, str(victim)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 0.9) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name, data in _files(victim).items():
            staged = Path(name).name.startswith(".") and name.endswith(".tmp")  # removed by the next run
            if not name.startswith("sources/") and not staged:
                assert data in (before.get(name), after.get(name)), name
        done = subprocess.run([*duet, str(victim)], env=env, capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
        assert _files(victim) == after


def test_check_counts_follow_a_translation_edited_in_another_release(tmp_path: Path) -> None:
    """Two releases share their sentences: a translation changed in one makes the other's entries inconsistent
    (recounted from the index, the other file unread), a flag silences one, and changing it back heals both."""
    root = tmp_path / "workspace"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "duet.toml").write_text(CONFIGS[0], encoding="utf-8")
    shutil.copy(root / "sources" / f"{ID}.txt", root / "sources" / "copy.txt")
    _build(root)
    po_path = root / "locales" / LOCALE / "LC_MESSAGES" / "copy.po"
    original = po_path.read_bytes()
    po = polib.pofile(str(po_path), wrapwidth=79)
    first, second = [e for e in po if not e.obsolete and e.msgstr][:2]
    first.msgstr, second.msgstr = "另一種譯法。", "第三種譯法。"
    second.flags.append("no-duet-consistency-check")
    po.save(str(po_path))
    _build(root)
    counts = _recorded_counts(root)
    assert counts == _counts_of_duet_check(root)
    other = f"locales/{LOCALE}/LC_MESSAGES/{ID}.po"
    assert counts[other]["by_check"]["inconsistent-translation"] == {"reported": 2, "silenced": 0}
    assert counts[f"locales/{LOCALE}/LC_MESSAGES/copy.po"]["by_check"]["inconsistent-translation"] == {
        "reported": 1, "silenced": 1}
    po_path.write_bytes(original)
    _build(root)
    counts = _recorded_counts(root)
    assert counts == _counts_of_duet_check(root)
    assert "inconsistent-translation" not in counts[other]["by_check"]
