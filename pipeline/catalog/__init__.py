"""Catalog stage: segments → PO templates, and templates merged into every locale's PO.

Pure functions over :class:`~pipeline.model.Catalog`; reading and writing PO
files happens in :mod:`pipeline.formats.po`.
"""

from __future__ import annotations

from .extract import extract_template, header_date
from .merge import MergeReport, merge_catalog, new_catalog
from .similarity import tokenizer_for

__all__ = ["MergeReport", "extract_template", "header_date", "merge_catalog", "new_catalog", "tokenizer_for"]
