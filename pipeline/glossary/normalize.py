"""Text → matching keys, with a map back to the original offsets.

English (and any language written with spaces) is folded into a *key*: NFKC,
lower case, whitespace runs and hyphens as one space, ``&`` as ``and``,
apostrophes dropped (so ``bank's`` and ``banks'`` read ``banks``). A term is
folded the same way and expanded into its *forms*: the hyphen written as a
space or as nothing, and the plural of its last word. Chinese (and other
languages written without spaces) is only NFKC-normalized, which also folds
full-width and half-width forms.

>>> key = english_key("Financial Services & the Treasury’s")
>>> key.folded
'financial services and the treasurys'
>>> key.span(23, 36)  # 'the treasurys' in the key
(21, 35)
>>> sorted(term_forms("co-operation"))
['co operation', 'co operationes', 'co operations', 'cooperation', 'cooperationes', 'cooperations']
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

import regex

# Hyphen-like dashes that join compound words; the em dash (U+2014) separates
# clauses and stays punctuation.
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2212"
_SEPARATORS = str.maketrans({c: " " for c in _HYPHENS + "\t\n\r\v\f\u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
                             + "".join(chr(c) for c in range(0x2000, 0x200B))})
_APOSTROPHES = "'\u2018\u2019\u02bc\u2032"
# The places where the key is not a 1:1 copy of the text: "&" with its spaces,
# runs of spaces, apostrophes.
_IRREGULAR = regex.compile(rf" *& *| {{2,}}|[{_APOSTROPHES}]")
_MAX_HYPHEN_COMBINATIONS = 4  # 2**4 spellings at most; beyond, all spaces or all joined

# Languages written without spaces between words: no word boundaries, no plurals.
UNSPACED_LANGUAGES = frozenset({"zh", "yue", "wuu", "hak", "nan", "gan", "ja", "th", "lo", "km", "my", "bo"})


def is_unspaced(language: str) -> bool:
    """Whether ``language`` (BCP 47) is written without spaces between words.

    >>> is_unspaced("zh-Hant-HK"), is_unspaced("en")
    (True, False)
    """
    return language.split("-", 1)[0].lower() in UNSPACED_LANGUAGES


@functools.lru_cache(maxsize=4096)
def nfkc(text: str) -> str:
    """NFKC, which folds full-width ASCII and half-width forms: ``（ＨＫ）`` → ``(HK)``."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True, slots=True)
class Key:
    """A folded key of a text and the map from key offsets to text offsets.

    ``folded`` is lower case; ``cased`` is the same key with the case kept, for
    case-sensitive terms (both have the same length). ``pieces`` lists
    ``(key_start, text_start, key_length, text_length)`` for each stretch of
    the key; a stretch whose lengths agree maps offsets one to one.
    """

    folded: str
    cased: str
    pieces: tuple[tuple[int, int, int, int], ...]
    starts: tuple[int, ...]

    def _offset(self, k: int, *, end: bool) -> int:
        i = bisect.bisect_right(self.starts, k - 1 if end else k) - 1
        if i < 0:
            return 0
        key_start, text_start, key_length, text_length = self.pieces[i]
        if key_length == text_length:
            return text_start + min(k - key_start, key_length)
        return text_start + text_length if end else text_start

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text offsets of the key slice ``[start:end]`` (never inside a folded piece)."""
        return self._offset(start, end=False), self._offset(end, end=True)


def english_key(text: str) -> Key:
    """Fold ``text`` for matching English terms (see the module docstring)."""
    normal, base = _nfkc_pieces(text)
    spaced = normal.translate(_SEPARATORS)
    folded = spaced.lower()
    if len(folded) != len(spaced):  # a character whose lower case is longer (U+0130): keep it
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in spaced)
    out_folded: list[str] = []
    out_cased: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    k = 0
    pos = 0
    for m in _IRREGULAR.finditer(spaced):
        if m.start() > pos:
            out_folded.append(folded[pos:m.start()])
            out_cased.append(spaced[pos:m.start()])
            pieces.append((k, pos, m.start() - pos, m.start() - pos))
            k += m.start() - pos
        found = m.group()
        replacement = " and " if "&" in found else (" " if found[0] == " " else "")
        if replacement:
            out_folded.append(replacement)
            out_cased.append(replacement)
            pieces.append((k, m.start(), len(replacement), len(found)))
            k += len(replacement)
        pos = m.end()
    if pos < len(spaced):
        out_folded.append(folded[pos:])
        out_cased.append(spaced[pos:])
        pieces.append((k, pos, len(spaced) - pos, len(spaced) - pos))
    if base is not None:
        pieces = _compose(pieces, base)
    return Key("".join(out_folded), "".join(out_cased), tuple(pieces), tuple(p[0] for p in pieces))


def _nfkc_pieces(text: str) -> tuple[str, list[tuple[int, int, int, int]] | None]:
    """NFKC of ``text`` and, when that changed it, the pieces mapping back.

    Only the characters NFKC changes (full-width forms, ligatures, compatibility
    ideographs) and combining sequences are normalized, each on its own, so
    that every piece maps back; the rest is copied.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    k = 0
    pos = 0
    for m in _nfkc_spots().finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
            pieces.append((k, pos, m.start() - pos, m.start() - pos))
            k += m.start() - pos
        piece = unicodedata.normalize("NFKC", m.group())
        if piece:
            out.append(piece)
            pieces.append((k, m.start(), len(piece), m.end() - m.start()))
            k += len(piece)
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
        pieces.append((k, pos, len(text) - pos, len(text) - pos))
    return "".join(out), pieces


@functools.cache
def _nfkc_spots() -> re.Pattern[str]:
    """The characters NFKC changes, and combining sequences (built once, in about 0.1 s)."""
    planes = itertools.chain(range(0x20000), range(0x2F800, 0x2FA20))  # the rest of Unicode has no such character
    changed: list[int] = []
    marks: list[int] = []
    for c in planes:
        if 0xD800 <= c <= 0xDFFF:
            continue
        char = chr(c)
        if unicodedata.category(char).startswith("M"):
            marks.append(c)
        elif not unicodedata.is_normalized("NFKC", char):
            changed.append(c)
    return re.compile(rf".[{_ranges(marks)}]+|[{_ranges(changed)}]", re.DOTALL)


def _ranges(points: list[int]) -> str:
    """A character class body for sorted code points: ``a-z`` runs instead of every character."""
    out = []
    start = prev = points[0]
    for c in [*points[1:], -1]:
        if c == prev + 1:
            prev = c
            continue
        out.append(re.escape(chr(start)) + (f"-{re.escape(chr(prev))}" if prev > start else ""))
        start = prev = c
    return "".join(out)


def _compose(pieces: list[tuple[int, int, int, int]], base: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Map key pieces through the NFKC pieces to the original text (one piece per NFKC piece)."""
    starts = [p[0] for p in base]
    out: list[tuple[int, int, int, int]] = []
    for key_start, mid_start, key_length, mid_length in pieces:
        if key_length != mid_length:
            first = base[bisect.bisect_right(starts, mid_start) - 1]
            last = base[bisect.bisect_right(starts, max(mid_start, mid_start + mid_length - 1)) - 1]
            begin = first[1] if mid_length else first[1] + first[3]
            end = last[1] + last[3] if mid_length else begin
            out.append((key_start, begin, key_length, end - begin))
            continue
        # a 1:1 stretch of the NFKC text: split it where the NFKC pieces split
        offset = 0
        while offset < key_length:
            i = bisect.bisect_right(starts, mid_start + offset) - 1
            b_key, b_text, b_klen, b_tlen = base[i]
            take = min(b_key + b_klen, mid_start + key_length) - (mid_start + offset)
            if b_klen == b_tlen:
                out.append((key_start + offset, b_text + (mid_start + offset - b_key), take, take))
            else:
                out.append((key_start + offset, b_text, take, b_tlen))
            offset += take
    return out


def fold_term(text: str) -> tuple[str, str]:
    """The folded and the cased key of a term, without the leading and trailing spaces."""
    key = english_key(text)
    return key.folded.strip(), key.cased.strip()


def term_forms(text: str) -> dict[str, str]:
    """Every folded spelling of an English term, mapped to its cased spelling.

    Hyphens are written as a space or joined; the last word takes ``-s``,
    ``-es`` and, after a consonant, ``y`` → ``-ies`` (possessives fold into
    the ``-s`` form since apostrophes are dropped).
    """
    spellings = _hyphen_spellings(text)
    forms: dict[str, str] = {}
    for spelling in spellings:
        folded, cased = fold_term(spelling)
        if not folded:
            continue
        forms.setdefault(folded, cased)
        if not folded[-1].isalpha():
            continue
        for suffix in ("s", "es"):
            forms.setdefault(folded + suffix, cased + suffix)
        if folded[-1] == "y" and len(folded) > 1 and folded[-2] not in "aeiou":
            forms.setdefault(folded[:-1] + "ies", cased[:-1] + ("IES" if cased[-1] == "Y" else "ies"))
    return forms


def _hyphen_spellings(text: str) -> list[str]:
    parts = regex.split(rf"(?<=\w)[{_HYPHENS}](?=\w)", text)
    if len(parts) == 1:
        return [text]
    joints = len(parts) - 1
    if joints > _MAX_HYPHEN_COMBINATIONS:
        choices: list[tuple[str, ...]] = [(" ",) * joints, ("",) * joints]
    else:
        choices = list(itertools.product((" ", ""), repeat=joints))
    spellings = []
    for choice in choices:
        pieces = [parts[0]]
        for joint, part in zip(choice, parts[1:]):
            pieces += [joint, part]
        spellings.append("".join(pieces))
    return spellings


def unspaced_key(text: str) -> Key:
    """Fold text written without spaces: NFKC and lower case (for Latin letters in it)."""
    normal, base = _nfkc_pieces(text)
    folded = normal.lower()
    if len(folded) != len(normal):
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in normal)
    pieces = base if base is not None else [(0, 0, len(normal), len(normal))]
    return Key(folded, normal, tuple(pieces), tuple(p[0] for p in pieces))
