"""Stage: source files (plain text, HTML) → ``Release``."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats.files import read_bytes, read_text
from ..model import Location, Release
from .language import check_release_language
from .text import format_text, parse_text

__all__ = ["read_source", "parse_text", "format_text"]


def read_source(path: Path, *, display: str | None = None, language: str = "en",
                refuse_other_language: bool = False) -> Release:
    """Read one source release; its id is the file stem.

    ``display`` is the path shown in references and errors (workspace-relative);
    ``language`` (BCP 47) is the workspace's source language, used unless the
    file states its own. A file with no paragraph is an :class:`InputError`:
    it would give a catalog with nothing to translate. With
    ``refuse_other_language``, so is a release labelled or written in another
    language than ``language`` (see :mod:`.language`): a Chinese release must
    not become an English source.
    """
    release = _read(path, display or str(path), language)
    if refuse_other_language:
        check_release_language(release, language)
    return release


def _read(path: Path, shown: str, language: str) -> Release:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text = read_text(path, display=shown)
        release = parse_text(text, path=shown, release_id=path.stem, language=language)
        if not release.paragraphs:
            _refuse_empty(text, shown)
        return release
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(read_bytes(path, display=shown), path=shown, release_id=path.stem)
    raise InputError(f"unsupported source type '{path.suffix}' (expected .txt, .html or .htm)", Location(shown))


def _refuse_empty(text: str, shown: str) -> None:
    if not text.strip():
        raise InputError("the file is empty: a release needs at least one paragraph", Location(shown))
    raise InputError("no text after the header: a release needs at least one paragraph",
                     Location(shown, len(text.splitlines())))
