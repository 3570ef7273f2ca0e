"""The workspace memory → its word translations, as the aligner reads them (``lexicon.Renderings``).

The memory's own lexicon (``memory.lexicon``) links a word of its source
language to the atoms of the other (Chinese characters, English words)
found with it in far more units than apart: the Dice coefficient, against
how common the atom is anyway, at least ``CONFIDENT``. A workspace that has
translated or aligned before thus aligns its next texts with its own
vocabulary. Each word is asked once.
"""

from __future__ import annotations

import contextlib
import typing as t

from .lexicon import Renderings

if t.TYPE_CHECKING:
    import collections.abc as cabc

    from ..memory.lexicon import Lexicon
    from ..workspace import Workspace


def memory_renderings(lexicon: Lexicon) -> Renderings:
    known: dict[str, dict[str, float]] = {}

    def renderings(word: str) -> dict[str, float]:
        if word not in known:
            known[word] = lexicon.renderings(word)
        return known[word]

    return renderings


@contextlib.contextmanager
def workspace_renderings(workspace: Workspace, source_language: str,
                         target_language: str) -> cabc.Iterator[Renderings | None]:  # fmt: skip
    """The renderings of the workspace's memory, refreshed; ``None`` for a workspace with nothing to remember."""
    if not workspace.memory_files() and not workspace.po_files():
        yield None
        return
    from ..memory import open_refreshed, workspace_files
    from ..memory.lexicon import Lexicon

    with contextlib.closing(open_refreshed(workspace.memory_location, workspace.memory_name,
                                           workspace_files(workspace))) as memory:
        yield memory_renderings(Lexicon(memory, source_language, target_language))
