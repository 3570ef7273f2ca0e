"""What a stage's outputs depend on, as digests: the setup, each file it reads, the glossary's terms.

``duet build`` keys every stage's output by these; ``duet export`` (given no
findings) keys the check's counts by them too, so both share one record of
the workspace under ``.duet/`` (``state``). The digests of unchanged files
are kept with their size and modification time, so a file that looks
unchanged is not read again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import typing as t
from pathlib import Path

from ..errors import PipelineError, WorkspaceError
from ..formats.files import read_bytes
from ..model import Location

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher
    from ..workspace import Workspace
    from .run import Run
    from .state import BuildState

SETTLED_NS = 2_000_000_000  # a file this much older than its hashing is trusted by its size and mtime


def setup_digest(run: Run) -> str:
    """What every release's outputs depend on: Duet's code, the configuration, the rules (the glossary is apart)."""
    config, workspace = run.config, run.workspace
    parts = [_code_digest(), json.dumps([repr(config), config.mt], sort_keys=True, default=str),
             os.environ.get("SOURCE_DATE_EPOCH", "")]
    rules = workspace.segmentation_rules
    parts.append(_file_sha(rules) if rules is not None else "")
    return sha(("\0".join(parts)).encode())


@functools.cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".srx", ".rng", ".xsd"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class FileDigests:
    """The digest of each file a run looks at ("" when there is none), read at most once a run.

    A file is not read again while its size and modification time are those
    it had when last hashed, as ``make`` and git's index judge a file; the
    digests of files read or written are kept in the state for the next run.
    """

    def __init__(self, workspace: Workspace, state: BuildState) -> None:
        self.workspace, self.state = workspace, state
        self.shas: dict[str, str] = {}  # shown path -> digest of its bytes now
        self.recorded = state.digests()

    def of(self, path: Path) -> str:
        shown = self.workspace.relative(path)
        if shown not in self.shas:
            self.shas[shown] = self._hashed(path, shown)
        return self.shas[shown]

    def get(self, shown: str) -> str | None:
        """The digest already taken of a file (by its path as shown), None if none was."""
        return self.shas.get(shown)

    def _hashed(self, path: Path, shown: str) -> str:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return ""
        except OSError as exc:
            raise WorkspaceError(f"cannot read: {exc.strerror or exc}", Location(shown)) from exc
        known = self.recorded.get(shown)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        digest = sha(read_bytes(path, display=shown))
        if stat.st_mtime_ns + SETTLED_NS <= time.time_ns():  # a later write in the same clock tick cannot hide
            self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, digest)
        return digest

    def holding(self, path: Path, digest: str, written: int | None = None) -> None:
        """A file known to hold bytes of ``digest``: just ``written`` (their length), or found so and left alone.

        The next run does not read it again: a written file's size and time are
        recorded at once, one found unchanged once it has settled.
        """
        shown = self.workspace.relative(path)
        self.shas[shown] = digest
        stat = path.stat()
        if written is not None:
            if stat.st_size == written:
                self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, digest)
        elif stat.st_mtime_ns + SETTLED_NS <= time.time_ns():
            self.state.put_digest(shown, stat.st_size, stat.st_mtime_ns, digest)


class GlossaryChange:
    """The glossary now against the one a stage last ran with (kept in the state's meta under ``name``).

    Each stage that depends on terms keeps its own: ``duet export`` counts the
    checks without exporting every release a changed term touches, so the
    export stage's glossary must not move with the check's.
    """

    def __init__(self, run: Run, state: BuildState, name: str) -> None:
        self.run, self.state, self.name = run, state, name
        path = run.workspace.glossary_path
        self.suffix, self.data = (path.suffix.lower(), path.read_bytes()) if path is not None else ("", b"")
        self.sha = sha(self.data) if path is not None else ""
        self.changed = (state.meta(name) or b"").decode() != self.sha

    @functools.cached_property
    def _matchers(self) -> list[TermMatcher] | None:
        """The matchers of the terms added, removed or changed since the stage last ran; None: assume every term."""
        import tempfile

        from ..glossary import Glossary, load_glossary

        kept, new = self.state.meta(self.name + "-bytes"), self.run.glossary
        if kept is None or new is None:
            return None
        suffix, _, data = kept.partition(b"\0")
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("glossary" + suffix.decode())
                path.write_bytes(data)
                old = load_glossary(path)
            changed = set(old.terms) ^ set(new.terms)
            glossary = Glossary(sorted(changed, key=repr), languages=new.languages)
            return [glossary.matcher(self.run.source_language, locale) for locale in self.run.config.target_locales]
        except (PipelineError, OSError):
            return None

    def holds_changed_term(self, source: str) -> bool:
        matchers = self._matchers
        return matchers is None or any(matcher.find(source) for matcher in matchers)

    def remember(self) -> None:
        """The stage has run with the glossary as it is now."""
        self.state.put_meta(self.name, self.sha.encode())
        self.state.put_meta(self.name + "-bytes", self.suffix.encode() + b"\0" + self.data)


def _file_sha(path: Path) -> str:
    try:
        return sha(path.read_bytes())
    except FileNotFoundError:
        return ""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
