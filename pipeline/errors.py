"""One hierarchy for every error Duet raises on purpose.

Each error knows where it happened, so the CLI can print the GNU-style
``path:line: message`` line that editors and CI annotations understand.
"""

from __future__ import annotations

from .model import Location


class PipelineError(Exception):
    """Base for every error this package raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, loc: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}" if self.loc else self.message


class InputError(PipelineError, ValueError):
    """A source, SRX, PO, TM or glossary file is unreadable or malformed."""


class ConfigError(InputError):
    """The workspace configuration is missing, malformed or names unknown things."""


class WorkspaceError(PipelineError):
    """The workspace is missing or another run holds it."""


class SegmentationError(InputError):
    """An SRX file is invalid or has no rules for the requested language."""


class FetchError(PipelineError, OSError):
    """A release could not be downloaded; the location is the URL."""
