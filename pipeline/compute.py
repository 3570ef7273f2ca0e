"""How the heavy runs use the machine: shares of work on every core, the cyclic collector paused.

``duet check`` on a large workspace reads a thousand PO files and checks
thousands of independent (source, translation) pairs, each a fraction of a
millisecond of pure Python: worth spreading over the cores, not worth a
worker pool's set-up or pickling the checkers. Forked children inherit the
function (a closure over the term matchers) as it is and send back only
their answers. Where fork is not safe (macOS, Windows, a process already
running threads) or only one core is free, everything runs here.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import typing as t

_Item = t.TypeVar("_Item")
_Result = t.TypeVar("_Result")
MAX_PROCESSES = 4


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _may_fork() -> bool:
    """Linux, and no other thread whose locks a child could inherit mid-use."""
    return sys.platform == "linux" and threading.active_count() == 1


def map_forked(function: cabc.Callable[[_Item], _Result], items: cabc.Sequence[_Item], *, min_share: int = 500) -> list[_Result]:
    """``[function(item) for item in items]``, shares of at least ``min_share`` items in forked children.

    A child that fails (killed, or ``function`` raising) has its share redone
    here, so an error surfaces in this process with its own traceback.
    """
    processes = min(cores(), MAX_PROCESSES, len(items) // min_share) if _may_fork() else 1
    if processes < 2:
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    bounds = [len(items) * i // processes for i in range(processes + 1)]
    children = []
    for start, stop in zip(bounds[1:-1], bounds[2:]):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_share, args=(function, items[start:stop], sender), daemon=True)
        child.start()
        sender.close()
        children.append((start, stop, receiver, child))
    results = [function(item) for item in items[: bounds[1]]]
    for start, stop, receiver, child in children:
        answer: list[_Result] | None = None
        with contextlib.suppress(EOFError, OSError):
            answer = receiver.recv()
        receiver.close()
        child.join()
        results += answer if answer is not None else [function(item) for item in items[start:stop]]
    return results


def _share(function: cabc.Callable[[_Item], _Result], items: cabc.Sequence[_Item],
           sender: multiprocessing.connection.Connection) -> None:
    try:
        answer: list[_Result] | None = [function(item) for item in items]
    except BaseException:
        answer = None
    sender.send(answer)
    sender.close()


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
