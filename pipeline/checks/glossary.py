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
    for hit in terms.find(source):
        yield from _check_hit(hit, target, terms)


def _check_hit(hit: TermHit, target: str, terms: TermMatcher) -> cabc.Iterator[Problem]:
    expected = hit.expected
    for forbidden in terms.forbidden_in(target, hit):
        yield Problem(
            "glossary-forbidden",
            f"'{forbidden}' is a forbidden rendering of '{hit.text}'; use '{expected.approved}'",
            term=hit.text,
            expected=expected.approved,
        )
    if not expected.accepted or terms.renders(target, hit):
        return
    others = f" (or {', '.join(repr(v) for v in expected.variants)})" if expected.variants else ""
    yield Problem(
        "glossary-missing",
        f"'{hit.text}' should be translated as '{expected.approved}'{others}",
        term=hit.text,
        expected=expected.approved,
    )
    for inner in hit.inner:
        yield from _check_hit(inner, target, terms)
