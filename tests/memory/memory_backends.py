"""What the memory's tests are handed to open a memory: on SQLite or on PostgreSQL (``conftest.memory_at``)."""

from __future__ import annotations

import typing as t

from pipeline.memory import TranslationMemory


class MemoryAt(t.Protocol):
    kind: str  # "sqlite" or "postgresql"

    def __call__(self, name: str = "workspace") -> TranslationMemory:
        """The memory of workspace ``name``: its own SQLite file, or its units in the test's shared database."""
