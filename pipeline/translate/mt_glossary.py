"""The glossary around a machine translation: placeholders, instructions, verification, language names.

Two ways to make an engine keep a glossary term, one per kind of engine:

* **Masking** (LibreTranslate and other neural engines that take no
  instructions): each term found in the source becomes a placeholder
  ``[[T1]]``, ``[[T2]]``… and, after translation, the approved target
  rendering replaces it. Letters and digits in double square brackets read to
  an NMT engine as a code to copy, not as words to translate; engines writing
  Chinese often turn the brackets full-width (``【【T1】】``, ``［［T1］］``) or
  space them out, so the placeholder is found again in any of those spellings.
  A placeholder lost or repeated marks its term missing.
* **Instructions and verification** (LLMs): the system prompt lists the terms
  of this one source with their required renderings; afterwards
  ``TermMatcher.renders`` says which are really there.
"""

from __future__ import annotations

import collections.abc as cabc
import re
from dataclasses import dataclass

from .. import locales
from ..glossary.matcher import TermHit, TermMatcher
from ..glossary.normalize import is_unspaced

_OPEN, _CLOSE = r"[\[［【]", r"[\]］】]"
# What an engine may make of [[T12]]: full-width or lenticular brackets, spaces, a lower-case t.
PLACEHOLDER = re.compile(rf"{_OPEN}\s*{_OPEN}\s*[TtＴｔ]\s*(\d+)\s*{_CLOSE}\s*{_CLOSE}")
_SPACED_PLACEHOLDER = re.compile(rf"\s*{PLACEHOLDER.pattern}\s*")


@dataclass(frozen=True, slots=True)
class Masked:
    """A source with its glossary terms replaced by placeholders; ``hits[n - 1]`` is ``[[Tn]]``."""

    text: str
    hits: tuple[TermHit, ...]
    masked: bool  # False when the source already held something that reads as a placeholder


@dataclass(frozen=True, slots=True)
class Checked:
    """A target after the glossary was put back or looked for."""

    text: str
    missing: tuple[str, ...]  # the terms as written in the source
    notes: tuple[str, ...] = ()


def rendering_of(hit: TermHit) -> str:
    """The form a term must take in the target: the approved one, else the first accepted."""
    accepted = hit.expected.accepted
    return accepted[0] if accepted else ""


def relevant_hits(source: str, terms: TermMatcher | None) -> list[TermHit]:
    """The terms of ``source`` that have a rendering in the target language."""
    return [hit for hit in terms.find(source) if rendering_of(hit)] if terms else []


def mask(source: str, terms: TermMatcher | None) -> Masked:
    """Replace each glossary term in ``source`` by a numbered placeholder.

    >>> from pipeline.model import Rendering, Term
    >>> hkma = Term((("en", Rendering("HKMA")), ("zh-Hant-HK", Rendering("金管局"))))
    >>> mask("The HKMA said.", TermMatcher([hkma], "en", "zh-Hant-HK")).text
    'The [[T1]] said.'
    """
    hits = relevant_hits(source, terms)
    if not hits or PLACEHOLDER.search(source):
        return Masked(source, tuple(hits), masked=False)
    pieces, last = [], 0
    for number, hit in enumerate(hits, start=1):
        pieces += [source[last : hit.start], f"[[T{number}]]"]
        last = hit.end
    pieces.append(source[last:])
    return Masked("".join(pieces), tuple(hits), masked=True)


def unmask(target: str, masked: Masked, terms: TermMatcher | None, target_language: str) -> Checked:
    """Put each term's rendering where its placeholder came back; note the ones lost or repeated.

    In an unspaced target (Chinese) the spaces an engine put around a placeholder go too.

    >>> from pipeline.model import Rendering, Term
    >>> hkma = Term((("en", Rendering("HKMA")), ("zh-Hant-HK", Rendering("金管局"))))
    >>> matcher = TermMatcher([hkma], "en", "zh-Hant-HK")
    >>> masked = mask("The HKMA said.", matcher)
    >>> unmask("【【T1】】 表示。", masked, matcher, "zh-Hant-HK")
    Checked(text='金管局表示。', missing=(), notes=())
    >>> unmask("表示。", masked, matcher, "zh-Hant-HK").missing
    ('HKMA',)
    """
    if not masked.masked:
        return verify(target, masked.hits, terms)
    seen: dict[int, int] = {}
    notes: list[str] = []

    def restore(found: re.Match[str]) -> str:
        digits = found.group(1)  # int() raises past 4,300 digits: a hostile [[T999…]] is just invented
        number = int(digits) if len(digits) <= 9 else 0
        if not 1 <= number <= len(masked.hits):
            notes.append(f"the engine invented placeholder {found.group(0).strip()!r}")
            return found.group(0)
        seen[number] = seen.get(number, 0) + 1
        return rendering_of(masked.hits[number - 1])

    unspaced = is_unspaced(target_language)
    text = (_SPACED_PLACEHOLDER if unspaced else PLACEHOLDER).sub(restore, target)
    missing: list[str] = []
    for number, hit in enumerate(masked.hits, start=1):
        count = seen.get(number, 0)
        if count != 1:
            missing.append(hit.text)
            state = "lost" if count == 0 else f"repeated {count} times"
            notes.append(f"placeholder [[T{number}]] for {hit.text!r} {state}")
    return Checked(text, tuple(dict.fromkeys(missing)), tuple(notes))


def verify(target: str, hits: cabc.Sequence[TermHit], terms: TermMatcher | None) -> Checked:
    """Which terms ``target`` fails to render (approved form or an accepted variant)."""
    if terms is None:
        return Checked(target, ())
    missing = [hit.text for hit in hits if not terms.renders(target, hit)]
    return Checked(target, tuple(dict.fromkeys(missing)))


def language_name(tag: str) -> str:
    """An English name for a BCP 47 tag, for instructions.

    >>> language_name("zh-Hant-HK")
    'Chinese (Traditional, Hong Kong SAR China)'
    >>> language_name("xx-unknown")
    'xx-unknown'
    """
    try:
        return locales.babel_locale(tag).get_display_name("en") or tag
    except locales.UnknownLocale:
        return tag


def system_prompt(hits: cabc.Sequence[TermHit], source_language: str, target_language: str) -> str:
    """Instructions for a chat model: the language pair, the house style, this source's terms.

    >>> print(system_prompt([], "en", "zh-Hant-HK"))  # doctest: +NORMALIZE_WHITESPACE
    You translate press releases of the Government of the Hong Kong Special Administrative Region.
    Translate the user's text from English (en) into Chinese (Traditional, Hong Kong SAR China) (zh-Hant-HK),
    in the formal style of the Government's own press releases in that language.
    Keep every number, date, amount, name and web address exact.
    Reply with the translation only: no explanation, no notes, no quotation marks around it.
    """
    lines = [
        "You translate press releases of the Government of the Hong Kong Special Administrative Region.",
        (f"Translate the user's text from {language_name(source_language)} ({source_language}) into "
         f"{language_name(target_language)} ({target_language}),"),
        "in the formal style of the Government's own press releases in that language.",
        "Keep every number, date, amount, name and web address exact.",
        "Reply with the translation only: no explanation, no notes, no quotation marks around it.",
    ]
    required = dict.fromkeys((hit.text, rendering_of(hit)) for hit in hits)
    if required:
        lines.append("These glossary terms must be translated exactly as given:")
        lines += [f"- {source} => {target}" for source, target in required]
    return "\n".join(lines)


_THINKING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)


def strip_reasoning(content: str) -> str:
    """Drop the ``<think>…</think>`` block that reasoning models on self-hosted servers prepend.

    >>> strip_reasoning("<think>HKMA is 金管局</think>\\n金管局表示。")
    '金管局表示。'
    """
    return _THINKING.sub("", content).strip()


_TRADITIONAL_REGIONS = frozenset({"HK", "MO", "TW"})


def libretranslate_candidates(tag: str) -> tuple[str, ...]:
    """The codes a LibreTranslate server may use for a BCP 47 tag, most specific first.

    Newer servers say ``zh-Hans``/``zh-Hant``; older ones ``zh`` (Simplified) and
    ``zt`` (Traditional). A Traditional target never falls back to ``zh``.

    >>> libretranslate_candidates("zh-Hant-HK"), libretranslate_candidates("zh-HK")
    (('zh-Hant', 'zt'), ('zh-Hant', 'zt'))
    >>> libretranslate_candidates("zh-CN"), libretranslate_candidates("en-GB")
    (('zh-Hans', 'zh'), ('en',))
    """
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    if language != "zh":
        return (language,)
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if script is None:
        script = "Hant" if region in _TRADITIONAL_REGIONS else "Hans"
    return ("zh-Hant", "zt") if script == "Hant" else ("zh-Hans", "zh")
