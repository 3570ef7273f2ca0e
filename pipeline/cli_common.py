"""What every ``duet`` command module shares: the common options and the output helpers."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import json
import re
import sys
import typing as t
from pathlib import Path

import click

from .errors import PipelineError

F = t.TypeVar("F", bound=cabc.Callable[..., t.Any])


def workspace_option(func: F) -> F:
    return click.option("--workspace", "-w", "workspace_dir", type=click.Path(path_type=Path), default=".",
                        show_default=True, help="The workspace folder.")(func)  # fmt: skip


def format_option(func: F) -> F:
    return click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="Human text or JSON.")(func)  # fmt: skip


def echo_json(value: t.Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def count(number: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def echo_table(rows: list[tuple[str, ...]]) -> None:
    """Left-align the first column, right-align numbers, two spaces between columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) if cell[:1].isdigit() or cell == "-" else cell.ljust(width)
                  for cell, width in zip(row[1:], widths[1:])]  # fmt: skip
        click.echo("  ".join(cells).rstrip())


def error_line(exc: PipelineError) -> str:
    """The one line a user sees: ``path:line: message``; a newline in a file name cannot break it in two."""
    line = str(exc) if exc.loc else f"duet: {exc}"
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], line)


@contextlib.contextmanager
def going_on_past_bad_releases() -> cabc.Iterator[list[PipelineError]]:
    """Collect releases refused while the command went on with the others; one line each, then exit 2.

    An error that stops the command (a workspace it may not write, a full
    disk) is still raised after those lines, so the user sees it too.
    """
    refused: list[PipelineError] = []
    try:
        yield refused
    except SystemExit as done:  # the command's own verdict (1: not ready); a refused release makes it 2
        _report(refused)
        if refused and done.code in (None, 0, 1):
            sys.exit(2)
        raise
    except BaseException:
        _report(refused)
        raise
    _report(refused)
    if refused:
        sys.exit(2)


def _report(refused: list[PipelineError]) -> None:
    for error in refused:
        click.echo(error_line(error), err=True)
