"""The fast reading of usual PO files gives what the strict lexer gives, and leaves it the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import DATA, REPO
from test_po import catalogs, naive_po

from pipeline.errors import InputError
from pipeline.formats.po import _entries, _Parser, format_po
from pipeline.formats.po_scan import scan_po
from pipeline.model import Catalog

GOLDEN_PO = sorted((DATA / "po").rglob("*.po"))


def outcome(read: object) -> object:
    """Messages with their lines, or the error message: what a reader gives for one text."""
    try:
        messages = read()  # type: ignore[operator]
    except InputError as exc:
        return str(exc)
    return [(m, m.line) for m in messages]


def same_as_lexer(text: str) -> None:
    assert outcome(lambda: _entries(text, "x.po")) == outcome(lambda: _Parser("x.po").parse(text))


@pytest.mark.parametrize("path", GOLDEN_PO, ids=lambda p: p.name)
def test_golden_files_read_as_the_lexer_reads_them(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    same_as_lexer(text)


def test_usual_files_are_read_whole_by_the_scan() -> None:
    sample = REPO / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "hk-gd-financial-cooperation.po"
    text = sample.read_text(encoding="utf-8")
    messages, end = scan_po(text)  # type: ignore[misc]
    assert end == len(text)
    assert len(messages) == text.count("\nmsgid ") + text.startswith("msgid ")


def test_the_scan_stops_at_obsolete_entries_and_the_lexer_reads_them() -> None:
    text = 'msgid "a"\nmsgstr "b"\n\n#~ msgid "old"\n#~ msgstr "alt"\n'
    messages, end = scan_po(text)  # type: ignore[misc]
    assert [m.id for m in messages] == ["a"] and text[end:].startswith("#~")
    old = _entries(text, "x.po")[1]
    assert (old.id, old.string, old.obsolete, old.line) == ("old", "alt", True, 4)


@pytest.mark.parametrize(
    "text",
    [
        'msgid "a"\nmsgstr "b"\n\n"c"\n',  # a continuation after a blank line still continues msgstr
        'msgid "a"\nmsgstr "\\q"\n',  # a bad escape
        'msgid "a"\nmsgstr "\\004"\n',  # an escaped context separator
        'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\nmsgstr[0] "c"\n',  # forms out of order
        'msgid "a"\nmsgstr "b"\n#~ "c"\n',  # an obsolete continuation of a live entry
        'msgid "a"\nmsgstr "b"\n\n#~ msgstr "c"\n',  # an obsolete msgstr without msgid
        '#| msgctxt "c"\nmsgid "a"\nmsgstr "b"\n',  # '#| msgctxt' without '#| msgid'
        'msgid "a" \nmsgstr "b"\n',  # trailing blank
        '# note\nmsgid "a"\nmsgstr "b"\n# trailing comment\n',
        'msgid "a"\nmsgstr "b"',  # no newline at the end
        'msgid "a"\r\nmsgstr "b"\r\n',  # CRLF
        '\n\n\nmsgid "a"\nmsgstr "b"\n\n\n',  # blank lines around: the msgid line still counts them
        'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',  # live and obsolete with the same key
        '#, fuzzy\n#| msgid "old"\n#| "er"\nmsgid "a"\nmsgstr "b"\n',  # previous msgid on two lines
        'msgid "a"\nmsgstr "b"\n\n#~ # note\n#~ msgid "o"\n#~ msgstr "p"\n',  # an obsolete entry's comment
        '# note  \nmsgid "a"\nmsgstr "b"\n',  # a comment's trailing blanks
        'msgid "a"\nmsgstr "b\\000"\n',  # an escaped NUL
        'msgid "a"\nmsgstr "b"\n\nmsgid "c\x00"\nmsgstr "d"\n',  # a raw NUL after a usual entry
    ],
)
def test_unusual_shapes_read_or_fail_as_the_lexer_says(text: str) -> None:
    same_as_lexer(text)


LINE_EDITS = st.sampled_from(["delete", "duplicate", "blank", "obsolete", "trailing-space", "continue", "swap", "indent"])


def edited(text: str, edits: list[tuple[int, str]]) -> str:
    lines = text.split("\n")
    for where, edit in edits:
        i = where % len(lines)
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "blank":
            lines.insert(i, "")
        elif edit == "obsolete":
            lines[i] = "#~ " + lines[i]
        elif edit == "trailing-space":
            lines[i] += " "
        elif edit == "continue":
            lines.insert(i, '"more"')
        elif edit == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif edit == "indent":
            lines[i] = "\t" + lines[i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(), st.booleans(), st.lists(st.tuples(st.integers(0, 10_000), LINE_EDITS), max_size=3))
def test_any_text_reads_as_the_lexer_reads_it(catalog: Catalog, wrapped: bool, edits: list[tuple[int, str]]) -> None:
    text = format_po(catalog) if wrapped else naive_po(catalog).decode()
    same_as_lexer(edited(text, edits))
