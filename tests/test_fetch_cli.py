"""``duet fetch`` end to end: a real HTTP server on loopback, the CLI, the files it writes."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from loopback import LoopbackServer, Reply
from pipeline.cli import cli
from pipeline.ingest import read_source

from paths import DATA

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
