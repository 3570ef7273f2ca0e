"""Duet's checks on professional translations: the 17 press-release pairs of 2026-01-22 and the HKMA glossary.

Every finding on these pairs was read and classified (``bench/check_precision.py``,
``VERDICTS``; ``bench/README.md``, "Checks: precision on real translations"). A check
that reports more than it did then, or a number-mismatch false-positive rate of 2 % or
more of the entries with numbers, is a regression. Skips without ``../shared/data``.
"""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path

import pytest

from paths import REPO, SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl").exists()
    or not (SHARED_DATA / "hkma-annual-reports-wmt25" / "glossary_proper.tsv").exists(),
    reason="needs ../shared/data (press releases and the HKMA glossary)",
)

# Findings per check on the press releases when they were classified (bench/README.md):
# glossary-missing 29 real + 37 FP, script-mismatch 7 FP, punctuation 1 FP.
BUDGET = {
    "glossary-missing": 66,
    "glossary-forbidden": 0,
    "inconsistent-translation": 0,
    "number-mismatch": 0,
    "punctuation": 1,
    "script-mismatch": 7,
    "untranslated": 0,
    "fuzzy": 0,
}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("check_precision", REPO / "bench" / "check_precision.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_precision", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def press(bench, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("precision")
    text, _ = bench.build_glossary()
    glossary = folder / "hkma-glossary.csv"
    glossary.write_text(text, encoding="utf-8")
    corpus = bench.write_corpus("press", bench.press_pairs(), folder / "press")
    return corpus, bench.run_duet(corpus, glossary)


def test_the_pairs_align(bench) -> None:
    pairs = bench.press_pairs()
    assert len({p.doc for p in pairs}) == 17
    assert len(pairs) == 108  # 17 titles and 91 paragraph pairs
    merged = [p.para for p in pairs if "=" in p.para]
    assert merged == ["3+4=3"]  # the red-flag release: two English paragraphs, one Chinese


def test_findings_stay_within_what_was_classified(bench, press) -> None:
    corpus, findings = press
    counts = collections.Counter(f.check for f in findings)
    over = {check: (counts[check], budget) for check, budget in BUDGET.items() if counts[check] > budget}
    shown = [f"{f.check} {f.loc}: {f.message}" for f in findings if f.check in over]
    assert not over, f"more findings than classified (found, budget): {over}\n" + "\n".join(shown)


def test_every_finding_has_a_verdict(bench, press) -> None:
    corpus, findings = press
    unclassified = [f"{bench.finding_key(f, corpus.origin[(f.loc.path, f.loc.line)])}: {f.message}"
                    for f in findings if bench.classify(f, corpus.origin[(f.loc.path, f.loc.line)])[0] is None]
    assert not unclassified, "new findings to classify in bench/check_precision.py VERDICTS:\n" + "\n".join(unclassified)


def test_number_mismatch_false_positives_under_two_percent(bench, press) -> None:
    corpus, findings = press
    with_numbers = sum(bench.has_number(m.id) for c in corpus.catalogs for m in c.live)
    assert with_numbers >= 50
    false_positives = [f for f in findings if f.check == "number-mismatch"
                       and bench.classify(f, corpus.origin[(f.loc.path, f.loc.line)])[0] != "real"]
    assert len(false_positives) < 0.02 * with_numbers, [f.message for f in false_positives]


def test_press_releases_are_not_copied_into_the_repository(bench) -> None:
    assert bench.OUT.is_relative_to(REPO / "bench" / "data")  # git-ignored
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "bench/data/" in ignored
    assert not any(Path(REPO, "tests").rglob("pairs.jsonl"))
