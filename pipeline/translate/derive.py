"""A derived locale: Simplified Chinese made from the Hong Kong Traditional translation.

OpenCC converts phrase by phrase (its ``hk2s`` configuration: Hong Kong
Traditional → Simplified); the glossary's own Simplified rendering of a term
then replaces whatever the conversion made of the Traditional one. Each
converted entry says so in a note, which is also how a later run tells it
from a human's Simplified translation: that one is never overwritten.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import functools
import typing as t
from dataclasses import dataclass

from ..model import Catalog
from .provenance import converted, converted_note

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher


@dataclass(frozen=True, slots=True)
class DeriveReport:
    converted: int = 0  # written or brought up to date from the base locale
    human: int = 0  # a human's translation, left alone
    missing: int = 0  # nothing to convert yet


def derive_catalog(
    derived: Catalog,
    base: Catalog,
    *,
    base_locale: str,
    terms: TermMatcher | None = None,
    base_terms: TermMatcher | None = None,
) -> tuple[Catalog, DeriveReport]:
    """Fill ``derived`` from ``base`` by conversion, keeping every human translation.

    ``terms`` matches the source against the derived locale's glossary column,
    ``base_terms`` against the base locale's, so a converted rendering can be
    replaced by the glossary's own.
    """
    note, made = converted_note(base_locale), converted(base_locale)
    sources = {m.key: m for m in base.live}
    counts = {"converted": 0, "human": 0, "missing": 0}
    messages = []
    for message in derived.messages:
        origin = sources.get(message.key)
        ours = note in message.notes
        if message.obsolete or (message.has_target and not ours):
            counts["human"] += not message.obsolete
            messages.append(message)
        elif origin is None or not origin.string:
            counts["missing"] += 1
            messages.append(dataclasses.replace(message, string="", flags=_without_fuzzy(message.flags),
                                                notes=_without(message.notes, note), provenance=None)
                            if ours else message)  # fmt: skip
        else:
            target = _glossary_fixed(message.id, convert(origin.string), terms, base_terms)
            flags = ("fuzzy", *_without_fuzzy(message.flags)) if origin.fuzzy else _without_fuzzy(message.flags)
            messages.append(dataclasses.replace(message, string=target, flags=flags,
                                                notes=(*_without(message.notes, note), note), provenance=made))
            counts["converted"] += 1
    return dataclasses.replace(derived, messages=tuple(messages)), DeriveReport(**counts)


def convert(text: str) -> str:
    """Hong Kong Traditional → Simplified, phrase by phrase.

    >>> convert("粵港澳大灣區的發展")
    '粤港澳大湾区的发展'
    """
    return _converter().convert(text)


@functools.lru_cache(maxsize=1)
def _converter() -> t.Any:
    import opencc

    return opencc.OpenCC("hk2s")


def _glossary_fixed(source: str, target: str, terms: TermMatcher | None, base_terms: TermMatcher | None) -> str:
    """Put the glossary's Simplified rendering where the conversion of the Traditional one stands."""
    if terms is None or base_terms is None:
        return target
    wanted = {hit.index: hit.expected.approved for hit in terms.find(source)}
    for hit in base_terms.find(source):
        simplified, traditional = wanted.get(hit.index), hit.expected.approved
        if simplified and traditional and convert(traditional) != simplified:
            target = target.replace(convert(traditional), simplified)
    return target


def _without(notes: cabc.Sequence[str], note: str) -> tuple[str, ...]:
    return tuple(n for n in notes if n != note)


def _without_fuzzy(flags: cabc.Sequence[str]) -> tuple[str, ...]:
    return tuple(f for f in flags if f != "fuzzy")
