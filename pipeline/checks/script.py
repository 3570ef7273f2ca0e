"""Simplified characters in a Traditional translation, or the reverse, by OpenCC's own tables.

A character is Simplified-only when OpenCC's STCharacters table maps it to
Traditional forms that do not include itself (们 → 們) and TSCharacters does
not list it as a Traditional character; 后, 干 and 只 are valid in both scripts
and never flagged. Traditional-only is the mirror image. The tables are read
from the dictionaries that ship inside the OpenCC package, with the
``opencc_dict`` tool it ships, so they follow OpenCC's releases.

What Hong Kong writes decides what a Traditional translation may hold: a
character Big5-HKSCS encodes (Python's ``big5hkscs`` codec) is never
Simplified there, so 恒 (恒生指數), 琼 (李慧琼) and the other forms of HK names
and usage pass; OpenCC still gives the Traditional form a finding suggests.
HKSCS also encodes some plain Simplified forms (国, 会), so a sentence written
in Simplified is flagged by its other characters (们, 这, 专, 组) rather than
by every one.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import subprocess
import tempfile
from pathlib import Path

from ..errors import PipelineError
from .base import Problem


def check_script(target: str, target_language: str) -> cabc.Iterator[Problem]:
    """Flag characters of the other script; locales without a script subtag are left alone."""
    script = script_of(target_language)
    if script is None:
        return
    wrong, name = (simplified_only(), "Simplified") if script == "Hant" else (traditional_only(), "Traditional")
    seen = dict.fromkeys(char for char in target if char in wrong)
    if seen:
        shown = ", ".join(f"{char} ({'/'.join(wrong[char])})" for char in seen)
        yield Problem("script-mismatch", f"{name} characters in a {'Traditional' if script == 'Hant' else 'Simplified'} Chinese translation: {shown}")


@functools.lru_cache(maxsize=64)
def script_of(language: str) -> str | None:
    """``Hant`` or ``Hans`` for a Chinese BCP 47 tag, from its script or likely subtags.

    >>> script_of("zh-Hant-HK"), script_of("zh-TW"), script_of("zh-CN"), script_of("en")
    ('Hant', 'Hant', 'Hans', None)
    """
    from babel import Locale, UnknownLocaleError

    if language.split("-")[0].lower() != "zh":
        return None
    try:
        script = Locale.parse(language, sep="-").script
        if script is None:
            from babel.core import get_global

            likely = get_global("likely_subtags").get(language.replace("-", "_"), "")
            script = Locale.parse(likely).script if likely else None
    except (ValueError, UnknownLocaleError):
        return None
    return script if script in ("Hant", "Hans") else None


@functools.lru_cache(maxsize=1)
def simplified_only() -> dict[str, tuple[str, ...]]:
    """Simplified characters that are not also Traditional, with their Traditional forms.

    The Hong Kong and Taiwan standard forms (秘, 温, 峰, 群: OpenCC's
    ``HKVariants`` and ``TWVariants``) and every character of Big5-HKSCS
    are Traditional too.
    """
    regional = {form for name in ("HKVariants", "TWVariants") for forms in _table(name).values() for form in forms}
    return {
        char: forms
        for char, forms in _one_sided(_table("STCharacters"), _table("TSCharacters")).items()
        if char not in regional and not _in_big5_hkscs(char)
    }


def _in_big5_hkscs(char: str) -> bool:
    try:
        char.encode("big5hkscs")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def traditional_only() -> dict[str, tuple[str, ...]]:
    """Traditional characters that are not also Simplified, with their Simplified forms."""
    return _one_sided(_table("TSCharacters"), _table("STCharacters"))


def _one_sided(forward: dict[str, tuple[str, ...]], backward: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    valid_other_side = {form for forms in forward.values() for form in forms} | set(backward)
    return {char: forms for char, forms in forward.items() if char not in forms and char not in valid_other_side}


@functools.lru_cache(maxsize=8)
def _table(name: str) -> dict[str, tuple[str, ...]]:
    """One of OpenCC's character dictionaries, dumped to text with the package's own tool."""
    import opencc

    root = Path(opencc.__file__).parent / "clib"
    source = root / "share" / "opencc" / f"{name}.ocd2"
    tool = root / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory(prefix="duet-opencc-") as folder:
        dumped = Path(folder) / f"{name}.txt"
        try:
            subprocess.run([tool, "-i", source, "-o", dumped, "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise PipelineError(f"cannot read OpenCC's {name} table from {source}: {exc}") from exc
        table: dict[str, tuple[str, ...]] = {}
        for line in dumped.read_text(encoding="utf-8").splitlines():
            key, _, forms = line.partition("\t")
            if len(key) == 1:
                table[key] = tuple(forms.split())
        return table
