"""A memory's word translations as anchors: confirmed by the text, linked one to one, deciding where lengths cannot."""

from __future__ import annotations

import collections.abc as cabc
import itertools
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from pipeline.align.lexicon import memory_lexicon
from pipeline.align.links import parse_links
from pipeline.align.sentences import align_sentences
from pipeline.cli import cli

# Seventy made-up names, each with its own character: a text whose sentences all have the same length, so that only
# what each name is rendered by tells where the Chinese left a sentence out. Each name occurs once: too rarely for
# the lexicon the aligner learns from the text itself.
NAMES = ["".join(letters) for letters in itertools.product("bdfgklmnpr", "aeiou", "stvz")][:70]
CHARACTERS = [chr(0x4E00 + 37 * k) for k in range(70)]
LEFT_OUT = 30
ENGLISH = [f"The {name} came." for name in NAMES]
CHINESE = [f"{character}來了。" for k, character in enumerate(CHARACTERS) if k != LEFT_OUT]


def renderings(word: str) -> dict[str, float]:
    """What a memory that saw each name with its character would say."""
    return {CHARACTERS[NAMES.index(word)]: 0.9} if word in NAMES else {}


def found_the_gap(links: cabc.Sequence[tuple[tuple[int, ...], tuple[int, ...]]]) -> bool:
    """Every one-to-one link pairs a name with its character; the English sentence left out is in the one other link."""
    one_to_one = [(source[0], target[0]) for source, target in links if len(source) == len(target) == 1]
    others = [source for source, target in links if (len(source), len(target)) != (1, 1)]
    return all(j == i - (i > LEFT_OUT) for i, j in one_to_one) and len(others) == 1 and LEFT_OUT in others[0]


def test_a_rendering_is_kept_only_where_the_text_has_it_about_as_often() -> None:
    def memory(word: str) -> dict[str, float]:
        return {"grant": {"資": 0.8, "助": 0.7}, "fund": {"基": 0.9, "金": 0.6}}.get(word, {})

    source = ["The grant.", "The fund.", "A grant."]
    target = ["資助金。", "基金。", "資助。", "金額金額。"]
    lexicon = memory_lexicon(memory, source, target, source_is_chinese=False)
    # 金 is in three Chinese sentences and "fund" in one English one: not how this text renders it
    assert sorted(lexicon.entries) == [("fund", "基", 0.9), ("grant", "資", 0.8)]
    assert sorted(lexicon.source("The grant and the fund.")) == [("m", "fund", "基", 0.9), ("m", "grant", "資", 0.8)]


def test_a_chinese_source_asks_the_memory_about_its_characters() -> None:
    asked = []

    def memory(character: str) -> dict[str, float]:
        asked.append(character)
        return {"fund": 0.9} if character == "基" else {}

    lexicon = memory_lexicon(memory, ["基金。"], ["The fund."], source_is_chinese=True)
    assert sorted(asked) == ["基", "金"]
    assert lexicon.entries == (("fund", "基", 0.9),)
    assert lexicon.target("The fund.") == {("m", "fund", "基", 0.9): 1}


def test_the_memory_finds_the_sentence_left_out_where_lengths_cannot() -> None:
    without = align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK")
    remembered = align_sentences(ENGLISH, CHINESE, "en", "zh-Hant-HK", renderings=renderings)
    assert found_the_gap([(link.source, link.target) for link in remembered])
    assert not found_the_gap([(link.source, link.target) for link in without])


def test_a_short_text_is_aligned_as_without_a_memory() -> None:
    """On a few sentences the memory's characters would pull sentences together: it is not asked."""
    asked = []

    def memory(word: str) -> dict[str, float]:
        asked.append(word)
        return renderings(word)

    short_english, short_chinese = ENGLISH[25:40], CHINESE[25:39]
    assert align_sentences(short_english, short_chinese, "en", "zh-Hant-HK", renderings=memory) == \
        align_sentences(short_english, short_chinese, "en", "zh-Hant-HK")  # fmt: skip
    assert asked == []


def _tmx(pairs: list[tuple[str, str]]) -> str:
    units = "".join(f'<tu><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv><tuv xml:lang="zh-Hant-HK"><seg>{escape(zh)}</seg>'
                    "</tuv></tu>\n" for en, zh in pairs)  # fmt: skip
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="test" creationtoolversion="1" '
            'segtype="sentence" o-tmf="none" adminlang="en" srclang="en" datatype="plaintext"/>\n'
            f"<body>\n{units}</body></tmx>\n")  # fmt: skip


@pytest.mark.parametrize("with_memory", [False, True])
def test_duet_align_segmented_uses_the_workspace_memory(tmp_path: Path, with_memory: bool) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("\n".join(CHINESE) + "\n", encoding="utf-8")
    if with_memory:  # each name seen in three units with its character, in sentences unlike the text's
        taught = [(f"{verb} the {name} {time}.", f"{time_zh}{verb_zh}{character}。")
                  for name, character in zip(NAMES, CHARACTERS, strict=True)
                  for verb, verb_zh, time, time_zh in (("Meet", "見", "today", "今天"), ("Call", "叫", "now", "現在"),
                                                      ("Ask", "問", "later", "稍後"))]  # fmt: skip
        (tmp_path / "locales/memory").mkdir(parents=True)
        (tmp_path / "locales/memory/names.tmx").write_text(_tmx(taught), encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", "--workspace", str(tmp_path), "--segmented", str(tmp_path / "en.txt"),
                                      str(tmp_path / "zh.txt")], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0
    links = [parse_links(line.split("\t")[0])[0] for line in result.stdout.splitlines()]
    assert found_the_gap([(link.source, link.target) for link in links]) is with_memory
