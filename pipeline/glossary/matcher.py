"""Source text → the glossary terms in it; target text → whether they are rendered.

One Aho–Corasick automaton (pyahocorasick) holds every folded form of every
term's source rendering, so finding terms costs the same per sentence whatever
the size of the glossary. The automaton reports every form ending at every
position; word boundaries and case policy filter them, then the leftmost-longest
candidates win and the candidates inside a winner become its ``inner`` hits.

>>> from pipeline.model import Rendering, Term
>>> terms = [Term((("en", Rendering("Bay Area")), ("zh-Hant-HK", Rendering("大灣區")))),
...          Term((("en", Rendering("HKMA")), ("zh-Hant-HK", Rendering("金管局"))), case_sensitive=True)]
>>> matcher = TermMatcher(terms, "en", "zh-Hant-HK")
>>> [(h.text, h.start, h.end, h.expected.approved) for h in matcher.find("The HKMA and the bay areas; hkma")]
[('HKMA', 4, 8, '金管局'), ('bay areas', 17, 26, '大灣區')]
>>> hit = matcher.find("the Bay Area")[0]
>>> matcher.renders("粵港澳大灣區的發展", hit), matcher.renders("灣區", hit)
(True, False)
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import re
from dataclasses import dataclass, field

import ahocorasick

from ..model import Rendering, Term
from .normalize import Key, english_key, is_unspaced, nfkc, term_forms, unspaced_key

_EMPTY = Rendering("")


@dataclass(frozen=True, slots=True)
class TermHit:
    """A glossary term found in a source text.

    ``start``/``end`` index the original text (``text == source[start:end]``);
    ``expected`` is the term's rendering in the target language; ``inner``
    holds the glossary terms nested in this one.
    """

    term: Term
    start: int
    end: int
    text: str
    expected: Rendering
    inner: tuple[TermHit, ...] = ()
    index: int = field(default=0, compare=False)  # the term's position in the glossary


# What the automaton stores for each folded form: (term index, length, cased form,
# case-sensitive, needs a word boundary before, needs one after). A plain tuple: this is the
# innermost loop.
_Form = tuple[int, int, str, bool, bool, bool]


class TermMatcher:
    """Finds ``terms`` in ``source_language`` text and checks their ``target_language`` renderings.

    Languages are the BCP 47 tags the terms' renderings use (see
    ``Glossary.matcher`` to pick them from locales). Build one per glossary
    and language pair and reuse it.
    """

    def __init__(self, terms: cabc.Sequence[Term], source_language: str, target_language: str) -> None:
        self.terms = tuple(terms)
        self.source_language = source_language
        self.target_language = target_language
        self._source_unspaced = is_unspaced(source_language)
        self._target_unspaced = is_unspaced(target_language)
        self._automaton = ahocorasick.Automaton()
        self._expected = [term.rendering(target_language) or _EMPTY for term in self.terms]
        forms: dict[str, list[_Form]] = {}
        for index, term in enumerate(self.terms):
            rendering = term.rendering(source_language)
            if rendering is None:
                continue
            for accepted in rendering.accepted:
                for folded, cased in self._source_forms(accepted).items():
                    entries = forms.setdefault(folded, [])
                    if any(f[0] == index for f in entries):
                        continue
                    entries.append((index, len(folded), cased, term.case_sensitive,
                                    folded[0].isalnum(), folded[-1].isalnum()))
        for folded, entries in forms.items():
            self._automaton.add_word(folded, tuple(entries))
        self._empty = not forms
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.terms)

    def _source_forms(self, text: str) -> dict[str, str]:
        if self._source_unspaced:
            key = unspaced_key(text.strip())
            return {key.folded: key.cased} if key.folded else {}
        return term_forms(text)

    def find(self, source: str) -> list[TermHit]:
        """The terms in ``source``: leftmost-longest, not overlapping, nested terms as ``inner``."""
        if self._empty or not source:
            return []
        key = unspaced_key(source) if self._source_unspaced else english_key(source)
        candidates = self._candidates(key)
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
        return [self._hit(source, key, c, candidates) for c in _select(candidates)]

    def _candidates(self, key: Key) -> list[tuple[int, int, int]]:
        folded, cased = key.folded, key.cased
        bounded = not self._source_unspaced
        size = len(folded)
        found: list[tuple[int, int, int]] = []
        for last, entries in self._automaton.iter(folded):
            end = last + 1
            for index, length, form, sensitive, bounded_left, bounded_right in entries:
                start = end - length
                if bounded:
                    if bounded_left and start > 0 and folded[start - 1].isalnum():
                        continue
                    if bounded_right and end < size and folded[end].isalnum():
                        continue
                if sensitive and cased[start:end] != form:
                    continue
                found.append((start, end, index))
        return found

    def _hit(self, source: str, key: Key, chosen: tuple[int, int, int], candidates: list[tuple[int, int, int]]) -> TermHit:
        start, end, index = chosen
        inside = [c for c in candidates if start <= c[0] and c[1] <= end and c != chosen]
        inner = tuple(self._hit(source, key, c, inside) for c in _select(inside)) if inside else ()
        begin, finish = key.span(start, end)
        return TermHit(self.terms[index], begin, finish, source[begin:finish], self._expected[index], inner, index)

    def renders(self, target: str, hit: TermHit) -> bool:
        """Whether ``target`` holds the approved rendering of ``hit`` or an accepted variant.

        A term with no rendering in the target language is always rendered. In
        Chinese, a rendering also counts when it is there but for quotes, a
        short bracketed insert or another of 及/與/和 (see ``loose_chinese``).
        """
        accepted = hit.expected.accepted
        if not accepted:
            return True
        if any(self._occurrences(target, form, hit.term) for form in accepted):
            return True
        if self._target_unspaced:
            loose = _SHORT_INSERT.sub("", loose_chinese(target))
            return any(form and form in loose for form in map(loose_chinese, accepted))
        return False

    def forbidden_in(self, target: str, hit: TermHit) -> list[str]:
        """The forbidden renderings of ``hit`` that ``target`` uses.

        An occurrence inside an accepted rendering that is present does not
        count: forbidden ``金管局`` is fine within approved ``香港金融管理局（金管局）``.
        """
        forbidden = hit.expected.forbidden
        if not forbidden:
            return []
        allowed = [span for form in hit.expected.accepted for span in self._occurrences(target, form, hit.term)]
        used = []
        for form in forbidden:
            spans = self._occurrences(target, form, hit.term)
            if any(not any(a <= s and e <= b for a, b in allowed) for s, e in spans):
                used.append(form)
        return used

    def _occurrences(self, target: str, form: str, term: Term) -> list[tuple[int, int]]:
        """Spans (in the target's folded key) where ``form`` occurs, in any of its spellings."""
        if self._target_unspaced:
            return _find_all(nfkc(target), nfkc(form).strip(), bounded=False)
        key = _target_key(target)
        spans = []
        for folded, cased in term_forms(form).items():
            for start, end in _find_all(key.folded, folded, bounded=True):
                if term.case_sensitive and key.cased[start:end] != cased:
                    continue
                spans.append((start, end))
        return spans


_QUOTES_AND_SPACES = re.compile(r"[「」『』《》〈〉“”‘’\"'\s]")
_SHORT_INSERT = re.compile(r"\([^()]{1,20}\)")
_CONJUNCTIONS = str.maketrans("與和", "及及")


@functools.lru_cache(maxsize=4096)
def loose_chinese(text: str) -> str:
    """Chinese with what translators vary around a term folded away: quotes and title marks,
    spaces, and 及/與/和 read alike. (A short bracketed insert in the target,
    ``外匯基金（基金）管理人``, is dropped by ``renders``.)

    >>> loose_chinese("「大至不能倒」問題"), loose_chinese("信用、流動性與利率風險")
    ('大至不能倒問題', '信用、流動性及利率風險')
    """
    return _QUOTES_AND_SPACES.sub("", nfkc(text)).translate(_CONJUNCTIONS)


@functools.lru_cache(maxsize=256)
def _target_key(target: str) -> Key:
    return english_key(target)


def _select(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Leftmost-longest, non-overlapping; ``candidates`` sorted by start, then longest first."""
    chosen = []
    reach = -1
    for candidate in candidates:
        if candidate[0] >= reach:
            chosen.append(candidate)
            reach = candidate[1]
    return chosen


def _find_all(text: str, needle: str, *, bounded: bool) -> list[tuple[int, int]]:
    if not needle:
        return []
    spans = []
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if not bounded or (
            (start == 0 or not text[start - 1].isalnum() or not needle[0].isalnum())
            and (end == len(text) or not text[end].isalnum() or not needle[-1].isalnum())
        ):
            spans.append((start, end))
        start = text.find(needle, start + 1)
    return spans
