"""The public segmentation API and Duet's default English and Chinese rules."""

from __future__ import annotations

import pytest

from pipeline.model import Location, Paragraph, Release, ReleaseMeta, Segment
from pipeline.segment import segment_document, segment_release, segment_text


def texts(text: str, lang: str = "en") -> list[str]:
    return [s.text for s in segment_text(text, lang)]


def test_segments_are_exact_slices_without_surrounding_whitespace() -> None:
    text = "  The Secretary spoke.   He left.\t"
    segments = segment_text(text, "en")
    assert segments == [Segment("The Secretary spoke.", 2, 22), Segment("He left.", 25, 33)]
    assert all(text[s.start : s.end] == s.text for s in segments)


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t"])
def test_blank_input_gives_no_segments(text: str) -> None:
    assert segment_text(text, "en") == []
    assert segment_document(text, "zh") == []


@pytest.mark.parametrize(
    "text",
    [
        "Mr Chan, SC, JP, and Ms Wong, JP, met Dr. Lee and Prof. Ho at 3.30 p.m. on Jan. 22.",
        "The fund granted $24.4 million, up 1.5 per cent, under Cap. 123, s. 4 and para. 5.",
        "Details are at www.stf.hkpc.org and https://www.td.gov.hk/en/index.html today.",
        "Write to enquiry@hkpc.org or call No. 5 St. John's Road.",
        "J. K. Rowling visited the U.S. Government and the HKSAR Government.",
        "He listed items, e.g. books, i.e. paper, etc. for the library.",
    ],
)
def test_english_press_release_sentences_stay_whole(text: str) -> None:
    assert texts(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "Yes." Then he left.', ['He said "Yes."', "Then he left."]),
        ("It opened (see Annex A.) Details follow.", ["It opened (see Annex A.)", "Details follow."]),
        ("Visit www.stf.hkpc.org. Apply now.", ["Visit www.stf.hkpc.org.", "Apply now."]),
        ("It grew 3.5%. The rest fell.", ["It grew 3.5%.", "The rest fell."]),
        ("Wait... The results came.", ["Wait...", "The results came."]),
        ("1. Apply online 2. Pay the fee", ["1. Apply online", "2. Pay the fee"]),
        ("Ends at 6 p.m. The gates close.", ["Ends at 6 p.m.", "The gates close."]),
        ("Line one\nLine two", ["Line one", "Line two"]),
    ],
)
def test_english_breaks(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政府今日公布。計劃已獲批！是否可行？是。", ["政府今日公布。", "計劃已獲批！", "是否可行？", "是。"]),
        ("他說：「計劃很好。」然後離開。", ["他說：「計劃很好。」", "然後離開。"]),
        ("真的嗎？！好的……再見。", ["真的嗎？！", "好的……", "再見。"]),
        ("我们去看《摔跤吧！爸爸》好吗？好！", ["我们去看《摔跤吧！爸爸》好吗？", "好！"]),
        ("撥款約2,440萬元（增加1.5%）。詳情見www.stf.hkpc.org。", ["撥款約2,440萬元（增加1.5%）。", "詳情見www.stf.hkpc.org。"]),
        ("他引述：Mr. Chan said it was fine. It is. 然後離開。", ["他引述：Mr. Chan said it was fine.", "It is.", "然後離開。"]),
    ],
)
def test_chinese_breaks(text: str, expected: list[str]) -> None:
    assert texts(text, "zh-Hant-HK") == expected


def test_document_paragraphs_always_break_and_are_numbered() -> None:
    text = "Title line\n\n  First para. Second\n \t\nThird para without end\n\n\n"
    segments = segment_document(text, "en")
    assert [(s.text, s.paragraph) for s in segments] == [
        ("Title line", 0),
        ("First para.", 1),
        ("Second", 1),
        ("Third para without end", 2),
    ]
    assert all(text[s.start : s.end] == s.text for s in segments)


def test_release_offsets_are_per_paragraph_with_locations() -> None:
    release = Release(
        "r1",
        ReleaseMeta(language="zh_Hant_HK"),
        (Paragraph("標題", kind="title", line=3), Paragraph("第一句。 第二句。", line=5)),
        path="sources/r1.txt",
    )
    segments = segment_release(release)
    assert [(s.text, s.start, s.end, s.paragraph) for s in segments] == [
        ("標題", 0, 2, 0),
        ("第一句。", 0, 4, 1),
        ("第二句。", 5, 9, 1),
    ]
    assert [s.loc for s in segments] == [
        Location("sources/r1.txt", 3),
        Location("sources/r1.txt", 5),
        Location("sources/r1.txt", 5),
    ]
    assert isinstance(segments, tuple)
