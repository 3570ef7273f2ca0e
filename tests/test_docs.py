"""The README is the user's manual: every command is in its tour and has working --help."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme_tour_and_has_help(runner: CliRunner, name: str) -> None:
    assert re.search(rf"^### `duet {name}\b", README, re.MULTILINE), f"README has no section for duet {name}"
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {name}") or result.output.startswith(f"Usage: duet {name}")


def test_readme_test_command_is_what_ci_runs() -> None:
    command = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    assert command in README
    assert command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
