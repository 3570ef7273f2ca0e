"""Benchmark Duet's segmenter against pySBD 0.3.4 on the same press-release text.

    python bench/segmentation.py [--mb 5] [--skip-pysbd]

Builds bench/data/segmentation-{en,zh}.txt (git-ignored) from ../shared/data
by repeating paragraphs until each reaches --mb megabytes of UTF-8, then runs
each tool in its own subprocess so peak memory (ru_maxrss) is its own. MB are
MB of UTF-8 input. pySBD runs with clean=False, one paragraph at a time as
Duet does. Also prints the golden-suite scores of both tools.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DATA = ROOT / "bench" / "data"
GOLDEN = ROOT / "tests" / "data" / "segmentation"


def build_corpus(lang: str, megabytes: float) -> Path:
    """Paragraphs of press releases, HKMA reports and NTREX news, repeated up to the size."""
    out = DATA / f"segmentation-{lang}.txt"
    target = int(megabytes * 1_000_000)
    if out.exists() and out.stat().st_size >= target:
        return out
    paragraphs: list[str] = []
    for line in (SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl").open(encoding="utf-8"):
        paragraphs += [p.strip() for p in json.loads(line)[lang].split("\n\n") if p.strip()]
    for line in (SHARED / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl").open(encoding="utf-8"):
        paragraphs.append(json.loads(line)[lang].lstrip("# "))
    ntrex = "newstest2019-src.eng.txt" if lang == "en" else "newstest2019-ref.zho-TW.txt"
    paragraphs += (SHARED / "ntrex128-en-zh" / ntrex).read_text(encoding="utf-8").splitlines()
    paragraphs = [p for p in paragraphs if p.strip()]
    chunks, size, i = [], 0, 0
    while size < target:
        chunks.append(paragraphs[i % len(paragraphs)])
        size += len(chunks[-1].encode()) + 2
        i += 1
    DATA.mkdir(parents=True, exist_ok=True)
    out.write_text("\n\n".join(chunks), encoding="utf-8")
    return out


def run_tool(tool: str, lang: str, path: Path) -> dict:
    """Segment the corpus in this process (called in a subprocess); report counts and timings."""
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    if tool == "duet":
        sys.path.insert(0, str(ROOT))
        from pipeline.segment import load_rules, segment_text

        rules = load_rules()
        segment_text("Warm up. 預熱。", lang, rules)
        start = time.perf_counter()
        count = sum(len(segment_text(p, lang, rules)) for p in paragraphs)
    else:
        import pysbd

        segmenter = pysbd.Segmenter(language=lang, clean=False)
        start = time.perf_counter()
        count = sum(len(segmenter.segment(p)) for p in paragraphs)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"tool": tool, "lang": lang, "sentences": count, "seconds": seconds,
            "mb": len(text.encode()) / 1e6, "peak_mb": peak_kb / 1024}


def golden_scores() -> dict[str, dict[str, tuple[int, int]]]:
    """Cases passed per tool, per (suite, group, language), whitespace-collapsed comparison."""
    sys.path.insert(0, str(ROOT))
    import pysbd
    import regex

    from pipeline.segment import segment_document

    def norm(segments: list[str]) -> list[str]:
        return [s for s in (regex.sub(r"\s+", " ", x).strip() for x in segments) if s]

    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("en", "zh")}
    tools = {
        "duet": lambda text, lang: [s.text for s in segment_document(text, lang)],
        "pysbd": lambda text, lang: segmenters[lang].segment(text),
    }
    scores: dict[str, dict[str, list[int]]] = {name: {} for name in tools}
    boundaries = {name: [0, 0, 0] for name in tools}  # true positive, found, expected
    for lang in ("en", "zh"):
        for case in json.loads((GOLDEN / f"{lang}.json").read_text(encoding="utf-8")):
            expected = norm(case["expected"])
            for name, tool in tools.items():
                got = norm(tool(case["text"], lang))
                for key in (f"{lang} all", f"{lang} {case['suite']}", f"{lang} {case['suite']}/{case['group']}"):
                    cell = scores[name].setdefault(key, [0, 0])
                    cell[0] += got == expected
                    cell[1] += 1
                if " ".join(got) == " ".join(expected):
                    found, truth = _offsets(got), _offsets(expected)
                    counts = boundaries[name]
                    counts[0] += len(found & truth)
                    counts[1] += len(found)
                    counts[2] += len(truth)
    return {"scores": scores, "boundaries": boundaries}


def _offsets(segments: list[str]) -> set[int]:
    """Boundary offsets in the whitespace-collapsed text (segments joined by one space)."""
    offsets, pos = set(), 0
    for seg in segments[:-1]:
        pos += len(seg) + 1
        offsets.add(pos)
    return offsets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--skip-pysbd", action="store_true")
    parser.add_argument("--run", nargs=3, metavar=("TOOL", "LANG", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_tool(args.run[0], args.run[1], Path(args.run[2]))))
        return
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no corpus to build", file=sys.stderr)
        return
    results = []
    for lang in ("en", "zh"):
        path = build_corpus(lang, args.mb)
        for tool in ("duet",) if args.skip_pysbd else ("duet", "pysbd"):
            cmd = [sys.executable, __file__, "--run", tool, lang, str(path)]
            results.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
    print("| tool | lang | MB | sentences | seconds | MB/s | sentences/s | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['tool']} | {r['lang']} | {r['mb']:.2f} | {r['sentences']} | {r['seconds']:.2f} | "
              f"{r['mb'] / r['seconds']:.2f} | {r['sentences'] / r['seconds']:,.0f} | {r['peak_mb']:.0f} |")
    for lang in ("en", "zh"):
        pair = {r["tool"]: r for r in results if r["lang"] == lang}
        if len(pair) == 2:
            ratio = pair["pysbd"]["seconds"] / pair["duet"]["seconds"]
            print(f"\n{lang}: Duet is {ratio:.1f}x pySBD's throughput")
    if args.skip_pysbd:
        return
    golden = golden_scores()
    print("\n| suite / group | Duet | pySBD |\n|---|---:|---:|")
    duet, pysbd_scores = golden["scores"]["duet"], golden["scores"]["pysbd"]
    for key in sorted(duet):
        print(f"| {key} | {duet[key][0]}/{duet[key][1]} | {pysbd_scores[key][0]}/{pysbd_scores[key][1]} |")
    print("\n| tool | boundary precision | boundary recall |\n|---|---:|---:|")
    for name, (tp, found, truth) in golden["boundaries"].items():
        print(f"| {name} | {tp / found:.3f} | {tp / truth:.3f} |")


if __name__ == "__main__":
    main()
