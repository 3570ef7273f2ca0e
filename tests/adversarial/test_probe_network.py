"""Probes: what comes over the network, or is said about it, gives one clear line or clean files.

``duet fetch`` against a real server on loopback (silent, trickling, redirecting
to nonsense, serving control characters) and over releases it did not write;
``duet translate`` against an MT engine on loopback answering hostile JSON, and
with an ``[mt]`` table of impossible numbers. The CLI runs in a child process;
the server runs in this one, on 127.0.0.1 only.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import time
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply, Request
from probe import (
    REPO,
    SAMPLE_RELEASE,
    assert_clean_error,
    assert_no_traceback,
    duet,
    make_workspace,
)

PAGE = (REPO / "tests" / "data" / "html" / "gia-en-smart-traffic-fund.htm").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}
JSON = {"Content-Type": "application/json"}
MT_CONFIG = 'target_locales = ["zh_Hant_HK"]\ntranslate_stages = ["exact", "fuzzy", "mt"]\n[mt]\nengine = "{engine}"\n'


def _mt_workspace(root: Path, server: LoopbackServer, *, engine: str = "libretranslate", extra: str = "") -> Path:
    """A workspace whose ``[mt]`` table points at ``server``, its release extracted; ``extra`` ends the table."""
    model = 'model = "m"\n' if engine == "openai" else ""
    config = MT_CONFIG.format(engine=engine) + f'url = "{server.url("")}"\n{model}retries = 0\n{extra}'
    make_workspace(root, config=config)
    assert duet("extract", "-w", root).returncode == 0
    return root


def _po(root: Path) -> Path:
    return root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "meeting.po"


def _libretranslate(translate: cabc.Callable[[str], str]) -> cabc.Callable[[Request], Reply]:
    """A LibreTranslate ``/translate`` answering each text of ``q`` with ``translate(text)``."""

    def answer(request: Request) -> Reply:
        texts = json.loads(request.body)["q"]
        return Reply(200, json.dumps({"translatedText": [translate(t) for t in texts]}).encode(), JSON)

    return answer


# ---------------------------------------------------------------- fetch over an existing release


def test_fetch_over_a_hand_written_release_is_refused(tmp_path: Path, http_server: LoopbackServer) -> None:
    """``sources/meeting.txt`` written by hand (no ``URL:``); ``duet fetch <url>/meeting.htm``:
    exit 2, one line naming the file, the file unchanged."""
    root = make_workspace(tmp_path / "ws")
    http_server.script("/meeting.htm", Reply(200, PAGE, HTML))
    done = duet("fetch", "-w", root, http_server.url("/meeting.htm"))
    assert_clean_error(done, "sources/meeting.txt", "--force")
    assert (root / "sources" / "meeting.txt").read_text(encoding="utf-8") == SAMPLE_RELEASE


def test_fetch_with_force_replaces_a_hand_written_release(tmp_path: Path, http_server: LoopbackServer) -> None:
    """The same with ``--force``: exit 0, ``sources/meeting.txt`` is now the page, its ``URL:`` the one fetched."""
    root = make_workspace(tmp_path / "ws")
    url = http_server.url("/meeting.htm")
    http_server.script("/meeting.htm", Reply(200, PAGE, HTML))
    done = duet("fetch", "-w", root, url, "--force")
    assert done.returncode == 0, str(done)
    text = (root / "sources" / "meeting.txt").read_text(encoding="utf-8")
    assert "Smart Traffic Fund" in text and f"URL: {url}\n" in text


def test_fetch_over_a_release_fetched_from_another_url_is_refused(tmp_path: Path, http_server: LoopbackServer) -> None:
    """``sources/p1.txt`` fetched from ``/a/p1.htm``; ``duet fetch /b/p1.htm``: exit 2, one line, file unchanged."""
    root = make_workspace(tmp_path / "ws", release=None)
    http_server.script("/a/p1.htm", Reply(200, PAGE, HTML))
    http_server.script("/b/p1.htm", Reply(200, PAGE.replace(b"four projects", b"five projects"), HTML))
    assert duet("fetch", "-w", root, http_server.url("/a/p1.htm")).returncode == 0
    before = (root / "sources" / "p1.txt").read_bytes()
    assert_clean_error(duet("fetch", "-w", root, http_server.url("/b/p1.htm")), "sources/p1.txt")
    assert (root / "sources" / "p1.txt").read_bytes() == before


def test_refetch_of_the_same_url_replaces_its_release(tmp_path: Path, http_server: LoopbackServer) -> None:
    """``duet fetch <url>`` twice, the page changed in between: both exit 0, the file holds the new page."""
    root = make_workspace(tmp_path / "ws", release=None)
    http_server.script("/p1.htm", Reply(200, PAGE, HTML),
                       Reply(200, PAGE.replace(b"four projects", b"five projects"), HTML))  # fmt: skip
    assert duet("fetch", "-w", root, http_server.url("/p1.htm")).returncode == 0
    done = duet("fetch", "-w", root, http_server.url("/p1.htm"))
    assert done.returncode == 0, str(done)
    assert "five projects" in (root / "sources" / "p1.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- servers that stall


@pytest.mark.parametrize(
    "reply",
    [Reply(200, PAGE, HTML, delay=60), Reply(200, PAGE, HTML, trickle=0.2)],
    ids=["never-answers", "trickles"],
)
def test_stalled_server_is_given_up_at_the_deadline(tmp_path: Path, http_server: LoopbackServer, reply: Reply) -> None:
    """A server that never answers, or sends a byte every 0.2 s; ``duet fetch --deadline 2`` on two of its URLs:
    over in seconds, not minutes (2 s per URL plus start-up), exit 2, one line per URL, no traceback, nothing written."""
    root = make_workspace(tmp_path / "ws", release=None)
    http_server.script("/one.htm", reply)
    http_server.script("/two.htm", reply)
    started = time.monotonic()
    done = duet("fetch", "-w", root, "--deadline", "2", http_server.url("/one.htm"), http_server.url("/two.htm"),
                timeout=30)  # fmt: skip
    assert time.monotonic() - started < 20, str(done)  # without the deadline: a minute or more per URL
    assert_no_traceback(done)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines] == [http_server.url("/one.htm"), http_server.url("/two.htm")]
    assert all("deadline 2 s" in line for line in lines), str(done)
    assert not list((root / "sources").iterdir())


# ---------------------------------------------------------------- malformed URLs


@pytest.mark.parametrize("url", ["http://[::1/x", "http://[zz]/", "http://[::1]:99999/", "http://[::1/"])
def test_malformed_ipv6_url(tmp_path: Path, url: str) -> None:
    """``duet fetch http://[::1/x`` and other broken IPv6 hosts: exit 2, one line naming the URL, no request."""
    root = make_workspace(tmp_path / "ws", release=None)
    assert_clean_error(duet("fetch", "-w", root, url), url)


@pytest.mark.parametrize("location", ["http://[::1/x", "http://[zz]/"])
def test_redirect_to_a_malformed_url(tmp_path: Path, http_server: LoopbackServer, location: str) -> None:
    """A page answering 302 with ``Location: http://[zz]/``; ``duet fetch``: exit 2, one line naming the URL asked."""
    root = make_workspace(tmp_path / "ws", release=None)
    http_server.script("/moved.htm", Reply(302, headers={"Location": location}))
    assert_clean_error(duet("fetch", "-w", root, http_server.url("/moved.htm")), http_server.url("/moved.htm"))


def test_fetched_page_with_control_characters_never_gives_a_broken_source(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    """A page whose text holds ``&#4;`` and a raw NUL; ``duet fetch`` then ``duet extract``: the fetch is refused
    in one line (nothing written), or the release it writes extracts cleanly."""
    root = make_workspace(tmp_path / "ws", release=None)
    page = PAGE.replace(b"four projects", b"four&#4; pro\x00jects")
    http_server.script("/p1.htm", Reply(200, page, HTML))
    done = duet("fetch", "-w", root, http_server.url("/p1.htm"))
    saved = root / "sources" / "p1.txt"
    if done.returncode == 2:
        assert_clean_error(done, http_server.url("/p1.htm"))
        assert not saved.exists()
        return
    assert done.returncode == 0, str(done)
    assert "\x04" not in saved.read_text(encoding="utf-8") and "\x00" not in saved.read_text(encoding="utf-8")
    assert duet("extract", "-w", root).returncode == 0


# ---------------------------------------------------------------- hostile MT replies


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"translatedText": 1' + b"0" * 100_000 + b"}",
     b'{"translatedText": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"],
    ids=["nested-100k-deep", "integer-100k-digits", "nested-inside-the-reply"],
)
def test_mt_reply_of_hostile_json(tmp_path: Path, http_server: LoopbackServer, body: bytes) -> None:
    """An MT engine answering ``[[[[…]]]]`` 100,000 deep, or an integer of 100,000 digits; ``duet translate``:
    exit 2, one line naming the engine's URL, the PO file unchanged."""
    root = _mt_workspace(tmp_path / "ws", http_server)
    http_server.script("/translate", Reply(200, body, JSON))
    before = _po(root).read_bytes()
    assert_clean_error(duet("translate", "-w", root), http_server.url("/translate"))
    assert _po(root).read_bytes() == before


@pytest.mark.parametrize("junk", ["\x04", "\x00", "\x1b", "\x85", "\ud800"], ids=["EOT", "NUL", "ESC", "NEL", "lone-surrogate"])
def test_mt_reply_with_control_characters(tmp_path: Path, http_server: LoopbackServer, junk: str) -> None:
    """A LibreTranslate engine whose every translation holds U+0004 (or NUL, ESC, a C1 control, a lone surrogate
    escaped in the JSON); ``duet translate`` then ``duet check`` and ``duet translate`` again: every run ends
    without a traceback or a refused PO file, and no such character reaches the catalog."""
    root = _mt_workspace(tmp_path / "ws", http_server)
    http_server.route("/translate", _libretranslate(lambda text: f"譯{junk}文"))
    done = duet("translate", "-w", root)
    assert done.returncode == 0, str(done)
    written = _po(root).read_text(encoding="utf-8")
    assert "譯文" in written and junk not in written
    for again in (duet("check", "-w", root), duet("translate", "-w", root)):
        assert_no_traceback(again)
        assert again.returncode in (0, 1), str(again)


def test_chat_reply_with_control_characters(tmp_path: Path, http_server: LoopbackServer) -> None:
    """An OpenAI-style engine whose answer holds U+0004; ``duet translate`` then ``duet check``: no refused PO file."""
    root = _mt_workspace(tmp_path / "ws", http_server, engine="openai")
    reply = {"choices": [{"message": {"content": "譯\x04文"}, "finish_reason": "stop"}]}
    http_server.script("/v1/chat/completions", Reply(200, json.dumps(reply).encode(), JSON))
    assert duet("translate", "-w", root).returncode == 0
    assert "\x04" not in _po(root).read_text(encoding="utf-8")
    check = duet("check", "-w", root)
    assert_no_traceback(check)
    assert check.returncode in (0, 1), str(check)


def test_mt_reply_with_a_placeholder_of_many_digits(tmp_path: Path, http_server: LoopbackServer) -> None:
    """A glossary term masked as ``[[T1]]``, the engine answering ``[[T`` and 5,000 nines ``]]``;
    ``duet translate``: exit 0, the entry a fuzzy proposal, no traceback."""
    root = _mt_workspace(tmp_path / "ws", http_server)
    http_server.route("/translate", _libretranslate(lambda text: text.replace("[[T1]]", "[[T" + "9" * 5000 + "]]")))
    done = duet("translate", "-w", root)
    assert done.returncode == 0, str(done)


# ---------------------------------------------------------------- impossible [mt] settings


@pytest.mark.parametrize(
    "setting",
    ["timeout = inf", "timeout = 1e300", "timeout = nan", "timeout = -1", "timeout = 100000000000000000000000",
     "rate_limit = 1e-300", "rate_limit = nan", "backoff = inf", "retries = 1000000000000000000000"],
)
def test_impossible_mt_number(tmp_path: Path, setting: str) -> None:
    """``[mt] timeout = inf`` (or ``1e300``, ``nan``, a negative, a 24-digit integer; a rate of 1e-300 a second,
    an infinite backoff, 10**21 retries); ``duet translate``: exit 2, one line naming duet.toml and the line."""
    root = make_workspace(tmp_path / "ws", config=MT_CONFIG.format(engine="libretranslate")
                          + f'url = "http://127.0.0.1:9"\n{setting}\n')  # fmt: skip
    assert_clean_error(duet("translate", "-w", root, timeout=20), "duet.toml:6")


@pytest.mark.parametrize("url", ["http://[::1/x", "http://[zz]/"])
def test_malformed_ipv6_mt_url(tmp_path: Path, url: str) -> None:
    """``[mt] url = "http://[::1/x"``; ``duet translate``: exit 2, one line naming duet.toml and the line."""
    root = make_workspace(tmp_path / "ws", config=MT_CONFIG.format(engine="libretranslate") + f'url = "{url}"\n')
    assert_clean_error(duet("translate", "-w", root), "duet.toml:5")
