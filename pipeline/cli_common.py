"""What every ``duet`` command module shares: the common options and the output helpers."""

from __future__ import annotations

import collections.abc as cabc
import json
import typing as t
from pathlib import Path

import click

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
