"""Punctuation in Chinese translations: half-width marks, unbalanced pairs, a missing full stop.

Chinese text uses full-width punctuation (，。；：？！（）); a half-width mark
next to a Chinese character is a slip of the input method. Digits, URLs and
embedded Latin text keep theirs (``3.5``, ``2,440``, ``www.info.gov.hk``,
``.gov.hk``, ``技術(DLT)``), so only marks touching a Chinese character count.
"""

from __future__ import annotations

import collections.abc as cabc
import re

from .base import Problem

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3000-\u303f\uff00-\uffef"
_HALF_WIDTH_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*(?:[,;:?!()]|\.(?![A-Za-z0-9]))|[,;:?!()]\s*(?=[{_CJK}])")
# Brackets around Latin text or numbers keep their width in HK Chinese: 分布式分類帳技術(DLT), 第3(1)條.
_LATIN_IN_BRACKETS = re.compile(r"\([^()\u3400-\u9fff]*\)")
_PAIRS = {"「": "」", "『": "』", "（": "）", "《": "》", "“": "”"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_BRACKETS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")  # the only characters read
_SOURCE_STOP = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_TARGET_STOP = re.compile(r"[。！？…．][」』”’）》\"')]*\s*$")
_FULL_WIDTH_IN_LATIN = re.compile(r"[，。；：？！（）]")


def check_punctuation(source: str, target: str, *, target_is_chinese: bool) -> cabc.Iterator[Problem]:
    """Yield one problem per kind of slip, naming the first place it occurs."""
    if not target_is_chinese:
        found = _FULL_WIDTH_IN_LATIN.search(target)
        if found:
            yield Problem("punctuation", f"full-width '{found.group()}' in a translation that is not Chinese")
        return
    found = _HALF_WIDTH_NEAR_CJK.search(_LATIN_IN_BRACKETS.sub(lambda m: "\0" * len(m.group()), target))
    if found:
        mark = found.group().strip()
        yield Problem("punctuation", f"half-width '{mark}' in Chinese text: '{_excerpt(target, found.start())}'")
    unbalanced = _first_unbalanced(target)
    if unbalanced:
        yield Problem("punctuation", unbalanced)
    if _SOURCE_STOP.search(source) and not _TARGET_STOP.search(target):
        yield Problem("punctuation", "the source ends a sentence but the translation does not end with a full stop (。)")


def _first_unbalanced(text: str) -> str | None:
    """``None`` when every 「」『』（）《》“” pair closes in order."""
    stack: list[tuple[str, int]] = []
    for found in _BRACKETS.finditer(text):
        index, char = found.start(), found.group()
        if char in _PAIRS:
            stack.append((char, index))
        elif char in _CLOSERS:
            if not stack or stack[-1][0] != _CLOSERS[char]:
                return f"'{char}' closes nothing: '{_excerpt(text, index)}'"
            stack.pop()
    if stack:
        char, index = stack[-1]
        return f"'{char}' is never closed: '{_excerpt(text, index)}'"
    return None


def _excerpt(text: str, index: int, width: int = 8) -> str:
    start = max(0, index - width)
    return ("…" if start else "") + text[start : index + width] + ("…" if index + width < len(text) else "")
