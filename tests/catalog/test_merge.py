from __future__ import annotations

import dataclasses

import pytest

from pipeline.catalog import merge_catalog, new_catalog
from pipeline.formats.po import format_po, parse_po
from pipeline.model import Catalog, Message

HEADER = Message(id="", string="Project-Id-Version: x\nPOT-Creation-Date: 2026-01-22 17:02+0000\nContent-Type: text/plain; charset=UTF-8\n")


def pot(*ids: str) -> Catalog:
    return Catalog(HEADER, tuple(Message(id=i, references=(f"sources/x.txt:{n}",)) for n, i in enumerate(ids, 1)))


def po(*messages: Message) -> Catalog:
    return Catalog(new_catalog(pot(), "zh_Hant_HK").header, messages)


def merge(old: Catalog | None, template: Catalog, **options):
    return merge_catalog(old, template, locale="zh_Hant_HK", **options)


def test_a_new_file_gets_language_and_plural_forms_from_cldr() -> None:
    created, report = merge(None, pot("The group met."))
    assert created.metadata["Language"] == "zh_HK"  # what Poedit keeps; it rewrites zh_Hant_HK as zh_TW
    assert created.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert created.metadata["PO-Revision-Date"] == "2026-01-22 17:02+0000"
    assert report.new == 1 and created.messages[0].string == ""


def test_same_source_keeps_translation_comments_and_flags_in_template_order() -> None:
    old = po(
        Message("B.", "乙。", comments=("checked by Wong",), flags=("fuzzy",), previous_id="Bee."),
        Message("A.", "甲。", references=("old:1",)),
    )
    merged, report = merge(old, pot("A.", "B."))
    a, b = merged.messages
    assert (a.id, a.string, a.references) == ("A.", "甲。", ("sources/x.txt:1",))
    assert (b.string, b.comments, b.flags, b.previous_id) == ("乙。", ("checked by Wong",), ("fuzzy",), "Bee.")
    assert report.unchanged == 2 and report.new == report.fuzzy == report.obsolete == 0


def test_changed_source_becomes_fuzzy_with_the_previous_source_and_the_old_one_is_kept_obsolete() -> None:
    old = po(Message("The expert group held its ninth meeting today.", "專家小組今日舉行第九次會議。", comments=("note",)))
    merged, report = merge(old, pot("The expert group held its tenth meeting today."))
    fuzzy, obsolete = merged.messages
    assert fuzzy.fuzzy and fuzzy.string == "專家小組今日舉行第九次會議。"
    assert fuzzy.previous_id == "The expert group held its ninth meeting today."
    assert fuzzy.comments == ("note",)
    assert obsolete.obsolete and obsolete.string == "專家小組今日舉行第九次會議。"
    assert (report.fuzzy, report.obsolete) == (1, 1)


def test_a_dissimilar_source_is_new_and_the_old_one_obsolete() -> None:
    old = po(Message("The expert group held its ninth meeting today.", "專家小組今日舉行第九次會議。"))
    merged, report = merge(old, pot("Fintech was discussed."))
    assert [(m.id, m.string, m.obsolete) for m in merged.messages] == [
        ("Fintech was discussed.", "", False),
        ("The expert group held its ninth meeting today.", "專家小組今日舉行第九次會議。", True),
    ]
    assert (report.new, report.obsolete) == (1, 1)


def test_threshold_decides_what_is_close_enough() -> None:
    old = po(Message("The group met in Foshan today.", "小組今日在佛山會面。"))
    template = pot("The group met in Guangzhou yesterday.")
    assert merge(old, template, threshold=90)[1].fuzzy == 0
    assert merge(old, template, threshold=50)[1].fuzzy == 1


def test_chinese_sources_are_compared_by_character() -> None:
    old = po(Message("專家小組今日舉行第九次會議。", "The group held its ninth meeting today."))
    merged, report = merge_catalog(old, pot("專家小組今日舉行第十次會議。"), locale="en", source_language="zh_Hant_HK")
    assert report.fuzzy == 1 and merged.messages[0].previous_id == "專家小組今日舉行第九次會議。"


def test_an_obsolete_message_whose_source_returns_is_resurrected_as_it_was() -> None:
    buried = Message("A.", "甲。", comments=("keep",), flags=("fuzzy",), obsolete=True)
    merged, report = merge(po(buried), pot("A."))
    [back] = merged.messages
    assert back == dataclasses.replace(buried, obsolete=False, references=("sources/x.txt:1",))
    assert report.resurrected == 1


def test_untranslated_removed_messages_are_dropped_and_purge_drops_obsolete() -> None:
    old = po(Message("Gone."), Message("Kept.", "留。"), Message("Older.", "舊。", obsolete=True))
    merged, report = merge(old, pot("New."))
    assert [(m.id, m.obsolete) for m in merged.messages] == [("New.", False), ("Older.", True), ("Kept.", True)]
    purged, report = merge(old, pot("New."), purge_obsolete=True)
    assert [m.id for m in purged.messages] == ["New."] and report.purged == 2


def test_work_without_a_msgstr_becomes_obsolete_and_stays_in_the_file() -> None:
    """A comment on an untranslated message, a plural with only msgstr[1], a flag: kept as ``#~`` entries."""
    work = (
        Message("Commented.", comments=("ask the desk",), references=("sources/x.txt:1",)),
        Message("one meeting", id_plural="meetings", plural_strings=("", "會議")),
        Message("Flagged.", flags=("no-duet-number-check",)),
    )
    merged, report = merge(po(*work, Message("Untouched.", flags=("fuzzy",))), pot("New."))
    assert report.obsolete == 3
    expected = tuple(dataclasses.replace(m, obsolete=True, references=()) for m in work)
    assert merged.messages[1:] == expected
    again = parse_po(format_po(merged), "r.po")
    assert again.messages[1:] == expected
    assert merge(again, pot("New."))[0] == again


def test_merging_twice_changes_nothing() -> None:
    old = po(Message("The expert group held its ninth meeting today.", "專家小組今日舉行第九次會議。"), Message("B.", "乙。"))
    template = pot("The expert group held its tenth meeting today.", "C.")
    once, _ = merge(old, template)
    twice, report = merge(once, template)
    assert twice == once
    assert report.fuzzy == report.new == report.obsolete == 0


def test_header_keeps_the_translators_fields_and_takes_the_new_creation_date() -> None:
    header = dataclasses.replace(
        HEADER, string=HEADER.string.replace("2026-01-22 17:02", "2025-01-01 00:00") + "Last-Translator: Wong <w@example.org>\n"
    )
    merged, _ = merge(Catalog(header, ()), pot("A."))
    assert merged.metadata["POT-Creation-Date"] == "2026-01-22 17:02+0000"
    assert merged.metadata["Last-Translator"] == "Wong <w@example.org>"
    assert merged.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize(("written", "kept"), [
    ("zh_Hant_HK", "zh_HK"), ("zh-Hant-HK", "zh_HK"), ("zh_HK", "zh_HK"),  # one locale: the spelling Poedit keeps
    ("zh_TW", "zh_TW"), ("zh_CN", "zh_CN"),  # another locale: left for duet check to report
])
def test_merge_respells_the_language_of_the_folder_and_leaves_another(written: str, kept: str) -> None:
    header = dataclasses.replace(HEADER, string=HEADER.string + f"Language: {written}\n")
    merged, _ = merge(Catalog(header, ()), pot("A."))
    assert merged.metadata["Language"] == kept
    assert merged.header.string.count("Language:") == 1


def test_the_creation_date_follows_the_template_even_when_it_has_none() -> None:
    dated = dataclasses.replace(HEADER, string=HEADER.string.replace("2026-01-22 17:02+0000", "1970-01-01 00:00+0000"))
    undated = Catalog(dataclasses.replace(HEADER, string="Project-Id-Version: x\nContent-Type: text/plain; charset=UTF-8\n"),
                      pot("A.").messages)
    merged, _ = merge(Catalog(dated, ()), undated)
    assert "POT-Creation-Date" not in merged.metadata and "1970" not in merged.header.string
