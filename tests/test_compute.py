"""Work shared out over forked processes comes back whole, in order, and errors surface here."""

from __future__ import annotations

import gc
import os
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import compute
from pipeline.compute import ForkedMap, gc_paused, map_forked

needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@pytest.fixture
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "cores", lambda: 4)


@pytest.fixture
def forking(four_cores: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forks whatever threads earlier tests left running (their servers); the children only run the lambda."""
    monkeypatch.setattr(compute, "_may_fork", lambda: sys.platform == "linux")


@settings(max_examples=25)
@given(st.lists(st.integers(), max_size=40), st.integers(1, 12))
def test_results_are_those_of_a_plain_map_in_order(items: list[int], share: int) -> None:
    assert map_forked(lambda n: (n * 7, str(n)), items, min_share=share) == [(n * 7, str(n)) for n in items]


@needs_fork
def test_shares_run_in_other_processes(forking: None) -> None:
    pids = map_forked(lambda _: os.getpid(), list(range(400)), min_share=100)
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 4


@needs_fork
@pytest.mark.parametrize("cores", [1, 4])
def test_away_from_here_every_share_runs_in_a_child(forking: None, monkeypatch: pytest.MonkeyPatch, cores: int) -> None:
    """``here=False``: this process computes nothing (its heap stays as it was), whatever the cores; the
    results are those of a plain map, in order; too few items for a share stay here."""
    monkeypatch.setattr(compute, "cores", lambda: cores)
    with ForkedMap(lambda n: (n, os.getpid()), list(range(400)), min_share=100, here=False) as shares:
        results = shares.results()
    assert [n for n, _ in results] == list(range(400))
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == cores
    with ForkedMap(lambda n: os.getpid(), list(range(50)), min_share=100, here=False) as shares:
        assert set(shares.results()) == {os.getpid()}


def test_one_core_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "cores", lambda: 1)
    assert set(map_forked(lambda _: os.getpid(), list(range(400)), min_share=10)) == {os.getpid()}


@needs_fork
def test_an_error_in_a_child_is_raised_here(forking: None) -> None:
    def check(n: int) -> int:
        if n == 350:
            raise ValueError(f"bad item {n} in process {os.getpid()}")
        return n

    with pytest.raises(ValueError, match=f"bad item 350 in process {os.getpid()}$"):
        map_forked(check, list(range(400)), min_share=100)


@needs_fork
def test_a_child_that_dies_has_its_share_redone(forking: None) -> None:
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


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


@needs_fork
def test_leaving_early_stops_the_children(forking: None) -> None:
    import multiprocessing
    import time

    parent = os.getpid()

    def slow(n: int) -> int:
        if os.getpid() != parent:
            time.sleep(60)
        elif n == 0:
            raise KeyError("this process's share failed first")
        return n

    began = time.monotonic()
    with pytest.raises(KeyError), ForkedMap(slow, list(range(400)), min_share=100) as shares:
        assert len(multiprocessing.active_children()) == 3
        shares.results()
    assert multiprocessing.active_children() == []
    assert time.monotonic() - began < 30


@needs_fork
def test_answers_that_cannot_be_sent_are_computed_here(forking: None, capfd: pytest.CaptureFixture[str]) -> None:
    items = list(range(400))
    results = map_forked(lambda n: (lambda: n), items, min_share=100)  # a lambda does not pickle
    assert [make() for make in results] == items
    assert capfd.readouterr().err == ""


def _pids_in_a_pool_worker(_: int) -> set[int]:
    compute.cores = lambda: 4  # type: ignore[assignment]  # in the worker only
    return set(map_forked(lambda _: os.getpid(), list(range(400)), min_share=10))


@needs_fork
def test_a_pool_worker_computes_everything_itself() -> None:
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        [pids] = pool.map(_pids_in_a_pool_worker, [0])
    assert len(pids) == 1 and os.getpid() not in pids


_HOLDER = """
import sys, time
from pipeline import compute
from pipeline.formats.files import locked
compute.cores = lambda: 4
compute._may_fork = lambda: True
with locked(sys.argv[1]), compute.ForkedMap(lambda n: time.sleep(60), list(range(400)), min_share=100) as shares:
    print(*(child.pid for *_, child in shares.children), flush=True)
    shares.results()
"""


@needs_fork
def test_children_die_with_a_killed_parent_and_free_the_workspace_lock(tmp_path) -> None:
    """``kill -9`` of a ``duet build`` mid-export: its forked children go too, the next run gets the lock."""
    import selectors
    import signal
    import subprocess
    import time

    from paths import REPO

    from pipeline.errors import WorkspaceError
    from pipeline.formats.files import locked

    lock = tmp_path / ".duet" / "lock"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(lock)], stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout is not None
        with selectors.DefaultSelector() as waiting:
            waiting.register(holder.stdout, selectors.EVENT_READ)
            assert waiting.select(timeout=120), "the holder did not start its children"
        children = [int(pid) for pid in holder.stdout.readline().split()]
        assert len(children) == 3
        with pytest.raises(WorkspaceError, match="another duet run holds the workspace lock"), locked(lock):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
        with locked(lock):
            pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
