"""PO files in other charsets: read as gettext reads them, written back in them only where gettext agrees."""

from __future__ import annotations

import codecs
import collections.abc as cabc
import ctypes
import ctypes.util
import dataclasses
import shutil
import subprocess

import pytest

from pipeline.errors import InputError
from pipeline.formats import po_charset
from pipeline.formats.po import encode_po, format_po, parse_po
from pipeline.model import Catalog, Message

needs_gettext = pytest.mark.skipif(shutil.which("msgconv") is None, reason="GNU gettext (msgconv) not installed")

# A sentence each charset can hold, short enough for one line as gettext writes it.
SAMPLES = {
    "ISO-8859-1": "Réunion du groupe d'experts : « très utile ».",
    "CP1252": "The “Smart Traffic Fund” approves €24.4 million…",
    "BIG5-HKSCS": "粵港金融合作專家小組今日舉行第九次會議，討論兩地合作。",
    "GB18030": "粤港金融合作专家小组今日举行第九次会议，讨论两地合作。",
}


def po_file(charset: str, translation: str, *, extra: str = "") -> bytes:
    text = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: meeting\\n"\n"Language: zh_Hant_HK\\n"\n'
        f'"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n\n'
        f'# {translation[:6]}\nmsgid "The expert group met today."\nmsgstr "{translation}"\n{extra}'
    )
    return text.encode(po_charset.reading_codec(charset))


def gettext(*args: str, data: bytes) -> bytes:
    done = subprocess.run(args, input=data, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@needs_gettext
@pytest.mark.parametrize("charset", SAMPLES)
def test_a_file_is_read_as_msgconv_reads_it_and_written_back_unchanged(charset: str) -> None:
    data = po_file(charset, SAMPLES[charset])
    catalog = parse_po(data, "zh.po")
    as_gettext = parse_po(gettext("msgconv", "--to-code=UTF-8", "-", data=data), "utf8.po")
    assert catalog.messages == as_gettext.messages
    assert encode_po(catalog) == data


@needs_gettext
@pytest.mark.parametrize("charset", SAMPLES)
def test_a_new_translation_that_fits_keeps_the_files_charset(charset: str) -> None:
    catalog = parse_po(po_file(charset, SAMPLES[charset]), "zh.po")
    added = Message("Mr Chan said the meeting was useful.", SAMPLES[charset][::-1])
    data = encode_po(dataclasses.replace(catalog, messages=(*catalog.messages, added)))
    assert f"charset={charset}".encode() in data
    gettext("msgfmt", "--check", "-o", "/dev/null", "-", data=data)
    assert parse_po(gettext("msgconv", "--to-code=UTF-8", "-", data=data), "u.po").messages[-1] == added
    assert encode_po(parse_po(data, "zh.po")) == data


@needs_gettext
@pytest.mark.parametrize(
    ("charset", "translation"),
    [
        ("ISO-8859-1", "陳先生表示會議很有用。"),  # Chinese in a Latin-1 file
        ("CP1252", "粵港金融合作"),
        ("BIG5-HKSCS", "简体字：专家"),  # simplified characters BIG5 does not hold
        ("BIG5-HKSCS", "\uffe3"),  # ￣: Python writes 0xA1C3, which glibc refuses
        ("GB18030", "︐︑︒"),  # vertical forms: Python writes bytes glibc reads as other characters
        ("GB18030", "𠀀 emoji 😀 and ḿ"),
    ],
)
def test_a_translation_the_charset_cannot_hold_converts_the_file_to_utf8(charset: str, translation: str) -> None:
    catalog = parse_po(po_file(charset, SAMPLES[charset]), "zh.po")
    added = Message("Mr Chan said the meeting was useful.", translation)
    data = encode_po(dataclasses.replace(catalog, messages=(*catalog.messages, added)))
    assert b"charset=UTF-8" in data and f"charset={charset}".encode() not in data
    assert format_po(dataclasses.replace(catalog, messages=(*catalog.messages, added))) == data.decode("utf-8")
    gettext("msgfmt", "--check", "-o", "/dev/null", "-", data=data)
    again = parse_po(data, "zh.po")
    assert again.messages == (*catalog.messages, added)
    assert encode_po(again) == data


def test_ascii_and_the_template_placeholder_become_utf8_only_when_the_text_is_not_ascii() -> None:
    for charset in ("ASCII", "CHARSET"):
        head = Message("", f"Content-Type: text/plain; charset={charset}\n")
        assert f"charset={charset}" in format_po(Catalog(head, (Message("a", "b"),)))
        assert "charset=UTF-8" in format_po(Catalog(head, (Message("a", "乙"),)))


@pytest.mark.parametrize(
    ("charset", "words"),
    [
        ("EUC-TW", "msgconv --to-code=UTF-8"),  # gettext reads it, Python has no codec
        ("UTF-16", "not one gettext reads"),
        ("UTF-7", "not one gettext reads"),
        ("HZ", "not one gettext reads"),
        ("NO-SUCH-CODEC", "unknown charset"),
    ],
)
def test_a_charset_gettext_or_python_cannot_read_is_refused_at_the_header(charset: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_po(po_file("UTF-8", "x").replace(b"charset=UTF-8", b"charset=" + charset.encode()), "zh.po")
    assert str(caught.value.loc) == "zh.po:6" and words in caught.value.message


def test_python_spellings_of_gettext_charsets_are_read() -> None:
    for spelling, text in (("latin1", "café"), ("windows-1252", "€"), ("iso_8859-1", "é"), ("cp936", "粤港")):
        data = po_file("UTF-8", text).replace(b"charset=UTF-8", b"charset=" + spelling.encode())
        data = data.decode("utf-8").encode(spelling)
        assert parse_po(data, "zh.po").messages[0].string == text


def test_a_byte_the_charset_does_not_define_names_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_po(po_file("BIG5-HKSCS", "粵港") + b'\nmsgid "b"\nmsgstr "\x80\x80"\n', "zh.po")
    assert str(caught.value.loc) == "zh.po:14" and "not valid BIG5-HKSCS" in caught.value.message


# ------------------------------------------------------------------ the table against glibc's iconv


def _glibc_reader(charset: str) -> cabc.Callable[[bytes], str | None] | None:
    """glibc's iconv from ``charset`` to UTF-8, one byte string at a time; None without glibc."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    if not hasattr(libc, "gnu_get_libc_version"):
        return None
    libc.iconv_open.restype = ctypes.c_void_p
    libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    char_pp, size_p = ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)
    libc.iconv.argtypes = [ctypes.c_void_p, char_pp, size_p, char_pp, size_p]
    libc.iconv.restype = ctypes.c_size_t
    handle = libc.iconv_open(b"UTF-8", charset.encode())
    if handle in (None, ctypes.c_void_p(-1).value):
        return None

    def read(data: bytes) -> str | None:
        libc.iconv(handle, None, None, None, None)
        source, target = ctypes.create_string_buffer(data, len(data)), ctypes.create_string_buffer(4 * len(data) + 8)
        inp, inleft = ctypes.c_char_p(ctypes.addressof(source)), ctypes.c_size_t(len(data))
        out, outleft = ctypes.c_char_p(ctypes.addressof(target)), ctypes.c_size_t(len(target))
        failed = libc.iconv(handle, ctypes.byref(inp), ctypes.byref(inleft), ctypes.byref(out), ctypes.byref(outleft))
        if failed == ctypes.c_size_t(-1).value or inleft.value:
            return None
        return target.raw[: len(target) - outleft.value].decode("utf-8")

    return read


# The tables of the charsets a Chinese PO file is found in, and the two the issue names, checked in full.
CHECKED = ["ISO-8859-1", "CP1252", "BIG5", "BIG5-HKSCS", "CP950", "GB2312", "GBK", "GB18030"]


@pytest.mark.parametrize("charset", CHECKED)
def test_misread_characters_are_those_glibc_reads_back_otherwise(charset: str) -> None:
    """Every character Python writes in ``charset``, read back through glibc's iconv (gettext's reader)."""
    read = _glibc_reader(charset)
    if read is None:
        pytest.skip("glibc's iconv is not available")
    codec = codecs.lookup(charset).name
    # HKSCS also holds ideographs of plane 2; GB18030 maps the planes above the BMP by arithmetic, as glibc does.
    points = [*range(0x10000), *(range(0x20000, 0x30000) if codec == "big5hkscs" else ())]
    refused, read_otherwise = set(), set()
    for point in points:
        char = chr(point)
        if 0xD800 <= point < 0xE000:
            continue
        try:
            data = char.encode(codec)
        except UnicodeEncodeError:
            continue
        if not po_charset.fits(char, codec):
            refused.add(point)
        if read(data) != char or data.decode(codec) != char:
            read_otherwise.add(point)
    assert refused == read_otherwise
