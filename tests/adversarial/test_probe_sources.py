"""Probes: what a source file or an SRX file may hold, and how big it may be.

Control characters are refused by ingest with the file, line and column (they
would give a PO file the next run refuses); empty releases are refused;
huge paragraphs, pages of many line breaks and a user's SRX rule that
backtracks without end all finish in bounded time.
"""

from __future__ import annotations

from pathlib import Path

from probe import SAMPLE_RELEASE, assert_clean_error, assert_no_traceback, duet, make_workspace

PO = Path("locales/zh_Hant_HK/LC_MESSAGES/meeting.po")
LAST_LINE = "Mr Chan said the meeting was useful."  # line 9 of the sample release


def _release_with(char: str) -> str:
    return SAMPLE_RELEASE.replace("was useful", f"was {char}useful")


def _refused(tmp_path: Path, release: str | bytes, *names: str) -> None:
    """``duet extract`` on a workspace whose only release is ``release`` refuses it, naming ``names``; no PO is written."""
    root = make_workspace(tmp_path / "ws", release=None)
    source = root / "sources" / "meeting.txt"
    source.write_bytes(release.encode("utf-8") if isinstance(release, str) else release)
    done = duet("extract", "-w", root)
    assert_clean_error(done, *names)
    assert not (root / PO).exists(), "a PO file was written from a refused source"


def _page(tmp_path: Path, page: str, name: str = "page.html") -> Path:
    root = make_workspace(tmp_path / "ws", release=None)
    (root / "sources" / name).write_text(page, encoding="utf-8")
    return root


def _bounded(seconds: float, *args: str | Path) -> None:
    """Run ``duet ARGS``: no traceback, exit 0 or 1, within ``seconds``."""
    done = duet(*args, timeout=seconds)
    assert_no_traceback(done)
    assert done.returncode in (0, 1), str(done)


def test_nul_in_a_source_sentence(tmp_path: Path) -> None:
    """A NUL in line 9 of ``sources/meeting.txt``; ``duet extract``: exit 2 naming ``sources/meeting.txt:9``, no PO file."""
    _refused(tmp_path, _release_with("\x00"), "sources/meeting.txt:9", "U+0000")


def test_esc_in_a_source_sentence(tmp_path: Path) -> None:
    """A terminal colour code (ESC [31m) pasted into line 9; ``duet extract``: exit 2 naming the file and line 9."""
    _refused(tmp_path, _release_with("\x1b[31m"), "sources/meeting.txt:9", "U+001B")


def test_eot_in_a_source_sentence(tmp_path: Path) -> None:
    """U+0004 (gettext's context separator) in line 9; ``duet extract``: exit 2 naming the file and line, no PO file."""
    _refused(tmp_path, _release_with("\x04"), "sources/meeting.txt:9", "U+0004")


def test_c1_control_in_a_source_sentence(tmp_path: Path) -> None:
    """U+009B (C1 CSI, from a broken conversion) in line 9; ``duet extract``: exit 2 naming the file and line 9."""
    _refused(tmp_path, _release_with("\x9b"), "sources/meeting.txt:9", "U+009B")


def test_control_character_in_a_header_value(tmp_path: Path) -> None:
    """U+0007 (BEL) in the ``Title:`` header on line 1; ``duet extract``: exit 2 naming ``sources/meeting.txt:1``."""
    _refused(tmp_path, SAMPLE_RELEASE.replace("Expert group meets\n", "Expert\x07 group meets\n", 1),
             "sources/meeting.txt:1")


def test_empty_source_file(tmp_path: Path) -> None:
    """An empty ``sources/meeting.txt``; ``duet extract``: exit 2 naming the file, no empty catalog written."""
    _refused(tmp_path, b"", "sources/meeting.txt", "empty")


def test_header_only_source_file(tmp_path: Path) -> None:
    """A release of a header and ``---`` and nothing after; ``duet extract``: exit 2 naming the file and line 3."""
    _refused(tmp_path, "Title: Expert group meets\nDate: 2026-01-22\n---\n", "sources/meeting.txt:3")


def test_control_character_reference_in_an_html_source(tmp_path: Path) -> None:
    """``&#4;`` in the paragraph on line 5 of ``sources/page.html``; ``duet extract``: exit 2 naming ``sources/page.html:5``."""
    root = _page(tmp_path, "<html>\n<body>\n<h1>Expert group meets</h1>\n<p>The group met.\n"
                           "Mr Chan said it was &#4;useful.</p>\n</body>\n</html>\n")
    done = duet("extract", "-w", root)
    assert_clean_error(done, "sources/page.html:5", "U+0004")
    assert not (root / "locales/zh_Hant_HK/LC_MESSAGES/page.po").exists()


def test_raw_control_character_in_an_html_source(tmp_path: Path) -> None:
    """A raw ESC in the paragraph on line 4 of ``sources/page.html``; ``duet extract``: exit 2 naming line 4."""
    root = _page(tmp_path, "<html><body>\n<h1>Expert group meets</h1>\n<p>The group met.</p>\n"
                           "<p>Mr Chan said it was \x1b[1museful.</p>\n</body></html>\n")
    assert_clean_error(duet("extract", "-w", root), "sources/page.html:4", "U+001B")


def test_srx_rule_with_catastrophic_backtracking(tmp_path: Path) -> None:
    """A user's rule whose afterbreak ``\\s(?=(a|a)*b)`` backtracks exponentially on ``aaa…``;
    ``duet segment --rules slow.srx``: exit 2 within 20 s, naming ``slow.srx`` and the rule's line (5)."""
    rules = tmp_path / "slow.srx"
    rules.write_text(
        '<?xml version="1.0"?>\n<srx xmlns="http://www.lisa.org/srx20" version="2.0">\n'
        '<header segmentsubflows="yes" cascade="no"/>\n<body><languagerules><languagerule languagerulename="R">\n'
        '<rule break="no"><beforebreak>\\.</beforebreak><afterbreak>\\s(?=(a|a)*b)</afterbreak></rule>\n'
        '<rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n'
        '</languagerule></languagerules>\n'
        '<maprules><languagemap languagepattern=".*" languagerulename="R"/></maprules></body>\n</srx>\n',
        encoding="utf-8")
    text = tmp_path / "text.txt"
    text.write_text("One. " + "a" * 40 + " two.\n", encoding="utf-8")
    done = duet("segment", "--rules", rules, text, timeout=20)
    assert_clean_error(done, "slow.srx:5", "too slow")


def test_two_megabyte_paragraph_through_segment(tmp_path: Path) -> None:
    """One paragraph of 2 MB (56,000 sentences, no blank line); ``duet segment``: done within 10 s (about 2 s here)."""
    text = tmp_path / "big.txt"
    text.write_text("".join(f"Item {i % 1000} of the list is ready. " for i in range(56_000)), encoding="utf-8")
    _bounded(10, "segment", text)


def test_one_megabyte_paragraph_through_extract(tmp_path: Path) -> None:
    """A release whose body is one 1 MB paragraph (56,000 sentences); ``duet extract``: done within 6 s (1.5 s of
    processor time here; 14 s when each sentence's line was counted from the paragraph's start)."""
    body = "".join(f"Item {i % 1000} is ready. " for i in range(60_000))[:1_000_000]
    root = make_workspace(tmp_path / "ws", release=f"Title: A long list\n---\n\n{body}\n")
    _bounded(9, "extract", "-w", root)
    assert (root / PO).exists()


def test_html_page_of_many_line_breaks(tmp_path: Path) -> None:
    """A page whose one ``<p>`` holds a 300 KB line then 30,000 ``<br>``-separated lines; ``duet extract``:
    done within 5 s (1.4 s of processor time here; 10 s before)."""
    lines = "<br>".join(f"Line {i % 1000} is here." for i in range(30_000))
    root = _page(tmp_path, f"<html><body><h1>Lines</h1><p>{'word ' * 60_000}<br>{lines}</p></body></html>")
    _bounded(7, "extract", "-w", root)


def test_gia_page_with_many_lines_opening_with_wan(tmp_path: Path) -> None:
    """A GIA-layout page (``#pressrelease``) of 20,000 ``<br>`` lines each opening with 完成, as a trailer opens
    with 完; ``duet extract``: done within 5 s (1.5 s of processor time here; 14 s while the trailer search was
    quadratic)."""
    lines = "<br>".join(f"完成第{i}項工程。" for i in range(20_000))
    root = _page(tmp_path, '<html lang="zh-HK"><body><span id="PRHeadlineSpan">工程完成</span>'
                           f'<div id="pressrelease">{lines}</div></body></html>')
    (root / "duet.toml").write_text('source_locale = "zh_Hant_HK"\ntarget_locales = ["en"]\n', encoding="utf-8")
    _bounded(9, "extract", "-w", root)


def test_gia_headline_padded_with_no_break_spaces(tmp_path: Path) -> None:
    """A GIA-layout headline holding 30,000 ``&nbsp;``; ``duet extract``: done within 5 s (0.4 s of processor
    time here; 21 s while the search for a "(with photos)" marker was quadratic in the run of spaces)."""
    root = _page(tmp_path, '<html><body><span id="PRHeadlineSpan">Expert group meets'
                           f'{"&nbsp;" * 30_000}today</span>'
                           '<div id="pressrelease">The group met today.</div></body></html>')
    _bounded(9, "extract", "-w", root)


def test_text_release_with_a_long_run_of_spaces(tmp_path: Path) -> None:
    """A header value and a first line each holding 200,000 spaces; ``duet extract``: done within 5 s
    (0.4 s of processor time here; over 2 minutes while header and title patterns backtracked over every space)."""
    spaces = " " * 200_000
    root = make_workspace(tmp_path / "ws", release=f"Department: Home{spaces}Affairs\n---\n\nTitle{spaces}x\n\n{LAST_LINE}\n")
    _bounded(9, "extract", "-w", root)
