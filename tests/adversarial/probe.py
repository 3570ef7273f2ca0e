"""The harness of the adversarial suite: run the real ``duet`` the way a user would, judge what it did.

Every probe runs ``python -m pipeline`` in a child process (a hang is bounded by
``timeout`` and counts as a failure), then asserts the promises Duet makes on
bad input: exit code 2, one line on stderr naming the file, no traceback, and
nothing outside the workspace read, written or deleted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SAMPLE_RELEASE = """\
Title: Expert group meets
Date: 2026-01-22T17:02
---

Expert group meets

The Expert Group on Hong Kong-Guangdong Financial Co-operation held its ninth meeting today.

Mr Chan said the meeting was useful.
"""

SAMPLE_GLOSSARY = """\
en,zh-Hant-HK
Expert Group on Hong Kong-Guangdong Financial Co-operation,粵港金融合作專家小組
"""


@dataclass(frozen=True)
class Done:
    """What a ``duet`` run did."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"duet {' '.join(self.args)} -> {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"


def duet(*args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = 60, stdin: str | bytes | None = None) -> Done:
    """Run ``duet ARGS`` in a child process; a run still going after ``timeout`` seconds is killed and fails."""
    words = tuple(str(a) for a in args)
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    try:
        done = subprocess.run([sys.executable, "-m", "pipeline", *words], cwd=cwd, env=environment, input=data,
                              capture_output=True, timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"duet {' '.join(words)} still running after {timeout} s") from exc
    return Done(words, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def assert_no_traceback(done: Done) -> None:
    assert "Traceback" not in done.stderr, str(done)
    assert done.returncode in (0, 1, 2), str(done)


def assert_clean_error(done: Done, *names: str) -> None:
    """Exit 2, one line on stderr, no traceback, and the line names each of ``names`` (a file, a line)."""
    assert_no_traceback(done)
    assert done.returncode == 2, str(done)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, str(done)
    for name in names:
        assert name in lines[0], f"{name!r} not in {lines[0]!r}"


def make_workspace(root: Path, *, release: str | None = SAMPLE_RELEASE, glossary: str | None = SAMPLE_GLOSSARY,
                   config: str = 'target_locales = ["zh_Hant_HK"]\n') -> Path:
    """A small workspace: ``duet.toml``, one release ``sources/meeting.txt``, a glossary."""
    (root / "sources").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "output").mkdir()
    (root / "duet.toml").write_text(config, encoding="utf-8")
    if release is not None:
        (root / "sources" / "meeting.txt").write_text(release, encoding="utf-8")
    if glossary is not None:
        (root / "locales" / "glossary.csv").write_text(glossary, encoding="utf-8")
    return root


def sample_workspace(root: Path) -> Path:
    """A copy of the repository's sample workspace (one real release, its glossary and translation)."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (links not followed) by relative path, with its bytes; links by target."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


class Fence:
    """A folder beside the workspace holding files no run may read into its output, change or delete."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "secret.txt").write_text("SECRET-OUTSIDE-THE-WORKSPACE\n\nAnother secret paragraph.\n", encoding="utf-8")
        (root / "pyproject.toml").write_text("[project]\nname = 'not-duet'\n", encoding="utf-8")
        self.before = snapshot(root)

    def assert_untouched(self) -> None:
        assert snapshot(self.root) == self.before, "a file outside the workspace was written or deleted"

    def assert_not_leaked(self, workspace: Path) -> None:
        """No file of the workspace holds the fence's secret."""
        for path in workspace.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert b"SECRET-OUTSIDE" not in path.read_bytes(), f"outside content leaked into {path}"
