from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from pipeline.errors import InputError
from pipeline.ingest import format_text, parse_text, read_source
from pipeline.ingest import text as text_module

from paths import REPO

SAMPLE = REPO / "sources" / "hk-gd-financial-cooperation.txt"


def parse(text: str, **kwargs: str) -> object:
    return parse_text(text, path="sources/x.txt", release_id="x", **kwargs)


def test_sample_release_paragraphs_kinds_and_lines() -> None:
    release = read_source(SAMPLE, display="sources/hk-gd-financial-cooperation.txt")
    assert release.id == "hk-gd-financial-cooperation"
    assert len(release.paragraphs) == 12
    assert [p.kind for p in release.paragraphs] == ["caption"] + ["body"] * 11
    assert [p.line for p in release.paragraphs] == list(range(1, 24, 2))
    assert release.paragraphs[0].text.startswith("On tour: Under Secretary")
    assert release.paragraphs[-1].text == "The task force also agreed to foster co-operation in fintech and in green finance."
    assert release.meta.language == "en"


def test_header_block_gives_metadata_and_shifts_lines() -> None:
    release = parse(
        "Title: Smart Traffic Fund approves four projects\n"
        "Date: 2026-01-22T17:02\n"
        "URL: https://www.info.gov.hk/gia/general/202601/22/P2026012200320.htm\n"
        "Department: Transport Department\n"
        "Media: photos\n"
        "---\n"
        "\n"
        "Smart Traffic Fund approves four projects\n"
        "\n"
        "   The Transport Department today announced the 23rd batch.\n"
        "  \n"
        "Ends/Thursday, January 22, 2026\n"
    )
    assert release.meta.title == "Smart Traffic Fund approves four projects"
    assert release.meta.date == "2026-01-22T17:02"
    assert release.meta.url.endswith("P2026012200320.htm")
    assert release.meta.department == "Transport Department"
    assert release.meta.get("media") == "photos"
    assert [(p.kind, p.line) for p in release.paragraphs] == [("title", 8), ("body", 10), ("trailer", 12)]
    assert release.paragraphs[1].text == "The Transport Department today announced the 23rd batch."


def test_caption_is_not_mistaken_for_a_header() -> None:
    release = parse("On tour: Mr Chan (right) visits the zone.\n\nBody text.\n")
    assert release.meta.title == ""
    assert [p.kind for p in release.paragraphs] == ["caption", "body"]


def test_short_unterminated_first_line_is_the_title() -> None:
    release = parse("Consumer Price Indices for December 2025\n\nThe Census and Statistics Department released figures today.\n")
    assert release.paragraphs[0].kind == "title"
    assert release.meta.title == "Consumer Price Indices for December 2025"


def test_chinese_caption_and_header_language() -> None:
    release = parse("Language: zh-Hant-HK\n---\n考察：財經事務及庫務局副局長陳浩濂（右）參觀廣東金融高新技術服務區。\n\n粵港金融合作專家小組今日舉行會議。\n")
    assert release.meta.language == "zh-Hant-HK"
    assert [p.kind for p in release.paragraphs] == ["caption", "body"]


def test_lines_within_a_paragraph_are_kept_without_indentation() -> None:
    release = parse("The projects cover:\n\n (1) a system;\n   (2) another system.\n \t \nLast.")
    assert [p.text for p in release.paragraphs] == ["The projects cover:", "(1) a system;\n(2) another system.", "Last."]
    assert [p.line for p in release.paragraphs] == [1, 3, 6]


def test_a_dash_rule_in_the_body_is_not_a_header() -> None:
    release = parse("First paragraph, which is long enough to be body text.\n---\nSecond line.\n")
    assert release.meta.title == ""
    assert release.paragraphs[0].text.startswith("First paragraph")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title: A\nDate: 22 January 2026\n---\nBody.", "sources/x.txt:2: Date: expected YYYY-MM-DD"),
        ("Date: 2026-02-30\n---\nBody.", "sources/x.txt:1: Date: day is out of range"),
        ("Language: klingon\n---\nBody.", "sources/x.txt:1: Language: unknown locale 'klingon'"),
        ("Title: A\ntitle: B\n---\nBody.", "sources/x.txt:2: header key 'title' given twice"),
    ],
)
def test_bad_header_fields_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)


def test_undecodable_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("Title: ok\n---\n\nfine\n".encode() + b"\xff\xfe broken\n")
    with pytest.raises(InputError, match=r"bad.txt:5: not valid UTF-8 \(byte 0xff\)"):
        read_source(path)


def test_unknown_source_type(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="unsupported source type '.docx'"):
        read_source(path)


words = st.text(alphabet=st.sampled_from("abcXYZ 財經。,.()（）:"), min_size=1, max_size=30).map(str.strip).filter(bool)
paragraph = st.lists(words, min_size=1, max_size=3).map("\n".join)


@given(
    paragraphs=st.lists(paragraph, min_size=1, max_size=6),
    title=st.sampled_from(["", "A title"]),
    date=st.sampled_from(["", "2026-01-22", "2026-01-22T17:02"]),
)
def test_format_then_parse_gives_back_the_release(paragraphs: list[str], title: str, date: str) -> None:
    header = "".join(f"{k}: {v}\n" for k, v in (("Title", title), ("Date", date)) if v)
    body = "\n\n".join(([title] if title else []) + paragraphs)
    original = parse((header + "---\n" if header else "") + body)
    again = parse(format_text(original))
    assert again.meta == original.meta
    assert [(p.text, p.kind) for p in again.paragraphs] == [(p.text, p.kind) for p in original.paragraphs]
    assert format_text(again) == format_text(original)


# The patterns as they were before they read right-stripped text (they backtracked over long runs of spaces).
BACKTRACKING_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)?)\s*:\s*(.*?)\s*")
BACKTRACKING_SENTENCE_END = re.compile(r"[.!?。！？:：;；]\s*[\"'”’」』）)]*\s*$")
LINE = st.lists(st.sampled_from(["Key", "a", "b c", " ", "\t", "\u3000", ":", "：", ".", "。", '"', "」", ")", "-"]),
                max_size=10).map("".join)


@given(LINE)
def test_header_and_title_patterns_match_as_the_backtracking_ones_did(line: str) -> None:
    old = BACKTRACKING_HEADER_LINE.fullmatch(line)
    new = text_module._HEADER_LINE.fullmatch(line.rstrip())
    assert (old and old.groups()) == (new and new.groups())
    stripped = line.strip()
    assert bool(BACKTRACKING_SENTENCE_END.search(stripped)) == bool(text_module._SENTENCE_END.search(stripped.rstrip()))
