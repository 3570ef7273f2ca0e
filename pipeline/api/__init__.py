"""The library API: what the ``duet`` commands do, callable from Python.

One module per command family; each function takes a ``Workspace`` (or plain
values), reads it through one ``Run`` and hands the stages values. The CLI
adds argument parsing and output on top and nothing else.
"""

from ..workspace import Workspace, init_workspace, open_workspace
from .build import ReleaseSummary, build
from .check import CheckResult, catalog_status, check
from .export import ExportResult, export
from .extract import CatalogUpdate, extract
from .fetch import BilingualResult, FetchResult, fetch, fetch_bilingual, release_id_from_url
from .run import Run
from .sources import load_releases, segment, segment_releases, workspace_rules
from .tm import ImportResult, open_memory, tm_export, tm_import, tm_lookup, tm_migrate, tm_stats
from .translate import TranslateUpdate, translate

__all__ = [
    "Workspace",
    "open_workspace",
    "init_workspace",
    "Run",
    "segment",
    "workspace_rules",
    "load_releases",
    "segment_releases",
    "fetch",
    "fetch_bilingual",
    "release_id_from_url",
    "build",
    "extract",
    "check",
    "catalog_status",
    "translate",
    "export",
    "open_memory",
    "tm_import",
    "tm_export",
    "tm_lookup",
    "tm_stats",
    "tm_migrate",
    "CatalogUpdate",
    "ExportResult",
    "ImportResult",
    "TranslateUpdate",
    "CheckResult",
    "FetchResult",
    "BilingualResult",
    "ReleaseSummary",
]
