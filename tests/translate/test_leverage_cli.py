"""Leverage on recurring releases end to end: ``duet extract`` then ``duet translate``, with a real memory.

Each case is one the issue saw fail: the next day's Exchange Rate Index, a
release edited in place (ninth → tenth meeting), a number changed next to a
changed place, a court case with new amounts, date and court, and the other
direction (Chinese source, English translation) with ordinals.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from paths import REPO
from pipeline.cli import cli
from pipeline.formats.po import format_po, read_po
from pipeline.model import Message

EERI_2025 = ("The effective exchange rate index for the Hong Kong dollar on Thursday, November 13, 2025 is 104.4 "
             "(down 0.1 against yesterday's index).")
EERI_2025_ZH = "二○二五年十一月十三日（星期四）的港幣匯率指數為一百零四點四（和昨日指數比較下降零點一）。"
EERI_2026 = ("The effective exchange rate index for the Hong Kong dollar on Thursday, January 22, 2026 is 102.8 "
             "(up 0.1 against yesterday's index).")
EERI_2026_ZH = "二○二六年一月二十二日（星期四）的港幣匯率指數為一百零二點八（和昨日指數比較上升零點一）。"
SAMPLE = "hk-gd-financial-cooperation"


def run(runner: CliRunner, root: Path, *args: str) -> str:
    result = runner.invoke(cli, [*args, "-w", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def workspace(tmp_path: Path, config: str = 'target_locales = ["zh_Hant_HK"]\n', glossary: str = "") -> Path:
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "duet.toml").write_text(config, encoding="utf-8")
    if glossary:
        (root / "locales" / "glossary.csv").write_text(glossary, encoding="utf-8")
    return root


def translated(runner: CliRunner, root: Path, release: str, pairs: dict[str, str], locale: str = "zh_Hant_HK") -> None:
    """``release`` written, extracted and translated as a translator would: the memory to leverage."""
    (root / "sources" / f"{release}.txt").write_text("\n\n".join(pairs) + "\n", encoding="utf-8")
    run(runner, root, "extract")
    path = root / "locales" / locale / "LC_MESSAGES" / f"{release}.po"
    catalog = read_po(path)
    messages = tuple(dataclasses.replace(m, string=pairs.get(m.id, m.string)) for m in catalog.messages)
    path.write_text(format_po(dataclasses.replace(catalog, messages=messages)), encoding="utf-8")


def new_release(runner: CliRunner, root: Path, release: str, sentences: list[str],
                locale: str = "zh_Hant_HK") -> dict[str, Message]:  # fmt: skip
    (root / "sources" / f"{release}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    run(runner, root, "extract")
    run(runner, root, "translate")
    return {m.id: m for m in read_po(root / "locales" / locale / "LC_MESSAGES" / f"{release}.po").live}


def test_the_next_days_exchange_rate_index_comes_back_as_published(runner: CliRunner, tmp_path: Path) -> None:
    root = workspace(tmp_path)
    translated(runner, root, "eeri-2025-11-13", {EERI_2025: EERI_2025_ZH})
    message = new_release(runner, root, "eeri-2026-01-22", [EERI_2026])[EERI_2026]
    assert message.string == EERI_2026_ZH
    assert message.fuzzy and message.previous_id == EERI_2025  # repaired is never final
    assert "duet: repaired: 二○二五年十一月十三日 → 二○二六年一月二十二日 (date: Thursday, January 22, 2026)" in message.notes
    assert "duet: repaired: 一百零四點四 → 一百零二點八 (number: 102.8)" in message.notes
    assert "duet: repaired: 下降 → 上升 (sign: up 0.1)" in message.notes
    [scored] = [n for n in message.notes if n.startswith("duet: tm repaired")]
    assert scored.startswith("duet: tm repaired 98.5 (similarity 100, placeables repaired -1.5) from ")


def _sample_edited_in_place(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample workspace whose release now says ``tenth meeting``; the workspace and its PO file."""
    root = tmp_path / "ws"
    for name in ("sources", "locales"):
        shutil.copytree(REPO / name, root / name)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    source = root / "sources" / f"{SAMPLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("ninth meeting", "tenth meeting"), encoding="utf-8")
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{SAMPLE}.po"
    return root, po


def test_a_release_edited_in_place_gets_its_merged_fuzzy_entry_repaired(runner: CliRunner, tmp_path: Path) -> None:
    root, po = _sample_edited_in_place(tmp_path)
    run(runner, root, "extract")
    [merged] = [m for m in read_po(po).live if m.fuzzy]
    assert "第九次" in merged.string and "ninth meeting" in (merged.previous_id or "")
    rows = json.loads(run(runner, root, "translate", "--format", "json"))
    assert rows[0]["repaired"] == 1 and rows[0]["kept"] == 11
    [repaired] = [m for m in read_po(po).live if m.fuzzy]
    assert repaired.string == merged.string.replace("第九次", "第十次")
    assert repaired.previous_id == merged.previous_id
    assert "duet: repaired: 第九 → 第十 (ordinal: tenth)" in repaired.notes
    before = po.read_bytes()
    assert run(runner, root, "translate").splitlines()[-1] == "1 file, 0 written"
    assert po.read_bytes() == before


def test_a_translators_edit_of_a_merged_entry_is_never_touched(runner: CliRunner, tmp_path: Path) -> None:
    root, po = _sample_edited_in_place(tmp_path)
    run(runner, root, "extract")
    catalog = read_po(po)
    messages = tuple(dataclasses.replace(m, string=m.string.replace("舉行", "召開")) if m.fuzzy and not m.obsolete else m
                     for m in catalog.messages)
    po.write_text(format_po(dataclasses.replace(catalog, messages=messages)), encoding="utf-8")
    edited = po.read_bytes()
    rows = json.loads(run(runner, root, "translate", "--format", "json"))
    assert rows[0]["repaired"] == 0 and rows[0]["kept"] == 12
    assert po.read_bytes() == edited


def test_a_number_is_repaired_even_where_a_place_changed_too(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    for name in ("sources", "locales"):
        shutil.copytree(REPO / name, root / name)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    old = ("The Expert Group on Hong Kong-Guangdong Financial Co-operation held its ninth meeting in Foshan, "
           "Guangdong, today to discuss ways to deepen financial ties between the two places.")
    new = old.replace("ninth meeting in Foshan, Guangdong", "tenth meeting in Hong Kong")
    message = new_release(runner, root, "hk-gd-tenth-meeting", [new])[new]
    assert message.fuzzy and message.previous_id == old
    assert "第十次會議" in message.string and "第九次" not in message.string
    assert "廣東佛山" in message.string  # the place is left for the translator: nothing knows what replaces it
    assert "duet: repaired: 第九 → 第十 (ordinal: tenth)" in message.notes


DISTRICTS = ("en,zh-Hant-HK\nSha Tin,沙田\nKowloon City,九龍城\nSham Shui Po,深水埗\n")
COURT_2025 = ("An owner was convicted and fined $78,300 in total, of which $72,300 was the fine for the number of days "
              "that the offence continued, at the Sha Tin Magistrates' Courts yesterday (November 12) for failing to "
              "comply with a removal order issued under the Buildings Ordinance (BO) (Cap. 123).")
COURT_2025_ZH = ("一名業主由於不遵從根據《建築物條例》（第123章）發出的清拆令，昨日（十一月十二日）在沙田裁判法院被定罪及判罰款"
                 "合共78,300元，當中72,300元屬就罪行持續的日數所判的罰款。")
COURT_2026 = ("An owner was convicted and fined $119,900 in total, of which $89,900 was the fine for the number of days "
              "that the offence continued, at the Kowloon City Magistrates' Courts yesterday (January 21) for failing "
              "to comply with a removal order issued under the Buildings Ordinance (BO) (Cap. 123).")
COURT_2026_ZH = ("一名業主由於不遵從根據《建築物條例》（第123章）發出的清拆令，昨日（一月二十一日）在九龍城裁判法院被定罪及判罰款"
                 "合共119,900元，當中89,900元屬就罪行持續的日數所判的罰款。")


def test_amounts_a_date_and_a_court_from_the_glossary_are_all_repaired(runner: CliRunner, tmp_path: Path) -> None:
    root = workspace(tmp_path, glossary=DISTRICTS)
    translated(runner, root, "removal-order-2025-11-13", {COURT_2025: COURT_2025_ZH})
    message = new_release(runner, root, "removal-order-2026-01-22", [COURT_2026])[COURT_2026]
    assert message.string == COURT_2026_ZH and message.fuzzy
    assert "duet: repaired: 沙田 → 九龍城 (Kowloon City/Sha Tin, glossary)" in message.notes
    assert "duet: repaired: 78,300 → 119,900 (money: $119,900)" in message.notes
    assert "duet: glossary: Kowloon City = 九龍城" in message.notes


def test_chinese_to_english_numbers_dates_and_ordinals(runner: CliRunner, tmp_path: Path) -> None:
    root = workspace(tmp_path, 'source_locale = "zh_Hant_HK"\ntarget_locales = ["en"]\n')
    translated(runner, root, "eeri-2025-11-13", {EERI_2025_ZH: EERI_2025, "食物安全中心已檢驗第二十三批樣本。":
                                               "The CFS has tested the 23rd batch of samples."}, locale="en")
    messages = new_release(runner, root, "eeri-2026-01-22", [EERI_2026_ZH, "食物安全中心已檢驗第二十四批樣本。"],
                           locale="en")
    assert messages[EERI_2026_ZH].string == EERI_2026 and messages[EERI_2026_ZH].fuzzy
    assert messages["食物安全中心已檢驗第二十四批樣本。"].string == "The CFS has tested the 24th batch of samples."


def test_a_sentence_remembered_once_after_another_neighbour_is_proposed_not_final(runner: CliRunner,
                                                                                 tmp_path: Path) -> None:
    """The removal-order case: 該業主 after one owner, 該等業主 after several; only a context the memory knows is final."""
    one = "A removal order was served on the owner."
    several = "Removal orders were served on the owners."
    failing = "Failing to comply with the removal order, the owner was prosecuted by the BD."
    root = workspace(tmp_path)
    translated(runner, root, "removal-1", {one: "屋宇署向業主發出清拆令。", failing: "該業主沒有履行清拆令，故遭屋宇署檢控。"})
    message = new_release(runner, root, "removal-2", [several, failing])[failing]
    assert message.fuzzy and message.string == "該業主沒有履行清拆令，故遭屋宇署檢控。"
    assert "duet: translated once before, between other sentences: check it still fits" in message.notes

    again = new_release(runner, root, "removal-3", [one, failing])[failing]
    assert not again.fuzzy and again.string == "該業主沒有履行清拆令，故遭屋宇署檢控。"  # in context

    fourth = "Removal orders were served on the owners of two flats."
    translated(runner, root, "removal-4", {fourth: "屋宇署向兩個單位的業主發出清拆令。", failing: "該業主沒有履行清拆令，故遭屋宇署檢控。"})
    settled = new_release(runner, root, "removal-5", [several, failing])[failing]
    assert not settled.fuzzy  # the same translation between two different pairs of neighbours
