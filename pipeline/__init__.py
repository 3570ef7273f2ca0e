"""Duet: English → Chinese publishing pipeline for government press releases.

The public API mirrors the ``duet`` commands: ``open_workspace(".")`` then
``build(workspace)``, ``fetch(workspace, urls)``, ``segment(text, "en")``.
"""

from .api import FetchResult, ReleaseSummary, build, fetch, init_workspace, load_releases, open_workspace, segment
from .errors import ConfigError, FetchError, InputError, PipelineError, SegmentationError, WorkspaceError
from .model import Location, Paragraph, Release, ReleaseMeta, Segment

__all__ = [
    "build", "fetch", "init_workspace", "load_releases", "open_workspace", "segment",
    "FetchResult", "ReleaseSummary",
    "PipelineError", "InputError", "ConfigError", "FetchError", "SegmentationError", "WorkspaceError",
    "Location", "Paragraph", "Release", "ReleaseMeta", "Segment",
]
