"""The termbase stage: glossary files → ``Glossary``; source text → ``TermHit`` values;
target text → whether each hit is rendered and which forbidden renderings it uses.
"""

from __future__ import annotations

from .lint import LintIssue
from .matcher import TermHit, TermMatcher
from .termbase import Glossary, dump_glossary, format_glossary, load_glossary

__all__ = [
    "Glossary",
    "LintIssue",
    "TermHit",
    "TermMatcher",
    "dump_glossary",
    "format_glossary",
    "load_glossary",
]
