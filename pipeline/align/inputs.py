"""What is checked before two texts are aligned: each is in the language it should be, and one can translate the other.

A Chinese file given where the English one was expected (the two swapped),
an empty side, or a "translation" a tenth of the length it should be would
otherwise give a memory full of wrong pairs; they are refused with the file
and line instead.

>>> language_of("The Fund accepts applications throughout the year.")
'en'
>>> language_of("基金全年接受申請（www.stf.hkpc.org）。")
'zh'
"""

from __future__ import annotations

import collections.abc as cabc
import re

from ..errors import InputError
from ..model import Location

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Chinese characters per English character in translations (HK releases 0.27, MAC-Dev novels 0.19 to 0.30).
CHINESE_PER_ENGLISH = 0.27
_PROPORTION_LIMIT = 5.0  # how far from it two texts may be and still translate each other


def language_of(text: str) -> str:
    """``zh`` when Chinese characters outnumber Latin words (addresses and codes do not make Chinese English)."""
    return "zh" if len(_HAN.findall(text)) > len(_LATIN_WORD.findall(text)) else "en"


def check_language(lines: cabc.Sequence[tuple[int, str]], language: str, path: str, role: str) -> None:
    """Refuse numbered ``lines`` unless they are in ``language`` (``en`` or ``zh``); ``role`` says which file it should be.

    The error names the first line written in the other language.
    """
    found = language_of("\n".join(text for _, text in lines))
    if found == language:
        return
    line = next((number for number, text in lines if text.strip() and language_of(text) == found), 1)
    raise InputError(f"this text is {_NAMES[found]}, but the {role} should be {_NAMES[language]}", Location(path, line))


def check_not_empty(text: str, path: str) -> None:
    if not text.strip():
        raise InputError("nothing to align: the file has no text", Location(path, 1))


def check_proportion(english_length: int, chinese_length: int, english_path: str, chinese_path: str) -> None:
    """Refuse two texts whose lengths are wildly out of proportion for a translation (both are not empty)."""
    expected = english_length * CHINESE_PER_ENGLISH
    if chinese_length * _PROPORTION_LIMIT < expected:
        raise InputError(f"the Chinese text is too short to translate the English one ({chinese_length:,} Chinese "
                         f"characters for {english_length:,} English ones, about {round(expected):,} expected)",
                         Location(chinese_path, 1))  # fmt: skip
    if chinese_length > expected * _PROPORTION_LIMIT:
        raise InputError(f"the English text is too short to translate the Chinese one ({english_length:,} English "
                         f"characters for {chinese_length:,} Chinese ones, about "
                         f"{round(chinese_length / CHINESE_PER_ENGLISH):,} expected)", Location(english_path, 1))  # fmt: skip


_NAMES = {"en": "English", "zh": "Chinese"}
