"""Benchmark ``duet align``: link quality against gold alignments, pairing, and speed.

    python bench/align.py [--part mac,hk,memory,heldout,pairing,leverage,speed] [--pairs 1000]
    python bench/align.py --write-gold    # print the HK press-release links for checking by hand

Parts (inputs read from ``../shared``, never copied into the repository):

- ``mac``: MAC-Dev (six novel chapters, Chinese source, Simplified, gold by
  hand in InterText; ``../shared/golden/alignment/mac-dev``), aligned as one
  sentence a line, Chinese first, as ``duet align --segmented`` does.
- ``hk``: the 17 press-release pairs of 2026-01-22, each written as two
  plain-text releases (title, then the body), aligned as ``duet align EN ZH``
  does (paragraphs, then sentences), against ``bench/gold/hk-press-2026-01-22.align``.
  That gold holds sentence indices only (no text), with a digest of each
  pair's sentences: a change of the segmenter makes the part stop rather
  than score against stale indices.
- ``memory``: MAC-Dev again, in a workspace whose memory holds other texts:
  NTREX-128's 1,997 news sentences (``../shared/data/ntrex128-en-zh``,
  Simplified), then those and the HKMA annual reports (111 chapters, aligned
  by ``duet align``'s own ``align_releases``, Traditional); the memory's
  learned word translations as anchors, as ``duet align --segmented`` uses them.
- ``heldout``: gold sets no setting was tuned on: the Bible (5,000 English and
  6,301 Simplified Chinese sentences, gold from verse ids, scored after
  merging the predicted links inside one verse as Bertalign's
  ``eval_bible.py`` does; also the long-text speed figure) and NTREX-128
  (English with its Traditional Chinese, zho-TW, one sentence each, a
  document at a time: every gold link 1-1).
- ``pairing``: the 35 records of the same day (17 pairs, one Chinese-only
  speech) as release files with their issue times; precision and recall of
  ``duet align --pair``.
- ``leverage``: the earlier releases of ``hk-gov-recurring`` (as ``bench/leverage.py`` splits
  them) aligned by ``duet align archive/en archive/zh --into archive``, then the later issues
  extracted and translated; sentences filled and exactly as published, beside the figure
  with ``bench/leverage.py``'s hand-paired memory in the same run.
- ``speed``: ``--pairs`` release pairs (the 31 real pairs of both sets,
  repeated under new ids and dates, 20 pairs a day) in two folders, run
  through the CLI: ``duet align en/ zh/ --into bench`` (pairing, alignment,
  TMX); pairs per second and the child's peak RSS. Then one long text, the
  Bible in one ``align_sentences`` call (Duet and length only): CPU seconds.

Each quality part runs Duet and a length-only baseline (the same dynamic
programme with no anchors and no learned lexicon: Gale-Church) side by side.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.align.anchors import AnchorReader
from pipeline.align.documents import align_releases, read_release
from pipeline.align.links import Link, Scores, format_links, parse_links, score_links
from pipeline.align.sentences import Settings, align_sentences
from pipeline.glossary import load_glossary
from pipeline.ingest.text import parse_text

SHARED = REPO.parent / "shared"
MAC = SHARED / "golden" / "alignment" / "mac-dev"
BIBLE = SHARED / "golden" / "alignment" / "bible"
NTREX = SHARED / "data" / "ntrex128-en-zh"
HKMA = SHARED / "data" / "hkma-annual-reports-wmt25" / "docs.jsonl"
PRESS = SHARED / "data" / "hk-gov-press-releases-2026-01-22"
RECURRING = SHARED / "data" / "hk-gov-recurring" / "recurring-dev.jsonl"
GOLD = REPO / "bench" / "gold" / "hk-press-2026-01-22.align"
LENGTH_ONLY = Settings(anchor_weight=0.0, rounds=0)
ZH = "zh-Hant-HK"


@dataclass(frozen=True)
class Record:
    """One bilingual release of the shared data: (title, url, date, text) per language."""

    key: str
    en: tuple[str, str, str, str]
    zh: tuple[str, str, str, str]


def release_text(title: str, url: str, date: str, body: str, language: str) -> str:
    """A release as ``duet fetch`` writes it: header, the headline as first paragraph, the body."""
    date_line = f"Date: {date.replace(' ', 'T')}\n" if date else ""
    return f"Title: {title}\n{date_line}URL: {url}\nLanguage: {language}\n---\n\n{title}\n\n{body}\n"


def press_records() -> list[Record]:
    records = []
    for line in (PRESS / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        records.append(Record(str(r["pair_id"]), (r["title_en"], r["url_en"], r["date_en"], r["en"]),
                              (r["title_zh"], r["url_zh"], r["date_zh"], r["zh"])))
    return records


def recurring_records() -> list[Record]:
    records = []
    for number, line in enumerate(RECURRING.read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        records.append(Record(f"r{number}", (r["title_en"], r["url_en"], r["date"], r["en"]),
                              (r["title_zh"], r["url_zh"], r["date"], r["zh"])))
    return records


def releases(record: Record) -> tuple[t.Any, t.Any]:
    made = []
    for (title, url, date, body), language in ((record.en, "en"), (record.zh, ZH)):
        name = url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        made.append(parse_text(release_text(title, url, date, body, language), path=f"{name}.txt", release_id=name,
                               language=language))
    return made[0], made[1]


def workspace_reader() -> AnchorReader:
    glossary = load_glossary(REPO / "locales" / "glossary.csv")
    return AnchorReader("en", ZH, source_terms=glossary.matcher("en", ZH), target_terms=glossary.matcher(ZH, "en"))


def digest(sentences: t.Sequence[t.Any]) -> str:
    return hashlib.sha256("\n".join(s.text for s in sentences).encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- parts


def mac_texts() -> list[tuple[list[str], list[str], list[Link]]]:
    """(Chinese sentences, English sentences, gold links) of each MAC-Dev text."""
    return [((MAC / "zh" / f"{number:03}").read_text(encoding="utf-8").splitlines(),
             (MAC / "en" / f"{number:03}").read_text(encoding="utf-8").splitlines(),
             parse_links((MAC / "gold" / f"{number:03}.align").read_text(encoding="utf-8")))
            for number in range(1, 7)]  # fmt: skip


def mac_part() -> None:
    texts = mac_texts()
    start = time.perf_counter()
    duet = [align_sentences(zh, en, "zh-Hans", "en") for zh, en, _ in texts]
    baseline = [align_sentences(zh, en, "zh-Hans", "en", settings=LENGTH_ONLY) for zh, en, _ in texts]
    seconds = time.perf_counter() - start
    gold = [links for _, _, links in texts]
    print(f"MAC-Dev, 6 texts, {sum(len(g) for g in gold)} gold links ({seconds:.1f} s for both aligners)")
    _table([("duet", score_links(gold, duet)), ("length only", score_links(gold, baseline))])


def memory_part() -> None:
    """MAC-Dev aligned with a memory of other texts, Chinese → English as MAC-Dev goes."""
    from pipeline.align.memory import joined_texts
    from pipeline.align.remembered import memory_renderings
    from pipeline.memory import MemoryFile, MemoryUnit, TranslationMemory
    from pipeline.memory.lexicon import Lexicon

    english = (NTREX / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    chinese = (NTREX / "newstest2019-ref.zho-CN.txt").read_text(encoding="utf-8").splitlines()
    news = list(zip(chinese, english, strict=True))
    reader = workspace_reader()
    reports = []
    for number, line in enumerate(HKMA.read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        en, zh = releases(Record(f"hkma{number}", (f"HKMA {number}", f"https://hkma/en/{number}.htm", "", r["en"]),
                                 (f"金管局 {number}", f"https://hkma/zh/{number}.htm", "", r["zh"])))  # fmt: skip
        aligned = align_releases(read_release(en, reader.source), read_release(zh, reader.target))
        reports += [joined_texts(aligned, link, "en", ZH)[::-1] for link in aligned.links
                    if not link.null and link.confidence >= 0.5]  # fmt: skip
    texts = mac_texts()
    gold = [links for _, _, links in texts]
    rows = [("duet, no memory", score_links(gold, [align_sentences(zh, en, "zh-Hans", "en") for zh, en, _ in texts]))]
    for name, pairs in ((f"duet, memory of {len(news):,} news units", news),
                        (f"duet, memory of those and {len(reports):,} HKMA units", news + reports)):  # fmt: skip
        units = [MemoryUnit(zh, en, "zh-Hans", "en", f"memory.tmx#{k}", status="imported") for k, (zh, en) in enumerate(pairs)]
        with tempfile.TemporaryDirectory() as folder, TranslationMemory.open(Path(folder) / "memory.sqlite") as memory:
            memory.refresh([MemoryFile("memory.tmx", str(len(units)), lambda units=units: units)])
            renderings = memory_renderings(Lexicon(memory, "zh-Hans", "en"))
            start = time.perf_counter()
            links = [align_sentences(zh, en, "zh-Hans", "en", renderings=renderings) for zh, en, _ in texts]
            rows.append((f"{name} ({time.perf_counter() - start:.1f} s)", score_links(gold, links)))
    print("MAC-Dev with the memory's word translations as anchors (HKMA's Traditional Chinese put in as it is)")
    _table(rows)


def heldout_part() -> None:
    english = (BIBLE / "en" / "001").read_text(encoding="utf-8").splitlines()
    chinese = (BIBLE / "zh" / "001").read_text(encoding="utf-8").splitlines()
    verses = ((BIBLE / "en.verse").read_text(encoding="utf-8").splitlines(),
              (BIBLE / "zh.verse").read_text(encoding="utf-8").splitlines())
    gold = parse_links((BIBLE / "gold" / "001.align").read_text(encoding="utf-8"))
    rows = []
    for name, settings in (("duet", Settings()), ("length only", LENGTH_ONLY)):
        start = time.perf_counter()
        links = align_sentences(english, chinese, "en", "zh-Hans", settings=settings)
        rows.append((f"{name} ({time.perf_counter() - start:.1f} s)", score_links([gold], [verse_merged(links, *verses)])))
    print(f"Bible, {len(english):,} English and {len(chinese):,} Chinese sentences, {len(gold):,} gold links "
          "(verse-merged, held out)")
    _table(rows)
    documents: dict[str, list[int]] = {}
    for number, document in enumerate((NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()):
        documents.setdefault(document, []).append(number)
    english = (NTREX / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    chinese = (NTREX / "newstest2019-ref.zho-TW.txt").read_text(encoding="utf-8").splitlines()
    reader = workspace_reader()
    gold_documents = [[Link((k,), (k,)) for k in range(len(lines))] for lines in documents.values()]
    rows = []
    for name, settings in (("duet", Settings()), ("length only", LENGTH_ONLY)):
        found = [align_sentences([english[k] for k in lines], [chinese[k] for k in lines], "en", ZH, reader=reader,
                                 settings=settings) for lines in documents.values()]  # fmt: skip
        rows.append((name, score_links(gold_documents, found)))
    print(f"NTREX-128, {len(documents)} news documents, {len(english):,} sentences a side, every gold link 1-1 (held out)")
    _table(rows)


def verse_merged(links: list[Link], source_verses: list[str], target_verses: list[str]) -> list[Link]:
    """A link inside one verse joins the link before it when that one is inside the same verse (``eval_bible.py``)."""
    merged: list[Link] = []
    verse_of_last = None
    for link in links:
        verses = {source_verses[i] for i in link.source} | {target_verses[j] for j in link.target}
        verse = verses.pop() if len(verses) == 1 else None
        if verse is not None and verse == verse_of_last:
            last = merged[-1]
            merged[-1] = Link(last.source + link.source, last.target + link.target)
        else:
            merged.append(link)
            verse_of_last = verse
    return merged


def hk_part() -> None:
    gold_pairs = _read_gold()
    reader = workspace_reader()
    gold, duet, baseline, flat, flat_baseline = [], [], [], [], []
    for record in press_records():
        en, zh = releases(record)
        en, zh = read_release(en, reader.source), read_release(zh, reader.target)
        aligned = align_releases(en, zh)
        expected = gold_pairs.get(record.key)
        if expected is None:
            sys.exit(f"{GOLD}: no gold for pair {record.key}")
        if expected[0] != (digest(aligned.source_sentences), digest(aligned.target_sentences)):
            sys.exit(f"{GOLD}: pair {record.key} was made from other sentences: the segmenter changed, check the gold again")
        gold.append(expected[1])
        duet.append(list(aligned.links))
        baseline.append(list(align_releases(en, zh, settings=LENGTH_ONLY).links))
        source = [s.text for s in aligned.source_sentences]
        target = [s.text for s in aligned.target_sentences]
        flat.append(align_sentences(source, target, "en", ZH, reader=reader))
        flat_baseline.append(align_sentences(source, target, "en", ZH, reader=reader, settings=LENGTH_ONLY))
    shapes: dict[str, int] = {}
    for link in (link for links in gold for link in links):
        shapes[link.kind] = shapes.get(link.kind, 0) + 1
    print(f"HK press releases 2026-01-22, 17 pairs, {sum(len(g) for g in gold)} gold links "
          f"({', '.join(f'{n} {k}' for k, n in sorted(shapes.items(), key=lambda s: -s[1]))})")
    _table([("duet", score_links(gold, duet)), ("length only", score_links(gold, baseline)),
            ("duet, paragraphs ignored", score_links(gold, flat)),
            ("length only, paragraphs ignored", score_links(gold, flat_baseline))])


def pairing_part() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _workspace(root)
        truth: dict[str, str] = {}
        with open(PRESS / "gia_2026-01-22_selected.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        by_title = {}
        for line in (PRESS / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            by_title[r["url_en"]] = r["url_zh"]
        files = []
        for row in rows:
            url = row["url"]
            name = url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            language = "en" if row["section"] == "Eng" else ZH
            path = root / "mixed" / f"{name}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(release_text(row["title"], url, row["date"], row["news_content"], language), encoding="utf-8")
            files.append(path)
            if url in by_title:
                truth[f"mixed/{name}.txt"] = "mixed/" + by_title[url].rsplit("/", 1)[-1].replace(".htm", ".txt")
        done = subprocess.run([sys.executable, "-m", "pipeline", "align", "--pair", "mixed", "--format", "json"],
                              cwd=root, capture_output=True, text=True, check=True)  # fmt: skip
        found = json.loads(done.stdout)
        predicted = {p["en"]: p["zh"] for p in found["pairs"]}
        right = sum(1 for en, zh in predicted.items() if truth.get(en) == zh)
        print(f"Pairing, {len(rows)} releases ({len(truth)} pairs, {len(rows) - 2 * len(truth)} in one language only)")
        print(f"  pairs found {len(predicted)}, right {right}: precision {right / max(1, len(predicted)):.3f}, "
              f"recall {right / len(truth):.3f}; unpaired: {', '.join(found['unpaired'])}")
        low = min((p["confidence"] for p in found["pairs"]), default=0)
        print(f"  lowest pair confidence {low:.2f}")


def speed_part(count: int) -> None:
    records = press_records() + recurring_records()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _workspace(root)
        for number in range(count):
            record = records[number % len(records)]
            day = f"2026-{1 + number // 20 // 28:02}-{1 + number // 20 % 28:02}"
            for (title, url, date, body), side, language in ((record.en, "en", "en"), (record.zh, "zh", ZH)):
                time_of_day = date[11:16] if len(date) > 10 else "12:00"
                path = root / side / f"{side}{number:05}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(release_text(title, f"{url}?n={number}", f"{day} {time_of_day}", body, language),
                                encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pipeline", "align", "en", "zh", "--into", "bench",
                               "--format", "json"], cwd=root, capture_output=True, text=True, check=False)  # fmt: skip
        seconds = time.perf_counter() - start
        if done.returncode:
            sys.exit(done.stderr)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
        peak = usage.ru_maxrss / 1024  # the largest child so far: run this part alone for its own figure
        report = json.loads(done.stdout)
        paired = len(report["pairs"])
        print(f"Speed: {count} release pairs through `duet align en/ zh/ --into bench`: {seconds:.1f} s, "
              f"{count / seconds:.1f} pairs/s ({cpu:.1f} s of CPU), peak RSS {peak:.0f} MB; {paired} pairs found, "
              f"{report['memory']['units']} units written")
    long_text_speed()


def long_text_speed() -> None:
    """One long text: the Bible's 5,000 English and 6,301 Chinese sentences in one ``align_sentences`` call.

    CPU seconds of this process (other jobs on the machine stretch the wall time more than these), and the load.
    """
    english = (BIBLE / "en" / "001").read_text(encoding="utf-8").splitlines()
    chinese = (BIBLE / "zh" / "001").read_text(encoding="utf-8").splitlines()
    for name, settings in (("duet", Settings()), ("length only", LENGTH_ONLY)):
        start, cpu = time.perf_counter(), time.process_time()
        align_sentences(english, chinese, "en", "zh-Hans", settings=settings)
        cpu, seconds = time.process_time() - cpu, time.perf_counter() - start
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"Speed of a long text ({name}): the Bible, {len(english):,} ↔ {len(chinese):,} sentences in one call: "
              f"{cpu:.1f} s of CPU, {seconds:.1f} s wall, load average {load}")


def leverage_part() -> None:
    """The memory ``duet align`` makes of the earlier recurring releases, translating the later ones.

    Beside it, in the same run, ``bench/leverage.py``'s figure with hand-paired memories (sentences paired
    where a paragraph has as many on both sides). The answers are the same in both: the published Chinese of
    the sentences that pairing gives.
    """
    from pipeline.formats.po import read_po

    leverage = _load("bench_leverage", REPO / "bench" / "leverage.py")
    remembered, new = leverage.releases()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _workspace(root)
        (root / "locales" / "glossary.csv").write_text(
            "en,zh-Hant-HK\n" + "".join(f"{en},{zh}\n" for en, zh in leverage.DISTRICTS), encoding="utf-8")
        for record in remembered:
            for side, language in (("en", "en"), ("zh", ZH)):
                path = root / "archive" / side / f"{record['id']}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(release_text(record[f"title_{side}"], record[f"url_{side}"], record["date"],
                                             record[side], language), encoding="utf-8")  # fmt: skip
        aligned = leverage.run_cli("align", "-w", str(root), str(root / "archive/en"), str(root / "archive/zh"),
                                   "--into", "archive", "--format", "json")  # fmt: skip
        units = json.loads(aligned)["memory"]["units"]
        answers = {}
        for record in new:
            (root / "sources" / f"{record['id']}.txt").write_text(
                "\n\n".join(leverage._paragraphs(record["en"])) + "\n", encoding="utf-8")
            answers[record["id"]] = dict(leverage.sentence_pairs(record["en"], record["zh"])[1])
        leverage.run_cli("extract", "-w", str(root))
        leverage.run_cli("translate", "-w", str(root))
        sentences = paired = filled = exact = 0
        for record in new:
            for message in read_po(root / "locales/zh_Hant_HK/LC_MESSAGES" / f"{record['id']}.po").live:
                sentences += 1
                published = answers[record["id"]].get(message.id)
                if published is None:
                    continue
                paired += 1
                filled += bool(message.string)
                exact += message.string == published
    hand = leverage.real()
    hand_rows = hand["rows"]
    print(f"Leverage: {len(remembered)} earlier releases remembered, {len(new)} later ones translated "
          f"({sentences} sentences, {paired} with a published answer)")
    print("  | memory | units | filled | exactly as published |")
    print("  |---|---:|---:|---:|")
    print(f"  | duet align | {units} | {filled}/{paired} | {exact}/{paired} |")
    print(f"  | hand-paired (bench/leverage.py) | {hand['memory_pairs']} | {sum(r['filled'] for r in hand_rows)}/"
          f"{sum(r['paired'] for r in hand_rows)} | {sum(r['exact'] for r in hand_rows)}/{sum(r['paired'] for r in hand_rows)} |")


def _load(name: str, path: Path) -> t.Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _workspace(root: Path) -> None:
    (root / "sources").mkdir()
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_bytes((REPO / "locales" / "glossary.csv").read_bytes())
    (root / "duet.toml").write_text('target_locales = ["zh_Hant_HK"]\n', encoding="utf-8")


def _table(rows: list[tuple[str, Scores]]) -> None:
    print("  | aligner | strict P | strict R | strict F1 | lax P | lax R | lax F1 |")
    print("  |---|---:|---:|---:|---:|---:|---:|")
    for name, s in rows:
        print(f"  | {name} | {s.strict_precision:.3f} | {s.strict_recall:.3f} | **{s.strict_f1:.3f}** | "
              f"{s.lax_precision:.3f} | {s.lax_recall:.3f} | **{s.lax_f1:.3f}** |")


def _read_gold() -> dict[str, tuple[tuple[str, str], list[Link]]]:
    """pair key → ((source digest, target digest), links)."""
    pairs: dict[str, tuple[tuple[str, str], list[Link]]] = {}
    key, digests, lines = None, ("", ""), []
    for line in [*GOLD.read_text(encoding="utf-8").splitlines(), "# end"]:
        if line.startswith("# pair ") or line == "# end":
            if key is not None:
                pairs[key] = (digests, parse_links("\n".join(lines), str(GOLD)))
            if line != "# end":
                fields = line.split()
                key, digests, lines = fields[2], (fields[-2], fields[-1]), []
        elif not line.startswith("#"):
            lines.append(line)
    return pairs


def write_gold() -> None:
    """Print Duet's links for every pair, with texts, to check and correct by hand before saving as gold."""
    reader = workspace_reader()
    for record in press_records():
        en, zh = releases(record)
        aligned = align_releases(read_release(en, reader.source), read_release(zh, reader.target))
        print(f"# pair {record.key} {en.id} {zh.id} sentences {len(aligned.source_sentences)} "
              f"{len(aligned.target_sentences)} digests {digest(aligned.source_sentences)} {digest(aligned.target_sentences)}")
        for link in aligned.links:
            print(format_links([link]), end="")
            for i in link.source:
                print(f"#   E {aligned.source_sentences[i].text[:160]}")
            for j in link.target:
                print(f"#   Z {aligned.target_sentences[j].text[:80]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", default="mac,hk,memory,heldout,pairing,leverage,speed")
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--write-gold", action="store_true")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: nothing to measure")
    if args.write_gold:
        write_gold()
        return
    parts = {"mac": mac_part, "hk": hk_part, "memory": memory_part, "heldout": heldout_part, "pairing": pairing_part,
             "leverage": leverage_part,
             "speed": lambda: speed_part(args.pairs)}
    for name in args.part.split(","):
        parts[name]()


if __name__ == "__main__":
    main()
