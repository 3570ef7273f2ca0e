"""The charset of a PO file: the ones gettext reads, and when a file may stay in its own.

gettext (``po-charset.c``) reads the portable charsets listed below, however
spelled in case, through iconv. Duet reads them with Python's codec of the same
name (any Python alias of one of them works: ``latin1``, ``windows-1252``,
``cp936``) and refuses every other name rather than guess: gettext would read
such a file as raw bytes.

Writing, Duet does what msgmerge does: a file is written back in the charset its
header names. But only where that is safe, and otherwise the file is converted
to UTF-8, its header with it (``msgconv --to-code=UTF-8``): when the text does
not fit the charset (a Chinese translation in an ISO-8859-1 file), or holds a
character that Python writes as bytes glibc's iconv, which gettext uses, reads
back as another character or refuses. Those characters were measured from
glibc 2.36 (every code point Python encodes, read back through iconv), and
``tests/formats/test_po.py`` checks them against the library when present.
"""

from __future__ import annotations

import codecs
import functools
import re

# gettext 0.21's portable charsets (po_charset_canonicalize); ISO_8859-N is also read as ISO-8859-N.
GETTEXT_CHARSETS = (
    "ASCII", "ANSI_X3.4-1968", "US-ASCII", *(f"ISO-8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15)),
    "KOI8-R", "KOI8-U", "KOI8-T", "CP850", "CP866", "CP874", "CP932", "CP949", "CP950", "CP1250", "CP1251",
    "CP1252", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257", "GB2312", "EUC-JP", "EUC-KR", "EUC-TW", "BIG5",
    "BIG5-HKSCS", "GBK", "GB18030", "SHIFT_JIS", "JOHAB", "TIS-620", "VISCII", "GEORGIAN-PS", "UTF-8",
)  # fmt: skip

# Names read as UTF-8: gettext's ASCII, the POT placeholder, and a common misspelling (Python's utf8).
_READ_AS_UTF8 = frozenset({"UTF-8", "UTF8", "ASCII", "ANSI_X3.4-1968", "US-ASCII", "CHARSET"})
_ASCII = frozenset({"ASCII", "ANSI_X3.4-1968", "US-ASCII", "CHARSET"})

# Per Python codec: the code points whose bytes glibc reads differently or refuses (hex runs).
_MISREAD = {
    "cp932": "80 A2-A3 AC 2016 2212 301C F8F0-F8F3",
    "cp950": "A2-A3 A5 401 414-41C 423-44F 451 2022 203E 223C 2460-2469 2474-247D 2609 2641 3005 3041-3093 "
             "309D-309E 30A1-30F6 30FE FF64",
    "euc_jp": "A5 203E",
    "big5": "A2-A3 A5 401 414-41C 423-44F 451 2022 203E 223C 2460-2469 2474-247D 2609 2641 3005 3041-3093 "
            "309D-309E 30A1-30F6 30FE FF0F FF3C FF64",
    "big5hkscs": "2CD 2574 FFE3",
    "gb18030": "1E3F 9FB4-9FBB E78D-E796 E7C7 E816-E818 E81E E826 E82B-E82C E831-E832 E83B E843 E854-E855 E864 "
               "FE10-FE19",
    "shift_jis": "5C 7E",
    "johab": "5C",
    "tis-620": "80-9F",
}  # fmt: skip
# Python writes a Hangul syllable outside KS X 1001 as an 8-byte make-up sequence (KS X 1001:1998
# annex 3) that begins with HANGUL FILLER; glibc reads it back as four jamo.
_EUC_KR_MAKE_UP = "\N{HANGUL FILLER}".encode("euc_kr")

_CHARSET = re.compile(r"charset=([^ \t\n]+)")  # what gettext takes: up to a blank or a line end


def declared(header: str) -> str | None:
    """The charset a header's msgstr names, as gettext finds it (the first ``charset=``)."""
    match = _CHARSET.search(header)
    return match.group(1) if match else None


def reading_codec(charset: str) -> str:
    """The Python codec Duet reads ``charset`` with; ``ValueError`` saying why when there is none."""
    if charset.upper() in _READ_AS_UTF8:
        return "utf-8"
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        if charset.upper() in GETTEXT_CHARSETS:
            raise ValueError(
                f"charset {charset!r}: gettext reads it but Python has no codec for it; "
                "convert the file with 'msgconv --to-code=UTF-8'"
            ) from None
        raise ValueError(f"unknown charset {charset!r} in header") from None
    if codec not in _gettext_codecs():
        raise ValueError(f"charset {charset!r} is not one gettext reads; use UTF-8")
    return codec


def writing_codec(header: str) -> str | None:
    """The codec a file with this header is written in when its text fits; None: it must become UTF-8."""
    charset = declared(header)
    if charset is None:
        return "utf-8"
    if charset.upper() in _ASCII:
        return "ascii"
    try:
        return reading_codec(charset)
    except ValueError:
        return None


def fits(text: str, codec: str) -> bool:
    """Whether gettext reads ``text`` written in ``codec`` back as ``text``."""
    if codec == "utf-8":
        return True
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return False
    misread = _misread(codec)
    if misread is not None and misread.search(text):
        return False
    if codec == "euc_kr" and _EUC_KR_MAKE_UP in data:
        return False
    return data.decode(codec) == text  # e.g. BIG5-HKSCS's letter + combining mark pairs


def in_utf8(header: str) -> str:
    """The header's msgstr with its charset changed to UTF-8."""
    return _CHARSET.sub("charset=UTF-8", header, count=1)


@functools.cache
def _gettext_codecs() -> frozenset[str]:
    found = set()
    for charset in GETTEXT_CHARSETS:
        try:
            found.add(codecs.lookup(charset).name)
        except LookupError:
            continue  # EUC-TW, VISCII, GEORGIAN-PS: refused with advice by reading_codec
    return frozenset(found)


@functools.cache
def _misread(codec: str) -> re.Pattern[str] | None:
    runs = _MISREAD.get(codec)
    if runs is None:
        return None
    ranges = []
    for run in runs.split():
        first, _, last = run.partition("-")
        ranges.append(re.escape(chr(int(first, 16))) + ("-" + re.escape(chr(int(last, 16))) if last else ""))
    return re.compile("[" + "".join(ranges) + "]")
