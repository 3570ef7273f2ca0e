"""Benchmark the translation memory (``pipeline.memory``) against translate-toolkit and brute force.

    python bench/memory.py [--sizes 10000,100000] [--full] [--queries 500] [--seed 20261125]
                           [--engines duet,pg,trgm,trgm1,brute,ttk] [--postgres-url URL]
                           [--source-language {en,zh}]

Memories of 10k and 100k en→zh units (and 1M with ``--full``), SYNTHETIC:
built from the real sentence pairs of ../shared/data (HK government press
releases, HKMA annual-report paragraphs, NTREX-128 news; about 8,800 distinct
English sentences, each aligned with its Chinese where the sentence counts
agree) with controlled variation: each unit after the first round of real
sentences is a real sentence with its numbers, month and weekday names and
some proper names replaced, or a date clause added. The same unit ``i`` is
generated whatever the size, so the 10k memory is the start of the 100k one.

Queries: ``--queries`` units of the memory, each with one word replaced by
another word of the corpus, so every query has a known near-duplicate (and,
from 100k on, dozens of variants of the same real sentence).

``--source-language zh`` builds zh-Hant-HK → en units instead, from the same
pairs with the Chinese as source (about 8,500 distinct Chinese sentences of
5 characters or more; where a paragraph's sentence counts disagree, each
Chinese sentence with the English paragraph), which Duet compares and
indexes character by character. The variation is on the Chinese side:
Arabic numbers, years (二〇二五年), dates (十一月十三日 or 11月13日, the
style kept seven times in ten), weekdays (星期一), Chinese numerals before a
measure word (三名, 十二項), surnames before a title (陳先生) and place names
(沙田, 深圳) replaced, or a date clause added (二〇一九年十一月十三日，or
2019年11月13日，). A query is a unit of at least 15 characters with one
"word" replaced: a run of 1-3 Chinese characters by a run of 1-3 Chinese
characters of another real sentence. Brute force and the trgm re-ranking
compare characters (``pipeline.memory.text.tokens(text, "zh-Hant-HK")``,
NFKC, spaces dropped). Files, results and databases get a ``zh`` suffix.

Engines, each in its own subprocess (peak memory is that process's
``ru_maxrss``), on the same units and queries in one run:

- ``duet``: ``TranslationMemory.refresh`` from 10k-unit files into a fresh
  SQLite database in bench/data/memory/ (build time, disk size after a WAL
  checkpoint), then ``lookup(q, min_score=75, limit=5)`` per query (latency),
  and ``similar(q, min_similarity=75)`` (every unit at or above 75: recall);
- ``brute``: rapidfuzz ``process.extract`` of every unit with the same token
  similarity Duet uses (Indel over words, or over Chinese characters),
  score_cutoff 0.75; tokens are encoded once as one character each so
  rapidfuzz compares strings (build time is that encoding); gives the
  ground truth for recall;
- ``pg``: the same Duet memory on PostgreSQL (``postgres_store``): the same
  files loaded into a fresh database (build time includes ``VACUUM
  ANALYZE``; size is the tables' and indexes' ``pg_total_relation_size``),
  the same lookups; then 4 client processes at once each run the 500 lookups
  (p50/p95 over all their lookups);
- ``trgm``: Weblate's approach, as a baseline: the units in one table with a
  ``pg_trgm`` GIN index on the source, a lookup runs ``source % query`` with
  ``pg_trgm.similarity_threshold`` stepped down from 0.95 to 0.3 until five
  candidates re-ranked with rapidfuzz (Duet's token similarity) reach 75;
  recall from ``%`` at 0.5 re-ranked the same way. At most ``--trgm-budget``
  seconds of queries per size. ``trgm1`` (not run by default): the same
  table, a lookup is one ``%`` query at threshold 0.3 re-ranked the same
  way, and its units at 75 give the recall: the fair baseline on Chinese
  sources, where trigrams are selective (the stepping runs a query with
  fewer than five units at 75 at all eight thresholds, and 0.5 finds only
  four in five of the units at 75). pg_trgm takes a character as part of a
  word, so into trigrams, by the database's LC_CTYPE: under C (the
  throwaway cluster's) Chinese text has no trigram and ``%`` finds nothing,
  so for Chinese sources the PostgreSQL engines' databases are created
  from template0 with LC_CTYPE ``C.UTF-8`` (else ``en_US.UTF-8``), where
  Chinese characters are alphanumeric (English runs keep the cluster's C);
- ``ttk``: ``translate.search.match.matcher`` (translate-toolkit's TM engine),
  ``min_similarity=75``, ``max_candidates=5``, ``max_length=2000`` (its
  default of 70 characters skips nearly every press-release sentence). It
  compares characters with its own Levenshtein, so it has no recall figure.
  Its heap raises TypeError when two candidates tie on score, so units are
  given an order by source text here. It is slow: at most
  ``--ttk-budget`` seconds of queries per size.

Recall is summed over queries: units Duet's index returns at similarity ≥ 75
over units brute force finds at ≥ 75.

The PostgreSQL engines use ``--postgres-url`` (a database the bench may
create databases from), else a throwaway cluster of the installed binaries
(``tests/memory/pgcluster.py``) with fsync on and 1 GB of shared buffers.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "data" / "memory"
FILE_UNITS = 10_000
TARGET = "zh-Hant-HK"  # the target of English units
ZH = TARGET  # the language of Chinese sources


# ----------------------------------------------------------------- real sentences


def _join(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def load_sentences(language: str = "en") -> list[tuple[str, str, str, str]]:
    """(source, target, previous source, next source) for each distinct real sentence, sources in ``language``.

    ``en``: English sources, each with its Chinese where a paragraph's
    sentence counts agree, else with the Chinese paragraph; ``zh``: the
    mirror, Chinese sources (at least 5 characters) with their English.
    """
    from pipeline.segment import segment_text

    chinese = language == "zh"
    documents: list[list[tuple[str, str]]] = []

    def paragraphs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        sentences = []
        for en, zh in pairs:
            en_s = [s.text.strip() for s in segment_text(en, "en") if s.text.strip()]
            zh_s = [s.text.strip() for s in segment_text(zh, "zh") if s.text.strip()]
            if len(en_s) == len(zh_s):
                sentences += zip(zh_s, en_s) if chinese else zip(en_s, zh_s)
            elif chinese:  # not aligned sentence by sentence: each Chinese sentence with the English paragraph
                sentences += [(s, en) for s in zh_s]
            else:  # not aligned sentence by sentence: each English sentence with the Chinese paragraph
                sentences += [(s, zh) for s in en_s]
        return sentences

    for line in (SHARED / "hk-gov-press-releases-2026-01-22" / "pairs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        en = [_join(p) for p in record["en"].split("\n\n") if p.strip()]
        zh = [_join(p) for p in record["zh"].split("\n\n") if p.strip()]
        if len(en) == len(zh):
            documents.append(paragraphs(list(zip(en, zh))))
    chapters: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for line in (SHARED / "hkma-annual-reports-wmt25" / "paragraphs_same_count.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        chapters.setdefault((record["year"], record["doc"]), []).append(
            (_join(record["en"].lstrip("# ")), _join(record["zh"].lstrip("# "))))
    documents += [paragraphs(rows) for _, rows in sorted(chapters.items())]
    folder = SHARED / "ntrex128-en-zh"
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    tw = (folder / "newstest2019-ref.zho-TW.txt").read_text(encoding="utf-8").splitlines()
    documents.append([(z.strip(), e.strip()) if chinese else (e.strip(), z.strip()) for e, z in zip(en, tw)])
    if chinese:
        from pipeline.memory.text import tokens

        def short(text: str) -> bool:
            return len(tokens(text, ZH)) < 5
    else:
        def short(text: str) -> bool:
            return len(text.split()) < 3
    seen: set[str] = set()
    found = []
    for document in documents:
        for i, (source, target) in enumerate(document):
            if short(source) or source in seen:
                continue
            seen.add(source)
            found.append((source, target, document[i - 1][0] if i else "",
                          document[i + 1][0] if i + 1 < len(document) else ""))
    return found


# ----------------------------------------------------------------- controlled variation

_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MONTH = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b")
_NAMES = ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ho", "Tsang", "Leung", "Yip", "Ng", "Kowloon", "Sha Tin",
          "Tuen Mun", "Kwun Tong", "Tai Po", "Yuen Long", "Wan Chai", "Sai Kung", "Lantau", "Tsuen Wan",
          "Shenzhen", "Macao", "Guangzhou", "Singapore", "London", "Tokyo", "Seoul", "Sydney", "Dubai", "Jakarta")


def _number(rng: random.Random, old: str) -> str:
    digits = sum(c.isdigit() for c in old.split(".")[0])
    new = str(rng.randint(10 ** (digits - 1) if digits > 1 else 0, 10**digits - 1))
    if "," in old:
        new = f"{int(new):,}"
    if "." in old:
        new += "." + "".join(str(rng.randint(0, 9)) for _ in old.split(".")[1])
    return new


def vary(text: str, rng: random.Random) -> str:
    """A real sentence with numbers, dates and names changed: never the sentence itself."""
    out = _NUMBER.sub(lambda m: _number(rng, m[0]) if rng.random() < 0.7 else m[0], text)
    out = _MONTH.sub(lambda m: rng.choice(_MONTHS) if rng.random() < 0.7 else m[0], out)
    out = _WEEKDAY.sub(lambda m: rng.choice(_WEEKDAYS) if rng.random() < 0.7 else m[0], out)
    out = _NAME.sub(lambda m: rng.choice(_NAMES) if rng.random() < 0.3 else m[0], out)
    if out == text or rng.random() < 0.3:
        clause = f"On {rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(1990, 2030)}, "
        out = clause + out[:1].lower() + out[1:] if out[:1].isupper() and not out[:2].isupper() else clause + out
    return out


_ZH_DIGITS = "零一二三四五六七八九"
_ZH_NUMERAL = "零一二三四五六七八九十百千萬兩"
_ZH_DATE = re.compile(r"(?<![" + _ZH_NUMERAL + r"\d])(?:[一二三四五六七八九十]{1,3}|\d{1,2})月"
                      r"(?:(?:[一二三四五六七八九十]{1,3}|\d{1,2})日)?")
_ZH_YEAR = re.compile(r"[○〇零一二三四五六七八九]{4}(?=年)")
_ZH_WEEKDAY = re.compile(r"(?<=星期)[一二三四五六日天]")
_ZH_COUNT = re.compile(r"(?<![" + _ZH_NUMERAL + r"])[一二三四五六七八九十兩][" + _ZH_NUMERAL + r"]*(?=[個項名宗間所條位次人架艘])")
_ZH_SURNAMES = ("陳", "黃", "李", "張", "劉", "何", "曾", "梁", "葉", "吳")
_ZH_SURNAME = re.compile(r"[" + "".join(_ZH_SURNAMES) + r"](?=先生|女士|議員|博士|教授)")
_ZH_PLACES = ("香港", "九龍", "沙田", "屯門", "觀塘", "大埔", "元朗", "灣仔", "西貢", "大嶼山", "荃灣", "深圳", "澳門",
              "廣州", "新加坡", "倫敦", "東京", "首爾", "悉尼", "杜拜", "雅加達")
_ZH_PLACE = re.compile("|".join(sorted(_ZH_PLACES, key=len, reverse=True)))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def zh_numeral(n: int) -> str:
    """0 <= n < 10,000 in Chinese numerals, as in dates: 13 → 十三, 105 → 一百零五, 1050 → 一千零五十."""
    if n < 10:
        return _ZH_DIGITS[n]
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if not digit:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + ("" if value == 10 and not out and digit == 1 else _ZH_DIGITS[digit]) + name
        zero = False
    return out


def _zh_date(rng: random.Random, chinese: bool, day: bool = True) -> str:
    """A month (and day) as 十一月十三日 or 11月13日."""
    month, date = rng.randint(1, 12), rng.randint(1, 28)
    if chinese:
        return f"{zh_numeral(month)}月" + (f"{zh_numeral(date)}日" if day else "")
    return f"{month}月" + (f"{date}日" if day else "")


def _zh_year(rng: random.Random, old: str) -> str:
    zero = next((c for c in "○〇零" if c in old), "〇")
    return "".join(zero if d == "0" else _ZH_DIGITS[int(d)] for d in str(rng.randint(1990, 2030)))


def vary_zh(text: str, rng: random.Random) -> str:
    """A real Chinese sentence with numbers (Arabic and Chinese), dates and names changed: never the sentence itself.

    A date keeps its style (十一月十三日 or 11月13日) seven times in ten;
    an added date clause is in either style.
    """
    out = _NUMBER.sub(lambda m: _number(rng, m[0]) if rng.random() < 0.7 else m[0], text)
    out = _ZH_YEAR.sub(lambda m: _zh_year(rng, m[0]) if rng.random() < 0.7 else m[0], out)

    def date(m: re.Match) -> str:
        if rng.random() >= 0.7:
            return m[0]
        chinese = not m[0][0].isdigit()
        return _zh_date(rng, chinese if rng.random() < 0.7 else not chinese, m[0].endswith("日"))

    out = _ZH_DATE.sub(date, out)
    out = _ZH_WEEKDAY.sub(lambda m: rng.choice("一二三四五六日") if rng.random() < 0.7 else m[0], out)
    out = _ZH_COUNT.sub(lambda m: zh_numeral(rng.randint(2, 99)) if rng.random() < 0.7 else m[0], out)
    out = _ZH_SURNAME.sub(lambda m: rng.choice(_ZH_SURNAMES) if rng.random() < 0.3 else m[0], out)
    out = _ZH_PLACE.sub(lambda m: rng.choice(_ZH_PLACES) if rng.random() < 0.3 else m[0], out)
    if out == text or rng.random() < 0.3:
        chinese = rng.random() < 0.5
        year = _zh_year(rng, "〇") if chinese else str(rng.randint(1990, 2030))
        out = f"{year}年{_zh_date(rng, chinese)}，" + out
    return out


class Units:
    """Unit ``i`` of the synthetic memory, the same whatever the memory's size.

    ``language`` ``en``: en → zh-Hant-HK units; ``zh``: zh-Hant-HK → en.
    """

    def __init__(self, seed: int, language: str = "en") -> None:
        self.real = load_sentences(language)
        self.seed = seed
        self.chinese = language == "zh"
        self.source_language, self.target_language = (ZH, "en") if self.chinese else ("en", TARGET)

    def __getitem__(self, i: int) -> tuple[str, str, str, str]:
        rounds, base = divmod(i, len(self.real))
        source, target, previous, following = self.real[base]
        if rounds == 0:
            return source, target, previous, following
        rng = random.Random(self.seed * 1_000_003 + i)
        varied = vary_zh(source, rng) if self.chinese else vary(source, rng)
        target = _NUMBER.sub(lambda m: _number(rng, m[0]), target)
        return varied, target, previous, following

    def queries(self, size: int, count: int) -> list[tuple[str, int]]:
        """(query, index of its near-duplicate unit): a unit with one word replaced."""
        if self.chinese:
            return self._chinese_queries(size, count)
        rng = random.Random(self.seed + size)
        vocabulary = sorted({w for s in self.real[:3000] for w in s[0].split() if w.isalpha() and len(w) > 3})
        found = []
        while len(found) < count:
            i = rng.randrange(size)
            words = self[i][0].split()
            if len(words) < 6:
                continue
            position = rng.randrange(len(words))
            words[position] = rng.choice(vocabulary)
            found.append((" ".join(words), i))
        return found

    def _chinese_queries(self, size: int, count: int) -> list[tuple[str, int]]:
        """A unit of at least 15 characters with one 'word' replaced: 1-3 Chinese characters by 1-3 others.

        The new ones are a run of Chinese characters of one of the first
        3,000 real sentences, so a query stays within 6 edits of its unit
        (similarity ≥ 78.6 over 15 characters or more).
        """
        from pipeline.memory.text import tokens

        def span(text: str) -> tuple[int, int] | None:
            """A run of 1-3 Chinese characters at a random Chinese character of ``text``."""
            starts = [m.start() for m in _HAN.finditer(text)]
            if not starts:
                return None
            start = end = rng.choice(starts)
            length = rng.randint(1, 3)
            while end < len(text) and end - start < length and _HAN.match(text, end):
                end += 1
            return start, end

        rng = random.Random(self.seed + size)
        donors = self.real[:3000]
        found = []
        while len(found) < count:
            i = rng.randrange(size)
            source = self[i][0]
            if len(tokens(source, ZH)) < 15:
                continue
            old, donor = span(source), rng.choice(donors)[0]
            new = span(donor)
            if old is None or new is None or source[old[0]:old[1]] == donor[new[0]:new[1]]:
                continue
            found.append((source[:old[0]] + donor[new[0]:new[1]] + source[old[1]:], i))
        return found


# ----------------------------------------------------------------- engines (one per subprocess)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(units: Units, size: int) -> list:
    """The memory as the workspace files it is loaded from: 10k units each."""
    from pipeline.memory import MemoryFile, MemoryUnit

    def loader(start: int, stop: int, name: str):
        def load():
            for i in range(start, stop):
                source, target, previous, following = units[i]
                yield MemoryUnit(source, target, units.source_language, units.target_language, f"{name}:{i}",
                                 "approved", previous, following)
        return load

    files = []
    for start in range(0, size, FILE_UNITS):
        name = f"locales/{units.target_language}/bench-{start // FILE_UNITS:04d}.po"
        files.append(MemoryFile(name, f"{size}-{start}", loader(start, min(size, start + FILE_UNITS), name)))
    return files


def run_duet(units: Units, size: int, queries: list[tuple[str, int]]) -> dict:
    from pipeline.memory import TranslationMemory

    path = OUT / f"duet-{size}{_suffix(units)}.sqlite"
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    files = _files(units, size)
    began = time.perf_counter()
    tm = TranslationMemory.open(path)
    report = tm.refresh(files)
    build = time.perf_counter() - began
    tm.backend.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    disk = tm.stats()["bytes"]
    began = time.perf_counter()
    tm.refresh(files)
    noop = time.perf_counter() - began
    languages = {"source_language": units.source_language, "target_language": units.target_language}
    for text, _ in queries[:20]:
        tm.lookup(text, **languages)
    latencies, found = [], []
    for text, _ in queries:
        began = time.perf_counter()
        tm.lookup(text, min_score=75, limit=5, **languages)
        latencies.append(time.perf_counter() - began)
    for text, _ in queries:
        found.append(sorted(int(origin.rsplit(":", 1)[1]) for _, _, origin in
                            tm.similar(text, min_similarity=75, **languages)))
    return {"build_s": build, "units": report.units, "noop_refresh_s": noop, "disk_bytes": disk,
            "latencies": latencies, "found": found, "peak_mb": _peak_mb()}


def _suffix(units: Units) -> str:
    """What tells a Chinese-source run's files and databases from the English one's."""
    return "-zh" if units.chinese else ""


# pg_trgm counts a character as part of a word by the database's LC_CTYPE: under C (the
# throwaway cluster's --no-locale) no Chinese character is, and Chinese text has no trigrams.
_UTF8_CTYPES = ("C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8")


def _bench_database(server: str, name: str, utf8_ctype: bool = False) -> str:
    """A fresh database ``name``; ``utf8_ctype``: from template0 with a UTF-8 LC_CTYPE (the first the server has)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not utf8_ctype:
            admin.execute(f"CREATE DATABASE {name}")
        else:
            for ctype in _UTF8_CTYPES:
                try:
                    admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE '{ctype}'")
                    break
                except psycopg.errors.Error:
                    continue
            else:
                raise SystemExit(f"none of the locales {', '.join(_UTF8_CTYPES)} is on the server: pg_trgm would "
                                 "find no trigram in Chinese text")
    parts = urllib.parse.urlsplit(server)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _pg_client(url: str, texts: list[str], languages: dict[str, str]) -> list[float]:
    """One of the concurrent clients: its own connection, every lookup timed."""
    from pipeline.memory import TranslationMemory

    latencies = []
    with TranslationMemory.open(url, name="bench") as tm:
        for text in texts:
            began = time.perf_counter()
            tm.lookup(text, min_score=75, limit=5, **languages)
            latencies.append(time.perf_counter() - began)
    return latencies


def run_pg(units: Units, size: int, queries: list[tuple[str, int]], server: str) -> dict:
    import multiprocessing

    from pipeline.memory import TranslationMemory

    url = _bench_database(server, f"bench_pg{_suffix(units).replace('-', '_')}_{size}", units.chinese)
    began = time.perf_counter()
    tm = TranslationMemory.open(url, name="bench")
    report = tm.refresh(_files(units, size))
    tm.backend.conn.execute("VACUUM ANALYZE")
    build = time.perf_counter() - began
    disk = tm.stats()["bytes"]
    began = time.perf_counter()
    tm.refresh(_files(units, size))
    noop = time.perf_counter() - began
    languages = {"source_language": units.source_language, "target_language": units.target_language}
    for text, _ in queries[:20]:
        tm.lookup(text, **languages)
    latencies, found = [], []
    for text, _ in queries:
        began = time.perf_counter()
        tm.lookup(text, min_score=75, limit=5, **languages)
        latencies.append(time.perf_counter() - began)
    for text, _ in queries:
        found.append(sorted(int(origin.rsplit(":", 1)[1]) for _, _, origin in
                            tm.similar(text, min_similarity=75, **languages)))
    tm.close()
    texts = [text for text, _ in queries]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        clients = pool.starmap(_pg_client, [(url, texts[i:] + texts[:i], languages) for i in range(0, 400, 100)])
    return {"build_s": build, "units": report.units, "noop_refresh_s": noop, "disk_bytes": disk,
            "latencies": latencies, "found": found, "peak_mb": _peak_mb(),
            "concurrent": [lat for client in clients for lat in client]}


_TRGM_STEPS = (0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.3)
TRGM_ONCE = 0.3  # trgm1: on Chinese sources one query at 0.3 finds 99% of the units at 75 (0.5: 77-80%)


def run_trgm(units: Units, size: int, queries: list[tuple[str, int]], server: str, budget: float,
             once: float | None = None) -> dict:
    """The pg_trgm baseline; ``once``: a lookup is one ``%`` query at that threshold, its units at 75 the recall."""
    import psycopg
    from rapidfuzz.distance import Indel

    from pipeline.memory.text import tokens

    name = f"bench_trgm{'1' if once else ''}{_suffix(units).replace('-', '_')}_{size}"
    url = _bench_database(server, name, units.chinese)
    language = units.source_language
    began = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
        if units.chinese and not conn.execute("SELECT show_trgm('會議結束')").fetchone()[0]:
            raise SystemExit(f"{url}: pg_trgm finds no trigram in Chinese text (LC_CTYPE C?)")
        conn.execute("CREATE TABLE memory (id integer PRIMARY KEY, source text NOT NULL, target text NOT NULL)")
        with conn.cursor().copy("COPY memory (id, source, target) FROM STDIN") as copy:
            for i in range(size):
                source, target, _, _ = units[i]
                copy.write_row((i, source, target))
        conn.execute("CREATE INDEX memory_source ON memory USING gin (source gin_trgm_ops)")
        conn.execute("VACUUM ANALYZE memory")
        build = time.perf_counter() - began
        (disk,) = conn.execute("SELECT pg_total_relation_size('memory')").fetchone()

        def rated(text: str, threshold: float) -> list[tuple[float, int]]:
            conn.execute(f"SET pg_trgm.similarity_threshold = {threshold}")
            query = tokens(text, language)
            return [(100 * Indel.normalized_similarity(query, tokens(source, language)), i) for i, source in
                    conn.execute("SELECT id, source FROM memory WHERE source %% %s", (text,))]

        latencies, found, spent = [], [], 0.0
        for text, _ in queries:
            began = time.perf_counter()
            if once:
                hits = sorted(i for score, i in rated(text, once) if score >= 75 - 1e-9)
            else:
                for threshold in _TRGM_STEPS:
                    if sum(1 for score, _ in rated(text, threshold) if score >= 75) >= 5:
                        break
            latencies.append(time.perf_counter() - began)
            began = time.perf_counter()
            found.append(hits if once else sorted(i for score, i in rated(text, 0.5) if score >= 75 - 1e-9))
            spent += latencies[-1] + time.perf_counter() - began
            if spent > budget and len(latencies) >= 20:
                break
    return {"build_s": build, "disk_bytes": disk, "latencies": latencies, "found": found, "peak_mb": _peak_mb()}


def run_brute(units: Units, size: int, queries: list[tuple[str, int]]) -> dict:
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    from pipeline.memory.text import tokens

    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        out = []
        for token in tokens(text, units.source_language):
            code = codes.get(token)
            if code is None:
                number = len(codes) + 0x100
                code = codes[token] = chr(number + 0x800 if number >= 0xD800 else number)
            out.append(code)
        return "".join(out)

    began = time.perf_counter()
    choices = [encode(units[i][0]) for i in range(size)]
    build = time.perf_counter() - began
    latencies, found = [], []
    for text, _ in queries:
        began = time.perf_counter()
        hits = process.extract(encode(text), choices, scorer=Indel.normalized_similarity,
                               score_cutoff=0.75 - 1e-9, limit=None)  # 0.75 may come out as 0.7499999
        latencies.append(time.perf_counter() - began)
        found.append(sorted(index for _, _, index in hits))
    return {"build_s": build, "latencies": latencies, "found": found, "peak_mb": _peak_mb()}


def run_ttk(units: Units, size: int, queries: list[tuple[str, int]], budget: float) -> dict:
    from translate.search.match import matcher
    from translate.storage import base

    # Its candidate heap holds (score, unit): a tie compares units, which raises TypeError.
    base.TranslationUnit.__lt__ = lambda self, other: self.source < other.source  # type: ignore[method-assign]
    began = time.perf_counter()
    store = base.TranslationStore()
    for i in range(size):
        source, target, _, _ = units[i]
        unit = base.TranslationUnit(source)
        unit.target = target
        store.units.append(unit)
    engine = matcher(store, max_candidates=5, min_similarity=75, max_length=2000)
    build = time.perf_counter() - began
    latencies = []
    spent = 0.0
    for text, _ in queries:
        began = time.perf_counter()
        engine.matches(text)
        latencies.append(time.perf_counter() - began)
        spent += latencies[-1]
        if spent > budget and len(latencies) >= 20:
            break
    return {"build_s": build, "latencies": latencies, "peak_mb": _peak_mb()}


# ----------------------------------------------------------------- driver


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def child(args: argparse.Namespace) -> None:
    units = Units(args.seed, args.source_language)
    queries = units.queries(args.size, args.queries)
    if args.engine == "duet":
        result = run_duet(units, args.size, queries)
    elif args.engine == "pg":
        result = run_pg(units, args.size, queries, args.postgres_url)
    elif args.engine == "trgm":
        result = run_trgm(units, args.size, queries, args.postgres_url, args.trgm_budget)
    elif args.engine == "trgm1":
        result = run_trgm(units, args.size, queries, args.postgres_url, args.trgm_budget, TRGM_ONCE)
    elif args.engine == "brute":
        result = run_brute(units, args.size, queries)
    else:
        result = run_ttk(units, args.size, queries, args.ttk_budget)
    (OUT / f"result-{args.engine}-{args.size}{_suffix(units)}.json").write_text(json.dumps(result), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--full", action="store_true", help="add the 1M-unit memory (several minutes)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--ttk-budget", type=float, default=60.0, help="seconds of translate-toolkit queries per size")
    parser.add_argument("--trgm-budget", type=float, default=120.0, help="seconds of pg_trgm queries per size")
    parser.add_argument("--engines", default="duet,pg,trgm,brute,ttk")
    parser.add_argument("--source-language", choices=("en", "zh"), default="en",
                        help="en: en→zh-Hant-HK units; zh: zh-Hant-HK→en units, compared by character")
    parser.add_argument("--postgres-url", help="a server to create the bench databases on (default: a throwaway one)")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent, no sentences to build from", file=sys.stderr)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    if args.engine:
        child(args)
        return 0
    cluster = None
    if args.postgres_url is None and {"pg", "trgm", "trgm1"} & set(args.engines.split(",")):
        sys.path.insert(0, str(ROOT / "tests" / "memory"))
        from pgcluster import Cluster, binaries

        bin_dir = binaries()
        if bin_dir is None:
            print("PostgreSQL's binaries are absent: apt-get install postgresql, or give --postgres-url", file=sys.stderr)
            return 2
        cluster = Cluster(bin_dir).start(durable=True, shared_buffers="1GB", max_wal_size="4GB")
        args.postgres_url = cluster.url
    try:
        return _run(args)
    finally:
        if cluster is not None:
            cluster.stop()


def _run(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.full else [])
    rows, summary = [], {}
    for size in sizes:
        results = {}
        for engine in args.engines.split(","):
            command = [sys.executable, __file__, "--engine", engine, "--size", str(size), "--queries",
                       str(args.queries), "--seed", str(args.seed), "--ttk-budget", str(args.ttk_budget),
                       "--trgm-budget", str(args.trgm_budget), "--source-language", args.source_language]
            subprocess.run(command + (["--postgres-url", args.postgres_url] if args.postgres_url else []), check=True)
            suffix = "-zh" if args.source_language == "zh" else ""
            results[engine] = json.loads((OUT / f"result-{engine}-{size}{suffix}.json").read_text(encoding="utf-8"))
        recalls = {}
        for engine in ("duet", "pg", "trgm", "trgm1"):
            if engine in results and "brute" in results:
                pairs = list(zip(results[engine]["found"], results["brute"]["found"]))  # trgm: its queries only
                wanted = sum(len(b) for _, b in pairs)
                got = sum(len(set(d) & set(b)) for d, b in pairs)
                recalls[engine] = got / wanted if wanted else 1.0
                summary[f"{engine}-{size}"] = {"recall": recalls[engine], "brute_hits": wanted, "found": got,
                                               "extra": sum(len(set(d) - set(b)) for d, b in pairs)}
        for engine, result in results.items():
            for label, lat in ((engine, result["latencies"]), (f"{engine} ×4", result.get("concurrent"))):
                if not lat:
                    continue
                row = {"engine": label, "size": size, "queries": len(lat), "p50_ms": 1000 * statistics.median(lat),
                       "p95_ms": 1000 * _percentile(lat, 0.95), "build_s": result["build_s"],
                       "disk_mb": result.get("disk_bytes", 0) / 1e6, "peak_mb": result["peak_mb"],
                       "recall": recalls.get(engine), "noop_refresh_s": result.get("noop_refresh_s")}
                rows.append(row)
                print(json.dumps(row), flush=True)
    print(json.dumps(summary))
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (OUT / f"results-{stamp}.json").write_text(json.dumps({"rows": rows, "summary": summary}, indent=1),
                                               encoding="utf-8")
    print("| engine | units | queries | p50 ms | p95 ms | build s | disk MB | peak RSS MB | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        recall_text = f"{100 * r['recall']:.2f}%" if r["recall"] is not None else "–"
        print(f"| {r['engine']} | {r['size']:,} | {r['queries']} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
              f"{r['build_s']:.1f} | {r['disk_mb']:.0f} | {r['peak_mb']:.0f} | {recall_text} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
