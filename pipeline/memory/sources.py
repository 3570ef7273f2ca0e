"""Workspace → the files its memory is built from: PO translations and imported TMX.

Every translated, non-fuzzy live entry of every PO file becomes an
``approved`` unit, with the msgids of its neighbours in the file as context and
``path:line`` (the line of its msgid) as origin; every unit of every TMX file
in ``locales/memory/`` becomes an ``imported`` unit for each configured target
locale it has, with origin ``path#tuid`` (``path:line`` without a tuid).
Digests are SHA-256 of the file bytes; the bytes read for the digest are the
ones parsed, so a file edited in between cannot be stored under the wrong
digest.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import hashlib
import re
import typing as t

from .. import locales
from ..formats.files import read_bytes
from ..formats.po import parse_po
from ..formats.tmx import parse_tmx
from .units import MemoryFile, MemoryUnit

if t.TYPE_CHECKING:
    from ..workspace import Workspace

_TMX_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")


def workspace_files(workspace: Workspace) -> cabc.Iterator[MemoryFile]:
    """The PO files of every locale and the TMX files of ``locales/memory/``, sorted by path.

    Each file is read as it is reached: a refresh holds one file's bytes at a
    time, not the workspace's.
    """
    source_language = locales.to_bcp47(workspace.config.source_locale)
    found = [(workspace.relative(path), path, locales.to_bcp47(locale)) for locale, path in workspace.po_files()]
    found += [(workspace.relative(path), path, None) for path in workspace.memory_files()]
    for shown, path, target_language in sorted(found, key=lambda f: f[0]):
        data = read_bytes(path, display=shown)
        if target_language is not None:
            load = functools.partial(_po_units, data, shown, source_language, target_language)
        else:
            load = functools.partial(_tmx_units, data, shown, workspace.config.source_locale,
                                     workspace.config.target_locales)
        yield MemoryFile(shown, hashlib.sha256(data).hexdigest(), load)


def _po_units(data: bytes, shown: str, source_language: str, target_language: str) -> list[MemoryUnit]:
    catalog = parse_po(data, shown)
    revised = catalog.metadata.get("PO-Revision-Date", "")
    created = revised if revised[:1].isdigit() else ""
    live = [m for m in catalog.live if m.id]
    units = []
    for position, message in enumerate(live):
        if not message.translated or message.id_plural is not None:
            continue
        units.append(MemoryUnit(
            message.id, message.string, source_language, target_language, f"{shown}:{message.line}", "approved",
            previous=live[position - 1].id if position else "",
            next=live[position + 1].id if position + 1 < len(live) else "",
            creation_date=created,
        ))
    return units


def _tmx_units(data: bytes, shown: str, source_locale: str, target_locales: cabc.Sequence[str]) -> list[MemoryUnit]:
    document = parse_tmx(data, shown, source_locale=source_locale, target_locales=target_locales)
    units = []
    for unit in document.units:
        origin = f"{shown}#{unit.tuid}" if unit.tuid else f"{shown}:{unit.loc.line if unit.loc else 0}"
        date = _TMX_DATE.fullmatch(unit.creation_date or "")
        created = "{}-{}-{}T{}:{}:{}Z".format(*date.groups()) if date else ""
        for target in unit.targets:
            units.append(MemoryUnit(unit.source.plain, target.plain, unit.source.locale, target.locale, origin,
                                    "imported", creation_date=created, usage_count=unit.usage_count))
    return units
