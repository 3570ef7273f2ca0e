"""Merge a fresh template into a locale's PO file without losing a translator's work.

msgmerge's semantics, and safer:

- same msgid and msgctxt: the translation, translator comments, flags and any
  ``#|`` lines are kept; references and extracted comments come from the template;
- a changed source: the closest old message above the threshold lends its
  translation as ``#, fuzzy``, with ``#| msgid`` holding the old source (always,
  not only with ``--previous``);
- a removed source: the message becomes obsolete (``#~``) with its translation
  (any plural form), translator comments and flags (its references, now stale,
  are dropped), and comes back as it was when its source returns. Unlike
  msgmerge, a message a translator only commented or flagged is kept too, and
  an old message is made obsolete even when it lent its translation to a fuzzy
  match, so the translation survives the translator's later edit of that fuzzy
  entry.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .. import locales
from ..model import Catalog, Message
from .extract import format_metadata
from .similarity import tokenizer_for

DEFAULT_THRESHOLD = 60
STAGE_NOTE = "duet: "  # notes the translate stage writes (match origin, glossary terms): kept while the source stays

# The header fields of a PO file, in the order gettext's tools write them.
_PO_FIELDS = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date", "Last-Translator",
    "Language-Team", "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Plural-Forms",
)


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did to one PO file, message by message."""

    new: int = 0
    unchanged: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    resurrected: int = 0
    purged: int = 0


def new_catalog(template: Catalog, locale: str) -> Catalog:
    """The first PO file of ``locale`` for ``template``: an empty translation of each message."""
    from babel.messages.plurals import get_plural

    name = locales.babel_locale(locale).english_name or locale
    values = dict(template.metadata)
    values.update({
        "PO-Revision-Date": values.get("POT-Creation-Date", ""),
        "Last-Translator": "",
        "Language-Team": name,
        "Language": locales.po_language(locale),
        "Plural-Forms": get_plural(locale).plural_forms,
    })
    order = [*_PO_FIELDS, *(field for field in template.metadata if field not in _PO_FIELDS)]
    if "POT-Creation-Date" not in values:  # a release without a date: none, rather than an empty one
        order.remove("POT-Creation-Date")
    header = Message(
        id="",
        string=format_metadata((field, values.get(field, "")) for field in order),
        comments=(f"{name} translation of the release {values.get('Project-Id-Version', '')}.",),
    )
    return Catalog(header=header, messages=template.messages)


def merge_catalog(
    old: Catalog | None,
    template: Catalog,
    *,
    locale: str,
    source_language: str = "en",
    threshold: float = DEFAULT_THRESHOLD,
    purge_obsolete: bool = False,
) -> tuple[Catalog, MergeReport]:
    """The PO file of ``locale`` brought up to date with ``template``."""
    if old is None:
        created = new_catalog(template, locale)
        return created, MergeReport(new=len(created.messages))
    live = {m.key: m for m in old.messages if not m.obsolete}
    buried = {m.key: m for m in old.messages if m.obsolete}
    tokenize = tokenizer_for(source_language)
    donors = [m for m in old.messages if m.has_target and m.id_plural is None]
    donor_tokens = [tokenize(m.id) for m in donors]

    merged: list[Message] = []
    counts = dict.fromkeys(("new", "unchanged", "fuzzy", "obsolete", "resurrected", "purged"), 0)
    for fresh in template.messages:
        placed = {"references": fresh.references, "obsolete": False}
        if fresh.key in live:
            kept = live[fresh.key]
            merged.append(dataclasses.replace(kept, notes=_notes(fresh, kept), **placed))
            counts["unchanged"] += 1
        elif fresh.key in buried:
            kept = buried.pop(fresh.key)
            merged.append(dataclasses.replace(kept, notes=_notes(fresh, kept), **placed))
            counts["resurrected"] += 1
        elif (donor := _closest(tokenize(fresh.id), donors, donor_tokens, threshold)) is not None:
            merged.append(_fuzzy_from(fresh, donor))
            counts["fuzzy"] += 1
        else:
            merged.append(fresh)
            counts["new"] += 1

    wanted = {m.key for m in template.messages}
    kept_obsolete = list(buried.values())
    newly_obsolete = [
        dataclasses.replace(m, obsolete=True, references=(), notes=())
        for m in old.messages
        if not m.obsolete and m.key not in wanted and _holds_work(m)
    ]
    counts["obsolete"] = len(newly_obsolete)
    graveyard = _without_repeats(kept_obsolete, newly_obsolete)
    if purge_obsolete:
        counts["purged"] = len(graveyard)
        graveyard = []
    header = _set_field(old.header, "POT-Creation-Date", template.metadata.get("POT-Creation-Date"))  # the template's own
    header = _fill_locale_fields(header, old.metadata, locale)
    return Catalog(header=header, messages=(*merged, *graveyard), path=old.path), MergeReport(**counts)


def _holds_work(message: Message) -> bool:
    """Anything a translator wrote: a msgstr (any plural form), a comment, a flag other than fuzzy."""
    return message.has_target or bool(message.comments) or any(flag != "fuzzy" for flag in message.flags)


def _notes(fresh: Message, kept: Message) -> tuple[str, ...]:
    """The template's notes, then those the translate stage wrote about this very source."""
    return (*fresh.notes, *(note for note in kept.notes if note.startswith(STAGE_NOTE) and note not in fresh.notes))


def _closest(tokens, donors: list[Message], donor_tokens: list, threshold: float) -> Message | None:
    if not donors or not tokens:
        return None
    found = process.extractOne(
        tokens, donor_tokens, scorer=Indel.normalized_similarity, processor=None, score_cutoff=threshold / 100.0
    )
    return None if found is None else donors[found[2]]


def _fuzzy_from(fresh: Message, donor: Message) -> Message:
    return dataclasses.replace(
        fresh,
        string=donor.string,
        flags=("fuzzy",),
        comments=donor.comments,
        previous_id=donor.id,
        previous_context=donor.context,
    )


def _without_repeats(kept: list[Message], newer: list[Message]) -> list[Message]:
    """Obsolete messages, each key once unless two differ in what a translator wrote."""
    result: list[Message] = []
    seen: dict[tuple[str | None, str], list[Message]] = {}
    for message in [*kept, *newer]:
        same_key = seen.setdefault(message.key, [])
        if any((m.targets, m.comments, m.flags) == (message.targets, message.comments, message.flags) for m in same_key):
            continue
        same_key.append(message)
        result.append(message)
    return result


def _fill_locale_fields(header: Message, present: dict[str, str], locale: str) -> Message:
    """Add ``Language`` and ``Plural-Forms`` from Babel's CLDR data where a PO file lacks them.

    A ``Language`` that names ``locale`` in another spelling (``zh_Hant_HK``,
    which Duet wrote before) becomes the one Poedit keeps (``zh_HK``); one that
    names another locale is left for ``duet check`` to report.
    """
    from babel.messages.plurals import get_plural

    language = locales.po_language(locale)
    if present.get("Language") != language and (
        not present.get("Language") or locales.same_locale(present["Language"], locale)
    ):
        header = _set_field(header, "Language", language)
    if not present.get("Plural-Forms"):
        header = _set_field(header, "Plural-Forms", get_plural(locale).plural_forms)
    return header


def _set_field(header: Message, name: str, value: str | None) -> Message:
    """Replace the header field ``name`` in place, or add it after the standard fields; remove it for None."""
    lines = header.string.split("\n")
    for index, line in enumerate(lines):
        if line.partition(":")[0].strip() == name:
            if value is None:
                del lines[index]
            else:
                lines[index] = f"{name}: {value}"
            return dataclasses.replace(header, string="\n".join(lines))
    if value is None:
        return header
    anchor = next((i for i, line in enumerate(lines) if line.startswith("X-")), len(lines) - 1 if lines[-1] == "" else len(lines))
    lines.insert(anchor, f"{name}: {value}")
    return dataclasses.replace(header, string="\n".join(lines))
