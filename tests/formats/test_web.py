"""fetch() against a real server on loopback: retries, limits, redirects, cache."""

from __future__ import annotations

import gzip
import importlib
import json
import socket
import time
import typing as t
from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import FetchError
from pipeline.formats.web import FetchedPage, FetchPolicy, check_url, fetch

# Short timeouts keep the file fast; backoff is never slept (sleep is a recorder).
FAST = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, retries=2, backoff=0.5)
BIG5_TEXT = "香港特別行政區政府新聞公報：財政司司長今日出席立法會會議。"
BIG5_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
    f"</head><body><p>{BIG5_TEXT}</p></body></html>"
).encode("big5")


class Sleeps(list[float]):
    """An injected ``sleep`` that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _refused(url: str, policy: FetchPolicy = FAST, **kwargs: t.Any) -> FetchError:
    """The FetchError that fetching ``url`` raises; it must be located at ``url``."""
    with pytest.raises(FetchError) as info:
        _fetch(url, policy, **kwargs)
    assert info.value.loc is not None and info.value.loc.path == url
    return info.value


def _fetch(url: str, policy: FetchPolicy = FAST, cache_dir: Path | None = None, **kwargs: t.Any) -> FetchedPage:
    kwargs.setdefault("sleep", Sleeps())
    return fetch(url, cache_dir=cache_dir, policy=policy, **kwargs)


def test_fetch_reports_page_and_header_charset(http_server: t.Any) -> None:
    body = "<p>Budget</p>".encode()
    http_server.script("/p", http_server.Reply(200, body, {"Content-Type": 'text/HTML; Charset="UTF-8"'}))
    page = _fetch(http_server.url("/p"))
    assert page == FetchedPage(http_server.url("/p"), http_server.url("/p"), 200, body, "utf-8", "text/html", False)
    assert http_server.hits("/p")[0].headers["User-Agent"] == FAST.user_agent


def test_missing_content_type_gives_empty_type_and_no_charset(http_server: t.Any) -> None:
    http_server.script("/bare", http_server.Reply(200, b"x"))
    page = _fetch(http_server.url("/bare"))
    assert (page.content_type, page.charset) == ("", None)


def test_big5_page_without_declared_charset_keeps_its_bytes(http_server: t.Any) -> None:
    http_server.script("/big5", http_server.Reply(200, BIG5_PAGE, {"Content-Type": "text/html"}))
    page = _fetch(http_server.url("/big5"))
    assert page.charset is None
    assert page.body == BIG5_PAGE


def test_fetched_big5_page_decodes_with_ingest_helper(http_server: t.Any) -> None:
    try:
        decode_html = importlib.import_module("pipeline.ingest.html").decode_html
    except (ModuleNotFoundError, AttributeError):
        pytest.skip("pipeline.ingest.html.decode_html is not written yet")
    http_server.script("/big5", http_server.Reply(200, BIG5_PAGE, {"Content-Type": "text/html"}))
    page = _fetch(http_server.url("/big5"))
    text, _encoding = decode_html(page.body, page.charset)
    assert BIG5_TEXT in text


def test_gzip_body_is_decoded(http_server: t.Any) -> None:
    body = b"<p>compressed</p>" * 50
    http_server.script("/gz", http_server.Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}))
    assert _fetch(http_server.url("/gz")).body == body


def _revalidating(reply: t.Any, validator: str, value: str, body: bytes) -> t.Callable[[t.Any], t.Any]:
    """A responder that answers 304 when the client sends back ``value``."""
    condition = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[validator]

    def respond(request: t.Any) -> t.Any:
        if request.headers.get(condition) == value:
            return reply(304, b"", {validator: value})
        return reply(200, body, {validator: value, "Content-Type": "text/html; charset=big5"})

    return respond


@pytest.mark.parametrize(
    ("validator", "value"),
    [("ETag", '"v1-abc"'), ("Last-Modified", "Thu, 22 Jan 2026 08:30:00 GMT")],
)
def test_unchanged_page_is_served_from_cache(http_server: t.Any, tmp_path: Path, validator: str, value: str) -> None:
    http_server.route("/r", _revalidating(http_server.Reply, validator, value, BIG5_PAGE))
    first = _fetch(http_server.url("/r"), cache_dir=tmp_path)
    second = _fetch(http_server.url("/r"), cache_dir=tmp_path)

    condition = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[validator]
    sent = [hit.headers.get(condition) for hit in http_server.hits("/r")]
    assert sent == [None, value]
    assert not first.from_cache
    assert second.from_cache
    assert second.body == BIG5_PAGE
    assert (second.status, second.charset, second.content_type) == (200, "big5", "text/html")


def test_changed_page_replaces_the_cache_entry(http_server: t.Any, tmp_path: Path) -> None:
    reply = http_server.Reply
    http_server.script("/c", reply(200, b"old", {"ETag": '"1"'}), reply(200, b"new", {"ETag": '"2"'}))
    _fetch(http_server.url("/c"), cache_dir=tmp_path)
    changed = _fetch(http_server.url("/c"), cache_dir=tmp_path)
    _fetch(http_server.url("/c"), cache_dir=tmp_path)
    assert (changed.body, changed.from_cache) == (b"new", False)
    assert [hit.headers.get("If-None-Match") for hit in http_server.hits("/c")] == [None, '"1"', '"2"']


def _garble_json(files: dict[str, Path]) -> None:
    files["json"].write_text("{not json")


def _truncate_body(files: dict[str, Path]) -> None:
    files["body"].write_bytes(files["body"].read_bytes()[:-1])


def _drop_body(files: dict[str, Path]) -> None:
    files["body"].unlink()


def _wrong_types(files: dict[str, Path]) -> None:
    meta = json.loads(files["json"].read_text())
    files["json"].write_text(json.dumps({**meta, "charset": 5}))


@pytest.mark.parametrize("damage", [_garble_json, _truncate_body, _drop_body, _wrong_types])
def test_damaged_cache_entry_counts_as_absent(
    http_server: t.Any, tmp_path: Path, damage: t.Callable[[dict[str, Path]], None]
) -> None:
    http_server.route("/d", _revalidating(http_server.Reply, "ETag", '"e"', b"page"))
    _fetch(http_server.url("/d"), cache_dir=tmp_path)
    damage({path.suffix[1:]: path for path in tmp_path.iterdir()})

    again = _fetch(http_server.url("/d"), cache_dir=tmp_path)
    assert (again.body, again.from_cache) == (b"page", False)
    assert http_server.hits("/d")[1].headers.get("If-None-Match") is None
    assert _fetch(http_server.url("/d"), cache_dir=tmp_path).from_cache  # entry rewritten


def test_without_cache_dir_nothing_is_revalidated(http_server: t.Any) -> None:
    http_server.route("/n", _revalidating(http_server.Reply, "ETag", '"e"', b"page"))
    _fetch(http_server.url("/n"))
    assert not _fetch(http_server.url("/n")).from_cache
    assert [hit.headers.get("If-None-Match") for hit in http_server.hits("/n")] == [None, None]


def test_client_error_fails_at_once(http_server: t.Any, tmp_path: Path) -> None:
    http_server.script("/gone", http_server.Reply(404, b"no"))
    sleeps = Sleeps()
    error = _refused(http_server.url("/gone"), cache_dir=tmp_path, sleep=sleeps)
    assert str(error) == f"{http_server.url('/gone')}: HTTP 404 Not Found"
    assert len(http_server.hits("/gone")) == 1
    assert sleeps == []
    assert list(tmp_path.iterdir()) == []


def test_server_error_is_retried_after_backoff(http_server: t.Any) -> None:
    http_server.script("/flaky", http_server.Reply(500), http_server.Reply(200, b"ok"))
    sleeps = Sleeps()
    assert _fetch(http_server.url("/flaky"), sleep=sleeps).body == b"ok"
    assert len(http_server.hits("/flaky")) == 2
    assert sleeps == [FAST.backoff]


def test_persistent_server_error_gives_up_after_the_retries(http_server: t.Any) -> None:
    http_server.script("/down", http_server.Reply(500))
    sleeps = Sleeps()
    error = _refused(http_server.url("/down"), sleep=sleeps)
    assert error.message == "HTTP 500 Internal Server Error after 3 attempts"
    assert len(http_server.hits("/down")) == 3
    assert sleeps == [0.5, 1.0]  # exponential


@pytest.mark.parametrize(
    ("retry_after", "waited"),
    [("2", 2.0), ("3600", 5.0), ("Wed, 21 Oct 2015 07:28:00 GMT", FAST.backoff)],
    ids=["seconds", "capped", "http-date-falls-back"],
)
def test_retry_after_on_503_is_honoured_and_capped(http_server: t.Any, retry_after: str, waited: float) -> None:
    http_server.script("/busy", http_server.Reply(503, headers={"Retry-After": retry_after}), http_server.Reply(200))
    sleeps = Sleeps()
    _fetch(http_server.url("/busy"), sleep=sleeps)
    assert sleeps == [waited]


def test_slow_server_times_out_and_is_retried(http_server: t.Any) -> None:
    http_server.script("/slow", http_server.Reply(200, b"late", delay=2.0))
    policy = FetchPolicy(connect_timeout=1.0, read_timeout=0.3, retries=2)
    started = time.monotonic()
    error = _refused(http_server.url("/slow"), policy)
    assert error.message == "timed out after 3 attempts (read timeout 0.3 s)"
    assert len(http_server.hits("/slow")) == 3
    assert time.monotonic() - started < 1.5


def test_trickling_body_hits_the_attempt_deadline(http_server: t.Any) -> None:
    # each byte arrives well within the read timeout; only the attempt's deadline (0.2 + 2*0.3 s) stops it
    http_server.script("/drip", http_server.Reply(200, b"x" * 100, trickle=0.05))
    policy = FetchPolicy(connect_timeout=0.2, read_timeout=0.3, retries=0)
    started = time.monotonic()
    assert _refused(http_server.url("/drip"), policy).message == "timed out after 1 attempt (attempt deadline 0.8 s)"
    assert 0.8 <= time.monotonic() - started < 2.0


def test_silent_server_is_given_up_at_the_url_deadline_whatever_the_retries(http_server: t.Any) -> None:
    http_server.script("/mute", http_server.Reply(200, b"late", delay=30))
    policy = FetchPolicy(read_timeout=30, deadline=0.8, retries=3)
    started = time.monotonic()
    assert _refused(http_server.url("/mute"), policy).message == "timed out after 1 attempt (deadline 0.8 s)"
    assert 0.8 <= time.monotonic() - started < 10  # without the deadline: 30 s a try, 4 tries
    assert len(http_server.hits("/mute")) == 1


def test_url_deadline_spans_the_attempts_and_the_sleeps_between(http_server: t.Any) -> None:
    http_server.script("/slow", http_server.Reply(200, b"late", delay=30))
    policy = FetchPolicy(read_timeout=0.3, deadline=1.0, retries=10, backoff=0.05)
    started = time.monotonic()
    error = _refused(http_server.url("/slow"), policy, sleep=time.sleep)
    assert 1.0 <= time.monotonic() - started < 10  # without the deadline: 11 tries and doubling waits, over a minute
    # 0.3 + 0.05 + 0.3 + 0.1 s, then a third attempt with what is left, unless a slow machine left too little
    assert error.message in ("timed out after 3 attempts (deadline 1 s)",
                             "timed out after 2 attempts (read timeout 0.3 s); deadline 1 s reached")
    assert len(http_server.hits("/slow")) in (2, 3)


def test_no_retry_is_slept_for_past_the_url_deadline(http_server: t.Any) -> None:
    http_server.script("/busy", http_server.Reply(503))
    sleeps = Sleeps()
    error = _refused(http_server.url("/busy"), FetchPolicy(deadline=1.0, backoff=5.0), sleep=sleeps)
    assert error.message == "HTTP 503 Service Unavailable after 1 attempt; deadline 1 s reached"
    assert sleeps == []


def test_body_stalling_near_the_url_deadline_is_cut_off_on_time(http_server: t.Any) -> None:
    # the second byte comes at 0.9 s; the third would at 1.8 s, after the deadline, and the read
    # waiting for it may only wait what is left, not the whole read timeout
    http_server.script("/late", http_server.Reply(200, b"abc", trickle=0.9))
    started = time.monotonic()
    error = _refused(http_server.url("/late"), FetchPolicy(read_timeout=5.0, deadline=1.2, retries=0))
    assert error.message == "timed out after 1 attempt (deadline 1.2 s)"
    assert time.monotonic() - started < 1.7


def test_body_stalling_mid_way_times_out(http_server: t.Any) -> None:
    http_server.script("/stall", http_server.Reply(200, b"ab", trickle=1.0))
    policy = FetchPolicy(connect_timeout=1.0, read_timeout=0.3, retries=1)
    assert _refused(http_server.url("/stall"), policy).message == "timed out after 2 attempts (read timeout 0.3 s)"
    assert len(http_server.hits("/stall")) == 2


def test_slow_redirect_chain_hits_the_attempt_deadline(http_server: t.Any) -> None:
    http_server.script("/hop", http_server.Reply(302, headers={"Location": "/hop"}, delay=0.25))
    policy = FetchPolicy(connect_timeout=0.1, read_timeout=0.3, retries=0)
    assert _refused(http_server.url("/hop"), policy).message == "timed out after 1 attempt (attempt deadline 0.7 s)"
    assert len(http_server.hits("/hop")) == 3


def test_truncated_body_is_retried(http_server: t.Any) -> None:
    cut = http_server.Reply(200, b"x" * 10, {"Content-Length": "100"}, framing="close")
    http_server.script("/cut", cut, http_server.Reply(200, b"whole"))
    sleeps = Sleeps()
    assert _fetch(http_server.url("/cut"), sleep=sleeps).body == b"whole"
    assert sleeps == [FAST.backoff]


def test_truncated_body_is_reported(http_server: t.Any) -> None:
    http_server.script("/cut", http_server.Reply(200, b"x" * 10, {"Content-Length": "100"}, framing="close"))
    error = _refused(http_server.url("/cut"), FetchPolicy(retries=0))
    assert error.message.startswith("transfer failed after 1 attempt: ")
    assert "90 more expected" in error.message  # urllib3 names the shortfall


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    error = _refused(f"http://127.0.0.1:{port}/", sleep=sleeps)
    assert error.message == "cannot connect after 3 attempts: Connection refused"
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("framing", ["length", "close", "chunked"])
def test_body_over_the_limit_is_refused_and_not_cached(http_server: t.Any, tmp_path: Path, framing: str) -> None:
    http_server.script("/big", http_server.Reply(200, b"x" * 300_000, framing=framing))
    policy = FetchPolicy(max_bytes=100_000, retries=2)
    error = _refused(http_server.url("/big"), policy, cache_dir=tmp_path / "http")
    assert error.message.startswith("response larger than 100000 bytes")
    assert len(http_server.hits("/big")) == 1
    assert not (tmp_path / "http").exists()


def test_body_at_the_limit_is_accepted(http_server: t.Any) -> None:
    http_server.script("/edge", http_server.Reply(200, b"x" * 1000, framing="close"))
    assert len(_fetch(http_server.url("/edge"), FetchPolicy(max_bytes=1000)).body) == 1000


def test_declared_length_over_the_limit_is_refused_before_reading(http_server: t.Any) -> None:
    # the server promises 6 MB but sends 10 bytes: reading would stall until the read timeout
    http_server.script("/liar", http_server.Reply(200, b"x" * 10, {"Content-Length": "6000000"}))
    started = time.monotonic()
    error = _refused(http_server.url("/liar"), FetchPolicy(read_timeout=2.0))
    assert error.message == "response larger than 5000000 bytes (Content-Length 6000000)"
    assert time.monotonic() - started < 1.0


def test_limit_applies_to_the_decompressed_body(http_server: t.Any) -> None:
    bomb = gzip.compress(b"\0" * 1_000_000)
    http_server.script("/bomb", http_server.Reply(200, bomb, {"Content-Encoding": "gzip"}))
    error = _refused(http_server.url("/bomb"), FetchPolicy(max_bytes=100_000))
    assert error.message == "response larger than 100000 bytes"


def test_redirects_are_followed_to_the_final_url(http_server: t.Any) -> None:
    reply = http_server.Reply
    http_server.script("/old", reply(301, headers={"Location": http_server.url("/moved")}))
    http_server.script("/moved", reply(302, headers={"Location": "/new?lang=en"}))
    http_server.script("/new", reply(200, b"here"))
    page = _fetch(http_server.url("/old"))
    assert (page.url, page.final_url, page.body) == (http_server.url("/old"), http_server.url("/new?lang=en"), b"here")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://ftp.example.org/release.txt"])
def test_redirect_to_another_scheme_is_refused(http_server: t.Any, target: str) -> None:
    http_server.script("/trap", http_server.Reply(302, headers={"Location": target}))
    scheme = target.split(":")[0]
    assert _refused(http_server.url("/trap")).message == f"redirect to unsupported scheme '{scheme}': {target}"
    assert len(http_server.hits("/trap")) == 1


@pytest.mark.parametrize("target", ["http://[::1/x", "http://[zz]/"])
def test_redirect_to_a_malformed_url_is_refused(http_server: t.Any, target: str) -> None:
    http_server.script("/odd", http_server.Reply(302, headers={"Location": target}))
    assert _refused(http_server.url("/odd")).message.startswith("redirect to malformed URL")


def test_redirect_loop_gives_up(http_server: t.Any) -> None:
    http_server.script("/loop", http_server.Reply(302, headers={"Location": "/loop"}))
    assert _refused(http_server.url("/loop")).message.startswith("more than 10 redirects")
    assert len(http_server.hits("/loop")) == 11


class NoNetwork(requests.Session):
    """A session that fails the test if asked to send anything."""

    def request(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:  # type: ignore[override]
        raise AssertionError("a request was made")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "unsupported scheme 'file': file:///etc/passwd"),
        ("ftp://ftp.example.org/a.txt", "unsupported scheme 'ftp': ftp://ftp.example.org/a.txt"),
        ("javascript:alert(1)", "unsupported scheme 'javascript': javascript:alert(1)"),
        ("www.info.gov.hk/gia/general/202601/22/P1.htm", "not an absolute http(s) URL"),
        ("http:///etc/passwd", "URL without a host: http:///etc/passwd"),
        ("http://[::1/", "malformed URL"),
        ("http://[zz]/", "malformed URL"),
        ("http://[::1]:99999/", "malformed URL"),
        ("http://example.org:http/", "malformed URL"),
    ],
)
def test_bad_url_is_refused_without_a_request(url: str, message: str) -> None:
    assert _refused(url, session=NoNetwork()).message.startswith(message)


@given(st.text().map(lambda rest: "http://" + rest))
def test_a_url_check_url_passes_can_be_sent(url: str) -> None:
    """Whatever a user types: refused as a FetchError, or a request requests can prepare (or refuse its way)."""
    try:
        check_url(url)
    except FetchError:
        return
    try:
        requests.Request("GET", url).prepare()
    except requests.RequestException:
        pass


SCHEMES = st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,10}", fullmatch=True)


@given(SCHEMES.filter(lambda s: s.lower() not in ("http", "https")))
def test_only_http_and_https_are_fetched(scheme: str) -> None:
    error = _refused(f"{scheme}://example.org/release", session=NoNetwork())
    assert error.message.startswith(f"unsupported scheme {scheme.lower()!r}")


def test_given_session_is_used_and_left_open(http_server: t.Any) -> None:
    http_server.script("/s", http_server.Reply(200, b"ok"))
    with requests.Session() as session:
        session.headers["X-Trace"] = "duet-test"
        _fetch(http_server.url("/s"), session=session)
        _fetch(http_server.url("/s"), session=session)  # still usable
    assert [hit.headers["X-Trace"] for hit in http_server.hits("/s")] == ["duet-test"] * 2
