"""Atomic writes and the workspace lock.

A run killed at any moment must leave every file either old or new, never
half-written: write a temporary file in the same folder, fsync it, rename it
over the target, then fsync the folder so the rename itself is durable. A run
that writes many files stages them all first and renames them last, so an
error while writing leaves every one of them as it was.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import errno
import fcntl
import os
import tempfile
from pathlib import Path

from ..errors import InputError, PipelineError, WorkspaceError
from ..model import Location


Content = bytes | str | cabc.Iterable[str]  # str (and pieces of one, written as they come) as UTF-8


def write_atomic(path: str | os.PathLike[str], data: Content) -> None:
    """Replace ``path`` with ``data`` in one rename."""
    write_all_atomic([(path, data)])


def write_all_atomic(files: cabc.Iterable[tuple[str | os.PathLike[str], Content]]) -> None:
    """Replace each file in one rename, after every new file is written and synced.

    A failure while writing leaves every target untouched (the temporary files
    are removed); the renames come last, and each folder is synced once.
    Temporary files a killed run left for the same targets are removed first:
    callers hold the workspace lock, so no other run is writing them.
    """
    staged: list[tuple[str, Path]] = []
    leftovers: dict[Path, list[Path]] = {}
    try:
        for path, data in files:
            target = Path(path)
            if target.parent not in leftovers:
                found = target.parent.glob(".*.tmp") if target.parent.is_dir() else ()
                leftovers[target.parent] = list(found)
            for stale in leftovers[target.parent]:
                if stale.name.startswith(f".{target.name}."):
                    stale.unlink(missing_ok=True)
            with _naming(target):
                staged.append((_stage(target, data), target))
        for tmp, target in staged:
            with _naming(target):
                os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for folder in dict.fromkeys(target.parent for _, target in staged):
        _fsync_dir(folder)


@contextlib.contextmanager
def _naming(target: Path) -> cabc.Iterator[None]:
    """An OS error writing ``target`` (a full disk, a read-only folder) becomes one line naming it."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, PipelineError):
            raise
        raise WorkspaceError(f"cannot write: {exc.strerror or exc}", Location(_shown(target))) from exc


def _stage(target: Path, payload: Content) -> str:
    """Write ``payload`` to a synced temporary file beside ``target``, with the target's mode."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                for piece in (payload,) if isinstance(payload, str) else payload:
                    handle.write(piece.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def read_bytes(path: str | os.PathLike[str], *, display: str | None = None) -> bytes:
    """A file's bytes; an OS error becomes an ``InputError`` naming the file as shown to users."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", Location(display or str(path))) from exc


def read_text(path: str | os.PathLike[str], *, display: str | None = None) -> str:
    """Read a UTF-8 text file (a BOM is dropped), with errors that name the file and line."""
    return decode_utf8(read_bytes(path, display=display), display or str(path))


def decode_utf8(data: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is dropped); the error names the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", Location(display, line)) from exc


_held: dict[str, int] = {}  # lock files this process holds, with how many times it entered each


@contextlib.contextmanager
def locked(lock_path: str | os.PathLike[str]) -> cabc.Iterator[None]:
    """Hold an exclusive, non-blocking lock so two runs cannot interleave their writes.

    Re-entrant within a process: ``duet build`` holds it for the whole run while
    each stage it composes takes it again.
    """
    path = Path(lock_path)
    key = os.path.realpath(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WorkspaceError(f"cannot create the workspace lock: {exc.strerror or exc}", Location(_shown(path))) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise WorkspaceError("another duet run holds the workspace lock", Location(_shown(path))) from exc
            raise
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when below it, as a user typed it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
