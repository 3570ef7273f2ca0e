"""``duet translate`` and ``duet tm`` on a team memory: the same answers as SQLite, which memory, ``tm migrate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

QUERY = "The meeting was chaired by Under Secretary for Financial Services & the Treasury Joseph Chan today."


def invoke(runner: CliRunner, root: Path, *args: str, code: int = 0, env: dict[str, str] | None = None):
    result = runner.invoke(cli, [*args, "-w", str(root)], env=env)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def twins(sample_workspace: Path, postgres_url: str) -> tuple[Path, Path]:
    """The sample workspace twice: on SQLite, and on the server as ``desk``."""
    team = sample_workspace.parent / "team"
    shutil.copytree(sample_workspace, team)
    (team / "duet.toml").write_text(f'target_locales = ["zh_Hant_HK"]\nmemory_url = "{postgres_url}"\n'
                                    'memory_name = "desk"\n', encoding="utf-8")
    return sample_workspace, team


def test_translate_lookup_and_export_answer_alike_on_both_backends(runner: CliRunner, twins: tuple[Path, Path]) -> None:
    solo, team = twins
    for root in twins:
        invoke(runner, root, "extract")
        invoke(runner, root, "translate")
    po = [sorted(p.relative_to(root).as_posix() + p.read_text(encoding="utf-8")
                 for p in (root / "locales").rglob("*.po")) for root in twins]
    assert po[0] == po[1]
    lookups = [json.loads(invoke(runner, root, "tm", "lookup", QUERY, "--min", "40", "--format", "json").output)
               for root in twins]
    assert lookups[0] == lookups[1] and lookups[0]
    exports = []
    for root in twins:
        result = invoke(runner, root, "tm", "export", str(root / "out.tmx"))
        exports.append((root / "out.tmx").read_bytes())
        assert result.stderr.startswith(f"{root / 'out.tmx'}: 12 units from ")
    assert exports[0] == exports[1]
    assert "from .duet/memory.sqlite" in invoke(runner, solo, "tm", "export", str(solo / "x.tmx")).stderr
    assert "from postgresql://" in invoke(runner, team, "tm", "export", str(team / "x.tmx")).stderr
    stats = [json.loads(invoke(runner, root, "tm", "stats", "--format", "json").output) for root in twins]
    assert [s["backend"] for s in stats] == ["sqlite", "postgresql"]
    assert stats[0]["pairs"] == stats[1]["pairs"] and stats[1]["memories"] == [{"name": "desk", "files": 1, "units": 12}]
    text = invoke(runner, team, "tm", "stats").output
    assert text.startswith("postgresql memory postgresql://") and "workspace desk (this workspace): 12 units" in text


def test_migrate_copies_the_workspace_and_the_environment_points_at_it(runner: CliRunner, sample_workspace: Path,
                                                                      postgres_url: str) -> None:
    result = invoke(runner, sample_workspace, "tm", "migrate", "--to", postgres_url)
    assert result.output.endswith(": 12 units copied, 0 removed, 12 units of this workspace now\n")
    again = invoke(runner, sample_workspace, "tm", "migrate", "--to", postgres_url, "--format", "json").output
    assert json.loads(again)["units_added"] == 0 and json.loads(again)["units"] == 12
    stats = json.loads(invoke(runner, sample_workspace, "tm", "stats", "--format", "json",
                              env={"DUET_MEMORY_URL": postgres_url}).output)
    assert stats["backend"] == "postgresql" and stats["memories"] == [{"name": "workspace", "files": 1, "units": 12}]


def test_an_unreachable_server_is_one_line_exit_2_without_the_password(runner: CliRunner, sample_workspace: Path,
                                                                       tmp_path: Path) -> None:
    url = f"postgresql://tm:hunter2-secret@/duet?host={tmp_path}&connect_timeout=2"
    result = invoke(runner, sample_workspace, "tm", "stats", code=2, env={"DUET_MEMORY_URL": url})
    assert result.output.count("\n") == 1 and "hunter2" not in result.output
    assert result.output.startswith("postgresql://tm:***@/duet?host=") and "cannot open the translation memory" in result.output


@pytest.mark.parametrize(("line", "message"), [
    ('memory_url = "postgresql://tm:pw@db.example/duet"', "'memory_url' must not hold a password"),
    ('memory_url = "mysql://db.example/duet"', "'memory_url' must be a postgresql:// URL"),
    ('memory_name = " "', "'memory_name' must be 1 to 100 printable characters"),
])
def test_bad_memory_settings_name_the_line(runner: CliRunner, sample_workspace: Path, line: str, message: str) -> None:
    (sample_workspace / "duet.toml").write_text(f'target_locales = ["zh_Hant_HK"]\n{line}\n', encoding="utf-8")
    result = invoke(runner, sample_workspace, "tm", "stats", code=2)
    assert result.output.startswith(f"{sample_workspace / 'duet.toml'}:2: {message}") and result.output.count("\n") == 1
