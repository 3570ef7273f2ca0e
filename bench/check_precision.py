"""Precision of ``duet check`` (and of translate-toolkit's ``pofilter``) on professional translations.

Input (read from ``../shared/data``, never copied into the repository):

- the 17 English ↔ Chinese press-release pairs of
  ``hk-gov-press-releases-2026-01-22/pairs.jsonl``: title plus body, aligned
  paragraph by paragraph (SOURCE.md gives no sentence alignment; blank lines
  separate paragraphs, and where the two sides have different paragraph
  counts a length-based 1-1 / 2-1 / 1-2 alignment decides);
- the 4,721 HKMA annual-report paragraph pairs of
  ``hkma-annual-reports-wmt25/paragraphs_same_count.jsonl``;
- a glossary CSV built from ``hkma-annual-reports-wmt25/glossary_proper.tsv``
  (see :func:`build_glossary`).

Every pair becomes one PO entry (msgid English, msgstr Chinese), one PO file
per release or report chapter, written under ``bench/data/precision/``
(git-ignored) and read back with Duet's PO reader, so that findings have lines
and ``pofilter`` reads the very same files. Then every Duet check runs (one
workspace per corpus, so ``inconsistent-translation`` compares within a
corpus) and every finding is classified as a *real* inconsistency or a
*false positive*: by a rule where a rule is safe (listed in ``RULES`` of the
README section), else by a verdict recorded by hand in ``VERDICTS`` below
after reading the finding. Findings with neither are *unclassified*; for a
check with many findings the hand-read sample gives the estimated FP rate.

    python bench/check_precision.py                 # both corpora, Duet and pofilter
    python bench/check_precision.py --skip-pofilter
    python bench/check_precision.py --show glossary-missing --corpus press --limit 50
"""

from __future__ import annotations

import argparse
import functools
import collections
import csv
import hashlib
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import typing as t
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared" / "data"
PRESS = SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl"
HKMA = SHARED / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl"
HKMA_GLOSSARY = SHARED / "hkma-annual-reports-wmt25" / "glossary_proper.tsv"
OUT = REPO / "bench" / "data" / "precision"

CHECKS = ("glossary-missing", "glossary-forbidden", "inconsistent-translation", "number-mismatch", "punctuation",
          "script-mismatch", "untranslated", "fuzzy")
TARGET = "zh_Hant_HK"


def shared_data_present() -> bool:
    return PRESS.exists() and HKMA.exists() and HKMA_GLOSSARY.exists()


# Corpora -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """One aligned unit: English and Chinese text, where it comes from (document, paragraph numbers)."""

    doc: str
    para: str  # "t" for a title, else the 1-based paragraph number(s) on each side: "3" or "3+4=3"
    en: str
    zh: str


def _paragraphs(text: str) -> list[str]:
    """Non-blank lines, stripped: the releases separate paragraphs by blank lines, list items by newlines."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def align_paragraphs(en: list[str], zh: list[str], ratio: float = 0.3) -> list[tuple[list[int], list[int]]]:
    """Paragraph alignment: 1-1 when the counts agree, else a length-based dynamic program
    (after Gale & Church: a bead costs its length deviation from ``ratio`` (Chinese
    characters per English character, 0.29 on these releases) scaled by the square
    root of its length, plus 2 unless it is 1-1, plus 1.5 when one side ends with a
    colon and the other does not; beads are 1-1, 2-1 and 1-2).

    >>> align_paragraphs(["a" * 30 + ":", "b" * 50 + ":", "c" * 39 + ".", "d" * 253 + "."], ["甲" * 13 + "：", "乙" * 11 + "：", "丙" * 81 + "。"])
    [([0], [0]), ([1], [1]), ([2, 3], [2])]
    """
    if len(en) == len(zh):
        return [([i], [i]) for i in range(len(en))]
    inf = float("inf")
    n, m = len(en), len(zh)
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int]] = {}
    cost[0][0] = 0.0

    def bead(es: list[str], zs: list[str]) -> float:
        le, lz = sum(map(len, es)), sum(map(len, zs))
        colon = es[-1].rstrip().endswith(":") != zs[-1].rstrip().endswith(("：", ":"))
        return (abs(lz - ratio * le) / math.sqrt(ratio * le + 1) + (0.0 if len(es) == len(zs) == 1 else 2.0)
                + 1.5 * colon)

    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for di, dj in ((1, 1), (2, 1), (1, 2)):
                if i + di <= n and j + dj <= m:
                    c = cost[i][j] + bead(en[i:i + di], zh[j:j + dj])
                    if c < cost[i + di][j + dj]:
                        cost[i + di][j + dj] = c
                        back[(i + di, j + dj)] = (i, j)
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[(i, j)]
        out.append((list(range(pi, i)), list(range(pj, j))))
        i, j = pi, pj
    return out[::-1]


def press_pairs(path: Path = PRESS) -> list[Pair]:
    pairs: list[Pair] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = f"pr{record['pair_id']:02d}"
        pairs.append(Pair(doc, "t", record["title_en"].strip(), record["title_zh"].strip()))
        en, zh = _paragraphs(record["en"]), _paragraphs(record["zh"])
        for es, zs in align_paragraphs(en, zh):
            label = "+".join(str(i + 1) for i in es)
            if es != zs:
                label += "=" + "+".join(str(j + 1) for j in zs)
            pairs.append(Pair(doc, label, " ".join(en[i] for i in es), "".join(zh[j] for j in zs)))
    return pairs


def hkma_pairs(path: Path = HKMA) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        pairs.append(Pair(f"hkma{r['year']}-{r['doc']:02d}", str(r["para"] + 1), r["en"].strip(), r["zh"].strip()))
    return pairs


# Glossary ----------------------------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# An English term that is only an amount: digits, currency, scale and unit words (HK$68.1 billion, 2.5%).
_AMOUNT = re.compile(
    r"(?:[~≈<>+\-–]|HK\$|US\$|RMB|HKD|USD|\$|¥|€|£|\d[\d,.]*|%|per\s*cent|percent|percentage\s+points?|"
    r"bn|mn|billion|million|thousand|trillion|basis\s+points?|bps|years?|months?|days?|times|over|about|around|"
    r"some|nearly|almost|more\s+than|less\s+than|to|and|or|\s)+", re.I)


def is_amount(en: str) -> bool:
    """Whether an English term is a bare quantity, not a name (``HKAS 17`` and ``Phase 2`` are names).

    >>> [is_amount(x) for x in ("HK$68.1 billion", "2.5%", "over 1,000", "HKAS 17", "T+3", "2015")]
    [True, True, True, False, False, True]
    """
    return bool(re.search(r"\d", en)) and bool(_AMOUNT.fullmatch(en.strip()))


def core_forms(zh: str) -> list[str]:
    """Trivial variants of a Chinese rendering: without 《》「」〈〉 and spaces beside Chinese;
    for a rendering that ends in a bracketed short form, each half alone
    (香港金融管理局（金管局） → 香港金融管理局, 金管局), as HKMA's own texts use either
    after the first mention.

    >>> core_forms("《支付系統及儲值支付工具條例》（《支付條例》）")
    ['支付系統及儲值支付工具條例（支付條例）', '支付系統及儲值支付工具條例', '支付條例']
    >>> core_forms("2015 年第四條磋商討論")
    ['2015年第四條磋商討論']
    """
    out = []
    bare = re.sub(r"[《》「」〈〉]", "", zh)
    bare = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", bare).strip()
    if bare and bare != zh:
        out.append(bare)
    bracket = re.search(r"\s*[（(]([^（）()]*)[）)]$", bare)
    if bracket:
        for form in (bare[:bracket.start()].strip(), bracket.group(1).strip()):
            if form and form not in (zh, bare, *out) and re.search(f"[{_CJK}]", form):
                out.append(form)
    return out


def is_truncated(en: str, zh: str) -> bool:
    """Whether a row's English was cut at a comma: the Chinese lists (、) what the English does not.

    ``property`` ↔ ``物業、設備及器材`` is "property, plant and equipment" cut short;
    ``ESG`` ↔ ``環境、社會及管治`` is an acronym and stays.

    >>> is_truncated("property", "物業、設備及器材"), is_truncated("ESG", "環境、社會及管治")
    (True, False)
    """
    return "、" in zh and not re.search(r",|\band\b|&|/|;", en) and not re.search(r"\b[A-Z]{2,}", en)


@dataclass
class GlossaryStats:
    rows: int = 0
    amounts: int = 0
    truncated: int = 0
    empty: int = 0
    terms: int = 0
    merged_spellings: int = 0  # English spellings folded into another (case, hyphen, apostrophe)
    with_variants: int = 0
    derived_variants: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)


def build_glossary(tsv: Path = HKMA_GLOSSARY) -> tuple[str, GlossaryStats]:
    """Glossary CSV text from the WMT25 ``proper`` dictionaries, and what was done to them.

    - English terms that are bare amounts (``HK$68.1 billion`` ↔ ``681億港元``) are dropped:
      they are numbers, which ``number-mismatch`` checks, not terminology;
    - English spellings that Duet's matcher folds to the same key (case, hyphens,
      ’ vs ', & vs and) are one term, spelled as the most frequent spelling;
    - the most frequent Chinese rendering (over all rows of all years; ties: the
      latest year, then the shortest) is approved, every other rendering is a
      ``zh-Hant-HK:variants`` item (2015–2024 renderings all were HKMA's own);
    - the trivial variants of each rendering (:func:`core_forms`) are added as
      variants too; typos are kept as they are (an English typo only matches the
      same typo, a Chinese one only widens what is accepted).
    """
    from pipeline.glossary.normalize import english_key

    stats = GlossaryStats()
    spellings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    renderings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    latest: dict[tuple[str, str], int] = {}
    with tsv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            stats.rows += 1
            en, zh = unicodedata.normalize("NFC", row["en"].strip()), row["zh_hk"].strip()
            if not en or not zh:
                stats.empty += 1
                continue
            if is_amount(en):
                stats.amounts += 1
                stats.examples.setdefault("amounts", []).append(f"{en} ↔ {zh}")
                continue
            if is_truncated(en, zh):
                stats.truncated += 1
                stats.examples.setdefault("truncated", []).append(f"{en} ↔ {zh}")
                continue
            key = english_key(en).folded
            spellings[key][en] += 1
            renderings[key][zh] += 1
            latest[(key, zh)] = max(latest.get((key, zh), 0), int(row["year"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["en", "zh-Hant-HK", "zh-Hant-HK:variants", "note"])
    for key in sorted(spellings, key=lambda k: spellings[k].most_common(1)[0][0].lower()):
        en = spellings[key].most_common(1)[0][0]
        stats.merged_spellings += len(spellings[key]) - 1
        ranked = sorted(renderings[key].items(), key=lambda kv: (-kv[1], -latest[(key, kv[0])], len(kv[0]), kv[0]))
        approved = ranked[0][0]
        variants = [zh for zh, _ in ranked[1:]]
        for zh, _ in ranked:
            for form in core_forms(zh):
                if form != approved and form not in variants:
                    variants.append(form)
                    stats.derived_variants += 1
        variants = [v.replace(";", "；") for v in variants]
        stats.terms += 1
        stats.with_variants += bool(variants)
        note = "; ".join(f"{zh} ×{n}" for zh, n in ranked) if len(ranked) > 1 else ""
        writer.writerow([en, approved, "; ".join(variants), note])
    return out.getvalue(), stats


# Catalogs ----------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """A corpus written as PO files and read back: catalogs, and where each entry came from."""

    name: str
    folder: Path
    catalogs: list[t.Any]  # pipeline.model.Catalog
    origin: dict[tuple[str, int], Pair]  # (PO path, msgid line) → pair

    @property
    def entries(self) -> int:
        return sum(len(c.live) for c in self.catalogs)


def write_corpus(name: str, pairs: list[Pair], folder: Path) -> Corpus:
    """One PO file per document; a msgid repeated in a document goes to ``<doc>.N.po``."""
    from pipeline.formats.po import read_po, write_po
    from pipeline.model import Catalog, Message

    header = Message("", "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
                         f"Language: {TARGET}\nX-Source: ../shared/data (not redistributable)\n")
    by_file: dict[str, list[Message]] = collections.defaultdict(list)
    ids: dict[str, set[str]] = collections.defaultdict(set)
    pair_of: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        n = 1
        while pair.en in ids[f"{pair.doc}.{n}"]:
            n += 1
        stem = pair.doc if n == 1 else f"{pair.doc}.{n}"
        ids[f"{pair.doc}.{n}"].add(pair.en)
        by_file[stem].append(Message(pair.en, pair.zh, notes=(f"{pair.doc} paragraph {pair.para}",)))
        pair_of[(stem, pair.en)] = pair
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    catalogs = []
    origin: dict[tuple[str, int], Pair] = {}
    for stem, messages in by_file.items():
        path = folder / f"{stem}.po"
        write_po(path, Catalog(header, tuple(messages)))
        catalog = read_po(path, display=str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path))
        catalogs.append(catalog)
        for message in catalog.live:
            origin[(catalog.path, message.line)] = pair_of[(stem, message.id)]
    return Corpus(name, folder, catalogs, origin)


def run_duet(corpus: Corpus, glossary_csv: Path) -> list[t.Any]:
    from pipeline.checks import CheckedCatalog, check_catalogs
    from pipeline.glossary import load_glossary

    matcher = load_glossary(glossary_csv).matcher("en", "zh-Hant-HK")
    return check_catalogs([CheckedCatalog(c, TARGET, matcher) for c in corpus.catalogs], source_language="en")


# Classification ----------------------------------------------------------------------------------


def finding_key(finding: t.Any, pair: Pair) -> str:
    """A stable key for a hand verdict: document, paragraph, check, and the English term or a hash of the message."""
    detail = finding.term or hashlib.sha1(finding.message.encode()).hexdigest()[:8]
    return f"{pair.doc}:{pair.para}:{finding.check}:{detail}"


Verdict = t.Literal["real", "fp"]


def classify(finding: t.Any, pair: Pair) -> tuple[Verdict | None, str, str]:
    """``(verdict, reason, how)``: how is "rule", "hand" or "" (unclassified)."""
    rule = RULES.get(finding.check)
    if rule is not None:
        verdict = rule(finding, pair)
        if verdict is not None:
            return verdict[0], verdict[1], "rule"
    hand = VERDICTS.get(finding_key(finding, pair))
    if hand is not None:
        return hand[0], REASONS.get(hand[1], hand[1]), "hand"
    return None, "", ""


_TRIVIAL_MARKS = re.compile(r"[《》「」『』〈〉“”‘’\"'\s]")
_BRACKETED = re.compile(r"[（(][^（）()]{1,20}[）)]")


def _trivial(text: str) -> str:
    """Chinese text without quotes, spaces, short bracketed inserts and 的, with 與/和/以及 as 及."""
    text = unicodedata.normalize("NFKC", text)
    text = _BRACKETED.sub("", text)
    text = _TRIVIAL_MARKS.sub("", text)
    return re.sub("以及|與|和", "及", text).replace("的", "")


def _rule_glossary_missing(finding: t.Any, pair: Pair) -> tuple[Verdict, str] | None:
    """FP when an accepted rendering is there once quotes, spaces, bracketed inserts, 的 and the
    conjunction (及/與/和) are ignored: 「大至不能倒」問題, 信用、流動性與利率風險."""
    forms = [finding.expected or ""] + re.findall(r"'([^']+)'", finding.message.partition(" (or ")[2])
    target = _trivial(pair.zh)
    if any(f and _trivial(f) and _trivial(f) in target for f in forms):
        return "fp", "rendered, modulo quotes/brackets/spacing/的/conjunction (rule)"
    return None


def _rule_inconsistent(finding: t.Any, pair: Pair) -> tuple[Verdict, str] | None:
    """FP when the renderings differ only in punctuation, spaces, dashes or the Markdown '#';
    else real: the same English paragraph has differently worded translations."""
    renderings = re.findall(r"'((?:[^']|'(?! \())*)' \(", finding.message)
    if len(renderings) >= 2:
        keys = {re.sub(r"[\W_#]", "", unicodedata.normalize("NFKC", r)) for r in renderings}
        if len(keys) == 1:
            return "fp", "renderings differ only in punctuation, spacing or '#' (rule)"
    return "real", "same English, differently worded translations (rule)"


@functools.lru_cache(maxsize=1)
def regional_standard_forms() -> frozenset[str]:
    """Characters that OpenCC's HKVariants or TWVariants tables give as the regional standard form
    (祕 → 秘, 峯 → 峰, 羣 → 群, 溫 → 温), plus 恒 (HK's standard form, as in 恒生)."""
    import opencc

    root = Path(opencc.__file__).parent / "clib"
    forms = {"恒"}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("HKVariants", "TWVariants"):
            dumped = Path(folder) / f"{name}.txt"
            subprocess.run([root / "bin" / "opencc_dict", "-i", root / "share" / "opencc" / f"{name}.ocd2",
                            "-o", dumped, "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
            for line in dumped.read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                forms.update(v for v in values.split() if len(v) == 1)
    return frozenset(forms)


def _rule_script(finding: t.Any, pair: Pair) -> tuple[Verdict, str] | None:
    flagged = re.findall(r"(\S) \(", finding.message.partition(" translation: ")[2])
    if flagged and all(c in regional_standard_forms() for c in flagged):
        return "fp", "HK/TW standard form (OpenCC HKVariants/TWVariants, or 恒) (rule)"
    return None


def _rule_punctuation(finding: t.Any, pair: Pair) -> tuple[Verdict, str] | None:
    message = finding.message
    if message.startswith(("half-width '('", "half-width ')'")):
        # Every half-width bracket pair in the translation around Latin-only text: HKMA's house
        # style (197 such pairs against 2 full-width ones) and Duet's own rule for embedded Latin.
        pairs = re.findall(r"\(([^()]*)\)", pair.zh)
        stray = re.sub(r"\([^()]*\)", "", pair.zh)
        if pairs and all(not re.search(f"[{_CJK}]", p) for p in pairs) and not re.search(r"[()]", stray):
            return "fp", "half-width brackets around Latin-only text: (DLT), (i), 3(1) (rule)"
    if message.startswith("'「' is never closed"):
        return "real", "an unclosed 「 in the text (rule)"
    if message.startswith("the source ends a sentence"):
        if pair.zh.rstrip().endswith(("：", ":")):
            return "fp", "the translation ends with a colon introducing what follows (rule)"
    return None


def _rule_numbers(finding: t.Any, pair: Pair) -> tuple[Verdict, str] | None:
    """FP when the unmatched number is a footnote marker or sits in a word glued by PDF extraction:
    'rates5', '(HKIMR)3', 'in 20092', 'onethird', 'billionequivalent', 'midSeptember'."""
    number = re.search(r"has (?:no )?([\d,.]+)", finding.message)
    if not number:
        return None
    digits = number.group(1).replace(",", "")
    if re.search(rf"(?:[a-z)]|\d{{4}}){re.escape(digits[-2:])}\b", pair.en) and len(digits.lstrip("0")) <= 2 \
            or re.search(rf"\d{{4}}{re.escape(digits[4:])}\b", pair.en) and len(digits) in (5, 6):
        return "fp", "footnote marker glued to a word or year by the PDF extraction (rule)"
    if re.search(r"[a-z](?:third|quarter|billion|million)|billion[a-z]|mid[A-Z]", pair.en):
        return "fp", "words glued by the PDF extraction (onethird, billionequivalent) (rule)"
    return None


RULES: dict[str, t.Callable[[t.Any, Pair], tuple[Verdict, str] | None]] = {
    "glossary-missing": _rule_glossary_missing,
    "inconsistent-translation": _rule_inconsistent,
    "script-mismatch": _rule_script,
    "punctuation": _rule_punctuation,
    "number-mismatch": _rule_numbers,
}

# Hand verdicts ----------------------------------------------------------------------------------

REASONS = {
    # false positives
    "sense": "FP: the glossary entry is another sense of a general word (議員 for 'members of the public', 倉盤 for job 'positions')",
    "homonym": "FP: the abbreviation means something else here (BO = Buildings Ordinance, not Banking Ordinance; Cap. = chapter)",
    "name": "FP: the term is part of a name that has its own rendering (Government Offices 政府合署, 節能綠建)",
    "deixis": "FP: Hong Kong as 本港 or inside a compound (港元, 港幣, 粵港澳)",
    "restructured": "FP: rendered by restructuring (a verb, reordered or split by an inserted word, a paraphrase)",
    "short": "FP: the defined short form of a long name (《香港分類目錄》)",
    "code": "FP: matched inside a code the translation copies verbatim (#HKPF-eTT)",
    "noise": "FP: the glossary entry is wrong or cut (monetary → 主管貨幣事務副總裁, benchmark → 新基準, typo)",
    "heading": "FP: a freely translated heading",
    "name-char": "FP: a person's name written with that character (李慧琼)",
    "latin-token": "FP: '.' begins a Latin token (「.gov.hk」)",
    "colon": "FP: the translation ends with a colon introducing what follows",
    "extraction": "FP: PDF-extraction artefact in the corpus (footnote numbers glued to words, merged words)",
    "acronym": "FP: the number is inside a name the source gives as an acronym (PLGS ↔ 「百分百擔保個人特惠貸款計劃」)",
    "figure": "FP: Duet's Chinese footnote rule takes the figure number of （圖示1） for a footnote",
    "pp": "FP: an English number word before 'percentage point(s)' is not read as a percent (one percentage point ↔ 一個百分點)",
    "quoted-title": "FP: the English ends with a quoted title's '!', the Chinese caption needs no 。",
    "latin-bracket": "FP: half-width brackets around Latin-only text, HKMA's house style",
    "enumerator": "FP: the list enumerator style 1）2）3）",
    "implicit": "FP: a number the other language leaves implicit or expresses as a word (兩間, 一級 'primary', 七大工業國 'G7', 24小時 'round-the-clock', 再三)",
    # real
    "wording": "real: same concept, worded differently from every glossary rendering (紓困 vs 紓緩, 短訊 vs 手機短訊)",
    "error": "real: an error in the translation (跨境支 for 跨境支付)",
    "added": "real: the translation adds or drops a number (「3060」 目標, a missing list number)",
    "non-hk-char": "real: a Simplified/non-standard character in the Traditional text (對冲 for 對沖)",
    "no-stop": "real: the translation lacks its final 。 (some paragraphs are cut by the PDF extraction)",
    "cjk-bracket": "real: half-width brackets around Chinese text (總結餘(進行貼現窗活動前))",
    "unclosed": "real: an unclosed bracket",
    "halfwidth-cjk": "real: half-width '!' after Chinese",
}

# finding_key → (verdict, reason code). Press releases: every finding; HKMA: the findings of a
# seeded random sample per check that no rule classifies (see ``sample``).
VERDICTS: dict[str, tuple[Verdict, str]] = {
    'pr01:8:glossary-missing:funding support': ('fp', 'restructured'),
    'pr01:8:glossary-missing:research': ('fp', 'sense'),
    'pr03:1:glossary-missing:Careers': ('fp', 'name'),
    'pr03:1:glossary-missing:professionalism': ('real', 'wording'),
    'pr03:3:glossary-missing:Members': ('fp', 'sense'),
    'pr03:3:glossary-missing:positions': ('fp', 'sense'),
    'pr03:t:glossary-missing:HKPF': ('real', 'wording'),
    'pr03:t:glossary-missing:professionalism': ('real', 'wording'),
    "pr04:13:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    'pr04:14:glossary-missing:statistics': ('real', 'wording'),
    "pr04:1:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    "pr04:2:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    "pr04:3:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    "pr04:4:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    "pr04:7:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    "pr04:8:glossary-missing:Government's one-off relief measures": ('real', 'wording'),
    'pr05:1:glossary-missing:SMS messages': ('real', 'wording'),
    'pr05:1:glossary-missing:members': ('fp', 'sense'),
    'pr05:2:glossary-missing:Members': ('fp', 'sense'),
    'pr05:2:glossary-missing:SMS messages': ('real', 'wording'),
    'pr05:3:glossary-missing:members': ('fp', 'sense'),
    'pr05:4:glossary-missing:SMS messages': ('real', 'wording'),
    'pr05:5:glossary-missing:Members': ('fp', 'sense'),
    'pr05:5:glossary-missing:SMS messages': ('real', 'wording'),
    'pr05:7:glossary-missing:HKPF': ('fp', 'code'),
    'pr05:8:glossary-missing:Members': ('fp', 'sense'),
    'pr05:8:glossary-missing:SMS messages': ('real', 'wording'),
    'pr05:9:punctuation:29e242a5': ('fp', 'latin-token'),
    'pr05:t:glossary-missing:SMS messages': ('real', 'wording'),
    'pr06:1:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'pr06:2:glossary-missing:guideline': ('fp', 'sense'),
    'pr06:3:glossary-missing:Control': ('fp', 'sense'),
    'pr06:3:glossary-missing:Control Measures': ('fp', 'sense'),
    'pr07:1:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'pr07:t:glossary-missing:Exchange Rate': ('fp', 'name'),
    'pr08:1:script-mismatch:737f933e': ('fp', 'name-char'),
    'pr08:2:glossary-missing:establishment': ('fp', 'sense'),
    'pr08:2:script-mismatch:737f933e': ('fp', 'name-char'),
    'pr08:4:glossary-missing:non-governmental organisations': ('real', 'wording'),
    'pr08:t:script-mismatch:737f933e': ('fp', 'name-char'),
    "pr09:2:glossary-missing:Authority's": ('fp', 'sense'),
    'pr10:2:glossary-missing:capital flows': ('real', 'wording'),
    'pr10:2:glossary-missing:low‑carbon economy': ('fp', 'restructured'),
    'pr10:4:glossary-missing:group': ('fp', 'sense'),
    'pr10:4:glossary-missing:non-government organisations': ('real', 'wording'),
    'pr10:5:glossary-missing:Finance': ('fp', 'short'),
    'pr10:5:glossary-missing:Hong Kong Taxonomy for Sustainable Finance': ('fp', 'short'),
    'pr10:5:glossary-missing:Sustainable Finance': ('fp', 'short'),
    'pr10:5:glossary-missing:consultation': ('fp', 'sense'),
    'pr10:6:glossary-missing:technological advancements': ('real', 'wording'),
    'pr10:7:glossary-missing:consultation': ('fp', 'sense'),
    'pr11:3:glossary-missing:letters': ('real', 'wording'),
    'pr12:1:glossary-missing:provisions': ('fp', 'sense'),
    'pr12:3:glossary-missing:Offices': ('fp', 'name'),
    'pr12:7:glossary-missing:Offices': ('fp', 'name'),
    'pr14:1:glossary-missing:groups': ('fp', 'sense'),
    'pr14:1:glossary-missing:non-governmental organisations': ('real', 'wording'),
    'pr15:1:glossary-missing:BO': ('fp', 'homonym'),
    'pr15:1:glossary-missing:Cap': ('fp', 'homonym'),
    'pr15:2:glossary-missing:BO': ('fp', 'homonym'),
    'pr15:3:glossary-missing:enforcement': ('real', 'wording'),
    'pr15:4:glossary-missing:BO': ('fp', 'homonym'),
    'pr17:4:glossary-missing:waste management': ('real', 'wording'),
    'pr17:5:glossary-missing:energy saving': ('fp', 'name'),
    'pr17:5:glossary-missing:green buildings': ('fp', 'name'),
    # HKMA glossary-missing: 60 findings drawn at random (seed 7) from all of them, read by hand
    'hkma2015-02:7:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'hkma2015-06:43:glossary-missing:"too big to fail" problem': ('fp', 'restructured'),
    'hkma2015-06:47:glossary-missing:onshore renminbi': ('fp', 'restructured'),
    'hkma2016-02:29:glossary-missing:infrastructure financing hub': ('fp', 'restructured'),
    'hkma2016-05:2:glossary-missing:selling practices': ('fp', 'restructured'),
    'hkma2016-05:31:glossary-missing:AML': ('real', 'wording'),
    'hkma2016-06:16:glossary-missing:Mainland authorities': ('fp', 'restructured'),
    'hkma2017-00:15:glossary-missing:city cluster': ('fp', 'noise'),
    'hkma2017-00:20:glossary-missing:defensive measures': ('real', 'wording'),
    'hkma2017-00:5:glossary-missing:banking': ('fp', 'restructured'),
    'hkma2017-01:19:glossary-missing:professional development of staff': ('fp', 'restructured'),
    'hkma2017-02:94:glossary-missing:Monetary': ('fp', 'noise'),
    'hkma2017-03:7:glossary-missing:Initial Public Offeringrelated funding demand': ('fp', 'restructured'),
    'hkma2018-00:7:glossary-missing:Hong Kong’s': ('fp', 'deixis'),
    'hkma2018-03:29:glossary-missing:market sentiments': ('real', 'wording'),
    'hkma2018-04:9:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'hkma2019-00:12:glossary-missing:Banking': ('fp', 'heading'),
    'hkma2019-00:9:glossary-missing:monetary and banking stability': ('fp', 'restructured'),
    'hkma2019-03:10:glossary-missing:nominal wages': ('fp', 'restructured'),
    'hkma2019-03:12:glossary-missing:seasonally adjusted': ('real', 'wording'),
    'hkma2019-05:20:glossary-missing:principles': ('fp', 'noise'),
    'hkma2019-06:18:glossary-missing:convergence of banking and technology': ('real', 'wording'),
    'hkma2019-06:35:glossary-missing:Reshaping Banking with Artificial Intelligence': ('fp', 'noise'),
    'hkma2019-09:29:glossary-missing:group': ('fp', 'sense'),
    'hkma2020-00:10:glossary-missing:COVID-19': ('fp', 'restructured'),
    'hkma2020-02:81:glossary-missing:Authority': ('fp', 'sense'),
    'hkma2020-03:20:glossary-missing:external': ('fp', 'noise'),
    'hkma2020-04:20:glossary-missing:temporary US Dollar Liquidity Facility': ('real', 'wording'),
    'hkma2020-06:12:glossary-missing:members': ('fp', 'sense'),
    'hkma2020-06:21:glossary-missing:turnover': ('real', 'wording'),
    'hkma2020-07:23:glossary-missing:portfolios': ('real', 'wording'),
    'hkma2021-02:105:glossary-missing:cross-border payments': ('real', 'error'),
    'hkma2021-04:5:glossary-missing:gross domestic product': ('fp', 'restructured'),
    'hkma2021-04:7:glossary-missing:seasonally-adjusted quarter-on-quarter rates of change': ('fp', 'restructured'),
    'hkma2021-05:46:glossary-missing:webinar': ('real', 'wording'),
    'hkma2021-05:7:glossary-missing:Hong Kong dollar exchange rate': ('real', 'wording'),
    'hkma2021-06:11:glossary-missing:monetary': ('fp', 'noise'),
    'hkma2021-06:34:glossary-missing:sound practices': ('real', 'wording'),
    'hkma2021-07:15:glossary-missing:average daily turnover': ('real', 'wording'),
    'hkma2021-10:40:glossary-missing:net-zero transition': ('fp', 'restructured'),
    'hkma2022-03:33:glossary-missing:industry consultation': ('fp', 'restructured'),
    'hkma2022-03:3:glossary-missing:emerging risks': ('real', 'wording'),
    'hkma2022-06:34:glossary-missing:webinars': ('real', 'wording'),
    'hkma2022-08:4:glossary-missing:position': ('fp', 'sense'),
    'hkma2023-00:12:glossary-missing:liquidity buffers': ('fp', 'restructured'),
    'hkma2023-00:16:glossary-missing:investor protection': ('fp', 'restructured'),
    'hkma2023-00:1:glossary-missing:Resilience': ('fp', 'heading'),
    'hkma2023-08:21:glossary-missing:banking': ('fp', 'sense'),
    'hkma2023-09:10:glossary-missing:central banking community': ('real', 'wording'),
    'hkma2023-10:17:glossary-missing:benchmark': ('fp', 'noise'),
    'hkma2024-00:9:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'hkma2024-02:81:glossary-missing:banking products and services': ('fp', 'restructured'),
    'hkma2024-07:21:glossary-missing:credit, liquidity and interest rate risks': ('fp', 'restructured'),
    'hkma2024-07:42:glossary-missing:Monetary': ('fp', 'noise'),
    'hkma2024-07:43:glossary-missing:research': ('fp', 'sense'),
    'hkma2024-09:21:glossary-missing:small and medium-sized enterprises': ('real', 'wording'),
    'hkma2024-10:31:glossary-missing:major central banks': ('real', 'wording'),
    'hkma2024-11:43:glossary-missing:Hong Kong': ('fp', 'deixis'),
    'hkma2024-12:28:glossary-missing:interests in associates and joint ventures': ('fp', 'restructured'),
    'hkma2024-12:56:glossary-missing:Financial Secretary as Controller of the Exchange Fund': ('fp', 'restructured'),
    # HKMA number-mismatch, punctuation, script-mismatch: every finding no rule classifies, read by hand
    'hkma2015-02:14:number-mismatch:d198160e': ('real', 'added'),
    'hkma2015-04:4:number-mismatch:c7876716': ('fp', 'extraction'),
    'hkma2015-04:6:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2015-05:35:number-mismatch:504d2c01': ('real', 'added'),
    'hkma2015-07:11:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2015-08:43:number-mismatch:d198160e': ('real', 'added'),
    'hkma2016-00:13:punctuation:c830565f': ('fp', 'latin-bracket'),
    'hkma2016-02:52:number-mismatch:127452ca': ('fp', 'implicit'),
    'hkma2017-00:3:number-mismatch:21ee1f8a': ('real', 'added'),
    'hkma2017-04:16:number-mismatch:3636e850': ('fp', 'extraction'),
    'hkma2017-04:16:number-mismatch:a7e1afe4': ('fp', 'extraction'),
    'hkma2017-04:16:number-mismatch:c5c395d5': ('fp', 'extraction'),
    'hkma2017-06:19:number-mismatch:68e8090a': ('fp', 'implicit'),
    'hkma2018-04:21:number-mismatch:926f1f4a': ('real', 'added'),
    'hkma2018-07:30:number-mismatch:8f2c5db5': ('fp', 'implicit'),
    'hkma2019-04:13:punctuation:3ecb847e': ('real', 'cjk-bracket'),
    'hkma2019-04:4:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2019-06:14:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2019-06:4:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2019-08:12:punctuation:72045728': ('real', 'cjk-bracket'),
    'hkma2019-08:19:punctuation:57eae467': ('real', 'cjk-bracket'),
    'hkma2020-02:24:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2020-04:36:punctuation:f78ca6e6': ('real', 'cjk-bracket'),
    'hkma2020-07:34:number-mismatch:4c774bdf': ('fp', 'implicit'),
    'hkma2020-09:15:punctuation:056d89e5': ('fp', 'latin-bracket'),
    'hkma2020-09:46:number-mismatch:7860d349': ('fp', 'implicit'),
    'hkma2021-02:119:punctuation:aaeeb4fe': ('fp', 'enumerator'),
    'hkma2021-02:4:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2021-02:59:number-mismatch:873a46be': ('fp', 'acronym'),
    'hkma2021-03:41:number-mismatch:8168aa6e': ('fp', 'extraction'),
    'hkma2021-04:12:number-mismatch:6315a134': ('fp', 'extraction'),
    'hkma2021-04:12:number-mismatch:405a22b0': ('fp', 'extraction'),  # December6 is read as a code, not a month
    'hkma2021-04:2:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2021-05:11:number-mismatch:d198160e': ('real', 'added'),
    'hkma2021-05:4:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2021-06:35:number-mismatch:d198160e': ('fp', 'figure'),
    'hkma2021-06:37:punctuation:fc97e4be': ('fp', 'quoted-title'),
    'hkma2021-07:37:number-mismatch:4adec497': ('fp', 'implicit'),
    'hkma2021-08:17:number-mismatch:b0eb2890': ('fp', 'extraction'),
    'hkma2021-08:28:punctuation:45276465': ('fp', 'latin-bracket'),
    'hkma2021-08:9:number-mismatch:d198160e': ('fp', 'figure'),
    'hkma2021-10:11:number-mismatch:4f489598': ('real', 'added'),
    'hkma2021-10:8:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2022-00:17:punctuation:bbce3cb4': ('real', 'halfwidth-cjk'),
    'hkma2022-00:17:punctuation:fc97e4be': ('fp', 'heading'),
    'hkma2022-02:19:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2022-02:36:number-mismatch:873a46be': ('fp', 'acronym'),
    'hkma2022-02:87:number-mismatch:aaa0a798': ('fp', 'implicit'),
    'hkma2022-03:37:number-mismatch:5dfa22ac': ('fp', 'extraction'),
    'hkma2022-03:37:number-mismatch:30edd081': ('fp', 'extraction'),  # Pillar 32 (footnote 2) ↔ 第三支柱1
    'hkma2022-06:33:punctuation:cb359d3c': ('real', 'unclosed'),
    'hkma2022-07:42:punctuation:fc97e4be': ('fp', 'quoted-title'),
    'hkma2022-08:22:script-mismatch:b7d92e81': ('real', 'non-hk-char'),
    'hkma2022-09:8:number-mismatch:d198160e': ('fp', 'figure'),
    'hkma2022-10:33:punctuation:fc97e4be': ('fp', 'quoted-title'),
    'hkma2023-01:7:number-mismatch:363bf523': ('real', 'added'),
    'hkma2023-02:21:number-mismatch:873a46be': ('fp', 'acronym'),
    'hkma2023-02:61:number-mismatch:873a46be': ('fp', 'acronym'),
    'hkma2023-02:75:number-mismatch:240c9536': ('fp', 'acronym'),
    'hkma2023-07:15:number-mismatch:2b9516fe': ('fp', 'pp'),
    'hkma2023-08:37:number-mismatch:0dd79dcc': ('fp', 'pp'),
    'hkma2023-08:37:number-mismatch:1d409a25': ('fp', 'pp'),
    'hkma2023-09:5:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2023-10:17:number-mismatch:47670c5b': ('fp', 'extraction'),
    'hkma2023-10:9:number-mismatch:d198160e': ('fp', 'figure'),
    'hkma2023-11:38:punctuation:fc97e4be': ('fp', 'quoted-title'),
    'hkma2024-07:17:number-mismatch:930eeba9': ('fp', 'pp'),
    'hkma2024-07:50:number-mismatch:766b83e4': ('fp', 'implicit'),
    'hkma2024-09:3:punctuation:fc97e4be': ('real', 'no-stop'),
    'hkma2024-10:9:number-mismatch:d198160e': ('fp', 'figure'),
}


# Report ------------------------------------------------------------------------------------------


def has_number(text: str) -> bool:
    """Whether Duet's English number reader finds a number the translation must carry (not an implicit one)."""
    from pipeline.numbers.read import english_numbers

    return any(not q.implicit for q in english_numbers(text))


def sample(findings: list[t.Any], corpus: Corpus, check: str, size: int, seed: int = 7) -> list[t.Any]:
    """A seeded random sample of ``check``'s findings that no rule classifies."""
    pool = [f for f in findings if f.check == check and classify(f, corpus.origin[(f.loc.path, f.loc.line)])[2] != "rule"]
    random.Random(seed).shuffle(pool)
    return pool[:size]


@dataclass
class Row:
    check: str
    entries: int
    findings: int = 0
    real: int = 0
    fp: int = 0
    unclassified: int = 0
    by_rule: int = 0
    estimated_real: float = 0.0
    estimated_fp: float = 0.0


def tabulate(corpus: Corpus, findings: list[t.Any]) -> list[Row]:
    """Per check: findings, classified real/FP, and for unclassified findings an estimate from the
    hand-classified ones of the same check (which are a random sample of what no rule classifies)."""
    numbered = sum(has_number(m.id) for c in corpus.catalogs for m in c.live)
    rows = []
    for check in CHECKS:
        mine = [f for f in findings if f.check == check]
        row = Row(check, numbered if check == "number-mismatch" else corpus.entries, len(mine))
        hand_real = hand_fp = 0
        for f in mine:
            verdict, _, how = classify(f, corpus.origin[(f.loc.path, f.loc.line)])
            row.by_rule += how == "rule"
            if verdict == "real":
                row.real += 1
                hand_real += how == "hand"
            elif verdict == "fp":
                row.fp += 1
                hand_fp += how == "hand"
            else:
                row.unclassified += 1
        share = hand_real / (hand_real + hand_fp) if hand_real + hand_fp else 0.0
        row.estimated_real = row.real + share * row.unclassified
        row.estimated_fp = row.fp + (1 - share) * row.unclassified if hand_real + hand_fp else row.fp
        rows.append(row)
    return rows


def number_summary(corpus: Corpus, findings: list[t.Any]) -> str:
    """number-mismatch by severity, and the share of the entries with numbers that have any (the target: 1%)."""
    numbered = sum(has_number(m.id) for c in corpus.catalogs for m in c.live)
    mine = [f for f in findings if f.check == "number-mismatch"]
    errors = sum(f.severity == "error" for f in mine)
    entries = len({(f.loc.path, f.loc.line) for f in mine})
    erring = len({(f.loc.path, f.loc.line) for f in mine if f.severity == "error"})
    return (f"\nnumber-mismatch: {errors} errors, {len(mine) - errors} warnings (a value both sides say, not as often); "
            f"entries with a finding: {entries} of {numbered} with numbers ({100 * entries / max(numbered, 1):.2f}%), "
            f"with an error: {erring} ({100 * erring / max(numbered, 1):.2f}%)")


def format_table(name: str, rows: list[Row]) -> str:
    lines = [f"| {name}: check | entries | findings | real | FP | unclassified | est. real | est. FP | FP rate |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if not r.findings:
            lines.append(f"| {r.check} | {r.entries} | 0 | 0 | 0 | 0 | 0 | 0 | 0.0% |")
            continue
        lines.append(f"| {r.check} | {r.entries} | {r.findings} | {r.real} | {r.fp} | {r.unclassified} | "
                     f"{r.estimated_real:.0f} | {r.estimated_fp:.0f} | {100 * r.estimated_fp / r.entries:.1f}% |")
    return "\n".join(lines)


# pofilter ----------------------------------------------------------------------------------------


def run_pofilter(corpus: Corpus) -> dict[str, list[tuple[Pair, str]]]:
    """pofilter, every check, target language zh_HK, on the corpus's PO files: check → [(pair, note)]."""
    out = corpus.folder.with_name(corpus.folder.name + "-pofilter")
    if out.exists():
        shutil.rmtree(out)
    exe = Path(sys.executable).with_name("pofilter")
    subprocess.run([str(exe), "--progress=none", "--language=zh_HK", "-i", str(corpus.folder), "-o", str(out)],
                   check=True, capture_output=True)
    by_id = {(Path(path).name, pair.en): pair for (path, _), pair in corpus.origin.items()}
    found: dict[str, list[tuple[Pair, str]]] = collections.defaultdict(list)
    import polib

    for po in sorted(out.glob("*.po")):
        for entry in polib.pofile(str(po)):
            pair = by_id.get((po.name, entry.msgid))
            if pair is None:
                continue
            for comment in (entry.tcomment or "").splitlines():
                test = re.match(r"\(pofilter\) ([\w-]+): (.*)", comment)
                if test:
                    found[test.group(1)].append((pair, test.group(2)))
    return found


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HOST = re.compile(r"(?:https?://)?((?:www\.)?[\w-]+(?:\.[\w-]+)+)")


def classify_pofilter(test: str, pair: Pair, duet: list[tuple[str, Verdict | None]]) -> tuple[Verdict, str]:
    """A rule per pofilter test; ``duet`` is Duet's findings on the same entry, with their verdicts.

    "real" means the two texts really differ in what the test looks at *and* the difference is
    not a normal property of Chinese; everything a professional Chinese translation does by
    design (full-width marks, 「」 quotes, no spaces, merged sentences, numerals in words) is FP.
    """
    zh = unicodedata.normalize("NFKC", pair.zh)
    if test == "numbers":
        verdicts = [v for check, v in duet if check == "number-mismatch"]
        if not verdicts:
            return "fp", "Duet reads the numbers as equal (二千四百四十萬 = 24.4 million, 二○二六年 = 2026)"
        return ("real", "Duet's verdict on the same entry") if "real" in verdicts else ("fp", "Duet's verdict on the same entry")
    if test == "brackets":
        if zh.count("(") != zh.count(")"):
            return "real", "unbalanced brackets in the translation"
        return "fp", "counts differ because the translation drops bracketed acronyms or uses （） (not folded)"
    if test in ("doublequoting", "singlequoting"):
        if '"' in pair.zh:
            return "real", "ASCII double quotes in the Chinese"
        return "fp", "「」/《》 for quotes; apostrophes ('s) have no Chinese counterpart"
    if test == "urls":
        hosts = {h.lower() for h in _HOST.findall(pair.en) if "." in h and not h[0].isdigit()}
        if all(h in zh.lower() for h in hosts):
            return "fp", "the Chinese URL is the Chinese page of the same site (/tc/, /tc_chi/) or has spaces/brackets"
        return "real", "a site of the source is missing from the translation"
    if test == "emails":
        if set(_EMAIL.findall(pair.en)) == set(_EMAIL.findall(zh)):
            return "fp", "same address; only punctuation next to it differs"
        return "real", "the addresses differ (the source's 'orstf_sec@' is a scraper artefact)"
    if test == "endpunc":
        if re.search(r"[.!?]\W*$", pair.en) and not re.search(r"[。！？!?…」）)]\W*$", pair.zh):
            return "real", "the translation lacks its final 。"
        return "fp", "Chinese end punctuation (。：) for the English one"
    if test == "startpunc":
        if pair.zh[:1] in "「《（(＊*-#" or unicodedata.normalize("NFKC", pair.zh[:1]) == pair.en[:1]:
            return "fp", "（一） for (1), 「 opening a quoted name, Markdown marks"
        return "real", "different opening punctuation"
    if test == "newlines":
        return "fp", "a line break inside a word of the Chinese, from the PDF extraction"
    reasons = {
        "sentencecount": "Chinese joins sentences with ， or splits them differently",
        "puncspacing": "English puts a space after punctuation, Chinese does not",
        "doublespacing": "double spaces after English full stops; Chinese has none",
        "printf": "'%' of a percentage read as a printf directive (1.3%, while → '% w')",
        "acronyms": "Chinese uses the translated name, not the acronym",
        "simplecaps": "Chinese has no capitals", "startcaps": "Chinese has no capitals",
        "long": "Chinese is shorter than English by nature", "short": "Chinese is shorter than English by nature",
    }
    return "fp", reasons.get(test, "not applicable to Chinese")


def pofilter_table(name: str, corpus: Corpus, hits: dict[str, list[tuple[Pair, str]]],
                   findings: list[t.Any]) -> tuple[str, dict[str, collections.Counter[tuple[Verdict, str]]]]:
    duet: dict[Pair, list[tuple[str, Verdict | None]]] = collections.defaultdict(list)
    for f in findings:
        pair = corpus.origin[(f.loc.path, f.loc.line)]
        duet[pair].append((f.check, classify(f, pair)[0]))
    lines = [f"| {name}: pofilter test | entries | findings | real | FP | FP rate |", "|---|---:|---:|---:|---:|---:|"]
    reasons: dict[str, collections.Counter[tuple[Verdict, str]]] = {}
    for test, found in sorted(hits.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        counted = collections.Counter(classify_pofilter(test, pair, duet[pair]) for pair, _ in found)
        reasons[test] = counted
        real = sum(n for (v, _), n in counted.items() if v == "real")
        fp = len(found) - real
        lines.append(f"| {test} | {corpus.entries} | {len(found)} | {real} | {fp} | {100 * fp / corpus.entries:.1f}% |")
    return "\n".join(lines), reasons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("press", "hkma", "all"), default="all")
    parser.add_argument("--skip-pofilter", action="store_true")
    parser.add_argument("--dump", type=Path, help="write every finding with its pair and verdict as JSON lines")
    parser.add_argument("--sample", type=int, default=0, help="print N unclassified findings per check to classify by hand")
    args = parser.parse_args(argv)
    if not shared_data_present():
        print(f"skipped: {SHARED} is absent")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    text, stats = build_glossary()
    glossary_csv = OUT / "hkma-glossary.csv"
    glossary_csv.write_text(text, encoding="utf-8")
    print(f"glossary: {stats.rows} rows → {stats.terms} terms ({stats.amounts} amount rows dropped, "
          f"{stats.truncated} truncated rows dropped, {stats.merged_spellings} spellings merged, "
          f"{stats.with_variants} terms with variants, {stats.derived_variants} derived variants)")
    corpora = []
    if args.corpus in ("press", "all"):
        corpora.append(write_corpus("press", press_pairs(), OUT / "press"))
    if args.corpus in ("hkma", "all"):
        corpora.append(write_corpus("hkma", hkma_pairs(), OUT / "hkma"))
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for corpus in corpora:
        started = time.perf_counter()
        findings = run_duet(corpus, glossary_csv)
        print(f"\n{corpus.name}: {corpus.entries} entries, {len(findings)} findings in {time.perf_counter() - started:.1f} s\n")
        print(format_table(corpus.name, tabulate(corpus, findings)))
        print(number_summary(corpus, findings))
        reasons = collections.Counter()
        for f in findings:
            pair = corpus.origin[(f.loc.path, f.loc.line)]
            verdict, reason, how = classify(f, pair)
            if verdict:
                reasons[(f.check, reason)] += 1
            if dump:
                dump.write(json.dumps({"corpus": corpus.name, "key": finding_key(f, pair), "check": f.check,
                                       "severity": f.severity, "message": f.message, "term": f.term, "expected": f.expected,
                                       "en": pair.en, "zh": pair.zh, "verdict": verdict, "reason": reason, "how": how},
                                      ensure_ascii=False) + "\n")
        print("\nclassified findings by reason:")
        for (check, reason), n in sorted(reasons.items()):
            print(f"  {check:26} {n:5}  {reason}")
        for check in CHECKS if args.sample else ():
            for f in sample(findings, corpus, check, args.sample):
                pair = corpus.origin[(f.loc.path, f.loc.line)]
                if classify(f, pair)[0] is None:
                    print(f"\n{finding_key(f, pair)}  {f.message[:200]}\n  EN: {pair.en[:300]}\n  ZH: {pair.zh[:300]}")
        if not args.skip_pofilter:
            table, reasons = pofilter_table(corpus.name, corpus, run_pofilter(corpus), findings)
            print(f"\n{table}\n\npofilter findings by reason:")
            for test, counted in reasons.items():
                for (verdict, reason), n in counted.most_common():
                    print(f"  {test:14} {verdict:4} {n:5}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
