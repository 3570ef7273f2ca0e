"""``duet align``: past bilingual releases → document pairs → sentence links → translation memory."""

from __future__ import annotations

import typing as t
from pathlib import Path

import click

from . import api
from .cli_common import count, echo_json, format_option, workspace_option

if t.TYPE_CHECKING:
    from .align import workflow
    from .align.pairing import Pairing

_SHOWN = 70  # characters of each side shown for a weak link


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--pair", "pair_only", is_flag=True,
              help="Only say which release translates which among PATHS (files or folders, both languages).")
@click.option("--segmented", is_flag=True,
              help="PATHS are two files of one sentence a line (source language first), aligned as they are.")
@click.option("--into", metavar="NAME", help="Write the linked sentences to locales/memory/NAME.tmx.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Leave out (and count) links less sure than this.")
@click.option("--weakest", type=click.IntRange(min=0), default=5, show_default=True,
              help="How many of the weakest links the report lists.")
@workspace_option
@format_option
def align(paths: tuple[Path, ...], pair_only: bool, segmented: bool, into: str | None, min_confidence: float,
          weakest: int, workspace_dir: Path, output_format: str) -> None:  # fmt: skip
    """Align past bilingual releases and turn them into translation memory.

    duet align EN ZH aligns two releases (the workspace's source language
    first): paragraphs, then sentences within them. Given two folders, it
    first pairs each release with its translation. --into NAME writes the
    links to locales/memory/NAME.tmx, which the memory then serves like any
    imported TMX. duet align --pair FILES... only pairs releases; duet align
    --segmented EN.txt ZH.txt aligns one sentence a line, as gold sets are.
    """
    from .align import workflow  # the aligner's imports are paid only by this command

    workspace = api.open_workspace(workspace_dir)
    if pair_only:
        _report_pairing(*workflow.pair_paths(workspace, paths), output_format)
        return
    if len(paths) != 2:
        raise click.UsageError(f"give two files or two folders, the source language's first (got {len(paths)})")
    if segmented:
        _report_segmented(workflow.align_segmented(workspace, *paths), output_format)
        return
    report = workflow.align_into(workspace, *paths, into=into, min_confidence=min_confidence)
    if output_format == "json":
        echo_json(_report_json(report, min_confidence))
    else:
        _print_report(report, min_confidence, weakest)


def _report_segmented(result: workflow.SegmentedAlignment, output_format: str) -> None:
    way = result.direction
    if output_format == "json":
        echo_json({"links": [{way.source_key: list(link.source), way.target_key: list(link.target),
                              "confidence": link.confidence} for link in result.links]})  # fmt: skip
        return
    for link in result.links:
        click.echo(f"{list(link.source)}:{list(link.target)}\t{link.confidence:.3f}".replace(", ", ","))


def _report_pairing(way: workflow.Direction, pairing: Pairing, output_format: str) -> None:
    if output_format == "json":
        echo_json({"pairs": [{way.source_key: p.source.path, way.target_key: p.target.path, "score": p.score,
                              "confidence": p.confidence, "reasons": dict(p.reasons)} for p in pairing.pairs],
                   "unpaired": [r.path for r in pairing.unpaired]})  # fmt: skip
        return
    for p in pairing.pairs:
        reasons = ", ".join(f"{name} {value:.2f}" for name, value in p.reasons)
        click.echo(f"{p.source.path} ↔ {p.target.path}  confidence {p.confidence:.2f} ({reasons})")
    for release in pairing.unpaired:
        click.echo(f"{release.path}: unpaired")
    click.echo(f"{count(len(pairing.pairs), 'pair')}, {len(pairing.unpaired)} unpaired")


def _report_json(report: workflow.AlignmentReport, min_confidence: float) -> dict[str, t.Any]:
    from .align.memory import joined_texts

    way = report.direction
    pair_confidence = {(p.source.path, p.target.path): p.confidence for p in report.pairing.pairs} if report.pairing else {}
    pairs = []
    for aligned in report.aligned:
        links = []
        for link in aligned.links:
            source, target = joined_texts(aligned, link, way.source, way.target)
            links.append({way.source_key: list(link.source), way.target_key: list(link.target), "type": link.kind,
                          "confidence": link.confidence, "text": {way.source_key: source, way.target_key: target}})
        pairs.append({way.source_key: _release_json(aligned.source), way.target_key: _release_json(aligned.target),
                      "confidence": pair_confidence.get((aligned.source.path, aligned.target.path)), "links": links})
    memory = report.memory
    return {"pairs": pairs, "unpaired": [r.path for r in report.pairing.unpaired] if report.pairing else [],
            "memory": {"file": report.written, "units": len(memory.units), "min_confidence": min_confidence,
                       "left_out": memory.weak, "unlinked_sentences": memory.unlinked, "repeated": memory.repeated}}


def _release_json(release: t.Any) -> dict[str, str]:
    return {"id": release.id, "path": release.path, "url": release.meta.url}


def _print_report(report: workflow.AlignmentReport, min_confidence: float, weakest: int) -> None:
    from .align.memory import joined_texts, release_reference

    way = report.direction
    pair_confidence = {(p.source.path, p.target.path): p.confidence for p in report.pairing.pairs} if report.pairing else {}
    for aligned in report.aligned:
        kinds: dict[str, int] = {}
        for link in aligned.links:
            kinds[link.kind] = kinds.get(link.kind, 0) + 1
        shapes = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda k: (-k[1], k[0])))
        paired = pair_confidence.get((aligned.source.path, aligned.target.path))
        how = f" (paired with confidence {paired:.2f})" if paired is not None else ""
        click.echo(f"{aligned.source.path} ↔ {aligned.target.path}{how}: {len(aligned.source_sentences)} ↔ "
                   f"{len(aligned.target_sentences)} sentences, {count(len(aligned.links), 'link')} ({shapes})")
    if report.pairing:
        for release in report.pairing.unpaired:
            click.echo(f"{release.path}: unpaired, not aligned")
    weak = sorted(((link.confidence, aligned, link) for aligned in report.aligned for link in aligned.links
                   if not link.null), key=lambda w: (w[0], w[1].source.path, w[2].source))[:weakest]  # fmt: skip
    if weak:
        click.echo("weakest links:")
    for confidence, aligned, link in weak:
        source, target = joined_texts(aligned, link, way.source, way.target)
        where = f"{release_reference(aligned.source).rsplit('/', 1)[-1]} {list(link.source)}:{list(link.target)}"
        click.echo(f"  {confidence:.3f}  {where}  {_short(source)} | {_short(target)}")
    memory = report.memory
    into = f"{report.written}: {count(len(memory.units), 'unit')} written" if report.written else \
        f"{count(len(memory.units), 'unit')} (not written: no --into)"  # fmt: skip
    click.echo(f"{into}; {count(memory.weak, 'link')} under {min_confidence:g} left out, "
               f"{count(memory.unlinked, 'sentence')} unlinked, {memory.repeated} repeated")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
