"""Benchmark ``duet check`` against translate-toolkit's pofilter and terminology matcher.

    python bench/checks.py [--entries 100000] [--terms 5000] [--sample 2000]
                           [--keep] [--skip-slow] [--profile]

Builds a Duet workspace under bench/data/checks/ws (git-ignored): PO files of
100 entries each (locale zh_Hant_HK) holding --entries translated entries, from
the real English/Chinese pairs in ../shared/data (HKMA annual-report
paragraphs, HK government press releases, NTREX-128), cut into sentences with
Duet's segmenter where both sides have as many sentences, and a glossary CSV of
--terms terms from the HKMA WMT25 term dictionaries and the OGCIO IT glossary,
deduplicated by English term.

Then, one after the other, each tool runs in its own subprocess on the same
files; seconds are wall clock from spawn to exit (interpreter start-up and
imports included) and peak RSS is that subprocess's own (``os.wait4``):

- duet        ``duet check -w WS --format json -o FILE`` (every check, parsing included), on
              every core, then on one (``taskset -c 0``) where taskset exists
- duet split  the same steps in one process, timed stage by stage (parse, glossary, checks, report)
- pofilter    every pofilter check (``--language=zh_HK``, with the word lists below)
- pofilter wl pofilter's word-list checks alone: ``-t notranslatewords -t musttranslatewords``
- ttk terms   ``translate.search.match.terminologymatcher`` over every msgid with the same
              terms (toolkit PO parse + matcher build + matching); matching runs on a
              deterministic sample of --sample entries (every k-th) and is extrapolated
- polib       ``polib.pofile`` over every file, the parsing floor

--keep keeps the built workspace between runs (it is reused when its manifest
matches); without it the workspace is deleted at the end. --skip-slow leaves out
the two slow reference runs (pofilter with all checks, the terminology
matcher). --profile also runs ``pipeline.api.check`` under cProfile and prints
the top functions.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "bench" / "data" / "checks"
WS = DATA / "ws"
LOCALE = "zh_Hant_HK"
PER_FILE = 100
BUILD_VERSION = 3  # bump when the way the workspace is built changes

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ABBR_SUFFIX = re.compile(r"\s*-\s*\(([^()]*)\)\s*$")  # OGCIO "層疊樣式表 - (CSS)"


# ---------------------------------------------------------------- input


def _clean_en(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lstrip("#").strip())


def _clean_zh(text: str) -> str:
    text = text.strip().lstrip("#").strip()
    return re.sub(r"\s*\n\s*", "", text)


def sentence_pairs() -> list[tuple[str, str]]:
    """Distinct (English, Chinese) sentence pairs from the shared corpora, in a fixed order.

    A paragraph pair is cut into sentences with Duet's segmenter and zipped when
    both sides have as many sentences; otherwise it stays one entry. A press
    release is used only when both sides have as many paragraphs.
    """
    sys.path.insert(0, str(ROOT))
    from pipeline.segment import segment_text

    def cut(en: str, zh: str) -> list[tuple[str, str]]:
        en, zh = _clean_en(en), _clean_zh(zh)
        if not en or not zh:
            return []
        en_s = [s.text.strip() for s in segment_text(en, "en") if s.text.strip()]
        zh_s = [s.text.strip() for s in segment_text(zh, "zh") if s.text.strip()]
        return list(zip(en_s, zh_s)) if len(en_s) == len(zh_s) and en_s else [(en, zh)]

    pairs: list[tuple[str, str]] = []
    for line in (SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        pairs += cut(record["title_en"], record["title_zh"])
        en_p = [p for p in record["en"].split("\n\n") if p.strip()]
        zh_p = [p for p in record["zh"].split("\n\n") if p.strip()]
        if len(en_p) == len(zh_p):
            for en, zh in zip(en_p, zh_p):
                pairs += cut(en, zh)
    for line in (SHARED / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        pairs += cut(record["en"], record["zh"])
    ntrex = SHARED / "ntrex128-en-zh"
    en_lines = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    zh_lines = (ntrex / "newstest2019-ref.zho-TW.txt").read_text(encoding="utf-8").splitlines()
    pairs += [(_clean_en(e), _clean_zh(z)) for e, z in zip(en_lines, zh_lines) if e.strip() and z.strip()]
    return list(dict.fromkeys(p for p in pairs if p[0] and p[1]))


def glossary_terms(count: int) -> list[dict[str, str]]:
    """``count`` terms, deduplicated by case-folded English: 3 HKMA terms (most frequent
    first, their commonest rendering approved and the others variants) to 1 OGCIO term
    (its first "；" alternative approved, the rest variants); the Simplified form of the
    approved rendering, where it differs, is forbidden.
    """
    hkma: dict[str, collections.Counter[str]] = {}
    first_en: dict[str, str] = {}
    with (SHARED / "hkma-annual-reports-wmt25" / "glossary_proper.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            en, zh = " ".join(row["en"].split()), row["zh_hk"].strip()
            if not en or not zh or _CJK.search(en) or not _CJK.search(zh):
                continue
            key = en.casefold()
            first_en.setdefault(key, en)
            hkma.setdefault(key, collections.Counter())[zh] += 1
    order = {key: i for i, key in enumerate(hkma)}
    hkma_terms = [
        (first_en[key], [zh for zh, _ in counts.most_common()])
        for key, counts in sorted(hkma.items(), key=lambda kv: (-sum(kv[1].values()), order[kv[0]]))
    ]
    ogcio_terms = []
    with (SHARED / "hk-ogcio-it-glossary" / "hkglossary.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            en = " ".join(row["English"].split())
            zh = _ABBR_SUFFIX.sub("", row["HK Chinese"].strip())
            renderings = [z.strip() for z in re.split(r"[；;]", zh) if z.strip()]
            if en and renderings and not _CJK.search(en):
                ogcio_terms.append((en, renderings))
    try:
        import opencc

        to_simplified = opencc.OpenCC("t2s").convert
    except ImportError:  # no forbidden column then
        to_simplified = None
    chosen: list[dict[str, str]] = []
    seen: set[str] = set()
    sources = [iter(hkma_terms), iter(ogcio_terms)]
    turn = 0
    while len(chosen) < count and sources:
        source = sources[0] if turn % 4 != 3 or len(sources) == 1 else sources[1]
        turn += 1
        try:
            en, renderings = next(source)
        except StopIteration:
            sources.remove(source)
            continue
        if en.casefold() in seen:
            continue
        seen.add(en.casefold())
        approved, variants = renderings[0], list(dict.fromkeys(r for r in renderings[1:] if r != renderings[0]))
        simplified = to_simplified(approved) if to_simplified else approved
        forbidden = [simplified] if simplified != approved and simplified not in variants else []
        chosen.append({"en": en, "zh": approved, "variants": "; ".join(variants), "forbidden": "; ".join(forbidden)})
    return chosen


def build_workspace(entries: int, terms: int) -> dict:
    """Write the workspace (PO files, glossary, word lists) unless an identical one is there."""
    manifest_path = WS / "manifest.json"
    wanted = {"version": BUILD_VERSION, "entries": entries, "terms": terms, "per_file": PER_FILE}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if {k: manifest.get(k) for k in wanted} == wanted:
            return manifest
    sys.path.insert(0, str(ROOT))
    from pipeline.formats.po import write_po
    from pipeline.model import Catalog, Message

    started = time.perf_counter()
    if WS.exists():
        shutil.rmtree(WS)
    po_dir = WS / "locales" / LOCALE / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    (WS / "duet.toml").write_text(
        f'source_locale = "en"\ntarget_locales = ["{LOCALE}"]\nglossary = "locales/glossary.csv"\n', encoding="utf-8"
    )
    pairs = sentence_pairs()

    def stream():
        """Round 0 in corpus order, then each round the same pairs in a seeded shuffled order."""
        for round_ in range(10_000):
            order = list(range(len(pairs)))
            if round_:
                random.Random(round_).shuffle(order)
            for i in order:
                yield pairs[i]

    source = stream()
    files = (entries + PER_FILE - 1) // PER_FILE
    written = 0
    for number in range(files):
        release = f"bench-{number:05d}"
        wanted_here = min(PER_FILE, entries - written)
        messages: dict[str, Message] = {}
        while len(messages) < wanted_here:
            en, zh = next(source)
            if en in messages:  # a msgid appears once per file
                continue
            n = len(messages) + 1
            messages[en] = Message(id=en, string=zh, notes=(f"body, p{n} s1",),
                                   references=(f"sources/{release}.txt:{2 * n - 1}",))
        header = Message(id="", string=(
            f"Project-Id-Version: {release}\nReport-Msgid-Bugs-To: \nPOT-Creation-Date: 2026-11-25 00:00+0000\n"
            "PO-Revision-Date: 2026-11-25 00:00+0000\nLast-Translator: Duet bench\n"
            "Language-Team: Chinese (Traditional, Hong Kong SAR China)\n"
            f"Language: {LOCALE}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=1; plural=0;\nX-Generator: Duet\n"
        ), comments=(f"Chinese (Traditional, Hong Kong SAR China) translation of the release {release}.",))
        write_po(po_dir / f"{release}.po", Catalog(header=header, messages=tuple(messages.values())))
        written += wanted_here

    glossary = glossary_terms(terms)
    with (WS / "locales" / "glossary.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["en", "zh-Hant-HK", "zh-Hant-HK:variants", "zh-Hant-HK:forbidden", "case", "pos", "note"])
        for term in glossary:
            writer.writerow([term["en"], term["zh"], term["variants"], term["forbidden"], "", "", ""])
    # pofilter's word lists, from the same glossary: its checks compare single
    # whitespace-separated words, musttranslatewords in lower case.
    must = [t["en"].lower() for t in glossary]
    keep = [t["en"] for t in glossary if t["en"] in t["zh"]]
    (WS / "musttranslate.txt").write_text("\n".join(must) + "\n", encoding="utf-8")
    (WS / "notranslate.txt").write_text("\n".join(keep) + "\n", encoding="utf-8")
    manifest = {
        **wanted,
        "files": files,
        "distinct_pairs": len(pairs),
        "glossary_terms": len(glossary),
        "with_variants": sum(bool(t["variants"]) for t in glossary),
        "with_forbidden": sum(bool(t["forbidden"]) for t in glossary),
        "single_word_terms": sum(len(t["en"].split()) == 1 for t in glossary),
        "notranslate_words": len(keep),
        "po_bytes": sum(p.stat().st_size for p in po_dir.glob("*.po")),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


# ---------------------------------------------------------------- in-process runs (called in a subprocess)


def po_files() -> list[Path]:
    return sorted((WS / "locales" / LOCALE / "LC_MESSAGES").glob("*.po"))


def run_duet_split() -> dict:
    """``pipeline.api.check``'s steps one by one, then the JSON report as the CLI renders it."""
    start = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from pipeline import api, locales
    from pipeline.checks import CheckedCatalog, check_catalogs
    from pipeline.compute import gc_paused, map_forked
    from pipeline.formats.po import read_po
    from pipeline.formats.report import CheckSummary, render
    from pipeline.glossary import load_glossary

    stages: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        stages[name] = now - since
        return now

    t = lap("imports", start)
    workspace = api.open_workspace(WS)
    paths = [(path.resolve(), locale) for locale, path in workspace.po_files()]
    t = lap("workspace", t)
    with gc_paused():  # as api.check reads them: on every core, the collector paused
        catalogs = map_forked(lambda item: read_po(item[0], display=workspace.relative(item[0])), paths, min_share=100)
    t = lap("parse", t)
    glossary = load_glossary(workspace.glossary_path)
    matcher = glossary.matcher("en", locales.to_bcp47(LOCALE))
    t = lap("glossary", t)
    from pipeline.checks.script import simplified_only

    simplified_only()
    t = lap("opencc tables", t)
    findings = check_catalogs(
        [CheckedCatalog(c, locale, matcher) for c, (_, locale) in zip(catalogs, paths)],
        source_language="en", silenced_checks=workspace.config.silenced_checks,
    )
    t = lap("checks", t)
    entries = sum(len(c.live) for c in catalogs)
    summary = CheckSummary.of(findings, files=len(catalogs), entries=entries)
    report = render(findings, summary, "json", tool_version="bench", fail_on="error")
    (DATA / "duet-split-report.json").write_text(report, encoding="utf-8")
    lap("report", t)
    return {"entries": entries, "findings": len(findings), "stages": stages,
            "by_check": dict(collections.Counter(f.check for f in findings))}


def run_duet_api() -> dict:
    """``pipeline.api.check`` as the library runs it (what ``--profile`` profiles)."""
    sys.path.insert(0, str(ROOT))
    from pipeline import api

    result = api.check(api.open_workspace(WS))
    return {"entries": result.entries, "findings": len(result.findings)}


def run_polib() -> dict:
    import polib

    start = time.perf_counter()
    entries = 0
    for path in po_files():
        entries += len(polib.pofile(str(path)).translated_entries())
    return {"entries": entries, "inner_seconds": time.perf_counter() - start}


def run_ttk_terms(sample: int) -> dict:
    """translate-toolkit's terminology matcher: every accepted rendering of a term is one
    unit of the term store (as a toolkit glossary would hold it); each sampled msgid is
    matched and a match counts as missing when none of its term's renderings is in the msgstr.
    """
    from translate.search.match import terminologymatcher
    from translate.storage import factory, po

    stages: dict[str, float] = {}
    t = time.perf_counter()
    units = []
    for path in po_files():
        store = factory.getobject(str(path))
        units += [u for u in store.units if not u.isheader() and u.istranslated()]
    stages["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    termstore = po.pofile()
    with (WS / "locales" / "glossary.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for target in [row["zh-Hant-HK"], *filter(None, (v.strip() for v in row["zh-Hant-HK:variants"].split(";")))]:
                unit = termstore.addsourceunit(row["en"])
                unit.target = target
    matcher = terminologymatcher(termstore)
    stages["build"] = time.perf_counter() - t
    step = max(1, len(units) // sample) if sample else 1
    chosen = units[::step]
    t, cpu = time.perf_counter(), time.process_time()
    hits = missing = 0
    for unit in chosen:
        target = unit.target
        by_source: dict[str, bool] = {}
        for match in matcher.matches(unit.source):
            by_source[match.source] = by_source.get(match.source, False) or match.target in target
        hits += len(by_source)
        missing += sum(not ok for ok in by_source.values())
    stages["match_sample"] = time.perf_counter() - t
    match_cpu = time.process_time() - cpu
    return {"match_cpu": match_cpu, "entries": len(units), "sampled": len(chosen), "step": step, "stages": stages,
            "term_units": len(termstore.units), "hits_sample": hits, "missing_sample": missing}


# ---------------------------------------------------------------- orchestration


def spawn(cmd: list[str], stdout: Path | None = None) -> dict:
    """Run ``cmd``; wall seconds and the child's own peak RSS.

    The RSS comes from ``/usr/bin/time -f %M`` where it exists: a child forked
    straight from this (large) process would start with this process's high-water
    mark, which Linux carries across exec, so ``os.wait4`` alone overstates
    small children. Without GNU time, ``os.wait4`` it is.
    """
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    err_path, rss_path = DATA / "stderr.txt", DATA / "maxrss.txt"
    rss_path.unlink(missing_ok=True)
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss_path), *cmd]
    with err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout:
        out.close()
    peak_kb = usage.ru_maxrss
    if rss_path.exists():
        peak_kb = int(rss_path.read_text().split()[-1])
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": peak_kb / 1024,
            "rc": proc.returncode, "load": os.getloadavg()[0],
            "stderr": err_path.read_text(encoding="utf-8", errors="replace")[-2000:]}


def inner(kind: str, *args: str) -> dict:
    """Run one in-process measurement of this script in a fresh interpreter."""
    result_path = DATA / f"result-{kind}.json"
    run = spawn([sys.executable, __file__, "--run", kind, *args], stdout=result_path)
    if run["rc"] != 0:
        raise SystemExit(f"{kind} failed:\n{run['stderr']}")
    return {**run, **json.loads(result_path.read_text(encoding="utf-8"))}


def bin_of(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else name


def pofilter(tests: list[str], out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [bin_of("pofilter"), "--progress=none", "--language=zh_HK",
           f"--notranslatefile={WS / 'notranslate.txt'}", f"--musttranslatefile={WS / 'musttranslate.txt'}",
           *[f"--test={t}" for t in tests], "-i", str(WS / "locales" / LOCALE / "LC_MESSAGES"), "-o", str(out)]
    run = spawn(cmd)
    if run["rc"] != 0:
        raise SystemExit(f"pofilter failed:\n{run['stderr']}")
    failures = collections.Counter()
    for path in out.rglob("*.po"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# (pofilter) "):
                failures[line[len("# (pofilter) "):].split(":", 1)[0]] += 1
    return {**run, "findings": sum(failures.values()), "by_check": dict(failures)}


def profile(top: int = 30) -> None:
    """``pipeline.api.check`` under cProfile; the profile goes to bench/data/checks/duet.prof."""
    prof = DATA / "duet.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), __file__, "--run", "duet-api"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    import pstats

    for key in ("cumulative", "tottime"):
        print(f"\n--- top {top} by {key} ---")
        pstats.Stats(str(prof)).strip_dirs().sort_stats(key).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=2_000, help="entries the terminology matcher runs on")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated workspace")
    parser.add_argument("--skip-slow", action="store_true", help="leave out pofilter's full run and the terminology matcher")
    parser.add_argument("--profile", action="store_true", help="also profile pipeline.api.check")
    parser.add_argument("--run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        kind = args.run[0]
        result = {"duet-split": run_duet_split, "duet-api": run_duet_api, "polib": run_polib,
                  "ttk-terms": lambda: run_ttk_terms(int(args.run[1]))}[kind]()
        print(json.dumps(result))
        return
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no corpus to build the workspace from", file=sys.stderr)
        return
    DATA.mkdir(parents=True, exist_ok=True)
    manifest = build_workspace(args.entries, args.terms)
    print(f"workspace {WS.relative_to(ROOT)}: {manifest['entries']:,} entries in {manifest['files']} files "
          f"({manifest['po_bytes'] / 1e6:.1f} MB) from {manifest['distinct_pairs']:,} distinct pairs; "
          f"glossary {manifest['glossary_terms']:,} terms ({manifest['with_variants']} with variants, "
          f"{manifest['with_forbidden']} with a forbidden form, {manifest['single_word_terms']} single-word); "
          f"notranslate list {manifest['notranslate_words']} words", flush=True)

    rows: list[dict] = []
    entries = manifest["entries"]
    try:
        from importlib.metadata import version

        versions = {name: version(name) for name in ("duet", "translate-toolkit", "polib", "pyahocorasick")}
        print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + f", Python {sys.version.split()[0]}")

        report = DATA / "duet-report.json"
        run = spawn([bin_of("duet"), "check", "-w", str(WS), "--format", "json", "--fail-on", "never", "-o", str(report)])
        if run["rc"] != 0:
            raise SystemExit(f"duet check failed:\n{run['stderr']}")
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        rows.append({"tool": "duet check (CLI, every check)", **run, "entries": summary["entries"],
                     "findings": summary["errors"] + summary["warnings"] + summary["silenced"],
                     "by_check": {k: v["reported"] + v["silenced"] for k, v in summary["by_check"].items()}})
        print(f"  duet check: {run['seconds']:.2f} s", flush=True)
        if shutil.which("taskset"):
            run = spawn(["taskset", "-c", "0", bin_of("duet"), "check", "-w", str(WS), "--format", "json",
                         "--fail-on", "never", "-o", str(report)])
            rows.append({**rows[-1], **run, "tool": "duet check, one core (taskset -c 0)"})
            print(f"  duet check on one core: {run['seconds']:.2f} s", flush=True)

        split = inner("duet-split")
        rows.append({"tool": "duet, stages in one process", **split})
        print("  duet stages: " + ", ".join(f"{k} {v:.2f}" for k, v in split["stages"].items()), flush=True)

        if not args.skip_slow:
            run = pofilter([], DATA / "pofilter-all")
            rows.append({"tool": "pofilter, all checks", **run, "entries": entries})
            print(f"  pofilter all: {run['seconds']:.2f} s", flush=True)

        run = pofilter(["notranslatewords", "musttranslatewords"], DATA / "pofilter-wordlists")
        rows.append({"tool": "pofilter, word-list checks", **run, "entries": entries})
        print(f"  pofilter word lists: {run['seconds']:.2f} s", flush=True)

        if not args.skip_slow:
            terms = inner("ttk-terms", str(args.sample))
            scale = terms["entries"] / terms["sampled"] - 1
            rest = terms["stages"]["match_sample"] * scale
            rows.append({"tool": f"ttk terminologymatcher (1/{terms['step']} sample, extrapolated)", **terms,
                         "measured_seconds": terms["seconds"], "seconds": terms["seconds"] + rest,
                         "cpu_seconds": terms["cpu_seconds"] + terms["match_cpu"] * scale,
                         "findings": round(terms["missing_sample"] * terms["entries"] / terms["sampled"])})
            print("  terminology matcher: " + ", ".join(f"{k} {v:.2f}" for k, v in terms["stages"].items())
                  + f" on {terms['sampled']} entries; extrapolated {terms['seconds'] + rest:.1f} s", flush=True)

        run = inner("polib")
        rows.append({"tool": "polib parse only", **run, "findings": None})
        print(f"  polib: {run['seconds']:.2f} s", flush=True)
        report_rows(rows, manifest)
        if args.profile:
            profile()
    finally:
        if not args.keep:
            shutil.rmtree(WS, ignore_errors=True)


def report_rows(rows: list[dict], manifest: dict) -> None:
    duet = rows[0]["seconds"]
    print("\n| tool | entries | seconds | CPU s | entries/s | entries/CPU s | peak RSS MB | findings | time / Duet | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        found = "" if r.get("findings") is None else f"{r['findings']:,}"
        print(f"| {r['tool']} | {r['entries']:,} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | "
              f"{r['entries'] / r['seconds']:,.0f} | {r['entries'] / r['cpu_seconds']:,.0f} | {r['peak_mb']:.0f} | {found} | {r['seconds'] / duet:.2f}× | "
              f"{r['load']:.1f} |")
    allowed = 4.0 * rows[0]["entries"] / 100_000  # the target: 4 s for 100,000 entries
    cpu = rows[0]["cpu_seconds"]
    verdict = "met" if duet <= allowed else f"missed: {duet / allowed:.1f}× the allowed time ({cpu / allowed:.1f}× on CPU time)"
    print(f"\nDuet whole run {duet:.2f} s ({cpu:.2f} CPU s) against the target of {allowed:.2f} s "
          f"(4 s per 100,000 entries): {verdict}")
    for r in rows:
        if r.get("by_check"):
            print(f"{r['tool']} findings by check: " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["by_check"].items())))
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (DATA / f"results-{stamp}.json").write_text(json.dumps({"manifest": manifest, "rows": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
