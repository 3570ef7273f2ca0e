"""Glossary → the problems in it, as ``LintIssue`` values (never raised).

| code | finds |
| --- | --- |
| ``duplicate-term`` | a source term entered twice with the same renderings |
| ``conflicting-targets`` | a source term entered twice with different approved renderings |
| ``empty-source`` / ``empty-target`` | a term with no approved rendering in a language of the glossary |
| ``forbidden-approved`` | a forbidden rendering equal to the approved one or an accepted variant |
| ``nested-term`` | a term found inside another term (say whether the outer rendering contains its own) |

Terms are compared as the matcher sees them: case, hyphens, ``&`` and width folded.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ..model import Location, Term
from .matcher import TermHit
from .normalize import fold_term, is_unspaced, nfkc

if t.TYPE_CHECKING:
    from .termbase import Glossary


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One problem in a glossary, at the line of the term it concerns."""

    code: str
    message: str
    loc: Location | None
    term: str
    severity: str = "warning"

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        return f"{where}{self.severity}: {self.code}: {self.message}"


def lint_glossary(glossary: Glossary, source_language: str) -> list[LintIssue]:
    """Every issue in ``glossary`` whose source column is ``source_language``, in line order."""
    issues: list[LintIssue] = []
    issues += _duplicates(glossary, source_language)
    issues += _empty(glossary, source_language)
    issues += _forbidden_approved(glossary)
    issues += _nested(glossary, source_language)
    return sorted(issues, key=lambda i: (i.loc.line or 0 if i.loc else 0, _ORDER.index(i.code)))


_ORDER = ("duplicate-term", "conflicting-targets", "empty-source", "empty-target", "forbidden-approved", "nested-term")


def _fold(text: str, language: str) -> str:
    return nfkc(text).strip().lower() if is_unspaced(language) else fold_term(text)[0]


def _source(term: Term, language: str) -> str:
    rendering = term.rendering(language)
    return rendering.approved if rendering else ""


def _line(term: Term) -> str:
    return f"line {term.loc.line}" if term.loc and term.loc.line else "another entry"


def _duplicates(glossary: Glossary, source_language: str) -> list[LintIssue]:
    issues = []
    first: dict[str, Term] = {}
    for term in glossary.terms:
        source = _source(term, source_language)
        if not source:
            continue
        key = _fold(source, source_language)
        earlier = first.setdefault(key, term)
        if earlier is term:
            continue
        conflicts = []
        for language in glossary.languages:
            if language == source_language:
                continue
            mine, theirs = _source(term, language), _source(earlier, language)
            if mine and theirs and _fold(mine, language) != _fold(theirs, language):
                conflicts.append(f"{language} '{mine}' here, '{theirs}' on {_line(earlier)}")
        if conflicts:
            issues.append(LintIssue("conflicting-targets", f"'{source}' is entered twice with different renderings: "
                                    + "; ".join(conflicts), term.loc, source))
        else:
            issues.append(LintIssue("duplicate-term", f"'{source}' repeats the term on {_line(earlier)}", term.loc, source))
    return issues


def _empty(glossary: Glossary, source_language: str) -> list[LintIssue]:
    issues = []
    for term in glossary.terms:
        source = _source(term, source_language)
        for language in glossary.languages:
            rendering = term.rendering(language)
            if rendering is not None and rendering.approved:
                continue
            only = f" (only variants: {'; '.join(rendering.variants)})" if rendering and rendering.variants else ""
            if language == source_language:
                shown = next((r.approved for _, r in term.renderings if r.approved), "")
                issues.append(LintIssue("empty-source", f"'{shown}' has no {language} term{only}: it can never be found", term.loc, shown))
            else:
                issues.append(LintIssue("empty-target", f"'{source}' has no approved {language} rendering{only}", term.loc, source))
    return issues


def _forbidden_approved(glossary: Glossary) -> list[LintIssue]:
    issues = []
    for term in glossary.terms:
        for language, rendering in term.renderings:
            accepted = {_fold(a, language): a for a in rendering.accepted}
            for forbidden in rendering.forbidden:
                same = accepted.get(_fold(forbidden, language))
                if same is not None:
                    kind = "approved" if same == rendering.approved else "accepted variant"
                    issues.append(LintIssue("forbidden-approved", f"{language} '{forbidden}' is both forbidden and the {kind} "
                                            f"rendering '{same}'", term.loc, forbidden))
    return issues


def _nested(glossary: Glossary, source_language: str) -> list[LintIssue]:
    matcher = glossary.matcher(source_language, source_language)
    issues = []
    for index, outer in enumerate(glossary.terms):
        source = _source(outer, source_language)
        if not source:
            continue
        key = _fold(source, source_language)
        for hit in _all_hits(matcher.find(source)):
            inner = hit.term
            if hit.index == index or _fold(_source(inner, source_language), source_language) == key:
                continue
            issues.append(LintIssue("nested-term", f"'{hit.text}' is nested in '{source}' ({_line(outer)})"
                                    + _containment(glossary, source_language, inner, outer), inner.loc, hit.text))
    return issues


def _all_hits(hits: list[TermHit]) -> list[TermHit]:
    out = []
    for hit in hits:
        out.append(hit)
        out += _all_hits(list(hit.inner))
    return out


def _containment(glossary: Glossary, source_language: str, inner: Term, outer: Term) -> str:
    """Whether each outer rendering holds the inner one, which is what lets the inner term count as rendered."""
    missing = []
    for language in glossary.languages:
        if language == source_language:
            continue
        mine, theirs = _source(inner, language), _source(outer, language)
        if mine and theirs and _fold(mine, language) not in _fold(theirs, language):
            missing.append(f"{language} '{theirs}' lacks '{mine}'")
    if missing:
        return "; but the outer rendering differs: " + "; ".join(missing)
    return "; the outer renderings contain its renderings"
