"""A sentence → its anchors: what a translation keeps, recognisable on both sides.

- numbers and dates read as values by Duet's number grammar, so that
  ``$24.4 million`` and ``二千四百四十萬元`` give the same anchor;
- codes, acronyms, web and e-mail addresses copied verbatim (``B14``, ``HKPC``,
  ``www.stf.hkpc.org``);
- glossary terms, found in each language by the glossary's own matcher;
- questions and exclamations, a weak anchor that literary texts keep.

An anchor is a hashable key; a sentence holds a count of each.

>>> reader = AnchorReader("en", "zh-Hant-HK")
>>> sorted(reader.source("A grant of $24.4 million for HKPC (www.stf.hkpc.org).").items())
[(('n', 'number', '24400000'), 1), (('v', 'hkpc'), 1), (('v', 'www.stf.hkpc.org'), 1)]
>>> sorted(reader.target("總資助金額約二千四百四十萬元（www.stf.hkpc.org）。").items())
[(('n', 'number', '24400000'), 1), (('v', 'www.stf.hkpc.org'), 1)]
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
from collections import Counter
from fractions import Fraction

from ..numbers.read import Quantity, chinese_numbers, english_numbers

if t.TYPE_CHECKING:
    from ..glossary import TermMatcher

Anchor = tuple[t.Any, ...]

# A token copied as it is: letters and digits joined by . - _ / @ (URLs, e-mail addresses, codes).
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[.\-_/@:?&=#](?=[A-Za-z0-9]))*")
# In English only what a Chinese translation would copy: a digit with letters, two capitals, a dot inside.
_COPIED = re.compile(r"(?=.*[A-Za-z])(?:.*\d|.*[A-Z].*[A-Z]|.*[.@/])")
_URL_PARTS = re.compile(r"[/?&=:#]+")
_QUESTION = re.compile(r"[?？]")
_EXCLAMATION = re.compile(r"[!！]")


class AnchorReader:
    """Reads the anchors of ``source_language`` and ``target_language`` sentences (English or Chinese).

    ``source_terms`` finds glossary terms in the source language and
    ``target_terms`` in the target language; a term gives the same anchor on
    both sides (its position in the glossary).
    """

    def __init__(self, source_language: str, target_language: str, *,
                 source_terms: TermMatcher | None = None, target_terms: TermMatcher | None = None) -> None:  # fmt: skip
        self._source = (is_chinese(source_language), source_terms)
        self._target = (is_chinese(target_language), target_terms)

    def source(self, text: str) -> Counter[Anchor]:
        return _anchors(text, *self._source)

    def target(self, text: str) -> Counter[Anchor]:
        return _anchors(text, *self._target)


def is_chinese(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() == "zh"


def _anchors(text: str, chinese: bool, terms: TermMatcher | None) -> Counter[Anchor]:
    found: Counter[Anchor] = Counter()
    found.update(_number(q) for q in _numbers(text, chinese) if not q.implicit)
    found.update(("v", piece.lower()) for token in _copied(text, chinese) for piece in _pieces(token))
    if terms is not None:
        found.update(("g", hit.index) for hit in _with_inner(terms.find(text)))
    found.update(("p", "?") for _ in _QUESTION.finditer(text))
    found.update(("p", "!") for _ in _EXCLAMATION.finditer(text))
    return found


def _numbers(text: str, chinese: bool) -> list[Quantity]:
    return chinese_numbers(text) if chinese else english_numbers(text)


def _number(quantity: Quantity) -> Anchor:
    """Values compare within a group, as in the number check: a percent never equals a count."""
    kind = quantity.kind
    group = "time" if kind in ("time", "clock") else kind if kind in ("percent", "weekday") else "number"
    return ("n", group, str(Fraction(quantity.value)))  # a string hashes faster, and 2.50 is 5/2 as 2.5 is


def _copied(text: str, chinese: bool) -> list[str]:
    tokens = _TOKEN.findall(text)
    if chinese:  # any Latin word in Chinese text was copied; bare digits are numbers, read above
        return [token for token in tokens if not token.isdigit()]
    return [token for token in tokens if _COPIED.match(token)]


def _pieces(token: str) -> list[str]:
    """A web address is its host and its path's parts: the English and Chinese pages differ in a part or two."""
    if "/" not in token:
        return [token]
    return [piece for piece in _URL_PARTS.split(token) if len(piece) >= 3 and piece.lower() not in ("http", "https")]


def _with_inner(hits: cabc.Sequence[t.Any]) -> cabc.Iterator[t.Any]:
    for hit in hits:
        yield hit
        yield from _with_inner(hit.inner)
