"""Segmentation stage: SRX 2.0 rules → sentences with offsets (English and Chinese by default)."""

from __future__ import annotations

from .segmenter import normalize_language, segment_document, segment_release, segment_text
from .srx import SrxRules, load_rules

__all__ = ["SrxRules", "load_rules", "normalize_language", "segment_document", "segment_release", "segment_text"]
