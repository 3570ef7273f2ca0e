"""Source sentences as the tokens their similarity is measured on, by language.

English is compared word by word (one changed word in a twenty-word sentence
is a small change); Chinese, written without spaces, character by character.
"""

from __future__ import annotations

import collections.abc as cabc
import re

_WORDS = re.compile(r"\w+|[^\w\s]")


def tokenizer_for(language: str) -> cabc.Callable[[str], cabc.Sequence[str] | str]:
    """The tokenizer for ``language`` (BCP 47 or POSIX): words for most, characters for CJK.

    >>> tokenizer_for("en")("Mr Chan's visit.")
    ['mr', 'chan', "'", 's', 'visit', '.']
    >>> tokenizer_for("zh_Hant_HK")("會議 結束")
    '會議結束'
    """
    primary = language.replace("_", "-").split("-")[0].lower()
    return characters if primary in ("zh", "ja", "ko") else words


def words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def characters(text: str) -> str:
    return "".join(text.split())
