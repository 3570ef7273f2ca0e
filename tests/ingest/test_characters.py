"""Control characters and empty releases are refused at ingest, with the file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import parse_text, read_source
from pipeline.ingest.characters import FORBIDDEN
from pipeline.ingest.html import read_html
from pipeline.model import Release


def parse(text: str) -> Release:
    return parse_text(text, path="sources/x.txt", release_id="x")


@pytest.mark.parametrize(("char", "named"), [
    ("\x00", "control character U+0000 (NUL)"),
    ("\x04", "control character U+0004 (EOT)"),
    ("\x1b", "control character U+001B (ESC)"),
    ("\x0c", "control character U+000C (FF)"),
    ("\x7f", "control character U+007F (DEL)"),
    ("\x85", "C1 control character U+0085"),
    ("\x9b", "C1 control character U+009B"),
    ("\uffff", "non-character U+FFFF"),
])
def test_text_with_a_control_character_names_line_and_column(char: str, named: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(f"Title: A\n---\n\nFirst line.\r\nThe {char}second.\n")
    assert str(caught.value) == f"sources/x.txt:5:5: {named} in the text: remove it"


def test_tab_line_breaks_and_unicode_spaces_are_text() -> None:
    release = parse("One\ttwo.\r\nThree\u2028four.\n\nFive\u00a0six\u3000seven 😀.")
    assert [p.text for p in release.paragraphs] == ["One\ttwo.\nThree\nfour.", "Five\u00a0six\u3000seven 😀."]


PIECE = st.sampled_from(["a", " ", "\t", ".", "Title: ", "---", "\x00", "\x04", "\x1b", "\x9b", "\x0b", "\x85", "\u2028", "\r"])
LINE = st.lists(PIECE, max_size=6).map("".join)


@given(st.lists(LINE, max_size=8).map("\n".join))
def test_a_refusal_points_at_the_character_and_nothing_else_leaves_ingest(text: str) -> None:
    try:
        release = parse(text)
    except InputError as exc:
        assert exc.loc is not None and exc.loc.line is not None and exc.loc.column is not None
        # Lines as str.splitlines counts them, less the breaks that are refused characters.
        lines = re.split("\r\n|[\n\r\u2028\u2029]", text)
        line = lines[exc.loc.line - 1]
        assert FORBIDDEN.fullmatch(line[exc.loc.column - 1])
        assert not FORBIDDEN.search("".join(lines[: exc.loc.line - 1]) + line[: exc.loc.column - 1])
        return
    meta = release.meta
    for value in (*(p.text for p in release.paragraphs), meta.title, *(v for _, v in meta.extra)):
        assert not FORBIDDEN.search(value)


def page(body: str) -> str:
    return f"<html>\n<head><title>Title</title></head>\n<body>\n<h1>Title</h1>\n{body}\n</body>\n</html>\n"


@pytest.mark.parametrize("written", ["&#4;", "&#x04;", "&#X1b;", "&#0004;", "\x04", "\x1b"])
def test_html_control_character_names_its_line(written: str) -> None:
    with pytest.raises(InputError, match=r"^sources/p\.html:7: control character U\+00(04|1B)"):
        read_html(page(f"<p>One.</p>\n<p>Two\nthree {written} four.</p>"), path="sources/p.html", release_id="p")


def test_html_reference_to_another_character_does_not_mislead_the_line() -> None:
    with pytest.raises(InputError, match=r"^sources/p\.html:7: "):
        read_html(page("<p>One &#40; and &#x41;\n\nstill\x04 one.</p>"), path="sources/p.html", release_id="p")


def test_html_references_the_parser_maps_are_kept() -> None:
    """HTML maps C1 references to windows-1252 (&#150; is an en dash) and &#0; to U+FFFD: nothing to refuse."""
    release = read_html(page("<p>A &#150; B &#0; C &#133;</p>"), path="p.html", release_id="p")
    assert release.paragraphs[-1].text == "A – B \ufffd C …"


def test_html_control_characters_outside_the_text_are_ignored() -> None:
    release = read_html(page("<script>var a = '\x04';</script><!-- \x1b --><p>Clean.</p>"), path="p.html", release_id="p")
    assert [p.text for p in release.paragraphs] == ["Title", "Clean."]


def test_html_control_character_in_metadata_names_the_field() -> None:
    with pytest.raises(InputError, match=r"^sources/p\.html: control character U\+0004 \(EOT\) in the page's URL"):
        read_html('<html><head><link rel="canonical" href="https://x.hk/a&#4;b"></head><body><p>Text.</p></body></html>',
                  path="sources/p.html", release_id="p")


def test_html_unknown_language_tag_falls_back_to_the_text() -> None:
    release = read_html('<html lang="qq-bogus"><body><p>Plain English words here.</p></body></html>', path="p", release_id="p")
    assert release.meta.language == "en"
    assert read_html('<html lang="fr-CA"><body><p>Du texte.</p></body></html>', path="p", release_id="p").meta.language == "fr-CA"


@pytest.mark.parametrize(("content", "message"), [
    ("", "sources/x.txt: the file is empty"),
    ("\n  \n\t\n", "sources/x.txt: the file is empty"),
    ("Title: A\nDate: 2026-01-22\n---\n", "sources/x.txt:3: no text after the header"),
    ("Title: A\n---\n\n \n", "sources/x.txt:4: no text after the header"),
])
def test_source_without_a_paragraph_is_refused(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "x.txt"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source(source, display="sources/x.txt")
    assert str(caught.value).startswith(message)


def test_text_with_a_control_character_is_refused_by_read_source(tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_bytes(b"Title: A\n---\n\nThe \x04 end.\n")
    with pytest.raises(InputError, match=r"^sources/x\.txt:4:5: control character U\+0004"):
        read_source(source, display="sources/x.txt")
