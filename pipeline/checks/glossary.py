"""Glossary checks: a source term's approved rendering is missing, or a forbidden one is used.

An inner term (``Closer Economic Partnership Arrangement`` inside ``Mainland
and Hong Kong Closer Economic Partnership Arrangement``) is satisfied by its
outer term's rendering; it is checked on its own only when that is missing.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from .base import Problem

if t.TYPE_CHECKING:
    from ..glossary import TermHit, TermMatcher


def check_glossary(source: str, target: str, terms: TermMatcher) -> cabc.Iterator[Problem]:
    """One problem per term and kind, however often the term occurs in the entry."""
    seen: set[tuple[str, int]] = set()
    for hit in terms.find(source):
        for problem in _check_hit(hit, source, target, terms):
            if (problem.check, hit.index) not in seen:
                seen.add((problem.check, hit.index))
                yield problem


def _copied_verbatim(hit: TermHit, source: str, target: str) -> bool:
    """The term sits in a code the translation copies as it is (``#HKPF-eTT``, a URL)."""
    start = max(source.rfind(" ", 0, hit.start), source.rfind("\n", 0, hit.start)) + 1
    ends = [i for i in (source.find(" ", hit.end), source.find("\n", hit.end)) if i >= 0]
    token = source[start : min(ends, default=len(source))].strip(".,;:!?()\"'")
    return token != hit.text and token in target


def _check_hit(hit: TermHit, source: str, target: str, terms: TermMatcher) -> cabc.Iterator[Problem]:
    expected = hit.expected
    for forbidden in terms.forbidden_in(target, hit):
        yield Problem(
            "glossary-forbidden",
            f"'{forbidden}' is a forbidden rendering of '{hit.text}'; use '{expected.approved}'",
            term=hit.text,
            expected=expected.approved,
        )
    if not expected.accepted or terms.renders(target, hit) or _copied_verbatim(hit, source, target):
        return
    others = f" (or {', '.join(repr(v) for v in expected.variants)})" if expected.variants else ""
    yield Problem(
        "glossary-missing",
        f"'{hit.text}' should be translated as '{expected.approved}'{others}",
        term=hit.text,
        expected=expected.approved,
    )
    for inner in hit.inner:
        yield from _check_hit(inner, source, target, terms)
