"""One translator of ``test_memory_team``: refreshes its workspace's memory round after round, looking up between.

Run as ``python team_worker.py URL NAME ROUNDS``; ``final_units(NAME, ROUNDS)``
is what its workspace holds once it is done.
"""

from __future__ import annotations

import sys

from pipeline.memory import MemoryFile, MemoryUnit, TranslationMemory

TARGET = "zh-Hant-HK"
SUBJECTS = ("road safety", "smart mobility", "harbour bridge", "water supply", "public housing", "elderly care")


def _units(name: str, file: str, round_: int, count: int) -> list[MemoryUnit]:
    return [MemoryUnit(f"The {name} desk approved sentence {i} of {file} on {SUBJECTS[i % len(SUBJECTS)]} "
                       f"in round {round_}.", f"{name}譯{file}{i}之{round_}", "en", TARGET, f"{file}:{i}")
            for i in range(count)]


def files(name: str, round_: int) -> list[MemoryFile]:
    """The workspace at ``round_``: a file that never changes, one that changes every round, one every other."""
    chosen = [MemoryFile("steady.po", "1", lambda: _units(name, "steady.po", 0, 40)),
              MemoryFile("busy.po", str(round_), lambda: _units(name, "busy.po", round_, 25 + round_ % 7))]
    if round_ % 2:
        chosen.append(MemoryFile("odd.po", str(round_), lambda: _units(name, "odd.po", round_, 15)))
    return chosen


def final_units(name: str, rounds: int) -> list[MemoryUnit]:
    return [unit for file in files(name, rounds - 1) for unit in file.load()]


def main(url: str, name: str, rounds: int) -> None:
    for round_ in range(rounds):
        with TranslationMemory.open(url, name=name) as tm:
            tm.refresh(files(name, round_))
            for other in ("alpha", "beta", "gamma", "delta"):  # translating: everyone's units are looked up
                tm.lookup(f"The {other} desk approved sentence 3 of busy.po on road safety in round 2.",
                          target_language=TARGET, limit=3)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
