"""Benchmark ``duet export`` on a workspace of translated releases.

    python bench/export.py [--releases 1000] [--seed 20261125] [--repeat 2] [--fuzzy 0.002] [--keep]
                           [--sample 20] [--full] [--profile N] [--wait 30]

Builds (or, with --keep, reuses) a workspace in bench/data/export/ws (git-ignored)
of --releases plain-text releases of about 30 sentences, made from the real
English/Chinese pairs of ../shared/data by bench/po_merge.py's functions
(imported, not copied), then:

1. ``duet extract`` writes the templates and the PO files for zh_Hant_HK and
   zh_Hans_CN (only when they are missing);
2. po_merge's simulated translator fills every msgstr (paired Chinese sentence,
   else a deterministic Chinese string); a share --fuzzy of the entries is
   marked fuzzy, so the publish pages of the releases holding one are refused;
3. timed, each in a fresh subprocess (``python -m pipeline export -w WS``), the
   best of --repeat rounds: wall and CPU seconds (user + system from
   ``wait4``), files and bytes written, peak RSS (GNU time's ``%M``):
   - a cold export (``output/`` emptied first), then a second export with
     nothing changed (the no-op), and the same two with ``--zip``;
   - with --sample K (default 20) and without --full, ``duet export`` of the
     first K releases only (the whole workspace is still read and checked),
     since a full export of a large workspace can take hours; --full times
     the whole workspace instead;
4. determinism: two exports of the same releases into two copies of the
   workspace (different folders, run one after the other) must give identical
   bytes, file by file, zips included;
5. with --profile N: cProfile of ``pipeline.api.export`` on N releases, top
   functions by cumulative and by own time.

Results also go to bench/data/export-results.json. Skips with a message when
../shared/data is absent. Run from the repository root with the project's
virtualenv.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import filecmp
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import po_merge  # bench/po_merge.py: corpus, releases, translator

SHARED = po_merge.SHARED
DATA = ROOT / "bench" / "data"
BENCH = DATA / "export"
WS = BENCH / "ws"
LOCALES = po_merge.LOCALES
TIME = Path("/usr/bin/time")
WRITERS = ("pipeline.formats.bundle_html", "pipeline.formats.bundle_xml", "pipeline.formats.xliff", "pipeline.export")


# --------------------------------------------------------------------------- workspace


def _ready(ws: Path, releases: int) -> bool:
    """A workspace from an earlier run with --releases sources and every PO file translated."""
    marker = ws.parent / "built.json"
    if not marker.is_file():
        return False
    built = json.loads(marker.read_text(encoding="utf-8"))
    if built.get("releases") != releases:
        return False
    ids = sorted(p.stem for p in (ws / "sources").glob("*.txt"))
    return len(ids) == releases and all(
        (ws / "locales" / loc / "LC_MESSAGES" / f"{rid}.po").is_file() for loc in LOCALES for rid in ids)


def build_workspace(ws: Path, releases: int, seed: int, fuzzy: float) -> dict:
    """Sources, ``duet extract``, then po_merge's translator on every PO file."""
    # po_merge's functions write to its module-level workspace and read its shares:
    # point them at this benchmark's folder.
    po_merge.WS = ws
    po_merge.BENCH = BENCH
    po_merge.FUZZY_SHARE = fuzzy
    rng = random.Random(seed)
    shutil.rmtree(ws, ignore_errors=True)
    (BENCH / "built.json").unlink(missing_ok=True)
    (ws / "sources").mkdir(parents=True)
    (ws / "duet.toml").write_text(
        'source_locale = "en"\ntarget_locales = [' + ", ".join(f'"{loc}"' for loc in LOCALES) + "]\n", encoding="utf-8")
    t0 = time.perf_counter()
    docs = po_merge.load_documents()
    sources, translations = po_merge.build_sources(docs, releases, rng)
    for source in sources:
        (ws / "sources" / f"{source.id}.txt").write_text(source.text(), encoding="utf-8")
    sentences = sum(len(s.sentences()) + 1 for s in sources)
    print(f"built {len(sources)} releases, {sentences} sentences from {len(docs)} documents "
          f"in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    extract = run([sys.executable, "-m", "pipeline", "extract", "-w", str(ws), "--format", "json"], ok=(0,))
    print(f"duet extract: {extract['seconds']:.1f}s", file=sys.stderr)
    t0 = time.perf_counter()
    translated = po_merge.translate_catalogs(sources, translations, rng)
    print(f"translated {translated} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    built = {"releases": releases, "sentences": sentences, "seed": seed, "fuzzy_share": fuzzy,
             "translated": translated, "extract_seconds": extract["seconds"]}
    (BENCH / "built.json").write_text(json.dumps(built, indent=1), encoding="utf-8")
    return built


def ensure_extracted(ws: Path) -> None:
    """``duet extract`` when a PO file is missing (never the case after build_workspace)."""
    ids = sorted(p.stem for p in (ws / "sources").glob("*.txt"))
    if not all((ws / "locales" / loc / "LC_MESSAGES" / f"{rid}.po").is_file() for loc in LOCALES for rid in ids):
        run([sys.executable, "-m", "pipeline", "extract", "-w", str(ws)], ok=(0,))


def wait_for_writers(minutes: float) -> None:
    """The writer modules may be half-finished (others work on them): retry the import every few minutes."""
    deadline = time.monotonic() + minutes * 60
    while True:
        probe = subprocess.run([sys.executable, "-c", "import " + ", ".join(WRITERS)], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return
        last = probe.stderr.strip().splitlines()[-1:] or ["?"]
        if time.monotonic() > deadline:
            raise SystemExit(f"cannot run: the export writers do not import ({last[0]})")
        print(f"export writers do not import yet ({last[0]}); retrying in 3 minutes", file=sys.stderr)
        time.sleep(180)


# --------------------------------------------------------------------------- measuring


def run(cmd: list[str], ok: tuple[int, ...] = (0, 1), stdout_to: Path | None = None) -> dict:
    """One command in a fresh process: wall seconds, CPU seconds (wait4), peak RSS (GNU time's %M).

    The child's own ``ru_maxrss`` from here would start at this process's size
    (inherited through fork), hence GNU time around it. ``duet export`` exits 1
    when a publish page was refused or the checks found errors: a success here.
    """
    rss_log = BENCH / "rss.log"
    rss_log.unlink(missing_ok=True)
    wrap = [str(TIME), "-f", "%M", "-o", str(rss_log)] if TIME.exists() else []
    out = stdout_to.open("wb") if stdout_to else subprocess.DEVNULL
    start = time.perf_counter()
    try:
        proc = subprocess.Popen([*wrap, *cmd], stdout=out, stderr=subprocess.PIPE, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if stdout_to:
            out.close()
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if code not in ok:
        raise SystemExit(f"{' '.join(cmd)} -> exit {code}\n{err[-3000:]}")
    peak = [int(x) for x in rss_log.read_text().split() if x.isdigit()] if wrap and rss_log.is_file() else []
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
            "system": usage.ru_stime, "peak_mb": peak[-1] / 1024 if peak else None, "exit": code,
            "load": os.getloadavg()[0]}


def tree(folder: Path) -> dict[str, int]:
    """Relative path → size of every file under ``folder``."""
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def export_cmd(ws: Path, names: list[str], zip_bundle: bool, check_once: bool = False) -> list[str]:
    """``duet export`` as a user runs it, or (``check_once``) this script's inner mode that checks the workspace once."""
    if check_once:
        return [sys.executable, __file__, "--inner", str(ws), *(["--zip"] if zip_bundle else []), *names]
    return [sys.executable, "-m", "pipeline", "export", "-w", str(ws), "--format", "json",
            *(["--zip"] if zip_bundle else []), *names]


def timed_export(ws: Path, names: list[str], zip_bundle: bool, repeat: int, log: Path, check_once: bool = False,
                 noop: bool = True) -> dict:
    """Best of ``repeat`` cold exports (output/ emptied), each followed by a no-op export (nothing changed)."""
    cold, again = [], []
    for _ in range(repeat):
        shutil.rmtree(ws / "output", ignore_errors=True)
        cold.append(run(export_cmd(ws, names, zip_bundle, check_once), stdout_to=log))
        files = tree(ws / "output")
        report = json.loads(log.read_text(encoding="utf-8"))
        cold[-1].update(files=len(files), bytes=sum(files.values()), written=sum(r["changed"] for r in report))
        print(f"  export{' --zip' if zip_bundle else ''} of {len(report)}: {cold[-1]['seconds']:.1f}s "
              f"({cold[-1]['cpu']:.1f} CPU s, {cold[-1]['peak_mb']:.0f} MB, load {cold[-1]['load']:.1f})", file=sys.stderr)
        if noop:
            again.append(run(export_cmd(ws, names, zip_bundle, check_once), stdout_to=log))
            second = json.loads(log.read_text(encoding="utf-8"))
            again[-1].update(written=sum(r["changed"] for r in second), same=tree(ws / "output") == files)
            print(f"  no-op: {again[-1]['seconds']:.1f}s ({again[-1]['cpu']:.1f} CPU s), {again[-1]['written']} written",
                  file=sys.stderr)
    out = {"releases": len(report), "refused_pages": sum(len(r["refused"]) for r in report),
           "not_ready": sum(1 for r in report if r["errors"])}
    for name, runs in (("cold", cold), ("noop", again)):
        if runs:
            row = dict(min(runs, key=lambda r: r["seconds"]))
            row["all_seconds"] = [r["seconds"] for r in runs]
            row["all_cpu"] = [r["cpu"] for r in runs]
            row["peak_mb"] = max(r["peak_mb"] or 0 for r in runs)
            out[name] = row
    return out


def inner_export(args: list[str], check_once: bool = True, prof: str | None = None) -> None:
    """In a subprocess: ``api.export`` with ``api.check`` run once on the whole workspace instead of once a release.

    ``api.export`` calls ``api.check(workspace, <the release's PO files>)``,
    which reads and checks every PO file of the workspace (consistency is
    judged against all of them) and keeps the findings of the files asked
    for. Checking everything once and keeping each release's findings from
    that gives the same findings, so the same bytes: what export would cost
    without the per-release check (a measurement aid, not a change to Duet).
    """
    from pipeline import api

    zip_bundle = "--zip" in args
    ws, *names = [a for a in args if a != "--zip"]
    real = api.check
    cache: dict = {}

    def check_once_(workspace, paths=()):  # type: ignore[no-untyped-def]
        if not paths:
            return real(workspace)
        if not cache:
            for finding in real(workspace).findings:
                cache.setdefault(finding.loc.path, []).append(finding)
        shown = [workspace.relative(Path(p).resolve()) for p in paths]
        return api.CheckResult([f for path in shown for f in cache.get(path, ())], len(shown), 0)

    if check_once:
        api.check = check_once_  # type: ignore[assignment]
    profiler = cProfile.Profile() if prof else None
    workspace = api.open_workspace(ws)
    if profiler:
        profiler.enable()
    results = api.export(workspace, names, zip_bundle=zip_bundle)
    if profiler:
        profiler.disable()
        profiler.dump_stats(prof)
    print(json.dumps([{"release": r.release_id, "changed": r.changed, "refused": list(r.refused), "errors": r.errors}
                      for r in results]))


def determinism(ws: Path, names: list[str], check_once: bool, reference: Path | None = None) -> dict:
    """Export the same releases (with --zip) into two fresh copies of the workspace; compare every byte.

    With ``reference`` (an output folder of the plain ``duet export`` on some
    releases), also compare those files with the copies' (the inner mode must
    write the same bytes as the CLI).
    """
    copies = [BENCH / "ws-a", BENCH / "ws-b"]
    for copy in copies:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(ws, copy, ignore=shutil.ignore_patterns("output", ".duet"))
        run(export_cmd(copy, names, True, check_once))
    a, b = (copy / "output" for copy in copies)
    files_a, files_b = tree(a), tree(b)
    differ = [name for name in files_a if name in files_b and not filecmp.cmp(a / name, b / name, shallow=False)]
    only = sorted(set(files_a) ^ set(files_b))
    result = {"files": len(files_a), "differ": len(differ), "only_one_side": len(only), "examples": (differ + only)[:5]}
    if reference is not None:
        ref = tree(reference)
        missing = [name for name in ref if name not in files_a]
        unlike = [name for name in ref if name in files_a and not filecmp.cmp(reference / name, a / name, shallow=False)]
        result.update(reference_files=len(ref), reference_differ=len(unlike) + len(missing),
                      reference_examples=(unlike + missing)[:5])
    for copy in copies:
        shutil.rmtree(copy, ignore_errors=True)
    return result


def profile(ws: Path, names: list[str], check_once: bool, top: int = 25) -> dict:
    """cProfile of ``pipeline.api.export`` in a subprocess; top functions by cumulative and by own time."""
    shutil.rmtree(ws / "output", ignore_errors=True)
    out = BENCH / ("export-check-once.prof" if check_once else "export.prof")
    inner = [*export_cmd(ws, names, False, check_once=True)[:2], "--inner", *(["--check-once"] if check_once else []),
             "--prof", str(out), str(ws), *names]
    run(inner, stdout_to=BENCH / "profile.json")
    stats = pstats.Stats(str(out))
    total = max(row[3] for row in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        short = file.replace(str(ROOT) + "/", "").replace(sys.prefix, "<venv>")
        rows.append({"function": f"{short}:{line}({func})", "calls": calls, "own": own, "cumulative": cumulative})
    what = "api.export, api.check once" if check_once else "api.export"
    print(f"\ncProfile of {what} on {len(names) or 'all'} releases: {total:.1f}s under the profiler")
    for title, key in (("cumulative", "cumulative"), ("own time", "own")):
        print(f"\ntop {top} by {title}:\n| function | calls | cumulative s | own s |\n|---|---:|---:|---:|")
        for r in sorted(rows, key=lambda r: -r[key])[:top]:
            print(f"| `{r['function']}` | {r['calls']:,} | {r['cumulative']:.2f} | {r['own']:.2f} |")
    return {"total": total, "cumulative": sorted(rows, key=lambda r: -r["cumulative"])[:top],
            "own": sorted(rows, key=lambda r: -r["own"])[:top]}


# --------------------------------------------------------------------------- main


def _table(results: dict) -> None:
    print("| run | releases | seconds | CPU s | releases/s | releases/CPU s | files written | output MB | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        if "cold" not in r:
            continue
        for label, row in ((key, r.get("cold")), (f"{key}, no-op", r.get("noop"))):
            if row is None:
                continue
            size = f"{row['bytes'] / 1e6:.1f}" if "bytes" in row else ""
            print(f"| {label} | {r['releases']} | {row['seconds']:.2f} | {row['cpu']:.2f} | "
                  f"{r['releases'] / row['seconds']:.2f} | {r['releases'] / row['cpu']:.2f} | {row['written']} | "
                  f"{size} | {row['peak_mb']:.0f} |")
    print("\nseconds (CPU s) of every round: " + "; ".join(
        f"{key}: " + ", ".join(f"{part} " + " ".join(f"{s:.1f} ({c:.1f})" for s, c in zip(r[part]['all_seconds'], r[part]['all_cpu']))
                               for part in ("cold", "noop") if part in r)
        for key, r in results.items() if "cold" in r))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--fuzzy", type=float, default=0.002,
                        help="share of entries marked fuzzy (their release's publish page is refused); 0: all translated")
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds; the best is reported (default 2)")
    parser.add_argument("--keep", action="store_true", help="reuse bench/data/export/ws when it matches, keep it afterwards")
    parser.add_argument("--sample", type=int, default=3,
                        help="releases exported by the plain 'duet export' runs unless --full (default 3)")
    parser.add_argument("--full", action="store_true", help="plain 'duet export' of every release (hours at 1,000)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="cProfile api.export on N releases, and the check-once export on all")
    parser.add_argument("--wait", type=float, default=30, help="minutes to wait for the export writers to import")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check-once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prof", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.inner:
        inner_export(rest, check_once=args.check_once or not args.prof, prof=args.prof)
        return 0
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no releases to build from", file=sys.stderr)
        return 0

    BENCH.mkdir(parents=True, exist_ok=True)
    if args.keep and _ready(WS, args.releases):
        built = json.loads((BENCH / "built.json").read_text(encoding="utf-8"))
        print(f"reusing {WS} ({args.releases} releases)", file=sys.stderr)
    else:
        built = build_workspace(WS, args.releases, args.seed, args.fuzzy)
    ensure_extracted(WS)
    wait_for_writers(args.wait)

    ids = sorted(p.stem for p in (WS / "sources").glob("*.txt"))
    sample = [] if args.full or args.sample >= len(ids) else ids[: args.sample]
    load_before = os.getloadavg()[0]
    results: dict = {}
    log = BENCH / "export.json"
    label = f"duet export (CLI), {len(sample) or len(ids)} releases"
    print(f"{label}, {args.repeat} rounds:", file=sys.stderr)
    results[label] = timed_export(WS, sample, False, args.repeat, log)
    reference = BENCH / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    shutil.copytree(WS / "output", reference)
    print("duet check (CLI), whole workspace:", file=sys.stderr)
    checks = [run([sys.executable, "-m", "pipeline", "check", "-w", str(WS), "--format", "json", "--fail-on", "never",
                   "-o", str(BENCH / "check.json")], ok=(0,)) for _ in range(args.repeat)]
    results["duet check (CLI), whole workspace"] = min(checks, key=lambda r: r["seconds"])
    results["duet check (CLI), whole workspace"]["all"] = [(r["seconds"], r["cpu"]) for r in checks]
    print("  " + ", ".join(f"{s:.1f}s ({c:.1f} CPU s)" for s, c in results["duet check (CLI), whole workspace"]["all"]),
          file=sys.stderr)
    for zip_bundle in (False, True):
        key = f"api.export, check once{', --zip' if zip_bundle else ''}, all releases"
        print(f"{key}, {args.repeat} rounds:", file=sys.stderr)
        results[key] = timed_export(WS, [], zip_bundle, args.repeat, log, check_once=True)
    same = determinism(WS, [], check_once=True, reference=reference)
    print(f"determinism: {same}", file=sys.stderr)
    shutil.rmtree(reference, ignore_errors=True)

    version = subprocess.run([sys.executable, "-c", "from importlib.metadata import version; print(version('duet'))"],
                             capture_output=True, text=True, check=False).stdout.strip()
    print(f"\nworkspace: {len(ids)} releases, {built['sentences']} sentences, {2 * len(ids)} PO files "
          f"({', '.join(LOCALES)}); translator: {built['translated']}")
    print(f"Python {sys.version.split()[0]}, duet {version}, {os.cpu_count()} cores; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    _table(results)
    c = results["duet check (CLI), whole workspace"]
    cli = results[label]
    per = cli["cold"]["cpu"] / cli["releases"]
    print(f"\nduet check of the whole workspace: {c['seconds']:.1f}s, {c['cpu']:.1f} CPU s, {c['peak_mb']:.0f} MB; "
          f"plain duet export: {per:.1f} CPU s a release -> about {per * len(ids) / 3600:.1f} CPU hours "
          f"for all {len(ids)}")
    r = results["api.export, check once, all releases"]
    print(f"publish pages refused: {r['refused_pages']} of {2 * r['releases']}; releases marked not ready "
          f"(check errors): {r['not_ready']}")
    print(f"determinism (two copies, check once, --zip): {same['files']} files, {same['differ']} differ, "
          f"{same['only_one_side']} on one side only {same['examples'] or ''}; plain duet export's "
          f"{same.get('reference_files')} files vs check once: {same.get('reference_differ')} differ "
          f"{same.get('reference_examples') or ''}")
    prof = {}
    if args.profile:
        prof["api.export"] = profile(WS, ids[: args.profile], check_once=False)
        prof["api.export, check once"] = profile(WS, [], check_once=True)
    (DATA / "export-results.json").write_text(json.dumps(
        {"date": dt.date.today().isoformat(), "workspace": built, "results": results, "determinism": same,
         "profile": prof, "python": sys.version.split()[0], "duet": version}, indent=1, ensure_ascii=False),
        encoding="utf-8")
    if not args.keep:
        shutil.rmtree(BENCH, ignore_errors=True)
    return 1 if same["differ"] or same["only_one_side"] or same.get("reference_differ") else 0


if __name__ == "__main__":
    sys.exit(main())
