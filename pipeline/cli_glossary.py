"""``duet glossary import|export|lookup|lint``: the termbase from the command line.

Argument plumbing over ``pipeline.glossary.actions``; errors are ``PipelineError``
values that the main group prints as one ``path:line: message`` line (exit 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import api
from .formats.files import write_atomic
from .cli_common import echo_json, format_option, workspace_option
from .glossary import actions

@click.group()
def glossary() -> None:
    """The termbase: import, export, look up and lint the workspace's glossary."""


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
@format_option
def import_(file: Path, workspace_dir: Path, output_format: str) -> None:
    """Validate FILE (.csv or .tbx) and make it the workspace's glossary, replacing the old one."""
    result = actions.import_glossary(api.open_workspace(workspace_dir), file)
    if output_format == "json":
        echo_json({"source": result.source, "glossary": result.path, "terms": result.terms,
                   "languages": list(result.languages)})
        return
    click.echo(f"{result.path}: {result.terms} terms ({', '.join(result.languages)}) imported from {result.source}")


@glossary.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]),
              help="Output format (default: FILE's suffix, else csv).")
@workspace_option
def export(file: Path | None, fmt: str | None, workspace_dir: Path) -> None:
    """Write the glossary to FILE, or to standard output, as CSV or TBX-Basic."""
    if fmt is None:
        fmt = "tbx" if file is not None and file.suffix.lower() == ".tbx" else "csv"
    data = actions.export_glossary(api.open_workspace(workspace_dir), fmt)
    if file is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(file, data)


@glossary.command()
@click.argument("text")
@workspace_option
@format_option
def lookup(text: str, workspace_dir: Path, output_format: str) -> None:
    """The glossary terms in TEXT with their renderings; nested terms are indented."""
    found = actions.lookup(api.open_workspace(workspace_dir), text)
    if output_format == "json":
        echo_json([item.to_json() for item in found])
        return
    _print_lookups(found, 0)


def _print_lookups(found: list[actions.Lookup], depth: int) -> None:
    for item in found:
        hit = item.hit
        rendered = "; ".join(f"{locale} {r.approved or '(none)'}" + (f" (or {', '.join(r.variants)})" if r.variants else "")
                             + (f" (not {', '.join(r.forbidden)})" if r.forbidden else "") for locale, r in item.renderings)
        click.echo(f"{'  ' * depth}{hit.start}-{hit.end} {hit.text}: {rendered}")
        _print_lookups(list(item.inner), depth + 1)


@glossary.command()
@workspace_option
@format_option
def lint(workspace_dir: Path, output_format: str) -> None:
    """Report duplicate, conflicting, empty, self-forbidden and nested terms; exit 1 when any."""
    termbase, issues = actions.lint(api.open_workspace(workspace_dir))
    if output_format == "json":
        echo_json({
            "issues": [{"check": i.code, "severity": i.severity, "file": i.loc.path if i.loc else termbase.path,
                        "line": i.loc.line if i.loc else None, "term": i.term, "message": i.message} for i in issues],
            "summary": {"file": termbase.path, "terms": len(termbase), "issues": len(issues)},
        })
    else:
        for issue in issues:
            click.echo(str(issue))
        click.echo(f"{termbase.path}: {len(termbase)} terms, {len(issues)} issue{'' if len(issues) == 1 else 's'}", err=True)
    if issues:
        sys.exit(1)
