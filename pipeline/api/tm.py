"""``duet tm``: the workspace's translation memory, imported into, exported, looked up, counted."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
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
    from ..memory import RefreshReport, TranslationMemory
    from ..translate.repair import Leveraged


def open_memory(workspace: Workspace) -> TranslationMemory:
    """The workspace's memory, refreshed from the files that changed since last time.

    Under ``.duet/``, or the team's on a PostgreSQL server when
    ``DUET_MEMORY_URL`` or ``memory_url`` names one: there the workspace's own
    units (``memory_name``) are refreshed, and lookups see every workspace's.
    """
    from ..memory import open_refreshed, workspace_files

    return open_refreshed(workspace.memory_location, workspace.memory_name, workspace_files(workspace))


def tm_migrate(workspace: Workspace, url: str) -> tuple[RefreshReport, str]:
    """Load the workspace's memory into the server at ``url``, as ``memory_name``; and where it went, password masked."""
    from ..memory import TranslationMemory, workspace_files

    if not url.startswith(("postgresql://", "postgres://")):
        raise InputError("not a postgresql:// URL", Location("--to"))
    with workspace.lock(), TranslationMemory.open(url, name=workspace.memory_name) as memory:
        return memory.refresh(workspace_files(workspace)), memory.shown


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


def tm_export(workspace: Workspace, locale: str | None = None) -> tuple[bytes, int, str]:
    """Every memory unit into one target locale as TMX 1.4b, and which memory was read (password masked).

    The units are the ones lookups see: the workspace's, or on a server
    every workspace's. The date is the newest unit's, never the clock.
    """
    from ..formats.tmx import TranslationUnit, Variant, format_tmx
    from ..reproducible import tool_version

    target = locales.normalize(locale or workspace.config.target_locales[0])
    source_tag, target_tag = locales.to_bcp47(workspace.config.source_locale), locales.to_bcp47(target)
    units = []
    with contextlib.closing(open_memory(workspace)) as memory:
        shown = _shown(workspace, memory)
        for unit in memory.export(target_tag):
            if unit.status != "fuzzy":
                units.append(TranslationUnit(
                    Variant(source_tag, unit.source), (Variant(target_tag, unit.target),),
                    creation_date=_tmx_date(unit.creation_date), usage_count=unit.usage_count, origin=unit.origin,
                ))
    newest = max((u.creation_date for u in units if u.creation_date), default=None)
    stamp = _export_date(newest)
    data = format_tmx(units, source_locale=workspace.config.source_locale, target_locale=target,
                      tool_version=tool_version(), creation_date=stamp)  # fmt: skip
    return data, len(units), shown


def _tmx_date(iso: str) -> str | None:
    """``2026-01-22 17:02+0800`` → ``20260122T090200Z``; a time without an offset is taken as UTC."""
    found = _ISO_TIME.match(iso.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, offset = found.groups()
    moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=dt.UTC)
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        moment -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.strftime("%Y%m%dT%H%M%SZ")


_ISO_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?$")


def _export_date(newest: str | None) -> dt.datetime | None:
    """The newest unit's date; ``SOURCE_DATE_EPOCH`` when set or when no unit has one (then no date at all)."""
    from ..reproducible import source_date

    stated = source_date()
    if newest and stated is None:
        return dt.datetime.strptime(newest, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return stated


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
    """What the memory holds: units by language pair and status; which backend, where (password masked)."""
    with contextlib.closing(open_memory(workspace)) as memory:
        return {**memory.stats(), "location": _shown(workspace, memory)}


def _shown(workspace: Workspace, memory: TranslationMemory) -> str:
    """Where ``memory`` is, for a message: a path relative to the workspace, or the URL without its password."""
    location = workspace.memory_location
    return workspace.relative(location) if isinstance(location, Path) else memory.shown
