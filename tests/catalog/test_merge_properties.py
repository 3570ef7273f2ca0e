"""Property: whatever happens to the sources, nothing a translator wrote is lost.

A state machine interleaves source edits (edit, insert, delete, reorder, split
and join paragraphs) with translator edits and extractions. A translator
translates, comments and flags messages (translated or not) and adds plural
entries of their own with only some forms filled. The PO file goes through
``format_po``/``parse_po`` at every step, as on disk. After each one, the
translation a translator last wrote for every source, every plural form,
comment and flag is still in the file (live, fuzzy or obsolete), and a second
extraction changes no byte.
"""

from __future__ import annotations

import dataclasses

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pipeline.catalog import extract_template, merge_catalog
from pipeline.formats.po import format_po, parse_po
from pipeline.ingest import parse_text
from pipeline.model import Catalog, Message
from pipeline.segment import segment_release

WORDS = ("group", "meeting", "finance", "bay", "area", "market", "bond", "council", "policy", "zone", "trade", "bank")
PATH = "locales/zh_Hant_HK/LC_MESSAGES/r.po"

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(lambda w: " ".join(w).capitalize() + ".")
paragraphs = st.lists(sentences, min_size=1, max_size=3)


class TranslatorAndAuthor(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[list[str]] = []
        self.po: Catalog | None = None
        self.text: str = ""
        self.written: dict[str, str] = {}  # source -> the translation a translator last wrote for it
        self.forms: set[str] = set()  # plural forms a translator filled in entries of their own
        self.comments: set[str] = set()
        self.flags: set[str] = set()
        self.counter = 0

    @initialize(body=st.lists(paragraphs, min_size=1, max_size=5))
    def start(self, body: list[list[str]]) -> None:
        self.paragraphs = body
        self.extract()

    # --- the author edits the source release -------------------------------------------------
    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def edit_sentence(self, data: st.DataObject, word: str) -> None:
        p = data.draw(st.integers(0, len(self.paragraphs) - 1))
        s = data.draw(st.integers(0, len(self.paragraphs[p]) - 1))
        words = self.paragraphs[p][s].rstrip(".").lower().split()
        words[data.draw(st.integers(0, len(words) - 1))] = word
        self.paragraphs[p][s] = " ".join(words).capitalize() + "."

    @rule(data=st.data(), sentence=sentences)
    def insert_sentence(self, data: st.DataObject, sentence: str) -> None:
        p = data.draw(st.integers(0, len(self.paragraphs) - 1))
        self.paragraphs[p].insert(data.draw(st.integers(0, len(self.paragraphs[p]))), sentence)

    @rule(data=st.data())
    def delete_sentence(self, data: st.DataObject) -> None:
        p = data.draw(st.integers(0, len(self.paragraphs) - 1))
        del self.paragraphs[p][data.draw(st.integers(0, len(self.paragraphs[p]) - 1))]
        if not self.paragraphs[p] and len(self.paragraphs) > 1:
            del self.paragraphs[p]
        elif not self.paragraphs[p]:
            self.paragraphs[p] = ["Trade policy meeting."]

    @rule(data=st.data())
    def reorder_paragraphs(self, data: st.DataObject) -> None:
        self.paragraphs = data.draw(st.permutations(self.paragraphs))

    @rule(data=st.data())
    def split_paragraph(self, data: st.DataObject) -> None:
        p = data.draw(st.integers(0, len(self.paragraphs) - 1))
        if len(self.paragraphs[p]) > 1:
            cut = data.draw(st.integers(1, len(self.paragraphs[p]) - 1))
            self.paragraphs[p : p + 1] = [self.paragraphs[p][:cut], self.paragraphs[p][cut:]]

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(data=st.data())
    def join_paragraphs(self, data: st.DataObject) -> None:
        p = data.draw(st.integers(0, len(self.paragraphs) - 2))
        self.paragraphs[p : p + 2] = [self.paragraphs[p] + self.paragraphs[p + 1]]

    # --- the translator edits the PO file ----------------------------------------------------
    @precondition(lambda self: self.po is not None)
    @rule(data=st.data(), translate=st.booleans(), comment=st.booleans(), flag=st.booleans())
    def edit_message(self, data: st.DataObject, translate: bool, comment: bool, flag: bool) -> None:
        """Translate a live message, or only comment or flag it, leaving it untranslated."""
        assert self.po is not None
        live = [i for i, m in enumerate(self.po.messages) if not m.obsolete and m.id_plural is None]
        index = data.draw(st.sampled_from(live))
        message = self.po.messages[index]
        self.counter += 1
        edited = dataclasses.replace(
            message,
            comments=(*message.comments, *([self.note(self.comments, f"checked {self.counter}")] if comment else [])),
            flags=(*message.flags, *([self.note(self.flags, f"reviewed-{self.counter}")] if flag else [])),
        )
        if translate:
            target = f"譯文{self.counter}。"
            edited = dataclasses.replace(edited, string=target, flags=tuple(f for f in edited.flags if f != "fuzzy"),
                                         previous_id=None, previous_context=None)  # fmt: skip
            self.written[message.id] = target
        self.replace(index, edited)

    @precondition(lambda self: self.po is not None)
    @rule(forms=st.lists(st.booleans(), min_size=2, max_size=2), comment=st.booleans())
    def add_plural_entry(self, forms: list[bool], comment: bool) -> None:
        """A translator's own plural entry (its source is in no release): only the chosen forms filled."""
        assert self.po is not None
        self.counter += 1
        filled = tuple(self.note(self.forms, f"{self.counter}個{i}") if on else "" for i, on in enumerate(forms))
        entry = Message(
            f"{self.counter} meeting", id_plural=f"{self.counter} meetings", plural_strings=filled,
            comments=(self.note(self.comments, f"plural {self.counter}"),) if comment else (),
        )  # fmt: skip
        self.po = self.save(dataclasses.replace(self.po, messages=(*self.po.messages, entry)))

    @staticmethod
    def note(kept: set[str], text: str) -> str:
        kept.add(text)
        return text

    def replace(self, index: int, message: Message) -> None:
        assert self.po is not None
        messages = list(self.po.messages)
        messages[index] = message
        self.po = self.save(dataclasses.replace(self.po, messages=tuple(messages)))

    @rule()
    def extract(self) -> None:
        release = parse_text(self.source(), path="sources/r.txt", release_id="r")
        template = extract_template(release, segment_release(release))
        merged, _ = merge_catalog(self.po, template, locale="zh_Hant_HK")
        self.po = self.save(merged)
        again, _ = merge_catalog(self.po, template, locale="zh_Hant_HK")
        assert format_po(again) == self.text, "a second extraction changed the file"

    def source(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs) + "\n"

    def save(self, catalog: Catalog) -> Catalog:
        self.text = format_po(catalog)
        return parse_po(self.text, PATH)

    @invariant()
    def no_work_is_lost(self) -> None:
        if self.po is None:
            return
        kept = {target for m in self.po.messages for target in m.targets}
        lost = {source: target for source, target in self.written.items() if target not in kept}
        assert not lost, f"lost translations: {lost}"
        assert self.forms <= kept, f"lost plural forms: {self.forms - kept}"
        assert self.comments <= {c for m in self.po.messages for c in m.comments}, "a comment was lost"
        assert self.flags <= {f for m in self.po.messages for f in m.flags}, "a flag was lost"


TranslatorAndAuthor.TestCase.settings = settings(max_examples=60, stateful_step_count=30)
test_no_translation_is_ever_lost = TranslatorAndAuthor.TestCase
