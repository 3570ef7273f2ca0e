"""``duet fetch`` end to end: a real HTTP server on loopback, the CLI, the files it writes."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner
from loopback import LoopbackServer, Reply
from paths import DATA

from pipeline.cli import cli
from pipeline.ingest import read_source

PAGES = DATA / "html"
GIA = "/gia/general/202601/22/P2026012200320.htm"


def fetch(runner: CliRunner, workspace: Path, *args: str) -> object:
    return runner.invoke(cli, ["fetch", "-w", str(workspace), *args])


def test_fetch_saves_a_normalized_release(runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    page = (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes()
    http_server.route(GIA, lambda request: (
        Reply(304, b"", {"ETag": '"v1"'}) if request.headers["If-None-Match"] == '"v1"'
        else Reply(200, page, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})
    ))
    result = fetch(runner, sample_workspace, http_server.url(GIA))
    assert result.exit_code == 0, result.output
    assert result.output == f"sources/P2026012200320.txt: 5 paragraphs (fetched: {http_server.url(GIA)})\n"
    saved = sample_workspace / "sources" / "P2026012200320.txt"
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("Title: Smart Traffic Fund approves four projects\nDate: 2026-01-22T17:02\n")
    assert "Ends/Thursday" not in text and "NNNN" not in text
    release = read_source(saved)
    assert [p.kind for p in release.paragraphs] == ["title", "body", "body", "body", "body"]
    assert release.paragraphs[3].text.startswith("(1) a machine learning-based")
    assert release.meta.url == http_server.url(GIA)

    again = fetch(runner, sample_workspace, http_server.url(GIA))
    assert again.exit_code == 0
    assert "(not modified:" in again.output
    assert http_server.hits(GIA)[-1].headers["If-None-Match"] == '"v1"'
    assert saved.read_text(encoding="utf-8") == text


def test_fetch_big5_page_without_charset(runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    """A Chinese page in a Chinese → English workspace, its charset found by detection."""
    (sample_workspace / "duet.toml").write_text('source_locale = "zh_Hant_HK"\ntarget_locales = ["en"]\n', encoding="utf-8")
    http_server.script("/zh.htm", Reply(200, (PAGES / "gia-zh-mobile-library-big5.htm").read_bytes(), {"Content-Type": "text/html"}))
    result = fetch(runner, sample_workspace, http_server.url("/zh.htm"), "--id", "mobile-library-zh")
    assert result.exit_code == 0, result.output
    release = read_source(sample_workspace / "sources" / "mobile-library-zh.txt")
    assert release.meta.language == "zh-Hant-HK"
    assert "邨" in "".join(p.text for p in release.paragraphs)


def test_a_page_in_the_other_language_is_not_saved(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    """The Chinese version of a release fetched into an English workspace: one line naming the URL, exit 2,
    nothing saved in sources/."""
    http_server.script("/zh.htm", Reply(200, (PAGES / "gia-zh-mobile-library-big5.htm").read_bytes(), {"Content-Type": "text/html"}))
    before = sorted(p.name for p in (sample_workspace / "sources").iterdir())
    result = fetch(runner, sample_workspace, http_server.url("/zh.htm"), "--id", "mobile-library-zh")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "written in Chinese" in result.stderr and "source language is en" in result.stderr
    assert sorted(p.name for p in (sample_workspace / "sources").iterdir()) == before


def test_failures_are_one_line_each_exit_2_and_write_nothing(
    runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer
) -> None:
    http_server.script("/gone.htm", Reply(404, b"gone"))
    http_server.script("/evil.htm", Reply(302, b"", {"Location": "file:///etc/passwd"}))
    http_server.script("/ok.htm", Reply(200, (PAGES / "gia-en-police-expo-photos.htm").read_bytes(), {"Content-Type": "text/html"}))
    before = sorted(p.name for p in (sample_workspace / "sources").iterdir())
    result = fetch(runner, sample_workspace, http_server.url("/gone.htm"), http_server.url("/evil.htm"), http_server.url("/ok.htm"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{http_server.url('/gone.htm')}: HTTP 404 Not Found",
        f"{http_server.url('/evil.htm')}: redirect to unsupported scheme 'file': file:///etc/passwd",
    ]
    after = sorted(p.name for p in (sample_workspace / "sources").iterdir())
    assert after == sorted(before + ["ok.txt"])  # the good URL still lands
    assert read_source(sample_workspace / "sources" / "ok.txt").meta.get("media") == "photos"


def test_fetch_refuses_bad_usage(runner: CliRunner, sample_workspace: Path) -> None:
    result = fetch(runner, sample_workspace, "ftp://example.org/a.htm")
    assert result.exit_code == 2
    assert result.stderr == "ftp://example.org/a.htm: unsupported scheme 'ftp': ftp://example.org/a.htm\n"
    result = fetch(runner, sample_workspace, "http://127.0.0.1:9/a", "http://127.0.0.1:9/b", "--id", "x")
    assert result.exit_code == 2
    assert result.stderr == "duet: --id needs exactly one URL\n"
    result = fetch(runner, sample_workspace, "http://127.0.0.1:9/a", "--id", "../etc")
    assert result.stderr.startswith("--id: release id '../etc' is not valid")


def test_a_release_not_fetched_from_the_url_is_replaced_only_with_force(
    runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer
) -> None:
    hand_written = sample_workspace / "sources" / "hk-gd-financial-cooperation.txt"
    before = hand_written.read_bytes()
    url = http_server.url("/hk-gd-financial-cooperation.htm")
    http_server.script("/hk-gd-financial-cooperation.htm", Reply(200, (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes()))
    result = fetch(runner, sample_workspace, url)
    assert result.exit_code == 2
    assert result.stderr == (
        f"sources/hk-gd-financial-cooperation.txt: not replaced by {url}: this release was not fetched from there "
        "(it has no URL: header); --force replaces it, --id saves the page under another id\n")
    assert hand_written.read_bytes() == before
    assert fetch(runner, sample_workspace, url, "--force").exit_code == 0
    assert read_source(hand_written).meta.url == url


def test_a_release_fetched_through_a_redirect_may_be_fetched_again(
    runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer
) -> None:
    """Its URL: header holds where the redirect led, not the URL asked: either matches."""
    http_server.script("/p1.htm", Reply(301, headers={"Location": "/new/p1.htm"}))
    http_server.script("/new/p1.htm", Reply(200, (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes()))
    http_server.script("/elsewhere/p1.htm", Reply(200, (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes()))
    assert fetch(runner, sample_workspace, http_server.url("/p1.htm")).exit_code == 0
    assert read_source(sample_workspace / "sources" / "p1.txt").meta.url == http_server.url("/new/p1.htm")
    again = fetch(runner, sample_workspace, http_server.url("/p1.htm"))
    assert again.exit_code == 0, again.output
    other = fetch(runner, sample_workspace, http_server.url("/elsewhere/p1.htm"))
    assert other.exit_code == 2 and "its URL: is " + http_server.url("/new/p1.htm") in other.stderr


def test_deadline_bounds_each_url(runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    http_server.script("/mute.htm", Reply(200, b"late", delay=30))
    started = time.monotonic()
    result = fetch(runner, sample_workspace, http_server.url("/mute.htm"), "--deadline", "0.5")
    assert time.monotonic() - started < 1.5
    assert result.stderr == f"{http_server.url('/mute.htm')}: timed out after 1 attempt (deadline 0.5 s)\n"


def test_malformed_url_is_one_line(runner: CliRunner, sample_workspace: Path) -> None:
    result = fetch(runner, sample_workspace, "http://[::1/x")
    assert result.exit_code == 2
    assert result.stderr == "http://[::1/x: malformed URL 'http://[::1/x': Invalid IPv6 URL\n"


# --- --bilingual DIR: both language versions, for duet align ---

GIA_ZH = "/gia/general/202601/22/P2026012200321.htm"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def serve_linked_pair(server: LoopbackServer) -> None:
    """The English and Chinese smart-traffic-fund pages, each with a header link to the other."""
    server.script(GIA, Reply(200, (PAGES / "gia-en-smart-traffic-fund-linked.htm").read_bytes(), HTML))
    server.script(GIA_ZH, Reply(200, (PAGES / "gia-zh-smart-traffic-fund-linked.htm").read_bytes(), HTML))


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_bilingual_fetches_both_versions_and_align_pairs_them(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    serve_linked_pair(http_server)
    sources_before = files_under(sample_workspace / "sources")
    archive = sample_workspace / "archive"
    result = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(archive))
    assert result.exit_code == 0, result.output
    assert result.output == (f"archive/en/P2026012200320.txt: 5 paragraphs (fetched: {http_server.url(GIA)})\n"
                             f"archive/zh/P2026012200321.txt: 5 paragraphs (fetched: {http_server.url(GIA_ZH)})\n")
    assert files_under(archive) == ["en/P2026012200320.txt", "zh/P2026012200321.txt"]
    assert files_under(sample_workspace / "sources") == sources_before  # sources/ holds source-language releases only
    english, chinese = read_source(archive / "en" / "P2026012200320.txt"), read_source(archive / "zh" / "P2026012200321.txt")
    assert (english.meta.language, english.meta.url) == ("en", http_server.url(GIA))
    assert (chinese.meta.language, chinese.meta.url) == ("zh-Hant-HK", http_server.url(GIA_ZH))
    assert chinese.paragraphs[0].text == "智慧交通基金批出四個項目" and chinese.meta.date == "2026-01-22T17:02"

    paired = runner.invoke(cli, ["align", "-w", str(sample_workspace), "--pair", "--format", "json",
                                 str(archive / "en"), str(archive / "zh")])
    assert paired.exit_code == 0, paired.output
    pairing = json.loads(paired.stdout)
    assert [(Path(p["en"]).name, Path(p["zh"]).name) for p in pairing["pairs"]] == [
        ("P2026012200320.txt", "P2026012200321.txt")]
    assert pairing["unpaired"] == []
    aligned = runner.invoke(cli, ["align", "-w", str(sample_workspace), str(archive / "en"), str(archive / "zh"),
                                  "--into", "archive"])
    assert aligned.exit_code == 0, aligned.output
    assert (sample_workspace / "locales" / "memory" / "archive.tmx").is_file()


def test_bilingual_from_the_chinese_page_as_json_and_again_from_the_cache(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    """Either version may be given; a re-fetch replaces what the same URLs saved."""
    serve_linked_pair(http_server)
    archive = sample_workspace / "archive"
    result = fetch(runner, sample_workspace, http_server.url(GIA_ZH), "--bilingual", str(archive), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{
        "url": http_server.url(GIA_ZH), "found_by": "page header", "error": None,
        "en": {"url": http_server.url(GIA), "id": "P2026012200320", "path": "archive/en/P2026012200320.txt",
               "from_cache": False, "paragraphs": 5, "error": None},
        "zh": {"url": http_server.url(GIA_ZH), "id": "P2026012200321", "path": "archive/zh/P2026012200321.txt",
               "from_cache": False, "paragraphs": 5, "error": None},
    }]
    again = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(archive))
    assert again.exit_code == 0, again.output
    assert files_under(archive) == ["en/P2026012200320.txt", "zh/P2026012200321.txt"]


def test_bilingual_page_without_a_link_saves_nothing(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    http_server.script(GIA, Reply(200, (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes(), HTML))
    http_server.script(GIA_ZH, Reply(200, (PAGES / "gia-zh-smart-traffic-fund.htm").read_bytes(), HTML))
    archive = sample_workspace / "archive"
    result = fetch(runner, sample_workspace, http_server.url(GIA), http_server.url(GIA_ZH), "--bilingual", str(archive))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{http_server.url(GIA)}: no link to its Chinese version found in the page; nothing saved",
        f"{http_server.url(GIA_ZH)}: no link to its English version found in the page; nothing saved",
    ]
    assert files_under(archive) == []


def test_bilingual_refuses_a_linked_page_in_the_same_language(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    """The 繁體版 link leads to an English page: one line naming it, neither page saved; the next URL still lands."""
    http_server.script(GIA, Reply(200, (PAGES / "gia-en-smart-traffic-fund-linked.htm").read_bytes(), HTML))
    http_server.script(GIA_ZH, Reply(200, (PAGES / "gia-en-police-expo-photos.htm").read_bytes(), HTML))
    mirror = "/mirror/P2026012200321.htm"  # links to P2026012200320.htm, relative: /mirror/P2026012200320.htm
    http_server.script(mirror, Reply(200, (PAGES / "gia-zh-smart-traffic-fund-linked.htm").read_bytes(), HTML))
    http_server.script("/mirror/P2026012200320.htm", Reply(200, (PAGES / "gia-en-smart-traffic-fund.htm").read_bytes(), HTML))
    archive = sample_workspace / "archive"
    result = fetch(runner, sample_workspace, http_server.url(GIA), http_server.url(mirror), "--bilingual", str(archive))
    assert result.exit_code == 2
    assert result.stderr == (f"{http_server.url(GIA_ZH)}: the Chinese version linked from {http_server.url(GIA)} is "
                             "written in English too; neither saved\n")
    assert result.stdout == (
        f"archive/zh/P2026012200321.txt: 5 paragraphs (fetched: {http_server.url(mirror)})\n"
        f"archive/en/P2026012200320.txt: 5 paragraphs (fetched: {http_server.url('/mirror/P2026012200320.htm')})\n")
    assert files_under(archive) == ["en/P2026012200320.txt", "zh/P2026012200321.txt"]
    assert read_source(archive / "en" / "P2026012200320.txt").meta.url == http_server.url("/mirror/P2026012200320.htm")


def test_bilingual_linked_page_that_fails_names_both_urls(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    http_server.script(GIA, Reply(200, (PAGES / "gia-en-smart-traffic-fund-linked.htm").read_bytes(), HTML))
    http_server.script(GIA_ZH, Reply(404, b"gone"))
    result = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(sample_workspace / "archive"))
    assert result.exit_code == 2
    assert result.stderr == (f"{http_server.url(GIA_ZH)}: HTTP 404 Not Found (the Chinese version linked from "
                             f"{http_server.url(GIA)}; neither saved)\n")
    assert files_under(sample_workspace / "archive") == []


def test_bilingual_replaces_only_releases_fetched_from_the_same_url(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    serve_linked_pair(http_server)
    archive = sample_workspace / "archive"
    hand_written = archive / "zh" / "P2026012200321.txt"
    hand_written.parent.mkdir(parents=True)
    hand_written.write_text("智慧交通基金。\n", encoding="utf-8")
    result = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(archive))
    assert result.exit_code == 2
    assert result.stderr == (f"archive/zh/P2026012200321.txt: not replaced by {http_server.url(GIA_ZH)}: this release "
                             "was not fetched from there (it has no URL: header); --force replaces it, --id saves the "
                             "page under another id\n")
    assert files_under(archive) == ["zh/P2026012200321.txt"]  # the English one is not written alone either
    assert hand_written.read_text(encoding="utf-8") == "智慧交通基金。\n"
    forced = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    assert read_source(hand_written).meta.url == http_server.url(GIA_ZH)


def test_bilingual_folder_must_be_in_the_workspace_and_not_in_sources(
        runner: CliRunner, sample_workspace: Path, tmp_path: Path, http_server: LoopbackServer) -> None:
    serve_linked_pair(http_server)
    url = http_server.url(GIA)
    outside = tmp_path / "elsewhere"
    result = fetch(runner, sample_workspace, url, "--bilingual", str(outside))
    assert result.exit_code == 2
    assert result.stderr == f"{outside}: a path outside the workspace: Duet reads and writes only inside it\n"
    assert not outside.exists()
    (sample_workspace / "leak").symlink_to(tmp_path)
    result = fetch(runner, sample_workspace, url, "--bilingual", str(sample_workspace / "leak" / "archive"))
    assert result.exit_code == 2
    assert result.stderr.startswith("leak: a symbolic link to ") and result.stderr.count("\n") == 1
    result = fetch(runner, sample_workspace, url, "--bilingual", str(sample_workspace / "sources" / "archive"))
    assert result.exit_code == 2
    assert result.stderr == (f"{sample_workspace / 'sources' / 'archive'}: sources/ holds the releases to translate, "
                             "in the source language only: give --bilingual another folder, such as archive\n")
    assert not (sample_workspace / "sources" / "archive").exists() and not (tmp_path / "archive").exists()
    assert http_server.requests == []


def test_bilingual_id_names_both_files_and_json_reports_errors_per_url(
        runner: CliRunner, sample_workspace: Path, http_server: LoopbackServer) -> None:
    serve_linked_pair(http_server)
    archive = sample_workspace / "archive"
    result = fetch(runner, sample_workspace, http_server.url(GIA), "--bilingual", str(archive), "--id", "stf-23")
    assert result.exit_code == 0, result.output
    assert files_under(archive) == ["en/stf-23.txt", "zh/stf-23.txt"]
    http_server.script("/alone.htm", Reply(200, (PAGES / "gia-en-police-expo-photos.htm").read_bytes(), HTML))
    result = fetch(runner, sample_workspace, http_server.url("/alone.htm"), "--bilingual", str(archive), "--format", "json")
    assert result.exit_code == 2
    error = f"{http_server.url('/alone.htm')}: no link to its Chinese version found in the page; nothing saved"
    assert json.loads(result.stdout) == [
        {"url": http_server.url("/alone.htm"), "found_by": None, "error": error, "en": None, "zh": None}]
    assert result.stderr == error + "\n"
