"""Benchmark ``duet extract`` (segment, template, merge into PO files) against GNU msgmerge.

    python bench/po_merge.py [--releases 1000] [--seed 20261125] [--repeat 3] [--keep]

Builds a workspace in bench/data/po-merge/ (git-ignored) with --releases
plain-text releases of about 30 sentences each, made from the English/Chinese
pairs in ../shared/data (HK government press releases, HKMA annual-report
paragraphs, NTREX-128 news), then:

1. ``duet extract`` once: a template per release and a PO file per release for
   zh_Hant_HK and zh_Hans_CN;
2. a simulated translator fills every msgstr (the paired Chinese sentence where
   there is one, else a deterministic Chinese string), marks about 3% fuzzy and
   comments about 2%, reading and writing through ``pipeline.formats.po``;
3. about 20% of the source sentences are edited (a word or number changed, a
   sentence inserted, deleted or moved, paragraphs split and joined) and the
   translated PO files are copied aside (``before/``);
4. timed, in this run, each in its own subprocess (peak memory is that
   process's ``ru_maxrss`` from ``wait4``):
   - ``duet extract`` on the workspace (segments every release, writes the
     templates, merges every PO file);
   - ``msgmerge --previous --quiet -o OUT before.po new.pot`` for every PO file,
     one at a time and two at a time, against the templates Duet just wrote;
   - Duet's merge alone, the same job as msgmerge (read the old PO and the POT
     from disk, merge, write), one process and two processes;
   - Duet's extract phase by phase (where the time goes);
   the timed runs take turns for --repeat rounds (the PO files and templates
   are put back before each round) and the fastest round of each is reported,
   since the development machine is shared;
5. loss check: every non-empty msgstr in msgmerge's output (live, fuzzy or
   obsolete) must also be in Duet's, file by file. Exit status 1 when Duet lost
   a translation that msgmerge kept.

Run from the repository root with the project's virtualenv. Skips with a message
when ../shared/data or msgmerge is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "bench" / "data"
BENCH = DATA / "po-merge"
WS = BENCH / "ws"
LOCALES = ("zh_Hant_HK", "zh_Hans_CN")
EDIT_SHARE = 0.20
FUZZY_SHARE = 0.03
COMMENT_SHARE = 0.02

sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Sent:
    """One English sentence with its Chinese renderings (None: no aligned translation)."""

    en: str
    hant: str | None = None
    hans: str | None = None


@dataclass
class Doc:
    title: Sent
    paragraphs: list[list[Sent]]


def _segment(text: str, lang: str) -> list[str]:
    from pipeline.segment import segment_text

    return [s.text.strip() for s in segment_text(text, lang) if s.text.strip()]


def _pair(en: str, hant: str | None, hans: str | None = None) -> list[Sent]:
    """A paragraph's sentences as Duet cuts them, zipped with the Chinese when the counts agree."""
    en_s = _segment(en, "en")
    hant_s = _segment(hant, "zh") if hant else []
    hans_s = _segment(hans, "zh") if hans else []
    if len(en_s) == 1:
        return [Sent(en_s[0], hant.strip() if hant else None, hans.strip() if hans else None)]
    return [
        Sent(e, hant_s[i] if len(hant_s) == len(en_s) else None, hans_s[i] if len(hans_s) == len(en_s) else None)
        for i, e in enumerate(en_s)
    ]


def _paragraph_text(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def load_documents() -> list[Doc]:
    """The real releases and reports of ../shared/data, as documents of aligned sentences."""
    docs: list[Doc] = []
    for line in (SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        en = [_paragraph_text(p) for p in record["en"].split("\n\n") if p.strip()]
        zh = [_paragraph_text(p) for p in record["zh"].split("\n\n") if p.strip()]
        aligned = len(en) == len(zh)
        paragraphs = [_pair(p, zh[i] if aligned else None) for i, p in enumerate(en)]
        docs.append(Doc(Sent(record["title_en"].strip(), record["title_zh"].strip()), [p for p in paragraphs if p]))

    chapters: dict[tuple[int, int], list[dict]] = {}
    for line in (SHARED / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        chapters.setdefault((record["year"], record["doc"]), []).append(record)
    for rows in chapters.values():
        title = Sent(rows[0]["en"].lstrip("# ").strip(), rows[0]["zh"].lstrip("# ").strip())
        paragraphs = [_pair(_paragraph_text(r["en"].lstrip("# ")), _paragraph_text(r["zh"].lstrip("# "))) for r in rows[1:]]
        docs.append(Doc(title, [p for p in paragraphs if p]))

    folder = SHARED / "ntrex128-en-zh"
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    tw = (folder / "newstest2019-ref.zho-TW.txt").read_text(encoding="utf-8").splitlines()
    cn = (folder / "newstest2019-ref.zho-CN.txt").read_text(encoding="utf-8").splitlines()
    by_doc: dict[str, list[int]] = {}
    for index, doc_id in enumerate(ids):
        by_doc.setdefault(doc_id.split("\t")[0], []).append(index)
    chunker = random.Random(7)
    for lines in by_doc.values():
        title = Sent(en[lines[0]].strip(), tw[lines[0]].strip(), cn[lines[0]].strip())
        paragraphs, current, size = [], [], chunker.randint(1, 4)
        for index in lines[1:]:
            current += _pair(en[index], tw[index], cn[index])
            if len(current) >= size:
                paragraphs.append(current)
                current, size = [], chunker.randint(1, 4)
        if current:
            paragraphs.append(current)
        docs.append(Doc(title, paragraphs))
    return [d for d in docs if d.title.en and d.paragraphs]


_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def _new_number(rng: random.Random, old: str) -> str:
    digits = sum(c.isdigit() for c in old)
    while True:
        new = str(rng.randint(10 ** (digits - 1) if digits > 1 else 0, 10**digits - 1))
        if "." in old:
            new += "." + str(rng.randint(0, 9))
        if new != old.replace(",", ""):
            return new


def _vary_numbers(sent: Sent, rng: random.Random) -> Sent:
    """The same sentence with its numbers changed, in the Chinese too where they are written alike."""
    numbers = _NUMBER.findall(sent.en)
    if not numbers:
        return sent
    en, hant, hans = sent.en, sent.hant, sent.hans
    for old in dict.fromkeys(numbers):
        if re.fullmatch(r"(19|20)\d\d", old):  # a year stays a year
            continue
        new = _new_number(rng, old)
        en = re.sub(rf"(?<![\d.,]){re.escape(old)}(?![\d])", new, en)
        hant = hant.replace(old, new) if hant else hant
        hans = hans.replace(old, new) if hans else hans
    return Sent(en, hant, hans)


@dataclass
class Source:
    id: str
    title: str
    date: str
    paragraphs: list[list[Sent]]

    def text(self) -> str:
        head = f"Title: {self.title}\nDate: {self.date}\n---\n\n{self.title}\n\n"
        return head + "\n\n".join(" ".join(s.en for s in p) for p in self.paragraphs if p) + "\n"

    def sentences(self) -> list[Sent]:
        return [s for p in self.paragraphs for s in p]


def build_sources(docs: list[Doc], count: int, rng: random.Random) -> tuple[list[Source], dict[str, Sent]]:
    """``count`` releases of 25-35 sentences: runs of paragraphs from the real documents, numbers varied."""
    sources: list[Source] = []
    translations: dict[str, Sent] = {}
    for k in range(count):
        want = rng.randint(25, 35)
        doc_index = first = rng.randrange(len(docs))
        doc = docs[doc_index]
        start = rng.randrange(len(doc.paragraphs))
        paragraphs: list[list[Sent]] = []
        taken = 0
        while taken < want:
            if start >= len(doc.paragraphs):  # continue with the next document
                doc_index = (doc_index + 1) % len(docs)
                doc, start = docs[doc_index], 0
            paragraph = [_vary_numbers(s, rng) if rng.random() < 0.5 else s for s in doc.paragraphs[start]]
            paragraphs.append(paragraph[: want - taken])
            taken += len(paragraphs[-1])
            start += 1
        title = _vary_numbers(docs[first].title, rng) if rng.random() < 0.5 else docs[first].title
        title = Sent(f"{title.en} ({k + 1})", title.hant and f"{title.hant}（{k + 1}）", title.hans and f"{title.hans}（{k + 1}）")
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
        source = Source(f"R{k + 1:05d}", title.en, day.isoformat(), paragraphs)
        for sent in [title, *source.sentences()]:
            translations.setdefault(sent.en, sent)
        sources.append(source)
    return sources, translations


def edit_sources(sources: list[Source], pool: list[Sent], rng: random.Random) -> dict[str, int]:
    """Edit about 20% of the sentences of every release, in place; returns how many edits of each kind."""
    kinds = ("word", "number", "insert", "delete", "reorder", "split", "join")
    weights = (25, 15, 15, 15, 10, 10, 10)
    done = dict.fromkeys(kinds, 0)
    for source in sources:
        edits = max(1, round(EDIT_SHARE * len(source.sentences())))
        for _ in range(edits):
            kind = rng.choices(kinds, weights)[0]
            paragraphs = [p for p in source.paragraphs if p]
            source.paragraphs = paragraphs
            p = rng.randrange(len(paragraphs))
            i = rng.randrange(len(paragraphs[p]))
            sent = paragraphs[p][i]
            if kind == "number" and not _NUMBER.search(sent.en):
                kind = "word"
            if kind == "word":
                words = _WORD.findall(sent.en)
                if not words:
                    kind = "insert"
                else:
                    old = rng.choice(words)
                    other = _WORD.findall(rng.choice(pool).en) or ["revised"]
                    new = rng.choice(other)
                    if new.lower() == old.lower():
                        new = "revised"
                    paragraphs[p][i] = Sent(re.sub(rf"\b{old}\b", new, sent.en, count=1))
            if kind == "number":
                old = rng.choice(_NUMBER.findall(sent.en))
                paragraphs[p][i] = Sent(sent.en.replace(old, _new_number(rng, old), 1))
            elif kind == "insert":
                paragraphs[p].insert(i + 1, rng.choice(pool))
            elif kind == "delete":
                del paragraphs[p][i]
            elif kind == "reorder":
                q = rng.randrange(len(paragraphs))
                moved = paragraphs[p].pop(i)
                paragraphs[q].insert(rng.randrange(len(paragraphs[q]) + 1), moved)
            elif kind == "split":
                if i == 0 and len(paragraphs[p]) > 1:
                    i = 1
                if i > 0:
                    paragraphs[p:p + 1] = [paragraphs[p][:i], paragraphs[p][i:]]
                else:  # a one-sentence paragraph: split the next one instead
                    q = (p + 1) % len(paragraphs)
                    if len(paragraphs[q]) > 1:
                        paragraphs[q:q + 1] = [paragraphs[q][:1], paragraphs[q][1:]]
            elif kind == "join" and len(paragraphs) > 1:
                q = p + 1 if p + 1 < len(paragraphs) else p - 1
                first, second = sorted((p, q))
                paragraphs[first:second + 1] = [paragraphs[first] + paragraphs[second]]
            done[kind] += 1
        source.paragraphs = [p for p in source.paragraphs if p]
    return done


# --------------------------------------------------------------------------- translator


def _fallback(text: str, pool: list[str]) -> str:
    """Any deterministic Chinese string for a sentence with no aligned translation."""
    h = zlib.crc32(text.encode("utf-8"))
    return f"{pool[h % len(pool)]}〔{h % 100000}〕"


def translate_catalogs(sources: list[Source], translations: dict[str, Sent], rng: random.Random) -> dict[str, int]:
    """Fill every msgstr of every PO file; a few become fuzzy, a few get a translator comment."""
    from pipeline.formats.po import format_po, read_po

    pool = {loc: sorted({(s.hant if loc == "zh_Hant_HK" else s.hans or s.hant) or "" for s in translations.values()} - {""})
            for loc in LOCALES}
    counts = {"messages": 0, "paired": 0, "fallback": 0, "fuzzy": 0, "commented": 0}
    for source in sources:
        for loc in LOCALES:
            path = WS / "locales" / loc / "LC_MESSAGES" / f"{source.id}.po"
            catalog = read_po(path)
            messages = []
            for message in catalog.messages:
                sent = translations.get(message.id.strip())
                zh = (sent.hant if loc == "zh_Hant_HK" else sent.hans or sent.hant) if sent else None
                counts["paired" if zh else "fallback"] += 1
                changes: dict = {"string": zh or _fallback(message.id, pool[loc])}
                if rng.random() < FUZZY_SHARE:
                    changes["flags"] = ("fuzzy",)
                    counts["fuzzy"] += 1
                if rng.random() < COMMENT_SHARE:
                    changes["comments"] = ("Checked against the Chinese press release.",)
                    counts["commented"] += 1
                messages.append(dataclasses.replace(message, **changes))
                counts["messages"] += 1
            path.write_text(format_po(dataclasses.replace(catalog, messages=tuple(messages))), encoding="utf-8")
    return counts


# --------------------------------------------------------------------------- measuring


TIME = Path("/usr/bin/time")


def measured(cmds: list[list[str]], jobs: int = 1, stdout_to: Path | None = None, rss: bool = True) -> dict:
    """Run the commands ``jobs`` at a time: wall seconds, CPU seconds and the largest peak RSS of any of them.

    Peak RSS comes from GNU time wrapped around each command (its ``%M``): a
    child's own ``ru_maxrss`` seen from here would start at this Python
    process's size, which Linux hands down through fork/vfork to exec. The
    wrapper costs a fork and an exec per command, so msgmerge's timed runs go
    without it (``rss=False``) and its memory is taken in a separate pass.
    """
    pending = list(cmds)
    running: dict[int, subprocess.Popen] = {}
    user, system, failed = 0.0, 0.0, []
    out = stdout_to.open("wb") if stdout_to else subprocess.DEVNULL
    rss_log = BENCH / "rss.log"
    rss_log.unlink(missing_ok=True)
    wrap = ["/usr/bin/time", "-a", "-f", "%M", "-o", str(rss_log)] if rss and TIME.exists() else []
    start = time.perf_counter()
    try:
        while pending or running:
            while pending and len(running) < jobs:
                cmd = pending.pop(0)
                proc = subprocess.Popen([*wrap, *cmd], stdout=out, stderr=subprocess.PIPE if len(cmds) == 1 else None,
                                        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
                running[proc.pid] = proc
            pid, status, usage = os.wait4(-1, 0)
            proc = running.pop(pid, None)
            if proc is None:
                continue
            proc.returncode = os.waitstatus_to_exitcode(status)
            user += usage.ru_utime
            system += usage.ru_stime
            if proc.returncode != 0:
                failed.append((proc.args, proc.returncode, proc.stderr.read().decode() if proc.stderr else ""))
    finally:
        if stdout_to:
            out.close()
    seconds = time.perf_counter() - start
    if failed:
        args, code, err = failed[0]
        raise SystemExit(f"{len(failed)} command(s) failed, first: {' '.join(map(str, args))} -> {code}\n{err}")
    peaks = [int(line) for line in rss_log.read_text().split() if line.isdigit()] if wrap else []
    return {"seconds": seconds, "cpu": user + system, "peak_mb": max(peaks) / 1024 if peaks else None}


def run_merge_alone(before: Path, out: Path, shard: int, shards: int) -> dict:
    """In a subprocess: what msgmerge does, done by Duet (read old PO and POT, merge, write), timed by phase."""
    from pipeline.catalog import merge_catalog
    from pipeline.formats.po import format_po, read_po
    from pipeline.workspace import open_workspace

    workspace = open_workspace(WS)
    config = workspace.config
    ids = sorted(p.stem for p in workspace.templates_dir.glob("*.pot"))[shard::shards]
    phases = dict.fromkeys(("read pot", "read po", "merge", "format", "write"), 0.0)
    clock = time.perf_counter
    start = clock()
    for rid in ids:
        for loc in config.target_locales:
            t0 = clock()
            template = read_po(workspace.template_path(rid))
            t1 = clock()
            old = read_po(before / loc / f"{rid}.po")
            t2 = clock()
            merged, _ = merge_catalog(old, template, locale=loc, source_language=config.source_locale,
                                      threshold=config.fuzzy_threshold)
            t3 = clock()
            text = format_po(merged)
            t4 = clock()
            target = out / loc / f"{rid}.po"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            t5 = clock()
            for name, took in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                phases[name] += took
    return {"seconds": clock() - start, "files": len(ids) * len(config.target_locales), "phases": phases}


def run_extract_phases(before: Path, scratch: Path) -> dict:
    """In a subprocess: ``api.extract`` step by step with timers, writing to a scratch folder."""
    from pipeline import api
    from pipeline.catalog import extract_template, merge_catalog
    from pipeline.formats.files import write_atomic
    from pipeline.formats.po import format_po, read_po
    from pipeline.segment import segment_release

    clock = time.perf_counter
    phases = dict.fromkeys(("read sources", "segment", "template", "read po", "merge", "format",
                            "compare bytes", "write_atomic (fsync)"), 0.0)
    start = clock()
    workspace = api.open_workspace(WS)
    config = workspace.config
    rules = api.workspace_rules(workspace)
    t0 = clock()
    releases = api.load_releases(workspace)
    t1 = clock()
    segmented = [(r, segment_release(r, rules)) for r in releases]
    t2 = clock()
    phases["read sources"] += t1 - t0
    phases["segment"] += t2 - t1
    planned = []
    for release, segments in segmented:
        t0 = clock()
        template = extract_template(release, segments)
        t1 = clock()
        text = format_po(template)
        t2 = clock()
        phases["template"] += t1 - t0
        phases["format"] += t2 - t1
        planned.append((scratch / "templates" / f"{release.id}.pot", text, before / "templates" / f"{release.id}.pot"))
        for loc in config.target_locales:
            old_path = before / loc / f"{release.id}.po"
            t0 = clock()
            old = read_po(old_path)
            t1 = clock()
            merged, _ = merge_catalog(old, template, locale=loc, source_language=config.source_locale,
                                      threshold=config.fuzzy_threshold)
            t2 = clock()
            text = format_po(merged)
            t3 = clock()
            phases["read po"] += t1 - t0
            phases["merge"] += t2 - t1
            phases["format"] += t3 - t2
            planned.append((scratch / loc / f"{release.id}.po", text, old_path))
    for target, text, existing in planned:
        t0 = clock()
        changed = existing.read_bytes() != text.encode("utf-8")
        t1 = clock()
        if changed:
            write_atomic(target, text)
        t2 = clock()
        phases["compare bytes"] += t1 - t0
        phases["write_atomic (fsync)"] += t2 - t1
    return {"seconds": clock() - start, "phases": phases, "files": len(planned)}


# --------------------------------------------------------------------------- loss check


def _read(path: Path) -> dict:
    """A PO file as polib reads it (header left out): msgstr texts, (msgctxt, msgid, msgstr) pairs, live entries."""
    import polib

    po = polib.pofile(str(path), wrapwidth=0)
    texts: set[str] = set()
    pairs: set[tuple[str | None, str, str]] = set()
    live: dict[tuple[str | None, str], tuple[str, bool]] = {}
    states = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
    for entry in po:
        if entry.msgid == "" and not entry.msgctxt:
            continue
        values = [entry.msgstr, *entry.msgstr_plural.values()]
        texts.update(v for v in values if v)
        pairs.update((entry.msgctxt, entry.msgid, v) for v in values if v)
        fuzzy = "fuzzy" in entry.flags
        if entry.obsolete:
            states["obsolete"] += 1
        else:
            live[(entry.msgctxt, entry.msgid)] = (entry.msgstr, fuzzy)
            states["fuzzy" if fuzzy else "translated" if any(values) else "untranslated"] += 1
    return {"texts": texts, "pairs": pairs, "live": live, "states": states}


def loss_check(ids: list[str], before: Path, msgmerge_out: Path, duet_out: Path) -> dict:
    """Translations (msgstr texts) of msgmerge's output missing from Duet's, and what each tool keeps.

    A text counts as kept when it is any entry's msgstr (live, fuzzy or
    obsolete); a translation stays with its sentence when an entry with the
    old msgid still holds it.
    """
    totals = dict.fromkeys((
        "files", "before_translations", "lost_by_duet", "msgmerge_drops", "msgmerge_drops_duet_keeps", "duet_drops",
        "before_pairs", "pairs_msgmerge_keeps", "pairs_duet_keeps", "pairs_only_duet_keeps", "pairs_only_msgmerge_keeps",
        "live", "live_same", "fuzzy_only_msgmerge", "fuzzy_only_duet", "fuzzy_other_donor", "other_difference"), 0)
    states: dict[str, dict[str, int]] = {"before": {}, "msgmerge": {}, "duet": {}}
    examples: list[str] = []
    for loc in LOCALES:
        for rid in ids:
            b = _read(before / loc / f"{rid}.po")
            m = _read(msgmerge_out / loc / f"{rid}.po")
            d = _read(duet_out / loc / "LC_MESSAGES" / f"{rid}.po")
            for name, read in (("before", b), ("msgmerge", m), ("duet", d)):
                for key, value in read["states"].items():
                    states[name][key] = states[name].get(key, 0) + value
            lost = m["texts"] - d["texts"]
            totals["files"] += 1
            totals["before_translations"] += len(b["texts"])
            totals["lost_by_duet"] += len(lost)
            totals["msgmerge_drops"] += len(b["texts"] - m["texts"])
            totals["msgmerge_drops_duet_keeps"] += len((b["texts"] - m["texts"]) & d["texts"])
            totals["duet_drops"] += len(b["texts"] - d["texts"])
            totals["before_pairs"] += len(b["pairs"])
            totals["pairs_msgmerge_keeps"] += len(b["pairs"] & m["pairs"])
            totals["pairs_duet_keeps"] += len(b["pairs"] & d["pairs"])
            totals["pairs_only_duet_keeps"] += len((b["pairs"] & d["pairs"]) - m["pairs"])
            totals["pairs_only_msgmerge_keeps"] += len((b["pairs"] & m["pairs"]) - d["pairs"])
            for key, (m_str, m_fuzzy) in m["live"].items():
                d_str, d_fuzzy = d["live"].get(key, (None, False))
                totals["live"] += 1
                if (m_str, m_fuzzy) == (d_str, d_fuzzy):
                    totals["live_same"] += 1
                elif m_fuzzy and not d_fuzzy and not d_str:
                    totals["fuzzy_only_msgmerge"] += 1
                elif d_fuzzy and not m_fuzzy and not m_str:
                    totals["fuzzy_only_duet"] += 1
                elif m_fuzzy and d_fuzzy:
                    totals["fuzzy_other_donor"] += 1
                else:
                    totals["other_difference"] += 1
            examples += [f"{loc}/{rid}.po: {text[:60]!r}" for text in sorted(lost)][: max(0, 5 - len(examples))]
    return {**totals, "states": states, "examples": examples}


def same_files(left: Path, right: Path, ids: list[str], layout_right: str = "") -> int:
    """How many PO files differ between two output folders."""
    differ = 0
    for loc in LOCALES:
        for rid in ids:
            a = (left / loc / f"{rid}.po").read_bytes()
            b = (right / loc / layout_right / f"{rid}.po").read_bytes()
            differ += a != b
    return differ


# --------------------------------------------------------------------------- main


def _inner(args: argparse.Namespace) -> None:
    mode = args.inner[0]
    if mode == "merge":
        result = run_merge_alone(Path(args.inner[1]), Path(args.inner[2]), int(args.inner[3]), int(args.inner[4]))
    else:
        result = run_extract_phases(Path(args.inner[1]), Path(args.inner[2]))
    print(json.dumps(result))


def _rate(files: int, seconds: float) -> str:
    return f"{files / seconds:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", action="store_true", help="keep bench/data/po-merge/ afterwards")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best of each is reported (default 3)")
    parser.add_argument("--inner", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _inner(args)
        return 0
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no releases to build from", file=sys.stderr)
        return 0
    msgmerge = shutil.which("msgmerge")
    if msgmerge is None:
        print("skipped: msgmerge (GNU gettext) is not installed", file=sys.stderr)
        return 0
    try:
        import pipeline.formats.po  # noqa: F401
    except ImportError as exc:
        print(f"cannot run: pipeline.formats.po is missing ({exc})", file=sys.stderr)
        return 2
    version = subprocess.run([msgmerge, "--version"], check=True, capture_output=True, text=True).stdout.splitlines()[0]

    rng = random.Random(args.seed)
    shutil.rmtree(BENCH, ignore_errors=True)
    (WS / "sources").mkdir(parents=True)
    (WS / "duet.toml").write_text(
        'source_locale = "en"\ntarget_locales = [' + ", ".join(f'"{loc}"' for loc in LOCALES) + "]\n", encoding="utf-8")

    t0 = time.perf_counter()
    docs = load_documents()
    pool = [s for d in docs for p in d.paragraphs for s in p]
    sources, translations = build_sources(docs, args.releases, rng)
    for source in sources:
        (WS / "sources" / f"{source.id}.txt").write_text(source.text(), encoding="utf-8")
    sentences = sum(len(s.sentences()) + 1 for s in sources)
    print(f"built {len(sources)} releases, {sentences} sentences ({sentences / len(sources):.1f} a release) "
          f"from {len(docs)} documents in {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    duet = [sys.executable, "-m", "pipeline", "extract", "-w", str(WS), "--format", "json"]
    first = measured([duet], stdout_to=BENCH / "extract-1.json")
    print(f"first extract (creates {2 * len(sources)} PO files): {first['seconds']:.1f}s", file=sys.stderr)
    translated = translate_catalogs(sources, translations, rng)
    print(f"translated {translated}", file=sys.stderr)

    edits = edit_sources(sources, pool, rng)
    for source in sources:
        (WS / "sources" / f"{source.id}.txt").write_text(source.text(), encoding="utf-8")
    print(f"edits {edits}", file=sys.stderr)
    before = BENCH / "before"
    for folder in (*LOCALES, "templates"):
        shutil.copytree(WS / "locales" / folder / ("LC_MESSAGES" if folder != "templates" else ""), before / folder)
    ids = [s.id for s in sources]
    files = len(ids) * len(LOCALES)

    # Timed runs, all in this process's run, on the same files.
    load_before = os.getloadavg()[0]
    results: dict[str, dict] = {}
    def msgmerge_cmds(out: Path) -> list[list[str]]:
        cmds = []
        for loc in LOCALES:
            (out / loc).mkdir(parents=True, exist_ok=True)
            cmds += [[msgmerge, "--previous", "--quiet", "-o", str(out / loc / f"{rid}.po"),
                      str(before / loc / f"{rid}.po"), str(WS / "locales" / "templates" / f"{rid}.pot")] for rid in ids]
        return cmds

    def restore() -> None:
        """Put the translated PO files and the old templates back, so each round of extract does the same work."""
        for folder in (*LOCALES, "templates"):
            target = WS / "locales" / folder / ("LC_MESSAGES" if folder != "templates" else "")
            for path in (before / folder).iterdir():
                shutil.copyfile(path, target / path.name)

    inner = [sys.executable, __file__, "--inner"]
    rounds: dict[str, list[dict]] = {}
    for round_ in range(args.repeat):  # the tools take turns, so a busy spell hits all of them
        if round_:
            restore()
        rounds.setdefault("duet extract", []).append(measured([duet], stdout_to=BENCH / "extract-2.json"))
        rounds.setdefault("msgmerge ×1", []).append(measured(msgmerge_cmds(BENCH / "msgmerge"), rss=False))
        rounds.setdefault("msgmerge ×2", []).append(measured(msgmerge_cmds(BENCH / "msgmerge-j2"), jobs=2, rss=False))
        for jobs in (1, 2):
            name = f"duet merge ×{jobs}"
            cmds = [[*inner, "merge", str(before), str(BENCH / f"duet-merge-j{jobs}"), str(k), str(jobs)] for k in range(jobs)]
            log = BENCH / f"duet-merge-j{jobs}.jsonl"
            result = measured(cmds, jobs=jobs, stdout_to=log)
            result["phases"] = {}
            for line in log.read_text(encoding="utf-8").splitlines():
                for phase, took in json.loads(line)["phases"].items():
                    result["phases"][phase] = result["phases"].get(phase, 0.0) + took
            rounds.setdefault(name, []).append(result)
        print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]['seconds']:.1f}s" for k, v in rounds.items()), file=sys.stderr)
    memory = measured(msgmerge_cmds(BENCH / "msgmerge-rss"), jobs=2)["peak_mb"]  # untimed pass, for memory
    results: dict[str, dict] = {}
    for name, runs in rounds.items():
        best = dict(min(runs, key=lambda r: r["seconds"]))
        best["all_seconds"] = [r["seconds"] for r in runs]
        best["peak_mb"] = memory if name.startswith("msgmerge") else max(r["peak_mb"] or 0 for r in runs)
        results[name] = best
    report = json.loads((BENCH / "extract-2.json").read_text(encoding="utf-8"))
    merged_counts = {k: sum(u[k] or 0 for u in report if u["locale"]) for k in ("new", "unchanged", "fuzzy", "obsolete", "resurrected")}

    phases_log = BENCH / "extract-phases.json"
    results["duet extract, phases"] = measured([[*inner, "phases", str(before), str(BENCH / "scratch")]], stdout_to=phases_log)
    results["duet extract, phases"].update(json.loads(phases_log.read_text(encoding="utf-8")))

    loss = loss_check(ids, before, BENCH / "msgmerge", WS / "locales")
    mismatch_j2 = same_files(BENCH / "msgmerge", BENCH / "msgmerge-j2", ids)
    merge_vs_extract = same_files(BENCH / "duet-merge-j1", WS / "locales", ids, "LC_MESSAGES")

    # Report.
    base = results["msgmerge ×1"]["seconds"]
    print(f"\n{len(ids)} releases, {sentences} source sentences, {files} PO files "
          f"({', '.join(LOCALES)}); edits: {sum(edits.values())} ({', '.join(f'{k} {v}' for k, v in edits.items())})")
    print(f"Python {sys.version.split()[0]}, {version}, {os.cpu_count()} cores, seed {args.seed}; "
          f"load average {load_before:.1f} before the timed runs, {os.getloadavg()[0]:.1f} after\n")
    print("| run | PO files | seconds | PO files/s | CPU s | peak RSS MB (one process) | vs msgmerge ×1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("duet extract", "duet merge ×1", "duet merge ×2", "msgmerge ×1", "msgmerge ×2"):
        r = results[name]
        peak = "n/a" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        print(f"| {name} | {files} | {r['seconds']:.2f} | {_rate(files, r['seconds'])} | {r['cpu']:.1f} | {peak} | "
              f"{base / r['seconds']:.2f}× |")
    print("\nseconds of every round: " + "; ".join(
        f"{name} " + " ".join(f"{x:.1f}" for x in results[name]["all_seconds"]) for name in results if "all_seconds" in results[name]))
    print(f"\nduet extract = segment {len(ids)} sources, write their templates, merge and write every PO file (one process);")
    print("duet merge = read old PO + POT, merge, write (msgmerge's job), one or two processes\n")
    phases = results["duet extract, phases"]["phases"]
    total = sum(phases.values())
    print("duet extract by phase: " + ", ".join(f"{k} {v:.2f}s ({100 * v / total:.0f}%)" for k, v in phases.items()))
    phases = results["duet merge ×1"]["phases"]
    total = sum(phases.values())
    print("duet merge by phase:   " + ", ".join(f"{k} {v:.2f}s ({100 * v / total:.0f}%)" for k, v in phases.items()))
    print(f"\nmerge results, duet: {merged_counts}")
    for name in ("before", "msgmerge", "duet"):
        print(f"entries {name:9}: {loss['states'][name]}")
    print(f"\nloss check over {loss['files']} files, {loss['before_translations']} distinct translations before:")
    print(f"  kept by msgmerge, lost by Duet: {loss['lost_by_duet']}")
    print(f"  dropped by msgmerge: {loss['msgmerge_drops']} (of which Duet keeps {loss['msgmerge_drops_duet_keeps']})")
    print(f"  dropped by Duet: {loss['duet_drops']}")
    print(f"translations still held by an entry of their own msgid (live or obsolete), of {loss['before_pairs']}:")
    print(f"  msgmerge {loss['pairs_msgmerge_keeps']}, Duet {loss['pairs_duet_keeps']}; only Duet "
          f"{loss['pairs_only_duet_keeps']}, only msgmerge {loss['pairs_only_msgmerge_keeps']}")
    print(f"live messages: {loss['live']}, same msgstr and fuzzy state in both {loss['live_same']}; fuzzy match only "
          f"in msgmerge {loss['fuzzy_only_msgmerge']}, only in Duet {loss['fuzzy_only_duet']}, both with different "
          f"donors {loss['fuzzy_other_donor']}, other {loss['other_difference']}")
    for example in loss["examples"]:
        print(f"  lost: {example}")
    print(f"\nsanity: msgmerge ×2 output differs from ×1 in {mismatch_j2} files; "
          f"duet merge (from POT) differs from duet extract in {merge_vs_extract} files")
    (BENCH.parent / "po-merge-results.json").write_text(json.dumps(
        {"date": dt.date.today().isoformat(), "releases": len(ids), "sentences": sentences, "files": files,
         "edits": edits, "translated": translated, "merge": merged_counts, "results": results, "loss": loss,
         "msgmerge": version, "python": sys.version.split()[0]}, indent=1, ensure_ascii=False), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(BENCH, ignore_errors=True)
    return 1 if loss["lost_by_duet"] else 0


if __name__ == "__main__":
    sys.exit(main())
