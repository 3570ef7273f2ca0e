"""What every check shares: the codes and severities of DESIGN.md, how a check is silenced,
and the small value a check returns for one entry.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ..model import Severity

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher

# The check codes of DESIGN.md: default severity and what each finds.
CHECKS: dict[str, tuple[Severity, str]] = {
    "glossary-missing": ("error", "The source holds a glossary term; the translation lacks its approved target."),
    "glossary-forbidden": ("error", "The translation uses a target variant the glossary forbids."),
    "inconsistent-translation": ("warning", "One source segment is translated differently in the workspace."),
    "number-mismatch": ("error", "Numbers differ between the source and the translation."),
    "punctuation": ("warning", "Half-width punctuation in Chinese text, or unbalanced brackets or quotes."),
    "script-mismatch": ("error", "Simplified characters in a Traditional locale, or the reverse."),
    "language-mismatch": ("warning", "The PO header's Language names another locale than the file's folder."),
    "untranslated": ("warning", "The entry has no translation yet."),
    "fuzzy": ("warning", "The entry is marked fuzzy and needs review."),
}
SEVERITIES: dict[str, Severity] = {code: severity for code, (severity, _) in CHECKS.items()}

# A translator silences a family of checks on one entry with the PO flag
# ``no-duet-<family>-check`` (after gettext's ``no-c-format``).
FAMILIES: dict[str, tuple[str, ...]] = {
    "glossary": ("glossary-missing", "glossary-forbidden"),
    "consistency": ("inconsistent-translation",),
    "number": ("number-mismatch",),
    "punctuation": ("punctuation",),
    "script": ("script-mismatch",),
    "language": ("language-mismatch",),
}


def silencing_flag(check: str) -> str | None:
    """The PO flag that silences ``check`` on one entry.

    >>> silencing_flag("number-mismatch")
    'no-duet-number-check'
    """
    for family, checks in FAMILIES.items():
        if check in checks:
            return f"no-duet-{family}-check"
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check says about one entry; the runner turns it into a located ``Finding``."""

    check: str
    message: str
    term: str | None = None
    expected: str | None = None
    severity: Severity | None = None  # when not the check's own: a number said on both sides, not as often


@dataclass(frozen=True, slots=True)
class EntryContext:
    """What a check needs to know besides the entry: languages (BCP 47) and the termbase."""

    source_language: str
    target_language: str
    terms: TermMatcher | None = None

    @property
    def target_is_chinese(self) -> bool:
        return self.target_language.split("-")[0].lower() == "zh"
