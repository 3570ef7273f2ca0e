"""A planted-error suite over every check: each case names the findings it must give, no more.

Precision and recall over all (case, check) pairs are asserted and printed at
the end of the test run (see ``conftest.py``).
"""

from __future__ import annotations

import pytest

from pipeline.checks import CheckedCatalog, check_catalogs
from pipeline.glossary import load_glossary
from pipeline.model import Catalog, Message

from paths import DATA

# (source, translation, the checks that must fire); "!" before a check: a near miss that must not.
CASES: list[tuple[str, str, set[str]]] = [
    # glossary-missing / glossary-forbidden
    ("The Hong Kong Monetary Authority announced the results today.", "金融管理當局今日公布結果。", {"glossary-missing"}),
    ("The Hong Kong Monetary Authority announced the results today.", "香港金融管理局今日公布結果。", set()),
    ("The Hong Kong Monetary Authority announced the results today.", "金管局今日公布結果。", set()),
    ("The HONG KONG MONETARY AUTHORITY's report is out.", "金管局的報告已發表。", set()),
    ("They discussed cross boundary renminbi business.", "他們討論跨境人民幣業務。", set()),
    ("They discussed cross-boundary renminbi business.", "他們討論跨界人民幣業務。", {"glossary-missing", "glossary-forbidden"}),
    ("They discussed crossboundary Renminbi business.", "他們討論跨境業務。", {"glossary-missing"}),
    ("The SFC will meet next week.", "監管機構下星期會面。", {"glossary-missing"}),
    ("The sfc-like body will meet next week.", "類似的機構下星期會面。", set()),
    ("Both sides support the Mainland and Hong Kong Closer Economic Partnership Arrangement.",
     "雙方支持《內地與香港關於建立更緊密經貿關係的安排》。", set()),
    ("Both sides support the Closer Economic Partnership Arrangement.", "雙方支持安排。", {"glossary-missing"}),
    ("The Bay Area will grow.", "大灣區將會發展。", set()),
    ("The Bay Areas will grow.", "灣區將會發展。", {"glossary-missing", "glossary-forbidden"}),
    ("Green finance and green financing grew.", "綠色金融增長。", set()),
    ("Renminbi deposits and renminbi loans grew.", "存款及貸款增長。", {"glossary-missing"}),  # once per term
    ("Report at #HKMA-Renminbi-Desk now.", "請即到#HKMA-Renminbi-Desk報告。", set()),
    ("They discussed the \"renminbi\" business.", "他們討論「人民」「幣」業務。", set()),
    # number-mismatch
    ("The group held its ninth meeting today.", "小組今日舉行第十次會議。", {"number-mismatch"}),
    ("The group held its ninth meeting today.", "小組今日舉行第九次會議。", set()),
    ("The Fund approved $24.4 million.", "基金批出2,440萬元。", set()),
    ("The Fund approved $24.4 million.", "基金批出2,400萬元。", {"number-mismatch"}),
    ("Exports rose 3.5 per cent.", "出口上升百分之三點五。", set()),
    ("Exports rose 3.5 per cent.", "出口上升百分之五點三。", {"number-mismatch"}),
    ("The plan was announced on January 22, 2026.", "計劃於二○二六年一月二十二日公布。", set()),
    ("The plan was announced on January 22, 2026.", "計劃於二○二六年一月二十三日公布。", {"number-mismatch"}),
    ("The two places will further enhance co-operation.", "兩地會進一步加強合作。", set()),
    ("The bond raised $1.5 billion.", "債券集資15億元。", set()),
    ("Mortgage rates5 rose by one percentage point.", "按揭利率5 上升1個百分點。", set()),  # a footnote mark each side
    ("Its Bulletin1 reported 20 cases.", "其《月報》1報告了21宗個案。", {"number-mismatch"}),
    # punctuation
    ("The meeting was held today.", "會議今日舉行,商討合作。", {"punctuation"}),
    ("He said, \"We will co-operate.\"", "他說：「我們會合作。」", set()),
    ("He said, \"We will co-operate.\"", "他說：「我們會合作。", {"punctuation"}),
    # script-mismatch
    ("The expert group met.", "专家小组会面。", {"script-mismatch"}),
    ("The government will intervene.", "政府會干預。", set()),
]


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(DATA / "checks" / "glossary.csv")


def run(entries: list[Message], glossary) -> list:
    catalog = Catalog(Message(""), tuple(entries), path="x.po")
    matcher = glossary.matcher("en", "zh-Hant-HK")
    return check_catalogs([CheckedCatalog(catalog, "zh_Hant_HK", matcher)], source_language="en")


def test_planted_suite_precision_and_recall(glossary, planted_scores: dict[str, float]) -> None:
    messages = [Message(source, target, context=str(n), line=n + 1) for n, (source, target, _) in enumerate(CASES)]
    found = {(int(f.msgctxt), f.check) for f in run(messages, glossary)}
    wanted = {(n, check) for n, (_, _, checks) in enumerate(CASES) for check in checks}
    true_positive = len(found & wanted)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(wanted)
    planted_scores.update(precision=precision, recall=recall, cases=len(CASES), wanted=len(wanted), found=len(found))
    misses = [(CASES[n][0], CASES[n][1], check) for n, check in sorted(wanted - found)]
    extras = [(CASES[n][0], CASES[n][1], check) for n, check in sorted(found - wanted)]
    assert not misses and not extras, f"missed: {misses}\nfalse alarms: {extras}"


def test_status_checks_and_silencing(glossary) -> None:
    entries = [
        Message("Untranslated.", "", line=1),
        Message("Needs review.", "要覆核。", flags=("fuzzy",), line=2),
        Message("The group held its ninth meeting.", "小組舉行第十次會議。", flags=("no-duet-number-check",), line=3),
    ]
    findings = run(entries, glossary)
    assert [(f.check, f.silenced) for f in findings] == [
        ("untranslated", False), ("fuzzy", False), ("number-mismatch", True),
    ]


def test_one_sentence_translated_two_ways_is_reported_at_both(glossary) -> None:
    entries = [Message("The meeting ended.", "會議結束。", context="a", line=1), Message("The meeting ended.", "會議完結。", context="a", line=9)]
    findings = run(entries, glossary)
    assert [(f.check, f.loc.line) for f in findings] == [("inconsistent-translation", 1), ("inconsistent-translation", 9)]
