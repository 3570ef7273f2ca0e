"""Benchmark leverage on real recurring releases: how much of the next issue the memory of the last one fills.

    python bench/leverage.py [--tree PATH] [--part real,synthetic,speed] [--units 100000] [--sentences 1000]

``--tree`` runs another checkout's ``pipeline`` (the code before this work,
for the "before" figures); the default is this repository's.

- ``real``: every kind of ``../shared/data/hk-gov-recurring/recurring-dev.jsonl``
  with more than one issue, and the kinds whose later issue is in
  ``../shared/data/hk-gov-press-releases-2026-01-22/``. All earlier releases
  (every record dated before 2026) become one workspace's memory: each release
  is a source, its sentences paired with the published Chinese by Duet's
  segmenter wherever a paragraph has as many sentences on both sides, and
  those pairs are its PO translations. The later issue of each kind is then
  extracted and translated by the CLI (``duet extract``, ``duet translate``),
  and every entry is compared with the published Chinese sentence: filled,
  exactly as published, character similarity (rapidfuzz ``ratio``) of the
  others, and final (not fuzzy) entries that differ from the published text.
  The workspace glossary holds Hong Kong's district names (public standard
  names, as a department's glossary would). ``eligible`` counts the sentences
  whose remembered counterpart differs from them, but only in placeables.
- ``synthetic``: every sentence pair of both data sets (``--rounds`` times) with numbers, dates, amounts,
  district names or a sign word (up/down, 上升/下降) the bench can find on
  both sides changed at random, the Chinese rewritten by this script's own
  renderer (not Duet's), then repaired by ``pipeline.translate.repair.repair``
  against the original pair: exactly the expected Chinese, or not.
- ``speed``: ``duet translate`` of one new release of ``--sentences`` sentences
  (memory sentences with numbers changed and a word replaced) against a
  memory of ``--units`` units (``bench/memory.py``'s synthetic memory, as a TMX
  file), cold (the memory built first) and warm (built already).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import random
import re
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
RECURRING = SHARED / "hk-gov-recurring" / "recurring-dev.jsonl"
SAME_DAY = SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl"
LATER = {15: "bd-removal-order-fine"}  # 2026-01-22 pair id → the recurring kind it is the next issue of
DISTRICTS = [("Central and Western", "中西區"), ("Wan Chai", "灣仔"), ("Eastern", "東區"), ("Southern", "南區"),
             ("Yau Tsim Mong", "油尖旺"), ("Sham Shui Po", "深水埗"), ("Kowloon City", "九龍城"),
             ("Wong Tai Sin", "黃大仙"), ("Kwun Tong", "觀塘"), ("Kwai Tsing", "葵青"), ("Tsuen Wan", "荃灣"),
             ("Tuen Mun", "屯門"), ("Yuen Long", "元朗"), ("North District", "北區"), ("Tai Po", "大埔"),
             ("Sai Kung", "西貢"), ("Sha Tin", "沙田"), ("Islands", "離島"), ("Fanling", "粉嶺"),
             ("West Kowloon", "西九龍")]


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.strip() for line in block.splitlines() if line.strip())
            for block in re.split(r"\n\s*\n", text) if block.strip()]


def sentence_pairs(en: str, zh: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Every English sentence, and the (English, Chinese) pairs where a paragraph's sentence counts agree."""
    from pipeline.segment import segment_text

    english, pairs = [], []
    ens, zhs = _paragraphs(en), _paragraphs(zh)
    for position, paragraph in enumerate(ens):
        sentences = [s.text.strip() for s in segment_text(paragraph, "en") if s.text.strip()]
        english += sentences
        if len(ens) == len(zhs):
            chinese = [s.text.strip() for s in segment_text(zhs[position], "zh") if s.text.strip()]
            if len(chinese) == len(sentences):
                pairs += zip(sentences, chinese)
    return english, pairs


def releases() -> tuple[list[dict], list[dict]]:
    """The remembered releases (dated before 2026) and the new issues, each with a ``kind`` and ``id``."""
    records = [json.loads(line) for line in RECURRING.open(encoding="utf-8")]
    kinds: dict[str, list[dict]] = {}
    for record in records:
        kinds.setdefault(record["kind"], []).append(record)
    for line in SAME_DAY.open(encoding="utf-8"):
        record = json.loads(line)
        if record["pair_id"] in LATER:
            kinds[LATER[record["pair_id"]]].append({**record, "kind": LATER[record["pair_id"]], "date": "2026-01-22"})
    memory, new = [], []
    for kind, issues in sorted(kinds.items()):
        issues.sort(key=lambda r: r["date"])
        for issue in issues:
            issue = {**issue, "id": f"{kind}-{issue['date']}"}
            if issue["date"] < "2026":
                memory.append(issue)
            elif len(issues) > 1:
                new.append(issue)
    return memory, new


# ----------------------------------------------------------------- real


def run_cli(*args: str) -> str:
    from click.testing import CliRunner

    from pipeline.cli import cli

    result = CliRunner().invoke(cli, list(args))
    if result.exit_code:
        raise SystemExit(f"duet {' '.join(args)} failed: {result.output}")
    return result.output


def fill(root: Path, release: str, pairs: dict[str, str]) -> None:
    from pipeline.formats.po import format_po, read_po

    path = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{release}.po"
    catalog = read_po(path)
    messages = tuple(dataclasses.replace(m, string=pairs.get(m.id, m.string)) for m in catalog.messages)
    path.write_text(format_po(dataclasses.replace(catalog, messages=messages)), encoding="utf-8")


def real() -> dict:
    from rapidfuzz.fuzz import ratio

    from pipeline.formats.po import read_po

    remembered, new = releases()
    root = Path(tempfile.mkdtemp(prefix="duet-leverage-")) / "ws"
    (root / "sources").mkdir(parents=True)
    (root / "locales").mkdir()
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    (root / "locales" / "glossary.csv").write_text(
        "en,zh-Hant-HK\n" + "".join(f"{en},{zh}\n" for en, zh in DISTRICTS), encoding="utf-8")
    memory_pairs = 0
    memory_sentences = 0
    for record in remembered:
        (root / "sources" / f"{record['id']}.txt").write_text("\n\n".join(_paragraphs(record["en"])) + "\n",
                                                              encoding="utf-8")
    run_cli("extract", "-w", str(root))
    for record in remembered:
        english, pairs = sentence_pairs(record["en"], record["zh"])
        memory_sentences += len(english)
        memory_pairs += len(dict(pairs))
        fill(root, record["id"], dict(pairs))
    remembered_sentences = {en for record in remembered for en in sentence_pairs(record["en"], record["zh"])[0]}
    answers: dict[str, dict[str, str]] = {}
    for record in new:
        (root / "sources" / f"{record['id']}.txt").write_text("\n\n".join(_paragraphs(record["en"])) + "\n",
                                                              encoding="utf-8")
        answers[record["id"]] = dict(sentence_pairs(record["en"], record["zh"])[1])
    run_cli("extract", "-w", str(root))
    started = time.perf_counter()
    run_cli("translate", "-w", str(root))
    elapsed = time.perf_counter() - started
    rows = []
    for record in new:
        path = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / f"{record['id']}.po"
        answer = answers[record["id"]]
        row = {"kind": record["kind"], "sentences": 0, "paired": 0, "filled": 0, "exact": 0, "final": 0,
               "final_wrong": 0, "similarity_rest": [], "eligible": 0, "eligible_exact": 0}
        for message in read_po(path).live:
            row["sentences"] += 1
            published = answer.get(message.id)
            if published is None:
                continue
            row["paired"] += 1
            eligible = message.id not in remembered_sentences and _eligible(message.id, root, remembered)
            row["eligible"] += eligible
            if not message.string:
                continue
            row["filled"] += 1
            row["final"] += not message.fuzzy
            if message.string == published:
                row["exact"] += 1
                row["eligible_exact"] += eligible
            else:
                row["similarity_rest"].append(ratio(message.string, published))
                row["final_wrong"] += not message.fuzzy
        rows.append(row)
    shutil.rmtree(root.parent)
    return {"memory_sentences": memory_sentences, "memory_pairs": memory_pairs, "rows": rows,
            "translate_seconds": round(elapsed, 2)}


_ELIGIBLE: dict[str, list[tuple[str, ...]]] = {}


def _eligible(sentence: str, root: Path, remembered: list[dict]) -> bool:
    """Whether a remembered sentence with a translation differs from ``sentence`` only in placeables.

    Judged with this tree's placeables when it has them, else by the digits, months and weekdays alone.
    """
    key = str(root)
    if key not in _ELIGIBLE:
        _ELIGIBLE[key] = [_masked(en) for record in remembered
                          for en, _ in sentence_pairs(record["en"], record["zh"])[1]]
    return _masked(sentence) in _ELIGIBLE[key]


_MASK = re.compile(r"\$?\d[\d,. ]*\d|\d|\b(?:January|February|March|April|May|June|July|August|September|October|"
                   r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|up|down)\b|"
                   + "|".join(re.escape(en) for en, _ in DISTRICTS))


def _masked(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+|[^\w\s]", _MASK.sub("#", text).lower()))


# ----------------------------------------------------------------- synthetic

_DIGITS = "零一二三四五六七八九"


def zh_numerals(number: int) -> str:
    """This script's own Chinese numerals for 0 < number < 10**8, to check Duet's against."""
    def below(n: int) -> str:
        out, zero = "", False
        for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = n // size % 10
            if digit:
                out += ("零" if zero and out else "") + _DIGITS[digit] + name
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(number, 10_000)
    text = (below(high) + "萬" + ("零" if 0 < low < 1000 else "") + below(low)) if high else below(low)
    return text[1:] if text.startswith("一十") else text


def zh_decimal(value: Decimal) -> str:
    whole, _, fraction = f"{value:f}".partition(".")
    return (zh_numerals(int(whole)) if int(whole) else "零") + ("點" + "".join(_DIGITS[int(d)] for d in fraction)
                                                               if fraction else "")


_EN_NUMBER = re.compile(r"(?<![\w.,$=/&?-])(\$?)(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(\.\d+)?(?![\w,/-]|\.\d| \d)")
_AFTER_MONTH = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December) $")
_EN_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) "
                      r"(\d{1,2})\b(?!,? \d{4})")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def variations(en: str, zh: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, varied English, expected Chinese) for each change this script can make on both sides."""
    out = []
    for match in _EN_NUMBER.finditer(en):
        dollar, digits, fraction = match.groups()
        whole = int(digits.replace(",", "").replace(" ", ""))
        if _AFTER_MONTH.search(en, 0, match.start()):
            continue  # a day of the month: dates change as dates
        if whole < 1 or 1900 <= whole <= 2100 and not fraction and not dollar:
            continue  # a year is a date's
        new_whole = rng.randint(1, whole * 3 + 9)
        new_fraction = "." + "".join(str(rng.randint(1, 9)) for _ in fraction[1:]) if fraction else ""
        if (new_whole, new_fraction) == (whole, fraction or ""):
            continue
        grouping = "," if "," in digits else " " if " " in digits else ""
        written = (f"{new_whole:,}".replace(",", grouping) if grouping else str(new_whole)) + new_fraction
        forms = [(digits + (fraction or ""), written)]
        if new_whole < 10**8:
            forms.append((zh_decimal(Decimal(str(whole) + (fraction or ""))),
                          zh_decimal(Decimal(f"{new_whole}{new_fraction}"))))
        for old_zh, new_zh in forms:
            if _once(zh, old_zh):
                en_new = en[:match.start(2)] + written + en[match.end():]
                out.append(("money" if dollar else "number", en_new, zh.replace(old_zh, new_zh)))
                break
    for match in _EN_DATE.finditer(en):
        month, day = _MONTHS.index(match[1]) + 1, int(match[2])
        old_zh = f"{zh_numerals(month)}月{zh_numerals(day)}日"
        new_month, new_day = rng.randint(1, 12), rng.randint(1, 28)
        if not _once(zh, old_zh) or (new_month, new_day) == (month, day):
            continue
        en_new = en[:match.start()] + f"{_MONTHS[new_month - 1]} {new_day}" + en[match.end():]
        out.append(("date", en_new, zh.replace(old_zh, f"{zh_numerals(new_month)}月{zh_numerals(new_day)}日")))
    for district, chinese in DISTRICTS:
        if re.search(rf"\b{re.escape(district)}\b", en) and _once(zh, chinese):
            other, other_zh = rng.choice([d for d in DISTRICTS if d[0] != district and d[1] not in zh])
            out.append(("district", re.sub(rf"\b{re.escape(district)}\b", other, en), zh.replace(chinese, other_zh)))
    for word, opposite, word_zh, opposite_zh in (("up", "down", "上升", "下降"), ("down", "up", "下降", "上升")):
        if re.search(rf"\({word} \d", en) and _once(zh, word_zh):
            out.append(("sign", re.sub(rf"\({word} ", f"({opposite} ", en), zh.replace(word_zh, opposite_zh)))
    return out


def _once(text: str, part: str) -> bool:
    """``part`` stands once in ``text``, and not inside a longer number."""
    return len(re.findall(rf"(?<![\d,.]){re.escape(part)}(?![\d,]|\.\d)", text)) == 1 and text.count(part) == 1


def synthetic(seed: int, rounds: int) -> dict:
    from pipeline.glossary import TermMatcher
    from pipeline.model import Rendering, Term
    from pipeline.translate.repair import repair

    terms = TermMatcher([Term((("en", Rendering(en)), ("zh-Hant-HK", Rendering(zh)))) for en, zh in DISTRICTS],
                        "en", "zh-Hant-HK")
    remembered, new = releases()
    others = [json.loads(line) for line in SAME_DAY.open(encoding="utf-8")]
    pairs = dict(pair for record in remembered + new + others for pair in sentence_pairs(record["en"], record["zh"])[1])
    counts: dict[str, list[int]] = {}
    for round_ in range(rounds):
        rng = random.Random(seed + round_)
        for en, zh in sorted(pairs.items()):
            for kind, en_new, expected in variations(en, zh, rng):
                got = repair(en_new, en, zh, source_language="en", target_language="zh-Hant-HK", terms=terms)
                tally = counts.setdefault(kind, [0, 0, 0])
                tally[0] += 1
                tally[1] += got == expected
                tally[2] += got is not None and got != expected
    return {kind: {"cases": n, "exact": exact, "wrong": wrong} for kind, (n, exact, wrong) in sorted(counts.items())}


# ----------------------------------------------------------------- speed


def speed(units_count: int, sentences: int, seed: int) -> dict:
    spec = importlib.util.spec_from_file_location("bench_memory", ROOT / "bench" / "memory.py")
    assert spec and spec.loader
    memory_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(memory_bench)

    units = memory_bench.Units(seed)
    root = Path(tempfile.mkdtemp(prefix="duet-leverage-speed-")) / "ws"
    for folder in ("sources", "locales/memory"):
        (root / folder).mkdir(parents=True)
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")
    body = "".join(f'<tu tuid="{i}"><tuv xml:lang="en"><seg>{escape(units[i][0])}</seg></tuv>'
                   f'<tuv xml:lang="zh-HK"><seg>{escape(units[i][1])}</seg></tuv></tu>\n' for i in range(units_count))
    (root / "locales" / "memory" / "memory.tmx").write_text(  # written directly: far faster than formats.tmx at 100k units
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="bench" '
        'creationtoolversion="1" segtype="sentence" o-tmf="bench" adminlang="en" srclang="en" datatype="plaintext"/>'
        f"<body>\n{body}</body></tmx>\n", encoding="utf-8")
    rng = random.Random(seed)
    chosen = []
    seen = set()
    while len(chosen) < sentences:
        source = units[rng.randrange(units_count)][0]
        varied = memory_bench.vary(source, rng)
        words = varied.split()
        if len(words) > 5:
            words[rng.randrange(len(words))] = rng.choice(("new", "further", "local", "public", "annual"))
        text = " ".join(words)
        if text not in seen and "\n" not in text:
            seen.add(text)
            chosen.append(text)
    (root / "sources" / "new.txt").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
    run_cli("extract", "-w", str(root))
    po = root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "new.po"
    fresh = po.read_bytes()
    started = time.perf_counter()
    cold = run_cli("translate", "-w", str(root), "--format", "json")
    cold_seconds = time.perf_counter() - started
    po.write_bytes(fresh)
    started = time.perf_counter()
    warm = run_cli("translate", "-w", str(root), "--format", "json")
    warm_seconds = time.perf_counter() - started
    shutil.rmtree(root.parent)
    return {"units": units_count, "sentences": sentences, "cold_seconds": round(cold_seconds, 1),
            "warm_seconds": round(warm_seconds, 1), "report": json.loads(warm)[0], "cold_report": json.loads(cold)[0]}


# ----------------------------------------------------------------- report


def report_real(result: dict) -> str:
    lines = [f"memory: {result['memory_sentences']} English sentences, {result['memory_pairs']} paired with their "
             f"Chinese; translate {result['translate_seconds']} s",
             "", "| kind | sentences | paired | filled | exact | eligible | eligible exact | similarity of the rest "
             "| final | final ≠ published |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    total = {k: 0 for k in ("sentences", "paired", "filled", "exact", "eligible", "eligible_exact", "final", "final_wrong")}
    rest: list[float] = []
    for row in result["rows"] + [None]:
        if row is None:
            row = {**total, "kind": "**all**", "similarity_rest": rest}
        else:
            for key in total:
                total[key] += row[key]
            rest += row["similarity_rest"]
        mean = f"{sum(row['similarity_rest']) / len(row['similarity_rest']):.1f}" if row["similarity_rest"] else "–"
        lines.append(f"| {row['kind']} | {row['sentences']} | {row['paired']} | {row['filled']} | {row['exact']} | "
                     f"{row['eligible']} | {row['eligible_exact']} | {mean} | {row['final']} | {row['final_wrong']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose pipeline runs (default: this one)")
    parser.add_argument("--part", default="real,synthetic,speed")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20260122)
    parser.add_argument("--rounds", type=int, default=10, help="random variations of each sentence pair")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    import pipeline  # the tree's, before bench/memory.py puts this repository first on the path

    print(f"pipeline from {Path(pipeline.__file__).parent}", file=sys.stderr)
    if not RECURRING.exists():
        print(f"{RECURRING} not found: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    parts = set(args.part.split(","))
    figures: dict = {"tree": str(args.tree)}
    if "real" in parts:
        figures["real"] = real()
        print(report_real(figures["real"]), flush=True)
    if "synthetic" in parts:
        figures["synthetic"] = synthetic(args.seed, args.rounds)
        print("\n| change | cases | exactly as expected | repaired otherwise |\n|---|---:|---:|---:|")
        total = [0, 0, 0]
        for kind, row in figures["synthetic"].items():
            total = [total[0] + row["cases"], total[1] + row["exact"], total[2] + row["wrong"]]
            print(f"| {kind} | {row['cases']} | {row['exact']} | {row['wrong']} |")
        print(f"| **all** | {total[0]} | {total[1]} | {total[2]} |", flush=True)
    if "speed" in parts:
        figures["speed"] = speed(args.units, args.sentences, args.seed)
        found = figures["speed"]
        print(f"\nduet translate, {found['sentences']} new sentences, {found['units']:,}-unit memory: "
              f"cold {found['cold_seconds']} s (memory built first), warm {found['warm_seconds']} s; {found['report']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
