"""Checks stage: translated PO entries → :class:`~pipeline.model.Finding` values.

Each check family is a small module with a pure function over one entry;
``check_catalogs`` applies them to catalogs and adds the workspace-wide
consistency check. Checks report, never raise: the caller decides what fails
a build. A silenced finding is kept with ``silenced=True`` so that summaries
still count it. A translator silences a family of checks on one entry with
the flag ``#, no-duet-<family>-check``, or with a translator comment starting
``# no-duet-<family>-check:`` (gettext's msgmerge and msgcat drop flags they
do not know, but keep comments); the workspace silences checks with
``silenced_checks``.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from ..compute import gc_paused, map_forked
from ..model import Catalog, Finding, Location, Message
from .base import FAMILIES, SEVERITIES, EntryContext, Problem, silencing_flag
from .consistency import inconsistent_at
from .language import check_header_language
from .punctuation import check_punctuation
from .script import check_script

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher

__all__ = ["FAMILIES", "SEVERITIES", "CheckedCatalog", "check_catalogs", "check_entry", "silences", "silencing_flag"]


class CheckedCatalog(t.NamedTuple):
    """A catalog to check, the locale it translates into (POSIX) and its term matcher.

    A catalog with ``report`` false is only read for the consistency check of
    the others: ``duet check PATH...`` checks the files a commit changed
    against every translation in the workspace, without checking the rest.
    """

    catalog: Catalog
    locale: str
    terms: TermMatcher | None = None
    report: bool = True


def check_entry(message: Message, context: EntryContext) -> cabc.Iterator[Problem]:
    """Every check that looks at one entry alone; fuzzy and untranslated entries are only reported as such."""
    if message.fuzzy:
        yield Problem("fuzzy", "needs review (fuzzy)")
        return
    if not message.translated:
        yield Problem("untranslated", "not translated")
        return
    check_form = _form_checker(context)
    for source, target in _forms(message):
        yield from check_form(source, target)


_FUZZY = (Problem("fuzzy", "needs review (fuzzy)"),)
_UNTRANSLATED = (Problem("untranslated", "not translated"),)


def _form_checker(context: EntryContext) -> cabc.Callable[[str, str], tuple[Problem, ...]]:
    """The checks of one source and translation pair in ``context``, as one function of the two strings."""
    from .glossary import check_glossary
    from .numbers import compare_numbers

    terms = context.terms
    source_language, target_language = context.source_language, context.target_language
    target_is_chinese = context.target_is_chinese

    def check_form(source: str, target: str) -> tuple[Problem, ...]:
        problems: list[Problem] = []
        if terms is not None:
            problems += check_glossary(source, target, terms)
        for mismatch in compare_numbers(source, target, source_language=source_language, target_language=target_language):
            problems.append(Problem("number-mismatch", mismatch.message,
                                    severity="warning" if mismatch.repeated_only else None))
        problems += check_punctuation(source, target, target_is_chinese=target_is_chinese)
        problems += check_script(target, target_language)
        return tuple(problems)

    return check_form


def check_catalogs(
    catalogs: cabc.Sequence[CheckedCatalog],
    *,
    source_language: str,
    silenced_checks: cabc.Collection[str] = (),
    consistency: bool = True,
) -> list[Finding]:
    """Findings for every live entry of ``catalogs``, in file and line order.

    Without ``consistency``, only the checks of each entry alone: ``duet
    build`` counts consistency findings from its index of the workspace.
    """
    with gc_paused():
        return _check_catalogs(catalogs, source_language=source_language, silenced_checks=silenced_checks,
                               consistency=consistency)


def _check_catalogs(
    catalogs: cabc.Sequence[CheckedCatalog], *, source_language: str, silenced_checks: cabc.Collection[str],
    consistency: bool,
) -> list[Finding]:
    from .. import locales

    contexts = [EntryContext(source_language, locales.to_bcp47(checked.locale), checked.terms) for checked in catalogs]
    pairs = _check_pairs(catalogs, contexts)
    findings: list[Finding] = []
    # Translated entries for the consistency check, each placed by (path, line): the fields of its Location.
    translated: list[tuple[str, tuple[str, int | None], Message]] = []
    for (catalog, locale, _, report), context in zip(catalogs, contexts):
        path = catalog.path
        if not report:
            translated += [(locale, (path, message.line or None), message) for message in catalog.live if message.translated]
            continue
        checked = pairs[context]
        for problem in check_header_language(catalog, locale):
            findings.append(_finding(problem, catalog.header, Location(path, catalog.header.line or None), locale,
                                     silenced_checks))
        for message in catalog.live:
            line = message.line or None
            if "fuzzy" in message.flags:  # Message.fuzzy and Message.translated, inlined
                problems: cabc.Iterable[Problem] = _FUZZY
            elif message.id_plural is None:
                if not message.string:
                    problems = _UNTRANSLATED
                else:
                    translated.append((locale, (path, line), message))
                    problems = checked[message.id, message.string]
            elif not message.plural_strings or not all(message.plural_strings):
                problems = _UNTRANSLATED
            else:
                translated.append((locale, (path, line), message))
                problems = [p for form in _forms(message) for p in checked[form]]
            if problems:
                loc = Location(path, line)
                for problem in problems:
                    findings.append(_finding(problem, message, loc, locale, silenced_checks))
    inconsistent = inconsistent_at(translated, lambda where: str(Location(*where))) if consistency else {}
    if inconsistent:
        messages = {(locale, where): message for locale, where, message in translated}
        reported = {checked.catalog.path for checked in catalogs if checked.report}
        for (locale, where), problem in inconsistent.items():
            if where[0] not in reported:
                continue
            findings.append(_finding(problem, messages[(locale, where)], Location(*where), locale, silenced_checks))
    return sorted(findings, key=lambda f: (f.loc.path, f.loc.line or 0, f.check, f.message))


def _check_pairs(
    catalogs: cabc.Sequence[CheckedCatalog], contexts: list[EntryContext]
) -> dict[EntryContext, dict[tuple[str, str], tuple[Problem, ...]]]:
    """The problems of each distinct (source, translation) pair of the translated entries, by context.

    Workspaces repeat their sentences, so each pair is checked once; the pairs
    are independent, so they are shared out over the cores.
    """
    checkers = {context: _form_checker(context) for context in contexts}
    pairs: dict[EntryContext, dict[tuple[str, str], tuple[Problem, ...]]] = {context: {} for context in checkers}
    for (catalog, _, _, report), context in zip(catalogs, contexts):
        if not report:
            continue
        known = pairs[context]
        for message in catalog.live:
            if "fuzzy" in message.flags:  # Message.translated, inlined as in _check_catalogs
                continue
            if message.id_plural is None:
                if message.string:
                    known[message.id, message.string] = ()
            elif message.plural_strings and all(message.plural_strings):
                known.update(dict.fromkeys(_forms(message), ()))
    work = [(context, source, target) for context, known in pairs.items() for source, target in known]
    for (context, source, target), problems in zip(work, map_forked(lambda job: checkers[job[0]](*job[1:]), work)):
        pairs[context][source, target] = problems
    return pairs


def _forms(message: Message) -> list[tuple[str, str]]:
    """Source and translation pairs: the message, or each plural form against the fitting source."""
    if message.id_plural is None:
        return [(message.id, message.string)]
    return [(message.id if n == 0 else message.id_plural, form) for n, form in enumerate(message.plural_strings)]


_FLAGS = {check: silencing_flag(check) for check in SEVERITIES}


def silences(message: Message, check: str) -> bool:
    """The entry silences ``check`` itself: its flag, or a translator comment starting with the flag."""
    flag = _FLAGS[check] if check in _FLAGS else silencing_flag(check)
    return flag is not None and (flag in message.flags or any(c.split(":")[0].strip() == flag for c in message.comments))


def _finding(problem: Problem, message: Message, loc: Location, locale: str, silenced_checks: cabc.Collection[str]) -> Finding:
    silenced = problem.check in silenced_checks or silences(message, problem.check)
    return Finding(
        check=problem.check,
        severity=problem.severity or SEVERITIES[problem.check],
        message=problem.message,
        loc=loc,
        locale=locale,
        msgid=message.id,
        msgctxt=message.context,
        term=problem.term,
        expected=problem.expected,
        silenced=silenced,
    )
