"""The translation memory: PO translations and TMX units, indexed in SQLite, looked up as ``Match``es.

``TranslationMemory.open(path)`` opens the database, ``refresh(files)`` loads
what changed (``workspace_files(workspace)`` lists a workspace's files),
``lookup(text, target_language=...)`` ranks in-context, exact, normalized and
fuzzy matches with their score decomposed, ``stats()`` counts what it holds.
"""

from __future__ import annotations

from .sources import workspace_files
from .store import SCHEMA_VERSION, TranslationMemory
from .units import MemoryFile, MemoryUnit, RefreshReport

__all__ = ["SCHEMA_VERSION", "MemoryFile", "MemoryUnit", "RefreshReport", "TranslationMemory", "workspace_files"]
