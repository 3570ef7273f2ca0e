"""Benchmark ``duet build`` on a workspace of translated releases, and what one change costs.

    python bench/build.py [--releases 1000] [--seed 20261125] [--keep] [--code DIR] [--save-output DIR]

Makes (or, with --keep and a workspace of the same size from an earlier run,
reuses) bench/data/build/ws (git-ignored): --releases plain-text releases made
from the real English/Chinese pairs of ../shared/data, extracted and filled by
bench/export.py's ``build_workspace`` (itself bench/po_merge.py's sources and
translator), plus a small glossary (``locales/glossary.csv``) of terms the
releases use. Then times, each run in its own process (wall seconds, CPU
seconds from ``RUSAGE_CHILDREN``, peak RSS from GNU time's ``%M``):

1. the floor: reading and SHA-256 hashing every file of the workspace
   (``.duet/`` left out), in a child process;
2. ``duet build``, cold (``output/`` and ``.duet/`` removed first);
3. ``duet build`` again, nothing changed;
4. one source release edited (a sentence appended), then ``duet build``;
5. one PO entry edited (a msgstr changed, as a translator would), then ``duet build``;
6. one glossary term changed (a rendering), then ``duet build``;
7. ``duet export`` alone into an empty ``output/`` (the edits put back): the
   memory a whole export needs.

The edited files are put back before the last run, so the next run starts
from the same workspace. ``--code DIR`` runs the ``pipeline`` package found in DIR
instead of this checkout's (to time an older version: ``git archive`` it
there); ``--save-output DIR`` copies ``output/`` after the cold build (to
compare two versions' bytes). Results go to bench/data/build-results.json.
Skips with a message when ../shared/data is absent. Run from the repository
root with the project's virtualenv.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as export_bench  # bench/export.py: the translated workspace

SHARED = export_bench.SHARED
BENCH = ROOT / "bench" / "data" / "build"
WS = BENCH / "ws"
TIME = Path("/usr/bin/time")

GLOSSARY = """en,zh-Hant-HK,zh-Hans-CN
Hong Kong,香港,香港
Government,政府,政府
Legislative Council,立法會,立法会
Chief Executive,行政長官,行政长官
Monetary Authority,金融管理局,金融管理局
Mainland,內地,内地
Financial Secretary,財政司司長,财政司司长
Police,警方,警方
"""
CHANGED_TERM = ("Legislative Council,立法會,立法会", "Legislative Council,立法會議,立法会议")


def floor(ws: Path) -> dict:
    """Read and hash every file of the workspace but its caches: what a no-op build cannot go below."""
    digest = hashlib.sha256()
    files = size = 0
    for path in sorted(ws.rglob("*")):
        if ".duet" in path.relative_to(ws).parts or not path.is_file():
            continue
        data = path.read_bytes()
        digest.update(hashlib.sha256(data).digest())
        files += 1
        size += len(data)
    return {"files": files, "bytes": size, "sha256": digest.hexdigest()}


def timed(cmd: list[str], code: Path) -> dict:
    """One command in a fresh process: wall and CPU seconds, peak RSS (GNU time's ``%M``).

    The child's own ``ru_maxrss`` seen from here would start at this process's
    size (inherited through fork), hence GNU time around it. ``duet build``
    exits 1 when the checks found errors: a success here.
    """
    rss_log = BENCH / "rss.log"
    rss_log.unlink(missing_ok=True)
    wrap = [str(TIME), "-f", "%M", "-o", str(rss_log)] if TIME.exists() else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([*wrap, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code,
                            env={**os.environ, "PYTHONPATH": str(code)})
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} -> exit {proc.returncode}\n{err.decode(errors='replace')[-3000:]}")
    peak = [int(x) for x in rss_log.read_text().split() if x.isdigit()] if wrap and rss_log.is_file() else []
    return {"wall": wall, "cpu": cpu, "peak_mb": peak[-1] / 1024 if peak else None, "exit": proc.returncode,
            "stdout": out.decode()}


def edit_source(ws: Path) -> tuple[Path, bytes]:
    """Append a sentence to the last paragraph of the first release; returns what to put back."""
    path = min((ws / "sources").glob("*.txt"))
    old = path.read_bytes()
    path.write_bytes(old.rstrip(b"\n") + b" The figures were updated on the same day.\n")
    return path, old


def edit_po(ws: Path) -> tuple[Path, bytes]:
    """Change the msgstr of the first translated entry of the second release's first locale's PO file."""
    from pipeline.formats.po import format_po, read_po

    rid = sorted(p.stem for p in (ws / "sources").glob("*.txt"))[1]
    path = ws / "locales" / export_bench.LOCALES[0] / "LC_MESSAGES" / f"{rid}.po"
    old = path.read_bytes()
    catalog = read_po(path)
    messages = list(catalog.messages)
    first = next(i for i, m in enumerate(messages) if m.string and not m.obsolete)
    messages[first] = dataclasses.replace(messages[first], string=messages[first].string + "（已更新）")
    path.write_text(format_po(dataclasses.replace(catalog, messages=tuple(messages))), encoding="utf-8")
    return path, old


def edit_glossary(ws: Path) -> tuple[Path, bytes]:
    path = ws / "locales" / "glossary.csv"
    old = path.read_bytes()
    path.write_text(old.decode("utf-8").replace(*CHANGED_TERM), encoding="utf-8")
    return path, old


def prepare(releases: int, seed: int, keep: bool) -> dict:
    export_bench.BENCH = BENCH  # build_workspace keeps its marker and logs in its module's folder
    if keep and export_bench._ready(WS, releases):
        built = json.loads((BENCH / "built.json").read_text(encoding="utf-8"))
    else:
        built = export_bench.build_workspace(WS, releases, seed, fuzzy=0.002)
    (WS / "locales" / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    return built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", action="store_true", help="reuse the workspace of an earlier run of the same size")
    parser.add_argument("--code", type=Path, default=ROOT, help="a folder holding the pipeline package to time")
    parser.add_argument("--save-output", type=Path, help="copy output/ here after the cold build")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        print(json.dumps(floor(args.floor)))
        return 0
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no releases to build from", file=sys.stderr)
        return 0
    built = prepare(args.releases, args.seed, args.keep)
    code = args.code.resolve()
    build = [sys.executable, "-m", "pipeline", "build", "-w", str(WS)]
    rows: dict[str, dict] = {}

    def measure(name: str, cmd: list[str]) -> dict:
        rows[name] = timed(cmd, code)
        print(f"{name}: {rows[name]['wall']:.1f} s, {rows[name]['cpu']:.1f} CPU s, "
              f"{rows[name]['peak_mb'] or 0:.0f} MB", file=sys.stderr)
        return rows[name]

    shutil.rmtree(WS / "output", ignore_errors=True)
    shutil.rmtree(WS / ".duet", ignore_errors=True)
    measure("duet build, cold", build)
    if args.save_output:
        shutil.rmtree(args.save_output, ignore_errors=True)
        shutil.copytree(WS / "output", args.save_output)
    measure("duet build again, nothing changed", build)
    hashed = measure("floor: read and hash every file", [sys.executable, __file__, "--floor", str(WS)])
    hashed.update(json.loads(hashed.pop("stdout")))
    put_back: list[tuple[Path, bytes]] = []
    try:
        for name, edit in (("one source release edited", edit_source), ("one PO entry edited", edit_po),
                           ("one glossary term changed", edit_glossary)):
            put_back.append(edit(WS))
            measure(name, build)
    finally:
        for path, data in reversed(put_back):
            path.write_bytes(data)
    shutil.rmtree(WS / "output")
    measure("duet export alone, output/ emptied", [sys.executable, "-m", "pipeline", "export", "-w", str(WS)])
    for row in rows.values():
        row.pop("stdout", None)

    print(f"\n{args.releases} releases, {built['sentences']} sentences, locales {', '.join(export_bench.LOCALES)}; "
          f"{hashed['files']} files, {hashed['bytes'] / 1e6:.0f} MB outside .duet/; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| run | wall s | CPU s | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['wall']:.1f} | {row['cpu']:.1f} | {row['peak_mb'] or 0:.0f} |")
    (BENCH.parent / "build-results.json").write_text(json.dumps(
        {"date": dt.date.today().isoformat(), "releases": args.releases, "code": str(code), "built": built,
         "results": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
