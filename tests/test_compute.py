"""Work shared out over forked processes comes back whole, in order, and errors surface here."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import compute
from pipeline.compute import map_forked

needs_fork = pytest.mark.skipif(sys.platform != "linux" or compute.cores() < 2, reason="needs Linux and two cores")


@pytest.fixture
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "cores", lambda: 4)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(), max_size=40), st.integers(1, 12))
def test_results_are_those_of_a_plain_map_in_order(items: list[int], share: int) -> None:
    assert map_forked(lambda n: (n * 7, str(n)), items, min_share=share) == [(n * 7, str(n)) for n in items]


@needs_fork
def test_shares_run_in_other_processes(four_cores: None) -> None:
    pids = map_forked(lambda _: os.getpid(), list(range(400)), min_share=100)
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 4


def test_one_core_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "cores", lambda: 1)
    assert set(map_forked(lambda _: os.getpid(), list(range(400)), min_share=10)) == {os.getpid()}


@needs_fork
def test_an_error_in_a_child_is_raised_here(four_cores: None) -> None:
    def check(n: int) -> int:
        if n == 350:
            raise ValueError(f"bad item {n} in process {os.getpid()}")
        return n

    with pytest.raises(ValueError, match=f"bad item 350 in process {os.getpid()}$"):
        map_forked(check, list(range(400)), min_share=100)


@needs_fork
def test_a_child_that_dies_has_its_share_redone(four_cores: None) -> None:
    parent = os.getpid()

    def check(n: int) -> int:
        if n == 250 and os.getpid() != parent:
            os._exit(9)  # killed mid-share, sending nothing
        return n * n

    assert map_forked(check, list(range(400)), min_share=100) == [n * n for n in range(400)]


def test_a_process_running_threads_does_not_fork(four_cores: None) -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert set(map_forked(lambda _: os.getpid(), list(range(400)), min_share=10)) == {os.getpid()}
    finally:
        release.set()
        worker.join()
