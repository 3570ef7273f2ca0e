"""Sub-segment repair with the memory's own alignment model: learned where the memory knows, silent where not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.memory import MemoryFile, MemoryUnit, TranslationMemory
from pipeline.memory.lexicon import Lexicon
from pipeline.translate.repair import plan_repair

ZH = "zh-Hant-HK"
COURT = "He was fined at the Sha Tin Magistrates' Courts yesterday."
COURT_ZH = "他昨日在沙田裁判法院被判罰款。"
UNITS = [
    ("The Kowloon City District Council met today.", "九龍城區議會今日開會。"),
    ("A fire broke out in Kowloon City this morning.", "九龍城今早發生火警。"),
    ("Roads in Kowloon City will be closed.", "九龍城的道路將會封閉。"),
    ("The case involved a building at Wo Heung Street, Sha Tin.", "個案涉及沙田禾香街一幢大廈。"),
    ("A fire broke out in Sha Tin this afternoon.", "沙田今午發生火警。"),
    (COURT, COURT_ZH),
]


@pytest.fixture
def lexicon(tmp_path: Path):
    units = [MemoryUnit(source, target, "en", ZH, f"x.po:{i}") for i, (source, target) in enumerate(UNITS)]
    with TranslationMemory.open(tmp_path / "tm.sqlite") as memory:
        memory.refresh([MemoryFile("x.po", "1", lambda: units)])
        yield Lexicon(memory, "en", ZH)


def test_a_place_the_memory_knows_is_substituted_and_the_note_says_how_it_was_learned(lexicon: Lexicon) -> None:
    done = plan_repair("He was fined at the Kowloon City Magistrates' Courts yesterday.", COURT, COURT_ZH,
                       lexicon=lexicon)
    assert done.target == "他昨日在九龍城裁判法院被判罰款。" and done.complete
    [edit] = done.edits
    assert edit.describe() == "沙田 → 九龍城 (Kowloon City/Sha Tin, learned from 6 units)"
    assert dict(done.penalties) == {"words repaired": 2.0}


def test_the_span_of_the_old_words_is_where_they_are_translated_not_the_template(lexicon: Lexicon) -> None:
    found = lexicon.substitute("Sha Tin", "Kowloon City", COURT, COURT_ZH)
    assert found is not None and COURT_ZH[found.start:found.end] == "沙田" and found.text == "九龍城"


@pytest.mark.parametrize("new", ["Tuen Mun", "Kowloon"])
def test_words_the_memory_does_not_know_well_enough_are_left_alone(lexicon: Lexicon, new: str) -> None:
    # Tuen Mun is in no unit; Kowloon is in three, always beside City, so nothing tells which of 九, 龍 and 城 are
    # Kowloon's rather than City's: no answer is better than a guess.
    done = plan_repair(COURT.replace("Sha Tin", new), COURT, COURT_ZH, lexicon=lexicon)
    assert done.target == COURT_ZH and not done.edits and not done.complete
