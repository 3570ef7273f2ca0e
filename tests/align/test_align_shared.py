"""The targets of issue 14 on the shared gold sets (skipped without ``../shared``): HK press releases, MAC-Dev, pairing."""

from __future__ import annotations

import importlib.util
import sys
import typing as t
from pathlib import Path

import pytest
from paths import REPO, SHARED_DATA

from pipeline.align.links import parse_links, score_links
from pipeline.align.sentences import align_sentences

MAC = SHARED_DATA.parent / "golden" / "alignment" / "mac-dev"
pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir() or not MAC.is_dir(), reason="../shared is absent")


@pytest.fixture(scope="module")
def bench() -> t.Any:
    spec = importlib.util.spec_from_file_location("bench_align", REPO / "bench" / "align.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_align"] = module
    spec.loader.exec_module(module)
    return module


def test_hk_press_releases_at_least_095_strict(bench: t.Any) -> None:
    gold = bench._read_gold()
    reader = bench.workspace_reader()
    expected, found = [], []
    for record in bench.press_records():
        en, zh = bench.releases(record)
        aligned = bench.align_releases(bench.read_release(en, reader.source), bench.read_release(zh, reader.target))
        digests, links = gold[record.key]
        assert digests == (bench.digest(aligned.source_sentences), bench.digest(aligned.target_sentences))
        expected.append(links)
        found.append(list(aligned.links))
    assert score_links(expected, found).strict_f1 >= 0.95


def test_mac_dev_better_than_hunalign(bench: t.Any) -> None:
    """Hunalign with a 224k-entry dictionary: 0.610 strict F1; Duet has no dictionary."""
    gold, found = [], []
    for number in range(1, 7):
        zh = (MAC / "zh" / f"{number:03}").read_text(encoding="utf-8").splitlines()
        en = (MAC / "en" / f"{number:03}").read_text(encoding="utf-8").splitlines()
        gold.append(parse_links((MAC / "gold" / f"{number:03}.align").read_text(encoding="utf-8")))
        found.append(align_sentences(zh, en, "zh-Hans", "en"))
    assert score_links(gold, found).strict_f1 > 0.610


def test_pairing_the_releases_of_a_day(bench: t.Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    bench.pairing_part()
    out = capsys.readouterr().out
    assert "precision 1.000, recall 1.000; unpaired: mixed/P2026012200299.txt\n" in out

