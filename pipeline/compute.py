"""How the heavy runs use the machine: shares of work on every core, the cyclic collector paused.

``duet check`` on a large workspace reads a thousand PO files and checks
thousands of independent (source, translation) pairs, each a fraction of a
millisecond of pure Python: worth spreading over the cores, not worth a
worker pool's set-up or pickling the checkers. Forked children inherit the
function (a closure over the term matchers) as it is and send back only
their answers. Where fork is not safe (macOS, Windows, a process already
running threads, a pool's worker) or only one core is free, everything runs
here.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import ctypes
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import typing as t

_Item = t.TypeVar("_Item")
_Result = t.TypeVar("_Result")
MAX_PROCESSES = 4
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _may_fork() -> bool:
    """Linux, no other thread whose locks a child could inherit mid-use, and not a daemonic worker
    (a ``multiprocessing`` pool's), which may not start processes of its own."""
    return (sys.platform == "linux" and threading.active_count() == 1
            and not multiprocessing.current_process().daemon)


def map_forked(function: cabc.Callable[[_Item], _Result], items: cabc.Sequence[_Item], *, min_share: int = 500) -> list[_Result]:
    """``[function(item) for item in items]``, shares of at least ``min_share`` items in forked children."""
    with ForkedMap(function, items, min_share=min_share) as shares:
        return shares.results()


class ForkedMap(t.Generic[_Item, _Result]):
    """``function`` over ``items``: the children's shares start at once, ``results`` adds this process's own.

    Between the two this process may do other work (``api.check`` loads the
    glossary while the children read PO files). Leaving the ``with`` block
    stops any child still running. A child that fails (killed, or
    ``function`` raising) has its share redone here, so an error surfaces in
    this process with its own traceback.
    """

    def __init__(self, function: cabc.Callable[[_Item], _Result], items: cabc.Sequence[_Item], *,
                 min_share: int = 500, here: bool = True) -> None:
        """``here=False``: every share goes to a child, this process only waits for them (when there are at
        least ``min_share`` items and it may fork): a long run keeps the heap it forks from free of the
        work's garbage, so that neither it nor the children forked later carry it."""
        self.function = function
        self.items = items
        processes = min(cores(), MAX_PROCESSES, len(items) // min_share) if _may_fork() else 1
        away = not here and processes >= 1 and _may_fork()
        bounds = [len(items) * i // max(processes, 1) for i in range(max(processes, 1) + 1)]
        self.own = 0 if away else bounds[1]
        self.children: list[tuple[int, int, multiprocessing.connection.Connection, t.Any]] = []
        if processes < 2 and not away:
            return
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        for start, stop in zip(bounds[0 if away else 1:-1], bounds[1 if away else 2:]):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_share, args=(function, items[start:stop], sender, parent), daemon=True)
            child.start()
            sender.close()
            self.children.append((start, stop, receiver, child))

    def __enter__(self) -> ForkedMap[_Item, _Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, _, receiver, child in self.children:
            receiver.close()
            if child.is_alive():
                child.terminate()
            child.join()
        self.children = []

    def results(self) -> list[_Result]:
        """Every item's result, in order: this process's share computed now, the children's received."""
        function, items = self.function, self.items
        results = [function(item) for item in items[: self.own]]
        for start, stop, receiver, child in self.children:
            answer: list[_Result] | None = None
            with contextlib.suppress(EOFError, OSError):
                answer = receiver.recv()
            child.join()
            results += answer if answer is not None else [function(item) for item in items[start:stop]]
        return results


def _share(function: cabc.Callable[[_Item], _Result], items: cabc.Sequence[_Item],
           sender: multiprocessing.connection.Connection, parent: int) -> None:
    _die_with(parent)
    try:
        sender.send([function(item) for item in items])
    except BaseException:  # the parent redoes the share and raises the error itself
        with contextlib.suppress(Exception):
            sender.send(None)
    sender.close()


def _die_with(parent: int) -> None:
    """End this child when ``parent`` ends, even by SIGKILL: an orphan would go on holding the workspace
    lock it inherited, and the next ``duet`` run would be refused until it finished."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def release_freed_memory() -> None:
    """Hand the pages of freed memory back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A stage that built and dropped millions of small objects (the memory's
    refresh, a batch of parsed catalogs) leaves its freed chunks in the heap,
    where they stay counted in the process's resident memory, and in that of
    every child forked after it, until something reuses them.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


@contextlib.contextmanager
def gc_paused() -> cabc.Iterator[None]:
    """No cyclic garbage collection inside: for runs that allocate a million small objects and no cycles.

    The collector would walk every parsed catalog again and again, about a
    tenth of ``duet check`` on a large workspace; forked children also stop
    copying the pages its bookkeeping writes to.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
