"""The translation memory: PO translations and TMX units, indexed in SQLite or PostgreSQL, looked up as ``Match``es.

``TranslationMemory.open(path)`` opens the workspace's SQLite database,
``TranslationMemory.open(url, name=...)`` a team's memory on a PostgreSQL
server, ``refresh(files)`` loads
what changed (``workspace_files(workspace)`` lists a workspace's files),
``lookup(text, target_language=...)`` ranks in-context, exact, normalized and
fuzzy matches with their score decomposed, ``stats()`` counts what it holds.
"""

from __future__ import annotations

from .sources import workspace_files
from .sqlite_store import SCHEMA_VERSION
from .store import TranslationMemory, open_refreshed
from .units import MemoryFile, MemoryUnit, RefreshReport

__all__ = ["SCHEMA_VERSION", "MemoryFile", "MemoryUnit", "RefreshReport", "TranslationMemory", "open_refreshed",
           "workspace_files"]
