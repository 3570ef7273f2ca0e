from __future__ import annotations

import pytest

from pipeline.catalog import extract_template, header_date
from pipeline.ingest import parse_text
from pipeline.segment import segment_release

TEXT = """\
Title: Expert group meets
Date: 2026-01-22T17:02
---

Expert group meets

The group met today. It will meet again.
Members toured the zone.

The group met today.
"""


def template():
    release = parse_text(TEXT, path="sources/x.txt", release_id="x")
    return extract_template(release, segment_release(release))


def test_one_message_per_unique_sentence_in_source_order() -> None:
    ids = [m.id for m in template().messages]
    assert ids == ["Expert group meets", "The group met today.", "It will meet again.", "Members toured the zone."]


def test_a_repeated_sentence_holds_every_reference_and_position() -> None:
    repeated = template().messages[1]
    assert repeated.references == ("sources/x.txt:7", "sources/x.txt:10")
    assert repeated.notes == ("body, p2 s1", "body, p3 s1")


def test_references_point_at_the_line_where_the_sentence_starts() -> None:
    second_line = template().messages[3]
    assert second_line.references == ("sources/x.txt:8",)
    assert second_line.notes == ("body, p2 s3",)
    assert template().messages[0].notes == ("title, p1 s1",)


def test_header_dates_come_from_the_release_not_the_clock() -> None:
    metadata = template().metadata
    assert metadata["POT-Creation-Date"] == "2026-01-22 17:02+0800"  # a release's clock is Hong Kong time
    assert metadata["Project-Id-Version"] == "x"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_without_a_release_date_source_date_epoch_is_honoured_else_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769072520")
    assert header_date("") == "2026-01-22 17:02+0800"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert header_date("") is None
