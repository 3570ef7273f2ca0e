"""``duet translate`` and ``duet tm import|export|lookup|stats|migrate``: the memory stages from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import api
from .cli_common import (
    count,
    echo_json,
    echo_table,
    format_option,
    going_on_past_bad_releases,
    workspace_option,
)
from .formats.files import write_atomic

_COLUMNS = ("in_context", "exact", "repaired", "fuzzy", "mt", "none", "kept")
PROGRESS_FROM = 20  # files; fewer finish before a bar would help


@click.command()
@click.argument("releases", nargs=-1)
@click.option("--locale", help="Only this target locale (default: every one in the config).")
@workspace_option
@format_option
def translate(releases: tuple[str, ...], locale: str | None, workspace_dir: Path, output_format: str) -> None:
    """Fill empty PO entries from the translation memory (and MT, when configured).

    Stages, in order: exact (with context), fuzzy, repair (numbers, dates and
    glossary terms substituted), machine translation; every candidate is
    checked against the glossary. Only an exact match that renders every
    glossary term becomes a final translation; anything else is written
    '#, fuzzy' with notes saying why. Entries a translator filled are never
    touched. Derived locales (derived_locales) are converted afterwards.
    """
    workspace = api.open_workspace(workspace_dir)
    files = (len(releases) or len(workspace.source_files())) * (1 if locale else len(workspace.config.target_locales))
    with going_on_past_bad_releases() as refused:
        if files >= PROGRESS_FROM and sys.stderr.isatty():
            with click.progressbar(length=files, label="translating", file=sys.stderr) as bar:
                updates = api.translate(workspace, releases, locale=locale, progress=lambda _: bar.update(1),
                                        refused=refused)
        else:
            updates = api.translate(workspace, releases, locale=locale, refused=refused)
        _report_translate(updates, output_format)


def _report_translate(updates: list[api.TranslateUpdate], output_format: str) -> None:
    if output_format == "json":
        echo_json([{"file": u.path, "release": u.release_id, "locale": u.locale, "changed": u.changed,
                    **{name: value for name, value in zip(u.report.__slots__, _values(u.report))}} for u in updates])
        return
    rows = [("file", "in-context", "exact", "repaired", "fuzzy", "mt", "converted", "none", "kept")]
    for u in updates:
        values = dict(zip(u.report.__slots__, _values(u.report)))
        if "converted" in values:  # a derived locale
            rows.append((u.path, "-", "-", "-", "-", "-", str(values["converted"]), str(values["missing"]), str(values["human"])))
        else:
            rows.append((u.path, *(str(values[name]) for name in _COLUMNS[:5]), "-", str(values["none"]), str(values["kept"])))
    echo_table(rows)
    click.echo(f"{count(len(updates), 'file')}, {sum(u.changed for u in updates)} written")


def _values(report: object) -> list[int]:
    return [getattr(report, name) for name in report.__slots__]  # type: ignore[attr-defined]


@click.group()
def tm() -> None:
    """The translation memory: every translated PO entry of the workspace and locales/memory/*.tmx.

    In .duet/memory.sqlite, or shared by a team on a PostgreSQL server when
    memory_url in duet.toml (or DUET_MEMORY_URL) names one.
    """


@tm.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@format_option
def import_(file: Path, workspace_dir: Path, output_format: str) -> None:
    """Validate FILE (TMX 1.1-1.4b) and copy it into locales/memory/."""
    result = api.tm_import(api.open_workspace(workspace_dir), file)
    if output_format == "json":
        echo_json({"file": result.path, "units": result.units, "skipped": result.skipped,
                   "unmatched_languages": list(result.unmatched_languages)})
        return
    unmatched = f"; languages matching no locale: {', '.join(result.unmatched_languages)}" if result.unmatched_languages else ""
    click.echo(f"{result.path}: {count(result.units, 'unit')} imported, {result.skipped} skipped{unmatched}")


@tm.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--locale", help="The target locale (default: the first in the config).")
@workspace_option
def export(file: Path | None, locale: str | None, workspace_dir: Path) -> None:
    """Write the memory as TMX 1.4b to FILE (saying which memory it read, on standard error), or to standard output."""
    data, units, memory = api.tm_export(api.open_workspace(workspace_dir), locale)
    if file is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    write_atomic(file, data)
    click.echo(f"{file}: {count(units, 'unit')} from {memory}", err=True)


@tm.command()
@click.argument("text")
@click.option("--min", "min_score", type=click.FloatRange(0, 100), default=75, show_default=True, help="Lowest score shown.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Most matches shown.")
@click.option("--locale", help="The target locale (default: the first in the config).")
@workspace_option
@format_option
def lookup(text: str, min_score: float, limit: int, locale: str | None, workspace_dir: Path, output_format: str) -> None:
    """The memory's best matches for TEXT, with their scores decomposed."""
    found = api.tm_lookup(api.open_workspace(workspace_dir), text, locale=locale, min_score=min_score, limit=limit)
    if output_format == "json":
        echo_json([{"source": f.match.source, "target": f.match.target, "kind": f.match.kind, "score": f.match.score,
                    "similarity": f.match.similarity, "penalties": dict(f.match.penalties), "origin": f.match.origin,
                    "status": f.match.status, "repaired": [e.describe() for e in f.edits]} for f in found])
        return
    for f in found:
        m = f.match
        penalties = "".join(f", {name} -{value:g}" for name, value in m.penalties)
        click.echo(f"{m.score:5.1f}  {m.kind} (similarity {m.similarity:g}{penalties}) {m.status} {m.origin}")
        click.echo(f"       {m.source}\n       {m.target}")
        for edit in f.edits:
            click.echo(f"       repaired: {edit.describe()}")
    if not found:
        click.echo(f"no match at or above {min_score:g}")


@tm.command()
@workspace_option
@format_option
def stats(workspace_dir: Path, output_format: str) -> None:
    """What the memory holds: units by language pair and status, files, size; which backend, where."""
    numbers = api.tm_stats(api.open_workspace(workspace_dir))
    if output_format == "json":
        echo_json(numbers)
        return
    click.echo(f"{numbers['backend']} memory {numbers['location']}")
    for memory in numbers.get("memories", ()):
        mine = " (this workspace)" if memory["name"] == numbers["name"] else ""
        click.echo(f"  workspace {memory['name']}{mine}: {count(memory['units'], 'unit')} from "
                   f"{count(memory['files'], 'file')}")
    click.echo(f"{count(numbers['units'], 'unit')} from {count(numbers['files'], 'file')}, {numbers['bytes']:,} bytes")
    for pair in numbers["pairs"]:
        statuses = ", ".join(f"{n} {status}" for status, n in pair["status"].items())
        click.echo(f"  {pair['source_language']} → {pair['target_language']}: {pair['units']} ({statuses})")


@tm.command()
@click.option("--to", "url", required=True, metavar="URL",
              help="The server, as postgresql://[user@]host[:port]/database (the password from PGPASSWORD or ~/.pgpass).")
@workspace_option
@format_option
def migrate(url: str, workspace_dir: Path, output_format: str) -> None:
    """Copy the workspace's memory into a PostgreSQL server, as this workspace's units (memory_name).

    Run again, it loads only what changed. Then set memory_url in duet.toml (or
    DUET_MEMORY_URL) to the same URL, without its password, to use it.
    """
    report, shown = api.tm_migrate(api.open_workspace(workspace_dir), url)
    if output_format == "json":
        echo_json({"memory": shown, "files_added": report.added, "files_changed": report.changed,
                   "files_removed": report.removed, "files_unchanged": report.unchanged,
                   "units_added": report.units_added, "units_removed": report.units_removed, "units": report.units})
        return
    click.echo(f"{shown}: {count(report.units_added, 'unit')} copied, {report.units_removed} removed, "
               f"{count(report.units, 'unit')} of this workspace now")
