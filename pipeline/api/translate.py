"""``duet translate``: the configured stages on every empty entry, then the derived locales."""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from dataclasses import dataclass
from pathlib import Path

from .. import locales
from ..errors import InputError, PipelineError
from ..formats.files import write_all_atomic
from ..formats.po import encode_po, read_po
from ..model import Catalog, Location
from ..workspace import Workspace
from .run import Run
from .sources import load_releases

if t.TYPE_CHECKING:
    from ..translate.derive import DeriveReport
    from ..translate.stages import TranslateReport


@dataclass(frozen=True, slots=True)
class TranslateUpdate:
    """One PO file ``duet translate`` filled (or would have): what each stage did."""

    path: str
    release_id: str
    locale: str
    report: TranslateReport | DeriveReport
    changed: bool


def translate(
    workspace: Workspace,
    names: cabc.Sequence[str] = (),
    *,
    locale: str | None = None,
    progress: cabc.Callable[[str], None] | None = None,
    refused: list[PipelineError] | None = None,
) -> list[TranslateUpdate]:
    """Run the configured stages on every empty entry of the releases' PO files, then derive locales.

    A release that cannot be read goes to ``refused`` (see ``load_releases``).
    """
    chosen = [locales.normalize(locale)] if locale else list(workspace.config.target_locales)
    with workspace.lock(), Run(workspace) as run:
        release_ids = [release.id for release in load_releases(workspace, names, refused=refused)]
        updates: list[tuple[Path, Catalog, TranslateUpdate]] = []
        done: dict[tuple[str, str], Catalog] = {}
        for target in in_derivation_order(run, chosen):
            for release_id in release_ids:
                path = workspace.po_path(target, release_id)
                catalog = read_existing(workspace, path)
                filled, update = translate_catalog(run, target, release_id, catalog, done)
                done[(target, release_id)] = filled
                updates.append((path, filled, update))
                if progress is not None:
                    progress(update.path)
        write_all_atomic((path, encode_po(filled, path=workspace.relative(path)))
                         for path, filled, update in updates if update.changed)
    return [update for _, _, update in updates]


def in_derivation_order(run: Run, targets: cabc.Iterable[str]) -> list[str]:
    """Translated locales first, then the locales derived from them."""
    derived = dict(run.config.derived_locales)
    targets = list(targets)
    return [c for c in targets if c not in derived] + [c for c in targets if c in derived]


def translate_catalog(run: Run, target: str, release_id: str, catalog: Catalog,
                      done: cabc.Mapping[tuple[str, str], Catalog]) -> tuple[Catalog, TranslateUpdate]:
    """One release's PO file for ``target`` filled; ``done`` holds the catalogs already filled in this run."""
    from ..translate.derive import derive_catalog
    from ..translate.stages import memory_lookup, pretranslate

    workspace, config = run.workspace, run.config
    path = workspace.po_path(target, release_id)
    target_language = locales.to_bcp47(target)
    terms = run.matcher(target)
    derived = dict(config.derived_locales)
    if target in derived:
        base_locale = derived[target]
        base = done.get((base_locale, release_id)) or read_existing(workspace, workspace.po_path(base_locale, release_id))
        filled, report = derive_catalog(catalog, base, base_locale=base_locale, terms=terms,
                                        base_terms=run.matcher(base_locale))  # fmt: skip
    else:
        memory = run.memory
        filled, report = pretranslate(
            catalog,
            lookup=memory_lookup(memory, source_language=run.source_language, target_language=target_language,
                                 threshold=config.translate_threshold, terms=terms),
            source_language=run.source_language, target_language=target_language,
            stages=config.translate_stages, threshold=config.translate_threshold,
            terms=terms, machine=run.machine(target), lexicon=run.lexicon(target_language),
        )
    return filled, TranslateUpdate(workspace.relative(path), release_id, target, report, filled != catalog)


def read_existing(workspace: Workspace, path: Path) -> Catalog:
    if not path.is_file():
        raise InputError("no PO file yet; run 'duet extract' first", Location(workspace.relative(path)))
    return read_po(path, display=workspace.relative(path))
