"""README.md's console examples, run as written: the README is a contract, not a brochure.

Every fenced block of README.md holding lines that start with ``$ `` is an example. Its
commands run in order, each with ``bash -c`` in the example workspace, the way a reader
types them on a fresh clone; what a command prints (stdout and stderr, in the order a
terminal shows them) must equal the lines under it in the README, up to the next ``$ ``
line or the end of the block. (In the spirit of sqlite-utils' documentation tests.)

The example workspace is a copy of what a fresh clone holds as Duet's sample workspace
(``pyproject.toml`` with its ``[tool.duet]`` table, ``sources/``, ``locales/``, ``output/``)
plus the files the examples read, shipped in ``docs/examples/`` and copied to the top of
the workspace as the README tells its reader to (``bureau.tmx``, ``archive/``); every
other file an example needs, it makes with a command the reader sees. The folder is named
``duet``, as a clone is. All blocks share that one copy, in README order, so an example
sees what the earlier ones left. Each command's test asks for its block's output, which
runs (once, cached for the module) every earlier block first, so one test can run alone.

The environment is a terminal user's, pinned: the venv's ``duet`` first on ``PATH``,
``LC_ALL=C.UTF-8``, ``COLUMNS=80``, ``TZ=UTC``, ``HOME`` an empty folder, no
``SOURCE_DATE_EPOCH`` and no ``DUET_MEMORY_URL`` (the README sets them where it means them).

Matching: lines are compared exactly, except that a README line holding only ``...``
matches any number of output lines (none included), and ``…`` inside a line matches any
text in that line (a figure that varies, such as the size of an SQLite file on disk; Duet
itself prints ``…`` where it shortens a sentence, which this matches too).

Substitutions, in the commands and in the expected output alike:

- ``https://www.info.gov.hk`` becomes the address of a real HTTP server on loopback that
  serves the GIA pages ``tests/data/html/gia-*-smart-traffic-fund-linked.htm`` (with an ETag,
  so fetching again gets a 304); other paths get a 404;
- ``postgresql://tm@db.example.org/duet`` becomes the URL of a database on a throwaway
  PostgreSQL cluster (``DUET_TEST_POSTGRES_URL`` when CI gives one); without PostgreSQL's
  binaries or psycopg the blocks that name it are skipped (a failure when ``CI`` is set).

Directives, HTML comments on their own lines between the previous block and the block
they govern (invisible on the rendered page), ``<!-- readme-test: DIRECTIVE -->``:

- ``fresh``: the block runs in a fresh copy of the example workspace of its own, so what
  it breaks or changes on purpose (a typo in ``duet.toml``, a planted error) stays there;
- ``setup: CMD``: a shell command run before the block's first command, in its workspace,
  for a file the reader is shown rather than made (with ``cat``); it must succeed, and its
  output is not compared;
- ``locked``: the workspace lock (``.duet/lock``) is held, by the test, while the block runs,
  as another ``duet`` run would hold it;
- ``skip: WHY``: the block's commands are not run; each is reported skipped with WHY.
"""

from __future__ import annotations

import collections.abc as cabc
import fcntl
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loopback import LoopbackServer, Reply
from paths import DATA, REPO

README = REPO / "README.md"
EXAMPLES = REPO / "docs" / "examples"
GIA_HOST = "https://www.info.gov.hk"
GIA_PAGE = "/gia/general/202601/22/P2026012200320.htm"
TEAM_URL = "postgresql://tm@db.example.org/duet"
DIRECTIVE = re.compile(r"^<!--\s*readme-test:\s*(?P<name>[a-z]+)\s*(?::\s*(?P<arg>.*?))?\s*-->$")
FENCE = re.compile(r"^(```+|~~~+)")


@dataclass
class Command:
    line: int  # 1-based line of its ``$ `` in README.md
    text: str
    expected: list[str]


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    commands: list[Command] = field(default_factory=list)
    fresh: bool = False
    locked: bool = False
    skip: str | None = None
    setup: list[str] = field(default_factory=list)

    @property
    def needs_team_memory(self) -> bool:
        return any(TEAM_URL in command.text for command in self.commands)


def parse_readme(text: str) -> list[Block]:
    """The README's example blocks, in order, each with the directives written before it."""
    blocks: list[Block] = []
    pending: list[tuple[int, str, str | None]] = []
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        found = DIRECTIVE.match(line.strip())
        if found:
            pending.append((number, found["name"], found["arg"]))
            continue
        fence = FENCE.match(line)
        if not fence:
            continue
        body: list[tuple[int, str]] = []
        while number < len(lines) and not lines[number].startswith(fence[1]):
            body.append((number + 1, lines[number]))
            number += 1
        number += 1  # the closing fence
        block = Block(line=number - len(body) - 1)
        for at, content in body:
            if content.startswith("$ "):
                block.commands.append(Command(at, content[2:], []))
            elif block.commands:
                block.commands[-1].expected.append(content)
        if not block.commands:
            assert not pending, f"README.md:{pending[0][0]}: a readme-test directive before a block with no $ line"
            continue
        for at, name, arg in pending:
            if name == "fresh" and arg is None:
                block.fresh = True
            elif name == "locked" and arg is None:
                block.locked = True
            elif name == "skip" and arg:
                block.skip = arg
            elif name == "setup" and arg:
                block.setup.append(arg)
            else:
                raise AssertionError(f"README.md:{at}: unknown readme-test directive {name!r} (or a missing argument)")
        pending = []
        blocks.append(block)
    assert not pending, f"README.md:{pending[0][0]}: a readme-test directive after the last example"
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual``, a line ``...`` standing for any run of lines, ``…`` for any text in a line."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and matches(expected[1:], actual[1:])


def line_matches(expected: str, actual: str) -> bool:
    if "…" not in expected:
        return expected == actual
    return re.fullmatch(".*".join(re.escape(part) for part in expected.split("…")), actual) is not None


BLOCKS = parse_readme(README.read_text(encoding="utf-8"))


def make_workspace(parent: Path) -> Path:
    """What a fresh clone holds as the sample workspace, and the example files beside it."""
    parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=parent)) / "duet"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / "output").mkdir()
    (root / "output" / ".gitkeep").touch()
    shutil.copytree(EXAMPLES, root, dirs_exist_ok=True)  # as the README says: cp -r docs/examples/. .
    return root


def start_postgres() -> tuple[str | None, cabc.Callable[[], None]]:
    """A database URL on a throwaway cluster (or CI's), and how to drop it; ``None`` without PostgreSQL."""
    given = os.environ.get("DUET_TEST_POSTGRES_URL")
    cluster = None
    if not given:
        spec = importlib.util.spec_from_file_location("readme_pgcluster", REPO / "tests" / "memory" / "pgcluster.py")
        assert spec and spec.loader
        pgcluster = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(pgcluster)
        bin_dir = pgcluster.binaries()
        if bin_dir is None:
            return None, lambda: None
        cluster = pgcluster.Cluster(bin_dir).start()
        given = cluster.url
    try:
        import psycopg
    except ImportError:
        if cluster:
            cluster.stop()
        return None, lambda: None
    name = f"duet_readme_{os.getpid()}"
    with psycopg.connect(given, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, query = given.partition("?")
    url = f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")

    def stop() -> None:
        with psycopg.connect(given, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        if cluster:
            cluster.stop()

    return url, stop


class Replay:
    """Runs the README's blocks in order, once each, and keeps what every command printed."""

    def __init__(self, scratch: Path, substitutions: dict[str, str]) -> None:
        self.scratch = scratch
        self.substitutions = substitutions
        self.shared: Path | None = None
        self.outputs: dict[int, list[str]] = {}
        self.ran: set[int] = set()
        bin_dir = Path(sys.executable).parent
        home = scratch / "home"
        home.mkdir()
        # Built from nothing, so that no proxy, SOURCE_DATE_EPOCH, DUET_MEMORY_URL or PGPASSWORD leaks in.
        self.env = {"PATH": f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8",
                    "LANG": "C.UTF-8", "COLUMNS": "80", "TZ": "UTC", "HOME": str(home), "TMPDIR": str(scratch),
                    "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}

    def substitute(self, text: str) -> str:
        for written, real in self.substitutions.items():
            text = text.replace(written, real)
        return text

    def runs(self, block: Block) -> bool:
        """Skipped blocks never run, not even as the earlier steps of another block's test."""
        return not block.skip and (not block.needs_team_memory or TEAM_URL in self.substitutions)

    def output_of(self, block: Block, command: Command) -> list[str]:
        for earlier in BLOCKS[: BLOCKS.index(block)]:
            if not block.fresh and not earlier.fresh and self.runs(earlier):
                self.run(earlier)
        self.run(block)
        return self.outputs[command.line]

    def run(self, block: Block) -> None:
        if block.line in self.ran:
            return
        self.ran.add(block.line)
        if block.fresh:
            workspace = make_workspace(self.scratch / "fresh")
        else:
            self.shared = self.shared or make_workspace(self.scratch / "shared")
            workspace = self.shared
        for command in block.setup:
            self.shell(command, workspace, check=True)
        holder = self.hold_lock(workspace) if block.locked else None
        try:
            for command in block.commands:
                printed = self.shell(command.text, workspace)
                self.outputs[command.line] = printed.removesuffix("\n").split("\n") if printed else []
        finally:
            if holder is not None:
                os.close(holder)

    def shell(self, command: str, workspace: Path, *, check: bool = False) -> str:
        done = subprocess.run(["bash", "-c", self.substitute(command)], cwd=workspace, env=self.env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        printed = done.stdout.decode("utf-8", "replace")
        assert not check or done.returncode == 0, f"readme-test setup {command!r} failed:\n{printed}"
        return printed

    @staticmethod
    def hold_lock(workspace: Path) -> int:
        lock = workspace / ".duet" / "lock"
        lock.parent.mkdir(exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> cabc.Iterator[Replay]:
    with LoopbackServer() as server:
        for path, name in ((GIA_PAGE, "gia-en-smart-traffic-fund-linked.htm"),
                           (GIA_PAGE.replace("00320", "00321"), "gia-zh-smart-traffic-fund-linked.htm")):
            page = (DATA / "html" / name).read_bytes()
            server.route(path, lambda request, page=page: (
                Reply(304, b"", {"ETag": '"v1"'}) if request.headers["If-None-Match"] == '"v1"'
                else Reply(200, page, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})
            ))
        substitutions = {GIA_HOST: server.url("").rstrip("/")}
        team_url, stop = start_postgres() if any(block.needs_team_memory for block in BLOCKS) else (None, None)
        if team_url:
            substitutions[TEAM_URL] = team_url
        try:
            yield Replay(tmp_path_factory.mktemp("readme"), substitutions)
        finally:
            if stop:
                stop()


def _cases() -> list[object]:
    cases = []
    for block in BLOCKS:
        for command in block.commands:
            marks = [pytest.mark.skip(reason=block.skip)] if block.skip else []
            cases.append(pytest.param(block, command, id=f"README.md:{command.line}", marks=marks))
    return cases


@pytest.mark.parametrize(("block", "command"), _cases())
def test_readme_example(replay: Replay, block: Block, command: Command) -> None:
    if not replay.runs(block):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL's binaries (initdb, pg_ctl) or psycopg are absent and CI is set: .ci/run installs them")
        pytest.skip("no PostgreSQL server for the team memory example (apt-get install postgresql)")
    actual = replay.output_of(block, command)
    expected = [replay.substitute(line) for line in command.expected]
    assert matches(expected, actual), (
        f"README.md:{command.line}: $ {command.text}\n--- README\n" + "\n".join(expected)
        + "\n--- printed\n" + "\n".join(actual)
    )


def test_every_example_line_is_a_command_under_test() -> None:
    """No ``$ `` line escapes the parser (for example in a block it misreads)."""
    written = [n for n, line in enumerate(README.read_text(encoding="utf-8").split("\n"), 1) if line.startswith("$ ")]
    assert [c.line for b in BLOCKS for c in b.commands] == written


def test_directives_govern_the_next_block_and_typos_are_refused() -> None:
    text = "<!-- readme-test: fresh -->\n<!-- readme-test: setup: touch a -->\n```\n$ ls\na\n$ pwd\n```\n```\n$ true\n```\n"
    first, second = parse_readme(text)
    assert (first.fresh, first.setup, first.line) == (True, ["touch a"], 3)
    assert [(c.line, c.text, c.expected) for c in first.commands] == [(4, "ls", ["a"]), (6, "pwd", [])]
    assert (second.fresh, second.setup, second.skip) == (False, [], None)
    with pytest.raises(AssertionError, match="README.md:1: unknown readme-test directive 'frsh'"):
        parse_readme("<!-- readme-test: frsh -->\n```\n$ ls\n```\n")


def test_the_wildcard_line_matches_any_run_of_lines() -> None:
    assert matches(["a", "...", "z"], ["a", "z"]) and matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"]) and not matches(["a"], ["a", "b"])
    assert matches(["3 units, … bytes"], ["3 units, 81,920 bytes"]) and not matches(["3 units, … bytes"], ["3 units"])


def test_the_config_table_lists_every_key_duet_accepts() -> None:
    from pipeline.workspace import _KEYS

    text = README.read_text(encoding="utf-8")
    start = text.index("Configuration keys, all optional:")
    table = text[start:].split("\n\n")[1]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, re.MULTILINE)
    assert len(listed) == len(set(listed)) and sorted(listed) == sorted(_KEYS)
