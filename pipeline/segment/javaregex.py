"""Java/ICU regular expressions (the SRX dialect) → patterns for the ``regex`` module.

SRX files are written for Java's ``java.util.regex`` (Okapi, OmegaT) or ICU.
``regex`` in VERSION1 mode already reads most of it the Java way: ``\\p{..}``
classes, ``\\uXXXX``, possessive quantifiers, atomic groups, and inline flags
such as ``(?i)`` that apply to the end of the enclosing group, not the whole
pattern (Python's ``re`` refuses them since 3.11). What is left is rewritten
here: ``\\Q..\\E`` quoting and the Java-only escapes ``\\h`` and ``\\R``.
Capturing groups become non-capturing: the engine joins many rules into one
pattern and numbers its own groups.
"""

from __future__ import annotations

import regex

FLAGS = regex.VERSION1

# Java's \h (horizontal whitespace) and \R (any line break), spelled out.
_JAVA_ESCAPES = {
    "h": r"[ \t\xa0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]",
    "R": r"(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])",
}


class JavaRegexError(ValueError):
    """The pattern uses a Java feature this engine cannot honour."""


def translate(pattern: str) -> str:
    r"""Rewrite one Java regex so that ``regex.compile(result, FLAGS)`` means the same.

    >>> translate(r"\Qa.b\E\h")
    'a\\.b[ \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]'
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    class_depth = 0
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            i = _escape(pattern, i, class_depth > 0, out)
            continue
        if char == "[":
            class_depth += 1
        elif char == "]" and class_depth:
            class_depth -= 1
        elif char == "(" and not class_depth:
            i = _group(pattern, i, out)
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int, in_class: bool, out: list[str]) -> int:
    """Append the translation of the escape at ``pattern[i]``; return the index after it."""
    escaped = pattern[i + 1]
    if escaped == "Q":
        end = pattern.find("\\E", i + 2)
        end = len(pattern) if end < 0 else end
        out.append(regex.escape(pattern[i + 2 : end]))
        return end + 2
    if escaped in "123456789k" and not in_class:
        raise JavaRegexError(f"back-references are not supported: {pattern[i:i + 2]!r}")
    if escaped == "h" or (escaped == "R" and not in_class):
        out.append(_JAVA_ESCAPES[escaped])
    else:
        out.append(pattern[i : i + 2])
    return i + 2


def _group(pattern: str, i: int, out: list[str]) -> int:
    """Append a group opener, capturing ones made non-capturing; return the index after it."""
    if pattern.startswith("(?", i) and not pattern.startswith(("(?<", "(?P<"), i):
        out.append("(?")
        return i + 2
    if pattern.startswith(("(?<=", "(?<!"), i):
        out.append(pattern[i : i + 4])
        return i + 4
    if pattern.startswith("(?", i):
        close = pattern.find(">", i)
        if close < 0:
            raise JavaRegexError(f"unterminated group name at {i}")
        out.append("(?:")
        return close + 1
    out.append("(?:")
    return i + 1
