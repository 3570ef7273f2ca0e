from __future__ import annotations

import collections.abc as cabc
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopback import LoopbackServer
from paths import REPO



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
