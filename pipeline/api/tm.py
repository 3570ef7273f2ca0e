"""``duet tm``: the workspace's translation memory, imported into, exported, looked up, counted."""

from __future__ import annotations

import contextlib
import datetime as dt
import typing as t
from dataclasses import dataclass
from pathlib import Path

from .. import locales
from ..errors import InputError
from ..formats.files import read_bytes, write_all_atomic
from ..model import Location
from ..workspace import Workspace
from .run import Run

if t.TYPE_CHECKING:
    from ..memory import TranslationMemory
    from ..translate.repair import Leveraged

MEMORY_DB = "memory.sqlite"


def open_memory(workspace: Workspace) -> TranslationMemory:
    """The workspace's memory under ``.duet/``, refreshed from the files that changed since last time."""
    from ..memory import TranslationMemory, workspace_files

    memory = TranslationMemory.open(workspace.cache_dir / MEMORY_DB)
    memory.refresh(workspace_files(workspace))
    return memory




@dataclass(frozen=True, slots=True)
class ImportResult:
    path: str
    units: int
    skipped: int
    unmatched_languages: tuple[str, ...]


def tm_import(workspace: Workspace, file: Path) -> ImportResult:
    """Validate a TMX file and copy it, byte for byte, into ``locales/memory/``."""
    from ..formats.tmx import parse_tmx

    data = read_bytes(file)
    document = parse_tmx(data, str(file), source_locale=workspace.config.source_locale,
                         target_locales=workspace.config.target_locales)  # fmt: skip
    if not document.units:
        raise InputError(f"no unit pairs {workspace.config.source_locale} with a target locale "
                         f"({', '.join(workspace.config.target_locales)})", Location(str(file)))  # fmt: skip
    target = workspace.inside(workspace.memory_dir / (file.stem + ".tmx"))
    with workspace.lock():
        write_all_atomic([(target, data)])
    return ImportResult(workspace.relative(target), len(document.units), document.skipped, document.unmatched_languages)


def tm_export(workspace: Workspace, locale: str | None = None) -> tuple[bytes, int]:
    """Every memory unit of one language pair as TMX 1.4b; the date is the newest unit's, never the clock."""
    from importlib.metadata import version

    from ..formats.tmx import TranslationUnit, Variant, format_tmx
    from ..memory import workspace_files

    target = locales.normalize(locale or workspace.config.target_locales[0])
    source_tag, target_tag = locales.to_bcp47(workspace.config.source_locale), locales.to_bcp47(target)
    units = []
    for file in workspace_files(workspace):
        for unit in file.load():
            if unit.target_language == target_tag and unit.status != "fuzzy":
                units.append(TranslationUnit(
                    Variant(source_tag, unit.source), (Variant(target_tag, unit.target),),
                    creation_date=_tmx_date(unit.creation_date), usage_count=unit.usage_count, origin=unit.origin,
                ))
    newest = max((u.creation_date for u in units if u.creation_date), default=None)
    stamp = _export_date(newest)
    data = format_tmx(units, source_locale=workspace.config.source_locale, target_locale=target,
                      tool_version=version("duet"), creation_date=stamp)  # fmt: skip
    return data, len(units)


def _tmx_date(iso: str) -> str | None:
    """``2026-01-22 17:02+0000`` or ``2026-01-22T17:02`` → ``20260122T170200Z``."""
    digits = "".join(c for c in iso[:16] if c.isdigit())
    return f"{digits[:8]}T{digits[8:12]}00Z" if len(digits) == 12 else None


def _export_date(newest: str | None) -> dt.datetime:
    from ..reproducible import fallback_date, source_date

    if newest and source_date() is None:
        return dt.datetime.strptime(newest, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    return fallback_date()


def tm_lookup(workspace: Workspace, text: str, *, locale: str | None = None, min_score: float = 75,
              limit: int = 5) -> list[Leveraged]:
    """The memory's best matches for ``text``, each as repair would propose it, with its edits."""
    from ..translate.stages import lookup_repaired

    target = locales.normalize(locale or workspace.config.target_locales[0])
    target_language = locales.to_bcp47(target)
    with Run(workspace) as run:
        return lookup_repaired(run.memory, text, source_language=run.source_language, target_language=target_language,
                               min_score=min_score, limit=limit, terms=run.matcher(target),
                               lexicon=run.lexicon(target_language))


def tm_stats(workspace: Workspace) -> dict[str, t.Any]:
    """What the memory holds: units by language pair, status and origin."""
    with contextlib.closing(open_memory(workspace)) as memory:
        return memory.stats()
