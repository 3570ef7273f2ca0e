"""PO reading and writing: strict parsing, and output byte-identical to GNU msgcat 0.21."""

from __future__ import annotations

import collections.abc as cabc
import ctypes
import dataclasses
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import DATA, SHARED_DATA

from pipeline.errors import InputError
from pipeline.formats import po_wrap
from pipeline.formats.po import (
    _Parser,
    encode_po,
    format_po,
    parse_po,
    read_po,
    write_po,
)
from pipeline.model import Catalog, Message

PO = DATA / "po"
MSGCAT = shutil.which("msgcat")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) not installed")

# The files GNU msgcat 0.21 writes back unchanged (golden/po/reference_behaviour.json).
MSGCAT_IDENTICAL = [
    "hello-c-gnome3.zh_CN.po",
    "hello-c-gnome3.zh_HK.po",
    "hello-c.zh_CN.po",
    "hello-c.zh_HK.po",
    "hello-c.zh_TW.po",
    "test_iso-8859-15.po",
    "test_merge_before.po",
    "test_obsolete_previousmsgid.po",
    "expected/test_comment_ordering.expected.po",
    "expected/test_trailing_comment.expected.po",
]

HEADER = Message(
    "",
    "Project-Id-Version: duet\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
)


def msgcat(data: bytes) -> bytes:
    result = subprocess.run([MSGCAT or "msgcat", "-"], input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def msgfmt_check(data: bytes) -> None:
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", "-"], input=data, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


# ------------------------------------------------------------------ golden files


@pytest.mark.parametrize("name", MSGCAT_IDENTICAL)
def test_round_trip_is_byte_identical(name: str) -> None:
    data = (PO / name).read_bytes()
    assert encode_po(parse_po(data, name)) == data


@pytest.mark.parametrize(
    "name", sorted(p.name for p in PO.glob("*.po*") if p.name not in ("test_syntax_error1.po", "test_ufeff.po"))
)
@needs_msgcat
def test_golden_files_format_as_msgcat_does(name: str) -> None:
    """Every golden file msgcat accepts: our output is msgcat's, bar the two known, documented cases."""
    data = (PO / name).read_bytes()
    catalog = parse_po(data, name)
    result = subprocess.run([MSGCAT or "msgcat", "-"], input=data, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        pytest.skip("msgcat refuses this file or writes nothing for it")
    if name == "test_unusual_metadata_location.po":
        pytest.skip("the header is not the first entry: Catalog always writes it first")
    if name == "test_utf8.po":
        # Two '#,' lines on one message: gettext keeps only the last one, Duet keeps both.
        assert b"#,\nmsgid" in data
        return
    assert encode_po(catalog) == result.stdout


def test_golden_content_is_kept() -> None:
    catalog = read_po(PO / "test_utf8.po")
    assert len(catalog.messages) == 733
    assert sum(m.id_plural is not None for m in catalog.messages) == 19
    assert sum(m.context is not None for m in catalog.messages) == 6
    prev = parse_po((PO / "test_previous_msgid.po").read_bytes(), "p.po")
    assert "\nPartition table entries are not in disk order\n" in [m.previous_id for m in prev.messages]
    assert "" in [m.previous_id for m in prev.messages]
    helpers = read_po(PO / "test_pofile_helpers.po")
    assert (len(helpers.live), len(helpers.obsolete)) == (13, 4)
    iso = read_po(PO / "test_iso-8859-15.po")
    assert any("€" in m.string or "é" in m.string for m in iso.messages)
    bom = read_po(PO / "test_ufeff.po")
    assert bom.header.comments == ("test for pofile/mofile with ufeff",)


def test_message_line_is_the_msgid_line() -> None:
    text = '# c\n#, fuzzy\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "o"\n#~ msgstr "p"\n'
    catalog = parse_po(text, "x.po")
    assert [m.line for m in catalog.messages] == [4, 7]


def test_everything_is_parsed() -> None:
    text = (
        "# translator\n#. note\n#: a.c:1 b.c\n#, fuzzy, c-format, no-duet-number-check\n"
        '#| msgctxt "oc"\n#| msgid "old"\n#| msgid_plural "olds"\n'
        'msgctxt "ctx"\nmsgid "one %d"\nmsgid_plural "many %d"\nmsgstr[0] "一 %d"\nmsgstr[1] "多 %d"\n\n'
        '#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "走"\n'
    )
    live, gone = parse_po(text, "x.po").messages
    assert live == Message(
        id="one %d",
        context="ctx",
        id_plural="many %d",
        plural_strings=("一 %d", "多 %d"),
        flags=("fuzzy", "c-format", "no-duet-number-check"),
        comments=("translator",),
        notes=("note",),
        references=("a.c:1", "b.c"),
        previous_id="old",
        previous_context="oc",
        previous_id_plural="olds",
    )
    assert gone == Message("gone", "走", previous_id="older", obsolete=True)


# ------------------------------------------------------------------ refusals

BROKEN = [
    ('msgid "a\nmsgstr "b"\n', 1, "unterminated"),
    ('msgid "a"\nmsgstr "b\\q"\n', 2, "escape"),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 3, "out of order"),
    ('msgstr "b"\n', 1, "without msgid"),
    ('msgid "a"\nmsgctxt "c"\nmsgstr "b"\n', 2, "msgctxt out of order"),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n', 4, "sequence"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 3, "plural"),
    ('msgid "a"\nmsgstr[0] "b"\n', 2, "without msgid_plural"),
    ('msgid "a"\nmsgstr "b"\nstray words here\n', 3, "unexpected text"),
    ('msgid "a" junk\nmsgstr "b"\n', 1, "unexpected text"),
    ('msgid "a"\n\n# comment\nmsgstr "b"\n', 3, "comment inside"),
    ('"lost"\nmsgid "a"\nmsgstr "b"\n', 1, "continues no keyword"),
    ('msgid "a"\n', 1, "without msgstr"),
    ('msgid "a"\n#~ msgstr "b"\n', 2, "mixed"),
    ("msgid\nmsgstr \"b\"\n", 1, "without a string"),
    ('#| msgstr "x"\nmsgid "a"\nmsgstr "b"\n', 1, "#|"),
    ('msgid "a"\nmsgstr "\x04"\n', 2, "context separator"),
    ('#| msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 1, "without '#| msgid'"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_input_is_refused_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_po(text.encode(), "bad.po")
    assert str(caught.value.loc) == f"bad.po:{line}"
    assert words in caught.value.message


def test_polib_syntax_error_file_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_po(PO / "test_syntax_error1.po", display="t.po")
    assert str(caught.value.loc) == "t.po:5"


def test_invalid_utf8_names_the_line_of_the_bad_byte() -> None:
    data = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xe4\xb8"\n'
    with pytest.raises(InputError) as caught:
        parse_po(data, "u.po")
    assert str(caught.value.loc) == "u.po:5"


def test_other_charsets_are_decoded_and_checked() -> None:
    head = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-15\\n"\n\n'
    catalog = parse_po(head + b'msgid "euro"\nmsgstr "\xa4"\n', "l.po")
    assert catalog.messages[0].string == "€"
    assert encode_po(catalog) == head + b'msgid "euro"\nmsgstr "\xa4"\n'
    with pytest.raises(InputError) as caught:
        parse_po(head.replace(b"ISO-8859-15", b"NO-SUCH-CODEC") + b'msgid "a"\nmsgstr "b"\n', "l.po")
    assert str(caught.value.loc) == "l.po:2"


# ------------------------------------------------------------------ writing


def test_flags_are_normalised_as_msgcat_does_but_unknown_ones_are_kept() -> None:
    message = Message("x %d", "y %d", flags=("no-duet-number-check", "python-format", "fuzzy", "wrap", "c-format", "read-only"))
    empty = Message("e", "", flags=("fuzzy",))
    text = format_po(Catalog(HEADER, (message, empty)))
    assert "#, fuzzy, c-format, python-format, no-duet-number-check, read-only\nmsgid \"x %d\"" in text
    assert '\nmsgid "e"\nmsgstr ""\n' in text and text.count("fuzzy") == 1
    assert parse_po(text, "x.po").messages[0].flags[-2:] == ("no-duet-number-check", "read-only")


def test_obsolete_go_last_and_empty_obsolete_are_dropped() -> None:
    catalog = Catalog(HEADER, (Message("o", "p", obsolete=True), Message("a", "b"), Message("q", "", obsolete=True)))
    assert format_po(catalog).endswith('msgid "a"\nmsgstr "b"\n\n#~ msgid "o"\n#~ msgstr "p"\n')


def test_chinese_is_wrapped_between_ideographs_but_not_before_closing_punctuation() -> None:
    text = "「智慧交通基金」今日（一月二十二日）公布，第二十三批共四個項目已獲管理委員會批准，資助總額約二千四百四十萬元。" * 2
    lines = format_po(Catalog(HEADER, (Message("x", text),))).split("\n")
    body = lines[lines.index('msgid "x"') + 2 : -1]
    assert len(body) > 1 and "".join(line[1:-1] for line in body) == text
    for line in body:
        assert po_wrap.line_break_class(line[1]) not in ("CL", "EX", "NS")
        assert po_wrap.line_break_class(line[-2]) not in ("OP", "OPW")
        assert sum(po_wrap.char_width(c) for c in line) <= 79


def test_write_po_skips_unchanged_files(tmp_path: Path) -> None:
    target = tmp_path / "zh.po"
    catalog = Catalog(HEADER, (Message("a", "甲"),))
    assert write_po(target, catalog) is True
    stamp = target.stat().st_mtime_ns
    assert write_po(target, catalog) is False
    assert target.stat().st_mtime_ns == stamp
    assert write_po(target, Catalog(HEADER, (Message("a", "乙"),))) is True
    assert read_po(target).messages == (Message("a", "乙"),)


def test_obsolete_entries_keep_every_form_comment_and_flag_a_translator_wrote() -> None:
    """msgcat drops an obsolete entry without msgstr (msgstr[0]); Duet only one with nothing a translator wrote."""
    kept = (
        Message("commented", comments=("ask the desk about this",), obsolete=True),
        Message("one", id_plural="many", plural_strings=("", "多"), flags=("fuzzy",), obsolete=True),
        Message("flagged", flags=("no-duet-number-check",), obsolete=True),
    )
    dropped = (Message("nothing", notes=("body, p1 s1",), flags=("fuzzy", "wrap"), obsolete=True),)
    text = format_po(Catalog(HEADER, (Message("a", "b"), *kept, *dropped)))
    assert parse_po(text, "x.po").messages == (Message("a", "b"), *kept)
    assert "#, fuzzy\n#~ msgid \"one\"" in text and "nothing" not in text


def test_an_obsolete_entrys_comments_are_read_as_gettext_reads_them() -> None:
    text = (
        '#~ # checked with the desk  \n#~ #. body, p1 s1\n#~ #, no-duet-number-check\n#~ #| msgid "old"\n'
        '#~ msgid "gone"\n#~ msgstr "走"\n\n#~\n# plain\n#~ #~ msgid "also"\n#~ msgstr "亦"\n'
    )
    first, second = parse_po(text, "x.po").messages
    assert first == Message("gone", "走", comments=("checked with the desk  ",), notes=("body, p1 s1",),
                            flags=("no-duet-number-check",), previous_id="old", obsolete=True)  # fmt: skip
    assert second == Message("also", "亦", comments=("plain",), obsolete=True)
    assert format_po(parse_po(format_po(Catalog(HEADER, (first,))), "x.po")) == format_po(Catalog(HEADER, (first,)))


def test_a_comment_keeps_its_trailing_blanks_and_a_line_break_makes_two_lines() -> None:
    message = Message("a", "b", comments=("two spaces  ", "x\ny"), notes=("p1\np2",))
    text = format_po(Catalog(HEADER, (message,)))
    assert "# two spaces  \n# x\n# y\n#. p1\n#. p2\nmsgid" in text
    assert parse_po(text, "x.po").messages[0].comments == ("two spaces  ", "x", "y")


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (Message("a\x04b", "乙"), "its msgid holds U+0004"),
        (Message("a", "乙\x04"), "its msgstr holds U+0004"),
        (Message("a", context="k\x04"), "its msgctxt holds U+0004"),
        (Message("a", "b", previous_id="old\x04"), "its #| msgid holds U+0004"),
        (Message("a", "b\x00c"), "its msgstr holds U+0000 (NUL)"),
        (Message("a", "b", comments=("note\x00",)), "its comment holds U+0000"),
        (Message("a", "\ud800"), "lone surrogate"),
        (Message("a", "b", references=("sources/a\nb.txt:1",)), "its reference holds a line break"),
        (Message("a", "b", flags=("read-only\nmsgid",)), "its flag holds a line break"),
        (Message("a", "b", notes=("\\",)), "ends with a backslash"),
        (Message("a", "b", comments=("C:\\docs\\\nnext",)), "ends with a backslash"),
        (Message("a", "b", references=("dir\\",)), "ends with a backslash"),
    ],
)
def test_text_no_po_file_can_hold_is_refused_naming_the_file_and_the_message(message: Message, words: str) -> None:
    at_line = Catalog(HEADER, (dataclasses.replace(message, line=12),), path="locales/zh/LC_MESSAGES/r.po")
    for write in (format_po, encode_po):
        with pytest.raises(InputError) as caught:
            write(at_line)
        assert str(caught.value.loc) == "locales/zh/LC_MESSAGES/r.po:12"
        assert words in caught.value.message and "msgid 'a" in caught.value.message
        assert "\n" not in str(caught.value)
    with pytest.raises(InputError) as caught:
        encode_po(Catalog(HEADER, (message,)), path="shown.po")
    assert str(caught.value.loc) == "shown.po"


def test_an_eot_in_a_comment_and_other_controls_are_written_as_gettext_writes_them() -> None:
    controls = "".join(chr(c) for c in (*range(1, 4), *range(5, 32), 0x7F, 0x85, 0x2028))
    message = Message(controls, controls, comments=("EOT \x04 is fine here",))
    text = format_po(Catalog(HEADER, (message,)))
    assert parse_po(text, "x.po").messages == (message,)
    assert '\\a\\b\\t\\n"\n"\\v\\f\\r' in text


def test_nul_is_refused_when_reading_as_gettext_would_cut_the_text() -> None:
    for text, line in (('msgid "a"\nmsgstr "b\\000c"\n', 2), ('# n\x00te\nmsgid "a"\nmsgstr "b"\n', 1)):
        with pytest.raises(InputError) as caught:
            parse_po(text, "x.po")
        assert str(caught.value.loc) == f"x.po:{line}" and "NUL" in caught.value.message


# Anything a str can hold, surrogates and control characters included.
ANY = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(exclude_categories=()), max_size=10),
    st.lists(st.sampled_from(["\x00", "\x04", "\n", "\r", "\t", "\\", '"', "#~ ", "msgid", " ", "中", "\ud83d"]),
             max_size=8).map("".join),
)


@st.composite
def any_messages(draw: st.DrawFn, key: int) -> Message:
    target = draw(ANY)
    plural = draw(st.booleans())
    forms = tuple(draw(st.lists(ANY, min_size=1, max_size=3))) if plural else ()
    previous = draw(st.none() | ANY)
    flags = ["fuzzy"] if (forms and any(forms) or target and not plural) and draw(st.booleans()) else []
    message = Message(
        id=draw(ANY),
        string="" if plural else target,
        context=draw(st.none() | ANY.map(lambda text: f"{key}{text}")),
        id_plural=draw(ANY) if plural else None,
        plural_strings=forms,
        flags=(*flags, *draw(st.lists(st.sampled_from(["no-duet-number-check", "read-only"]), unique=True))),
        comments=tuple(draw(st.lists(ANY, max_size=2))),
        notes=tuple(draw(st.lists(ANY, max_size=2))),
        references=tuple(draw(st.lists(st.sampled_from(["sources/a.txt:3", "sources/b.txt:10"]), unique=True))),
        previous_id=previous,
        previous_context=draw(st.none() | ANY) if previous is not None else None,
    )
    if message.context is None:
        message = dataclasses.replace(message, id=f"{key}{message.id}")
    return dataclasses.replace(message, obsolete=draw(st.booleans()) and message.has_target)


def as_read(message: Message) -> Message:
    """A message as the reader gives it back: comment and note lines split, CRs ending a line dropped."""

    def lines(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(line.rstrip("\r") for text in texts for line in text.split("\n"))

    return dataclasses.replace(message, comments=lines(message.comments), notes=lines(message.notes))


def unwritable(catalog: Catalog) -> bool:
    for m in (catalog.header, *catalog.messages):
        strings = [m.id, m.string, m.context or "", m.id_plural or "", *m.plural_strings,
                   m.previous_id or "", m.previous_context or ""]  # fmt: skip
        texts = [*strings, *m.comments, *m.notes, *m.references, *m.flags]
        if any("\x04" in s for s in strings) or any("\x00" in t or re.search("[\ud800-\udfff]", t) for t in texts):
            return True
        if any(line.endswith("\\") for line in (*as_read(m).comments, *as_read(m).notes)):
            return True  # gettext would join the next line to it
    return False


def may_be_unwritable(catalog: Catalog) -> bool:
    """A reference or flag ending with a backslash is refused when it ends its written line."""
    return any(w.endswith("\\") for m in (catalog.header, *catalog.messages) for w in (*m.references, *m.flags))


@needs_msgcat
@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*(any_messages(i) for i in range(n)))),
       st.sampled_from(["UTF-8", "ISO-8859-1", "CP1252", "BIG5-HKSCS", "GB18030"]))  # fmt: skip
def test_any_text_round_trips_or_is_refused_never_written_unreadable(messages: tuple[Message, ...], charset: str) -> None:
    header = Message("", HEADER.string.replace("charset=UTF-8", f"charset={charset}"))
    catalog = Catalog(header, messages)
    try:
        data = encode_po(catalog, path="any.po")
    except InputError as exc:
        assert unwritable(catalog) or may_be_unwritable(catalog), str(exc)
        assert str(exc.loc) == "any.po"
        return
    assert not unwritable(catalog)
    again = parse_po(data, "any.po")
    assert again.messages == tuple(map(as_read, sorted(messages, key=lambda m: m.obsolete)))
    assert again.header.string in (header.string, header.string.replace(f"charset={charset}", "charset=UTF-8"))
    assert encode_po(again) == data
    msgcat(data)  # gettext reads it too


# ------------------------------------------------------------------ against msgcat


def naive_po(catalog: Catalog) -> bytes:
    """The catalog written plainly (no wrapping, flags as given, entries in order) for msgcat to normalise."""

    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'

    out: list[str] = []
    for m in (catalog.header, *catalog.messages):
        p = "#~ " if m.obsolete else ""
        out += [f"# {c}" if c else "#" for c in m.comments] + [f"#. {n}" for n in m.notes]
        out += [f"#: {r}" for r in m.references]
        if m.flags:
            out.append("#, " + ", ".join(m.flags))
        for name, value in (("msgctxt", m.previous_context), ("msgid", m.previous_id), ("msgid_plural", m.previous_id_plural)):
            if value is not None:
                out.append(f"{'#~| ' if m.obsolete else '#| '}{name} {q(value)}")
        if m.context is not None:
            out.append(f"{p}msgctxt {q(m.context)}")
        out.append(f"{p}msgid {q(m.id)}")
        if m.id_plural is None:
            out.append(f"{p}msgstr {q(m.string)}")
        else:
            out.append(f"{p}msgid_plural {q(m.id_plural)}")
            out += [f"{p}msgstr[{i}] {q(s)}" for i, s in enumerate(m.plural_strings)]
        out.append("")
    return "\n".join(out).encode()


NOT_IN_PO = {0: " ", 4: " ", 13: " "}  # NUL ends a C string, EOT separates msgctxt, CR gettext refuses
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CJK_PUNCT = st.sampled_from(list("「」（），。、：；？！《》“”…—·〈〉【】"))
WORDS = st.sampled_from(
    "the Government today announced that Smart Traffic Fund approves four projects HK$24.4 million "
    "Transport Department (TD) January 22, 2026 e.g. don't re-open self-service U.S.A. 3.5% "
    "“quoted” 'single' <b>bold</b> http://www.info.gov.hk/gia/general/202601/22.htm".split()
)
ASCII_BITS = st.sampled_from(["\t", '"', "\\", "0", "12", "3.5", "-", "/", "%", " ", "  ", ".", ",", "(", ")"])


@st.composite
def texts(draw: st.DrawFn, min_size: int = 1) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                WORDS.map(lambda w: w + " "),
                st.lists(HAN, min_size=1, max_size=40).map("".join),
                CJK_PUNCT,
                ASCII_BITS,
                st.just("\n"),
            ),
            min_size=min_size,
            max_size=draw(st.sampled_from([3, 12, 60])),
        )
    )
    text = "".join(pieces).strip("\n").replace("%", "%%")
    return text or "x"


@st.composite
def messages(draw: st.DrawFn, key: int) -> Message:
    newline = draw(st.sampled_from(["", "", "\n"]))
    source = draw(texts())
    plural = draw(st.booleans()) and draw(st.integers(0, 3)) == 0
    obsolete = draw(st.integers(0, 5)) == 0
    translated = obsolete or draw(st.integers(0, 4)) > 0
    flags = draw(
        st.lists(
            st.sampled_from(["fuzzy", "c-format", "no-wrap", "python-format", "no-c-format", "wrap"]),
            max_size=4,
        )
    )
    target = draw(texts()) if translated else ""
    if "c-format" in flags or "python-format" in flags:
        flags = [f for f in flags if f not in ("c-format", "python-format", "no-c-format")] + ["c-format"]
        source = source.replace("%%", "").strip("\n") + " %d"
        target = target.replace("%%", "").strip("\n") + " %d" if target else ""
    # msgfmt wants msgid and msgstr to agree on a leading and a trailing newline
    source = (source.strip("\n") or "x") + newline
    target = (target.strip("\n") or "y") + newline if target else ""
    references = tuple(
        f"sources/{draw(st.sampled_from(['hkgov', 'hkma/annual-report-2015', 'x']))}/{draw(st.integers(1, 9999))}.txt:{draw(st.integers(1, 999))}"
        for _ in range(draw(st.sampled_from([0, 1, 3, 12])))
    )
    previous = draw(st.one_of(st.none(), texts())) if not plural else None
    return Message(
        id=source,
        string="" if plural else target,
        context=f"k{key}" if draw(st.booleans()) else None,
        id_plural=source.rstrip("\n") + " (plural)" + newline if plural else None,
        plural_strings=(target, target) if plural else (),
        flags=tuple(flags),
        comments=tuple(draw(st.lists(st.sampled_from(["translator note", "", "審稿：已核對"]), max_size=2))),
        notes=tuple(draw(st.lists(st.sampled_from(["paragraph 3", "duet:number-check"]), max_size=2))),
        references=references,
        previous_id=previous,
        previous_context=draw(st.sampled_from([None, "old-ctx"])) if previous is not None else None,
        obsolete=obsolete,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    count = draw(st.integers(1, 6))
    found = [draw(messages(i)) for i in range(count)]
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for m in found:
        if m.key not in seen:
            seen.add(m.key)
            unique.append(m)
    unique.append(Message(f"live {len(unique)}", "活"))
    return Catalog(HEADER, tuple(unique))


@needs_msgcat
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_format_po_equals_msgcat(catalog: Catalog) -> None:
    ours = format_po(catalog).encode()
    assert ours == msgcat(naive_po(catalog))
    msgfmt_check(ours)
    again = parse_po(ours, "again.po")
    assert format_po(again).encode() == ours


@needs_msgcat
@settings(max_examples=300)
@given(st.lists(st.one_of(texts(), st.text(min_size=1, max_size=120)), min_size=1, max_size=10), st.integers(0, 60))
def test_any_text_wraps_as_msgcat_does(values: list[str], prefix: int) -> None:
    """Arbitrary Unicode, any keyword length: the wrapping alone against msgcat, in one call."""
    catalog = Catalog(
        HEADER,
        tuple(
            Message(f"{i}", value.translate(NOT_IN_PO), context="c" * prefix)
            for i, value in enumerate(values)
        ),
    )
    assert format_po(catalog).encode() == msgcat(naive_po(catalog))


# ------------------------------------------------------------------ real press releases


def _real_pairs() -> list[tuple[str, str, str]]:
    pairs: list[tuple[str, str, str]] = []
    hkgov = SHARED_DATA / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl"
    for line in hkgov.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        pairs.append((f"hkgov:{record['pair_id']}:title", record["title_en"], record["title_zh"]))
        pairs.append((f"hkgov:{record['pair_id']}", record["en"], record["zh"]))
        for n, (en, zh) in enumerate(zip(record["en"].split("\n\n"), record["zh"].split("\n\n"))):
            pairs.append((f"hkgov:{record['pair_id']}:{n}", en.strip(), zh.strip()))
    hkma = SHARED_DATA / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl"
    for line in hkma.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        pairs.append((f"hkma:{record['year']}:{record['doc']}:{record['para']}", record["en"], record["zh"]))
    return [(k, en, zh) for k, en, zh in pairs if en]


@needs_msgcat
@pytest.mark.skipif(not (SHARED_DATA / "hkma-annual-reports-wmt25").is_dir(), reason="shared data not present")
def test_real_press_releases_format_as_msgcat_does() -> None:
    rng = random.Random(22)
    messages = tuple(
        Message(
            en,
            zh,
            context=key,
            references=tuple(f"sources/{key.split(':')[0]}/{rng.randint(1, 99)}.txt:{rng.randint(1, 400)}" for _ in range(rng.randint(0, 9))),
            flags=("fuzzy",) if rng.random() < 0.2 else (),
            previous_id=zh[:40] if rng.random() < 0.1 else None,
        )
        for key, en, zh in _real_pairs()
    )
    catalog = Catalog(HEADER, messages)
    ours = format_po(catalog).encode()
    theirs = msgcat(naive_po(catalog))
    if ours != theirs:
        mine, gold = ours.decode().split("\n\n"), theirs.decode().split("\n\n")
        first = next(i for i, (a, b) in enumerate(zip(mine, gold)) if a != b)
        pytest.fail(f"entry {first} differs:\nours:\n{mine[first]}\nmsgcat:\n{gold[first]}")
    assert len(messages) > 4000


# ------------------------------------------------------------------ the tables against libunistring 1.0


def _libunistring_1_0() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL("libunistring.so.2")
        if ctypes.c_int.in_dll(lib, "_libunistring_version").value != 0x10000:
            return None
    except (OSError, ValueError):
        return None
    return lib


@pytest.mark.skipif(_libunistring_1_0() is None, reason="libunistring 1.0 (gettext 0.21's) not installed")
def test_line_breaks_and_widths_equal_libunistring() -> None:
    lib = _libunistring_1_0()
    assert lib is not None
    lib.u8_possible_linebreaks.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
    lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    rng = random.Random(14)
    pool = [chr(c) for c in range(0x20, 0x3100) if not 0xD800 <= c < 0xE000] + [chr(c) for c in range(0xFE10, 0xFF70)]
    pool += [chr(rng.randrange(0x3100, 0x110000)) for _ in range(3000)]
    pool = [c for c in pool if not 0xD800 <= ord(c) < 0xE000]
    for char in pool:
        assert po_wrap.char_width(char) == lib.uc_width(ord(char), b"UTF-8"), hex(ord(char))
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        data = text.encode()
        buf = ctypes.create_string_buffer(len(data))
        lib.u8_possible_linebreaks(data, len(data), b"UTF-8", buf)
        starts = [len(text[:i].encode()) for i in range(len(text))]
        assert [buf.raw[s] for s in starts] == po_wrap.possible_linebreaks(text), ascii(text)


@needs_msgcat
def test_format_directives_are_kept_whole_as_msgcat_does() -> None:
    """gettext never cuts inside ``% d`` or ``%(my name)s``, until its parser meets a bad directive."""
    rng = random.Random(1)
    pieces = ["word", "longerword", "% d", "%5.2f", "%-10s", "%1$s", "%%", "%(my name)s", "%(x)d", "{0}", "{name}"]
    pieces += ["% 5d", "%'d", "中文", "，", "%s%s"]
    messages = []
    for i in range(200):
        words = [rng.choice(pieces) for _ in range(rng.randint(5, 40))]
        text = " ".join(words) if rng.random() < 0.5 else "".join(words)
        flag = rng.choice(["c-format", "python-format", "python-brace-format", "no-c-format", "objc-format"])
        messages.append(Message(f"{i} {text}", text, flags=(flag,)))
    catalog = Catalog(HEADER, tuple(messages))
    assert format_po(catalog).encode() == msgcat(naive_po(catalog))


@needs_msgcat
def test_reference_lines_are_filled_by_bytes_as_msgcat_does() -> None:
    refs = tuple(f"來源/新聞稿{i}.txt:{i * 7}" for i in range(30)) + ("./a.c:1", "a.c:1", "b.c:007", "b.c:7", "c.c:x")
    catalog = Catalog(HEADER, (Message("a", "b", references=refs),))
    ours = format_po(catalog)
    assert ours.encode() == msgcat(naive_po(catalog))
    assert " a.c:1 a.c:1 b.c:7\n#: c.c:x\n" in ours  # b.c:007 and b.c:7 are one reference


# ------------------------------------------------------------------ fast paths against the general path

ANY_TEXT = st.one_of(
    texts(),
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=300),
    st.text(alphabet=st.sampled_from(list("ab 中文「」，。-/%1\\\"\n\t\u200b\u0301\u2028")), max_size=120),
)


@settings(max_examples=600)
@given(
    ANY_TEXT,
    st.sampled_from(["msgid", "msgstr", "msgctxt", "msgstr[1]", "x" * 80]),
    st.sampled_from(["", "#| ", "#~ ", "#~| "]),
    st.booleans(),
    st.sampled_from([79, 79, 30, 5]),
    st.sampled_from([None, "c", "python", "python-brace"]),
)
def test_fast_wrap_equals_the_character_by_character_wrap(
    value: str, name: str, prefix: str, wrap_lines: bool, page_width: int, language: str | None
) -> None:
    """``wrap`` (escape by translate, skip what fits, breaks by regex, cache) = ``wrap_reference``."""
    spans = po_wrap.directive_spans(language, value) if language else []
    expected = po_wrap.wrap_reference(
        name, value, prefix=prefix, page_width=page_width, wrap_lines=wrap_lines, directives=spans
    )
    for _ in range(2):  # computed, then from the cache
        assert po_wrap.wrap(
            name, value, prefix=prefix, page_width=page_width, wrap_lines=wrap_lines, directives=spans
        ) == expected


@settings(max_examples=400)
@given(ANY_TEXT, st.integers(0, 90), st.integers(1, 100))
def test_break_opportunities_by_regex_equal_possible_linebreaks(text: str, start_column: int, width: int) -> None:
    portion = po_wrap._Portion(text, 0, len(text), ())
    breaks, columns = portion._opportunities()
    escaped = portion.text
    if columns is not None:  # no class the pair table alone does not decide
        expected = po_wrap.possible_linebreaks(escaped)
        assert breaks == [i for i, b in enumerate(expected) if b == po_wrap.POSSIBLE and i not in portion.blocked]
        widths = [max(po_wrap.char_width(c), 0) for c in escaped]
        assert columns == [sum(widths[:i]) for i in breaks]
        assert portion.width == sum(widths)
    overrides = [po_wrap.PROHIBITED if i in portion.blocked else po_wrap.UNDEFINED for i in range(len(escaped))]
    general = po_wrap.width_linebreaks(escaped, width, start_column, overrides)
    assert portion.cuts(start_column, width) == [i for i, b in enumerate(general) if b == po_wrap.POSSIBLE]


def _strings_by_character(rest: str) -> str:
    """``_Parser.strings`` as it was, one character at a time through ``_Parser.string``."""
    parser = _Parser("x.po")
    parts: list[str] = []
    i = count = 0
    while True:
        while i < len(rest) and rest[i] in " \t\f\v\r":
            i += 1
        if i == len(rest):
            break
        if rest[i] != '"':
            raise parser.fail(f"unexpected text after string: {rest[i:i + 30]!r}")
        i = parser.string(rest, i + 1, parts)
        count += 1
    if not count:
        raise parser.fail("keyword without a string")
    value = "".join(parts)
    if "\x04" in value:
        raise parser.fail("context separator <EOT> within string")
    if "\x00" in value:
        raise parser.fail("NUL character: gettext would cut the text there")
    return value


@settings(max_examples=600)
@given(
    st.tuples(
        st.sampled_from(['"', ' "', "\t\"", ""]),
        st.lists(
            st.one_of(
                st.sampled_from(['"', '" "', "\\", "\\n", '\\"', "\\\\", "\\t", "\\q", "\\x", "\\x4f", "\\101", "\\7777"]),
                st.sampled_from([" ", "\t", "\r", "\x04", "\x00", "\\000", "abc", "中文"]),
                st.text(max_size=8),
            ),
            max_size=12,
        ).map("".join),
        st.sampled_from(['"', '" ', "", '"\r']),
    ).map("".join)
)
def test_strings_by_regex_equal_strings_by_character(rest: str) -> None:
    def outcome(read: cabc.Callable[[str], str]) -> tuple[str, str]:
        try:
            return ("value", read(rest))
        except InputError as exc:
            return ("error", str(exc))

    assert outcome(lambda r: _Parser("x.po").strings(r, required=True)) == outcome(_strings_by_character)
