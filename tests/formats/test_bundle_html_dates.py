"""The publish page's dates against the Government's own releases (shared data; skipped without it)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from paths import SHARED_DATA

from pipeline.formats.bundle_html_dates import dateline, trailer

RELEASES = [SHARED_DATA / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl", SHARED_DATA / "hk-gov-recurring" / "recurring-dev.jsonl"]
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ENGLISH_DATE = re.compile(rf"\b(?:(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), )?({_MONTHS}) ([0-9]{{1,2}}), ([0-9]{{4}})\b")


def _pairs() -> list[tuple[str, str]]:
    if not all(path.is_file() for path in RELEASES):
        pytest.skip("the shared HK release data is not present")
    records = [json.loads(line) for path in RELEASES for line in path.read_text(encoding="utf-8").splitlines()]
    return [(record["en"], record["zh"]) for record in records]


def test_every_full_date_of_the_real_releases_is_written_as_the_page_writes_it() -> None:
    """``January 22, 2026`` in English; the Chinese release writes the same day 二○二六年一月二十二日 (or in digits)."""
    checked = 0
    for english, chinese in _pairs():
        for found in _ENGLISH_DATE.finditer(english):
            weekday, month, day, year = found.groups()
            iso = dt.date(int(year), _MONTHS.split("|").index(month) + 1, int(day)).isoformat()
            assert dateline(iso, "en") == found.group(0).removeprefix(f"{weekday}, " if weekday else "")
            if weekday:
                assert trailer(iso, "en")[0] == f"Ends/{found.group(0)}"
            ours, digits = dateline(iso, "zh-Hant-HK"), f"{int(year)}年{_MONTHS.split('|').index(month) + 1}月{int(day)}日"
            assert ours in chinese or digits in chinese, (found.group(0), ours)
            checked += 1
    assert checked >= 10
