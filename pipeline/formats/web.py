"""URL → FetchedPage: the HTTP edge behind ``duet fetch``.

Press-office sites are slow, sometimes flaky and occasionally hostile, so every
request is bounded: connect and read timeouts, a deadline per attempt and one
for the whole URL (retries and the sleeps between them included), a byte limit,
a redirect limit, and http(s) only on every hop. Transient failures (connection
errors, timeouts, 5xx) are retried with exponential backoff while the deadline
allows; all others fail at once. Pages are cached under ``cache_dir`` (the workspace's
``.duet/http/``) and revalidated with conditional GETs, so re-fetching an
unchanged release costs one 304. Decoding the body is ``pipeline.ingest``'s job.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import hashlib
import json
import re
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from ..errors import FetchError
from ..model import Location
from .files import write_atomic

SCHEMES = ("http", "https")
MAX_REDIRECTS = 10
RETRY_AFTER_CAP = 5.0  # seconds: a 503 may slow us down, not park a batch fetch for minutes
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch, in seconds and bytes. ``retries`` counts attempts after the first (0: try once).

    ``deadline`` bounds everything ``fetch`` does for one URL: a server that
    never answers, or answers a byte at a time, would otherwise hold it for
    every attempt in turn. ``JsonClient`` (MT) bounds attempts only.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    max_bytes: int = 5_000_000
    retries: int = 3
    backoff: float = 0.5
    user_agent: str = "duet/0.1 (+press-release pipeline)"

    @property
    def attempt_deadline(self) -> float:
        """Seconds one attempt may last in all: the read timeout alone is per socket
        read, so a server trickling a byte at a time could otherwise hold us forever."""
        return self.connect_timeout + 2 * self.read_timeout


@dataclass(frozen=True)
class Limit:
    """The ``time.monotonic()`` at which an attempt must end, and how a message names it."""

    at: float
    label: str  # " (deadline 60 s)"

    @classmethod
    def within(cls, seconds: float, label: str) -> Limit:
        return cls(time.monotonic() + seconds, f" ({label} {seconds:g} s)")

    def left(self) -> float:
        return self.at - time.monotonic()

    def timeouts(self, policy: FetchPolicy) -> tuple[float, float]:
        """Connect and read timeouts, cut down to the time left (never quite 0, which would mean non-blocking)."""
        left = max(self.left(), 0.001)
        return min(policy.connect_timeout, left), min(policy.read_timeout, left)


@dataclass(frozen=True)
class FetchedPage:
    """A downloaded page, body undecoded; ``charset`` comes from the Content-Type header only."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    body: bytes
    charset: str | None
    content_type: str  # media type, lower case, without parameters; "" when absent
    from_cache: bool


class _Version(t.NamedTuple):
    """A page and the validators that let the server answer 304 for it next time."""

    page: FetchedPage
    etag: str | None
    last_modified: str | None


class _Transient(Exception):
    """A failure worth retrying; ``detail`` completes the final message."""

    def __init__(self, what: str, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(what)
        self.what, self.detail, self.retry_after = what, detail, retry_after


def fetch(
    url: str,
    *,
    cache_dir: Path | None,
    policy: FetchPolicy = FetchPolicy(),
    session: requests.Session | None = None,
    sleep: cabc.Callable[[float], object] = time.sleep,
) -> FetchedPage:
    """Download ``url``; with a ``cache_dir``, revalidate the cached copy instead of refetching.

    :raises FetchError: for every failure, located at ``url``. Nothing is cached on failure.
    """
    check_url(url)
    entry = _CacheEntry(Path(cache_dir), url) if cache_dir is not None else None
    cached = entry.load() if entry else None
    http = session if session is not None else requests.Session()
    try:
        version = _with_retries(http, url, cached, policy, sleep)
    finally:
        if session is None:
            http.close()
    if entry and not version.page.from_cache:
        entry.store(version)
    return version.page


def _with_retries(
    http: requests.Session, url: str, cached: _Version | None, policy: FetchPolicy,
    sleep: cabc.Callable[[float], object],
) -> _Version:
    """Attempt until one succeeds or fails for good, the retries run out, or the URL's deadline comes."""
    whole = Limit.within(policy.deadline, "deadline")
    attempt = 0
    while True:
        attempt += 1
        limit = min(Limit.within(policy.attempt_deadline, "attempt deadline"), whole, key=lambda lim: lim.at)
        try:
            return _attempt(http, url, cached, policy, limit)
        except _Transient as exc:
            delay = exc.retry_after if exc.retry_after is not None else policy.backoff * 2 ** (attempt - 1)
            no_time = whole.left() <= delay  # a retry could only start after the deadline
            if attempt > policy.retries or no_time:
                attempts = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                stopped = no_time and attempt <= policy.retries and exc.detail != whole.label
                why = f"; deadline {policy.deadline:g} s reached" if stopped else ""
                raise FetchError(f"{exc.what} after {attempts}{exc.detail}{why}", Location(url)) from exc
            sleep(delay)


def _attempt(http: requests.Session, url: str, cached: _Version | None, policy: FetchPolicy,
             limit: Limit) -> _Version:
    """One try: follow redirects by hand (to vet each hop's scheme), then read the body."""
    headers = {"User-Agent": policy.user_agent}
    if cached and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if limit.left() <= 0:
            raise _Transient("timed out", limit.label)
        with _get(http, url, current, headers, policy, limit) as resp:
            status = resp.status_code
            if status in _REDIRECT_STATUSES:
                current = _redirect_target(url, current, resp.headers.get("Location"), status)
                continue
            if status == 304 and cached:
                return cached
            where = f" (at {current})" if current != url else ""
            if status >= 500:
                raise _Transient(f"HTTP {status} {resp.reason}", where, _retry_after(resp))
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status} {resp.reason}{where}", Location(url))
            body = _read_body(resp, url, policy, limit)
            media, charset = _content_type(resp.headers.get("Content-Type", ""))
            page = FetchedPage(url, current, status, body, charset, media, from_cache=False)
            return _Version(page, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
    raise FetchError(f"more than {MAX_REDIRECTS} redirects (last to {current})", Location(url))


def _get(
    http: requests.Session, url: str, current: str, headers: dict[str, str], policy: FetchPolicy, limit: Limit
) -> requests.Response:
    connect, read = limit.timeouts(policy)
    try:
        return http.get(current, headers=headers, timeout=(connect, read), stream=True, allow_redirects=False)
    except requests.ConnectTimeout as exc:
        raise _Transient("timed out", _which("connect timeout", connect, policy.connect_timeout, limit)) from exc
    except requests.ReadTimeout as exc:
        raise _Transient("timed out", _which("read timeout", read, policy.read_timeout, limit)) from exc
    except requests.exceptions.SSLError as exc:  # a bad certificate will not heal on retry
        raise FetchError(f"TLS error: {_reason(exc)}", Location(url)) from exc
    except requests.ConnectionError as exc:
        raise _Transient("cannot connect", f": {_reason(exc)}") from exc
    except requests.RequestException as exc:
        raise FetchError(f"request failed: {_reason(exc)}", Location(url)) from exc
    except ValueError as exc:  # requests parses a redirect's Location even when not following it
        raise FetchError(f"redirect to malformed URL: {exc}", Location(url)) from exc


def _which(name: str, used: float, configured: float, limit: Limit) -> str:
    """What a timeout of ``used`` seconds was: the configured one, or what was left before ``limit``."""
    return limit.label if used < configured else f" ({name} {configured:g} s)"


def _read_body(resp: requests.Response, url: str, policy: FetchPolicy, limit: Limit) -> bytes:
    """Stream the body, refusing it as soon as it is known to exceed ``max_bytes``.

    ``read1`` returns whatever one socket read brings, and each read may wait
    only for what is left before ``limit``, so a server sending slowly, or
    stalling half-way, is cut off on time.
    """
    declared = resp.headers.get("Content-Length", "").strip()
    too_large = f"response larger than {policy.max_bytes} bytes"
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"{too_large} (Content-Length {declared})", Location(url))
    read = getattr(resp.raw, "read1", resp.raw.read)  # urllib3 1.x has no read1
    chunks: list[bytes] = []
    size = 0
    wait = policy.read_timeout
    try:
        while True:
            wait = min(policy.read_timeout, limit.left())
            if wait <= 0:
                raise _Transient("timed out", limit.label)
            _limit_next_read(resp, wait)
            chunk = read(_CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)  # decoded size: a gzip bomb is refused too
            if size > policy.max_bytes:
                raise FetchError(too_large, Location(url))
            chunks.append(chunk)
    except FetchError:
        raise  # an OSError too, yet no broken connection
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise _Transient("timed out", _which("read timeout", wait, policy.read_timeout, limit)) from exc
    except urllib3.exceptions.DecodeError as exc:
        encoding = resp.headers.get("Content-Encoding", "")
        raise FetchError(f"cannot decode {encoding} body: {_reason(exc)}", Location(url)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise _Transient("transfer failed", f": {_reason(exc)}") from exc
    return b"".join(chunks)


def _limit_next_read(resp: requests.Response, seconds: float) -> None:
    """Let the next socket read wait ``seconds`` at most: the read timeout given to ``get`` holds per read."""
    sock = getattr(getattr(resp.raw, "connection", None), "sock", None)  # urllib3's HTTPConnection
    if sock is not None:
        sock.settimeout(seconds)


def check_url(url: str, *, origin: str | None = None) -> None:
    """Refuse anything but an absolute http(s) URL: the URL asked, or a redirect from ``origin``.

    :raises FetchError: located at the URL asked.
    """
    prefix = "redirect to " if origin else ""
    origin = origin or url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise FetchError(f"{prefix}malformed URL {url!r}: {exc}", Location(origin)) from exc
    if not parts.scheme:
        raise FetchError(f"{prefix}not an absolute http(s) URL: {url!r}", Location(origin))
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"{prefix}unsupported scheme {parts.scheme!r}: {url}", Location(origin))
    if not parts.hostname:
        raise FetchError(f"{prefix}URL without a host: {url}", Location(origin))


def _redirect_target(origin: str, current: str, location: str | None, status: int) -> str:
    if not location:
        raise FetchError(f"HTTP {status} redirect without a Location header", Location(origin))
    try:
        target = urljoin(current, location.strip())
    except ValueError as exc:  # urljoin splits the target: "http://[::1/" is no URL
        raise FetchError(f"redirect to malformed URL {location!r}: {exc}", Location(origin)) from exc
    check_url(target, origin=origin)
    return target


def _retry_after(resp: requests.Response) -> float | None:
    """Seconds a 503 asks us to wait, capped; HTTP-date values fall back to backoff."""
    value = resp.headers.get("Retry-After", "").strip()
    if resp.status_code != 503 or not value.isdigit():
        return None
    return min(float(value), RETRY_AFTER_CAP)


def _content_type(header: str) -> tuple[str, str | None]:
    """Split a Content-Type header into media type and charset.

    >>> _content_type('text/html; Charset="Big5"')
    ('text/html', 'big5')
    >>> _content_type('')
    ('', None)
    """
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _reason(exc: BaseException) -> str:
    """The useful part of a requests/urllib3 message, e.g. "Connection refused"."""
    first = exc.args[0] if exc.args else exc
    text = " ".join(str(first).split())
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return found.group(1).strip() if found else text[:200]


@dataclass(frozen=True)
class _CacheEntry:
    """``<sha256(url)>.body`` and ``.json``; the JSON holds the body's hash, so a torn,
    edited or half-deleted pair reads as absent rather than as a wrong page."""

    folder: Path
    url: str

    @property
    def _stem(self) -> Path:
        return self.folder / hashlib.sha256(self.url.encode("utf-8")).hexdigest()

    def load(self) -> _Version | None:
        try:
            meta = json.loads(self._stem.with_suffix(".json").read_text("utf-8"))
            body = self._stem.with_suffix(".body").read_bytes()
            fields = [meta["final_url"], meta["content_type"], meta["sha256"]]
            optional = [meta["charset"], meta["etag"], meta["last_modified"]]
            if not all(isinstance(v, str) for v in fields) or not all(
                v is None or isinstance(v, str) for v in optional
            ):
                return None
            if hashlib.sha256(body).hexdigest() != meta["sha256"]:
                return None
            page = FetchedPage(self.url, meta["final_url"], int(meta["status"]), body,
                               meta["charset"], meta["content_type"], from_cache=True)
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        return _Version(page, meta["etag"], meta["last_modified"])

    def store(self, version: _Version) -> None:
        """Write body then metadata; a crash between the two leaves a hash mismatch, i.e. no entry."""
        page = version.page
        meta = {
            "url": page.url, "final_url": page.final_url, "status": page.status,
            "content_type": page.content_type, "charset": page.charset,
            "etag": version.etag, "last_modified": version.last_modified,
            "sha256": hashlib.sha256(page.body).hexdigest(),
        }
        # The cache only saves a download next time; a page fetched fine is never lost to it.
        with contextlib.suppress(OSError):
            write_atomic(self._stem.with_suffix(".body"), page.body)
            write_atomic(self._stem.with_suffix(".json"), json.dumps(meta, indent=2, sort_keys=True) + "\n")
