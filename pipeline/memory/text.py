"""Sentence → what the memory compares: tokens, index keys, normalized form, hashes.

English (and any language written with spaces) is compared word by word,
Chinese character by character (``pipeline.catalog.similarity``), both after
NFKC so that full-width and half-width forms are one token.

>>> tokens("The HK$24.4 million grant", "en")
['the', 'hk', '$', '24', '.', '4', 'million', 'grant']
>>> tokens("總額 約２４億元", "zh-Hant-HK")
['總', '額', '約', '2', '4', '億', '元']
>>> index_keys(["the", "fund", "the"], "en")
['w the', 'w fund', 'w the 2']
>>> normalized("  Mr  CHAN：“Hello”。 ") == normalized("mr chan:\\"hello\\".")
True
"""

from __future__ import annotations

import hashlib
import unicodedata

from ..catalog.similarity import tokenizer_for

# Width folding beyond NFKC: the ideographic full stop and comma, corner brackets, curly quotes.
_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"',
                              "“": '"', "”": '"', "‘": "'", "’": "'", "〈": "<", "〉": ">"})


def family(language: str) -> str:
    """``w`` for languages tokenized into words, ``c`` for those compared by character."""
    return "c" if tokenizer_for(language)("a b") == "ab" else "w"


def tokens(text: str, language: str) -> list[str]:
    """The tokens similarity is computed on: lower-case words, or characters without spaces."""
    found = tokenizer_for(language)(unicodedata.normalize("NFKC", text))
    return list(found)


def index_keys(found: list[str], language: str) -> list[str]:
    """One key per token; a repeated token gets its occurrence number, so keys are a set.

    Overlap of key sets is then the multiset overlap of tokens, which bounds
    the longest common subsequence that the similarity counts.
    """
    prefix = family(language)
    seen: dict[str, int] = {}
    keys = []
    for token in found:
        count = seen.get(token, 0) + 1
        seen[token] = count
        keys.append(f"{prefix} {token}" if count == 1 else f"{prefix} {token} {count}")
    return keys


def normalized(text: str) -> str:
    """The form a *normalized* match compares: NFKC, punctuation width folded, case folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION).casefold()
    return " ".join(folded.split())


def digest64(*parts: str) -> int:
    """A signed 64-bit hash of ``parts`` (SQLite's integer), stable across runs and machines."""
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def context_digest(previous: str, next: str) -> int:
    """The neighbours a unit was translated between, as stored; unknown neighbours give ``NO_CONTEXT``."""
    return digest64(previous, next) if previous or next else NO_CONTEXT


NO_CONTEXT = digest64("", "")
