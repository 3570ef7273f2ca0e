"""A release in the wrong language is refused on reading; mixed releases are not (issue 13)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import read_source
from pipeline.ingest.language import written_in

from paths import REPO

RELEASES = REPO.parent / "shared" / "data" / "hk-gov-press-releases-2026-01-22" / "gia_2026-01-22_selected.csv"
ENGLISH = "The Transport Department (TD) today announced the 23rd batch of the Smart Traffic Fund.\n"
CHINESE = "運輸署今日公布，智慧交通基金管理委員會已批出第二十三批共四個項目。\n"


def read(tmp_path: Path, text: str, language: str, name: str = "release.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_source(path, display=f"sources/{name}", language=language, refuse_other_language=True)


def test_a_chinese_release_is_refused_as_an_english_source_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as refused:
        read(tmp_path, "Smart Traffic Fund\n\n" + CHINESE, "en")
    assert str(refused.value) == (
        "sources/release.txt:3: this release is written in Chinese (66% of its letters are Han characters), "
        "but the workspace's source language is en (source_locale)"
    )


def test_an_english_release_is_refused_as_a_chinese_source(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^sources/release\.txt:1: this release is written in Latin letters \(0% "):
        read(tmp_path, ENGLISH, "zh-Hant-HK")


def test_a_fetched_page_is_judged_by_its_language_header_too(tmp_path: Path) -> None:
    labelled = "Language: zh-Hant-HK\n---\n\n2026\n"  # no letters: only the label says Chinese
    with pytest.raises(InputError, match="this release is labelled zh-Hant-HK, written in Chinese"):
        read(tmp_path, labelled, "en")
    assert read(tmp_path, labelled, "zh-Hant-HK").meta.language == "zh-Hant-HK"


def test_an_html_page_is_judged_by_its_lang(tmp_path: Path) -> None:
    page = f'<html lang="zh-HK"><body><p>{CHINESE}</p></body></html>'
    with pytest.raises(InputError, match=r"^sources/page\.htm:1: this release is labelled zh-Hant-HK"):
        read(tmp_path, page, "en", name="page.htm")
    assert read(tmp_path, page, "zh-Hant-HK", name="page.htm").paragraphs


def test_each_direction_reads_its_own_language(tmp_path: Path) -> None:
    assert read(tmp_path, ENGLISH, "en").paragraphs[0].text == ENGLISH.strip()
    assert read(tmp_path, CHINESE, "zh-Hant-HK").paragraphs[0].text == CHINESE.strip()
    assert read(tmp_path, CHINESE, "ja").paragraphs  # a language of another script is not judged


def test_reading_without_the_check_accepts_either_language(tmp_path: Path) -> None:
    path = tmp_path / "release.txt"
    path.write_text(CHINESE, encoding="utf-8")
    assert read_source(path, language="en").paragraphs  # align and fetch read releases of both languages


NAMES = st.sampled_from(["李家超", "陳茂波", "李慧琼", "金管局", "《香港可持續金融分類目錄》", "恒生指數"])


@given(names=st.lists(NAMES, max_size=6))
def test_an_english_release_quoting_chinese_names_is_never_taken_for_chinese(names: list[str]) -> None:
    text = ENGLISH + " ".join(f"Mr Chan ({name}) attended." for name in names)
    assert written_in(text) != "Hani"
    assert written_in(text) == "Latn" or names


@given(words=st.lists(st.sampled_from(["HKMA", "Bq/kg", "www.info.gov.hk", "ESG", "Smart Traffic Fund"]), max_size=4))
def test_a_chinese_release_naming_english_things_is_never_taken_for_english(words: list[str]) -> None:
    text = CHINESE + "".join(f"（{word}）第二十三批" for word in words)
    assert written_in(text) != "Latn"
    assert written_in(text) == "Hani" or words


@pytest.mark.skipif(not RELEASES.exists(), reason="needs ../shared/data/hk-gov-press-releases-2026-01-22")
def test_real_releases_each_accepted_in_its_own_language_and_refused_in_the_other(tmp_path: Path) -> None:
    with RELEASES.open(encoding="utf-8") as data:
        rows = list(csv.DictReader(data))
    assert {row["section"] for row in rows} == {"Eng", "Chi"}
    for number, row in enumerate(rows):
        text = f"{row['title']}\n\n{row['news_content']}\n"
        own, other = ("en", "zh-Hant-HK") if row["section"] == "Eng" else ("zh-Hant-HK", "en")
        assert read(tmp_path, text, own, f"r{number}.txt").paragraphs, row["title"]
        with pytest.raises(InputError, match="this release is written in"):
            read(tmp_path, text, other, f"r{number}.txt")
