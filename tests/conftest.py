from __future__ import annotations

import collections.abc as cabc
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from loopback import LoopbackServer
from paths import REPO

# A test's outcome must not depend on how loaded the machine is: no per-example deadline, anywhere.
settings.register_profile("duet", deadline=None)
settings.load_profile("duet")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_workspace(tmp_path: Path) -> Path:
    """A copy of the repository's sample workspace, safe to write to."""
    root = tmp_path / "workspace"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    return root


@pytest.fixture
def http_server() -> cabc.Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1 with scripted replies (see ``loopback.py``)."""
    with LoopbackServer() as server:
        yield server


PLANTED_SCORES: dict[str, float] = {}


@pytest.fixture(scope="session")
def planted_scores() -> dict[str, float]:
    """Filled by the planted-error suite of the checks; printed at the end of the run."""
    return PLANTED_SCORES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if PLANTED_SCORES:
        s = PLANTED_SCORES
        terminalreporter.write_line(
            f"checks planted-error suite: {s['cases']:.0f} cases, {s['wanted']:.0f} planted findings, "
            f"{s['found']:.0f} reported: precision {s['precision']:.3f}, recall {s['recall']:.3f}"
        )
