"""A response cache for the MT backends: one JSON file per request under ``.duet/mt/``.

The key is the sha256 of what decides an engine's answer: engine, endpoint,
model, languages and the exact text sent (the masked source, or the system
prompt and the source). The API key is not part of it and is never written:
changing keys keeps the cache, and a cache folder can be shared or inspected
without leaking anything. What is stored is the engine's raw output, before the
glossary is put back or checked, so a glossary edit takes effect on cached
translations too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..formats.files import write_atomic

_VERSION = 1


@dataclass(frozen=True, slots=True)
class CacheKey:
    """Everything an engine's answer depends on (but the API key, which must not change it)."""

    engine: str
    url: str
    model: str
    source_language: str
    target_language: str
    request: tuple[str, ...]  # the masked source; or the system prompt and the source

    @property
    def digest(self) -> str:
        material = [_VERSION, self.engine, self.url, self.model, self.source_language,
                    self.target_language, list(self.request)]
        text = json.dumps(material, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """``<folder>/<digest[:2]>/<digest>.json``; an unreadable or mismatched entry reads as absent."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: CacheKey) -> Path:
        digest = key.digest
        return self.folder / digest[:2] / f"{digest}.json"

    def get(self, key: CacheKey) -> str | None:
        try:
            entry = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != _describe(key):
            return None
        output = entry.get("output")
        return output if isinstance(output, str) and output else None

    def put(self, key: CacheKey, output: str) -> None:
        entry = {"key": _describe(key), "output": output}
        text = json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        # A cache only saves a request next time; a translation obtained fine is never lost to it.
        with contextlib.suppress(OSError):
            write_atomic(self._path(key), text)


def _describe(key: CacheKey) -> dict[str, object]:
    """The key as stored beside the output, so an entry can be checked and read by a person."""
    return {
        "engine": key.engine, "url": key.url, "model": key.model,
        "source_language": key.source_language, "target_language": key.target_language,
        "request": list(key.request),
    }
