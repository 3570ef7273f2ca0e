"""JSON over HTTP for the MT backends: rate limit, timeouts, retries, size limit, secrets kept out.

The pieces that ``formats/web.py`` already hardened for ``duet fetch`` are
reused: the streaming body reader (byte limit, per-attempt deadline), its
transient-failure marker and its error-reason extraction. What differs here is
POST with a JSON body, 429 as a transient status, ``Retry-After`` on 429 and
5xx, a token bucket in front of every attempt, and the API key: it is passed in
per call, sent only in the request, and scrubbed from every message this module
builds (a server may echo it in an error body).
"""

from __future__ import annotations

import collections.abc as cabc
import email.utils
import json
import logging
import re
import sys
import threading
import time
import typing as t
from datetime import UTC, datetime

import requests

from ..errors import FetchError
from ..formats.web import FetchPolicy, Limit, _read_body, _reason, _Transient
from ..model import Location

log = logging.getLogger("pipeline.translate.mt")

RETRY_AFTER_CAP = 30.0  # seconds: a busy LLM server may slow a batch down, not park it for an hour
BACKOFF_CAP = 30.0
_DETAIL_LIMIT = 200  # characters of a server's error text quoted in a message


class HttpStatusError(FetchError):
    """A final (not retried) HTTP error status; ``status`` lets callers treat 404 specially."""

    def __init__(self, message: str, loc: Location, status: int) -> None:
        super().__init__(message, loc)
        self.status = status


class TokenBucket:
    """At most ``rate`` requests per second, spaced evenly (a bucket of one token).

    A caller reserves its slot under the lock and then sleeps outside it, so
    threads queue in order. ``rate`` 0 means no limit.

    >>> now = [0.0]
    >>> bucket = TokenBucket(2.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> [bucket.acquire() for _ in range(4)]
    [0.0, 0.5, 0.5, 0.5]
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: cabc.Callable[[], float] = time.monotonic,
        sleep: cabc.Callable[[float], object] = time.sleep,
    ) -> None:
        self.rate = rate
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._tokens = 1.0
        self._last: float | None = None

    def acquire(self) -> float:
        """Take a token, sleeping until one is due; returns the seconds slept."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            if self._last is not None:
                self._tokens = min(1.0, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


class JsonClient:
    """POST/GET JSON with the limits of ``policy``; every failure is a ``FetchError`` at the URL."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        rate_limit: float,
        session: requests.Session | None = None,
        sleep: cabc.Callable[[float], object] = time.sleep,
        clock: cabc.Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self.bucket = TokenBucket(rate_limit, clock=clock, sleep=sleep)
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()
        self._sleep = sleep

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        payload: object = None,
        headers: cabc.Mapping[str, str] | None = None,
        secret: str | None = None,
    ) -> t.Any:
        """The decoded JSON reply; transient failures retried with exponential backoff.

        ``secret`` (the API key) is scrubbed from every message, logged or raised.
        """
        scrub = _scrubber(secret)
        attempt = 0
        while True:
            attempt += 1
            try:
                body = self._attempt(method, url, payload, dict(headers or {}), scrub)
                break
            except _Transient as exc:
                what, detail = scrub(exc.what), scrub(exc.detail)
                if attempt > self.policy.retries:
                    attempts = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                    raise FetchError(f"{what} after {attempts}{detail}", Location(url)) from None
                delay = exc.retry_after
                if delay is None:
                    delay = min(self.policy.backoff * 2 ** (attempt - 1), BACKOFF_CAP)
                log.info("%s %s: %s%s; retrying in %g s", method, url, what, detail, delay)
                self._sleep(delay)
        return decode_json(body, url, scrub)

    def _attempt(
        self, method: str, url: str, payload: object, headers: dict[str, str],
        scrub: cabc.Callable[[str], str],
    ) -> bytes:
        self.bucket.acquire()
        policy = self.policy
        limit = Limit.within(policy.attempt_deadline, "deadline")
        headers.setdefault("User-Agent", policy.user_agent)
        headers.setdefault("Accept", "application/json")
        try:
            resp = self.session.request(
                method, url, json=payload, headers=headers, stream=True, allow_redirects=False,
                timeout=(policy.connect_timeout, policy.read_timeout),
            )
        except requests.ConnectTimeout:
            raise _Transient("timed out", f" (connect timeout {policy.connect_timeout:g} s)") from None
        except requests.ReadTimeout:
            raise _Transient("timed out", f" (read timeout {policy.read_timeout:g} s)") from None
        except requests.exceptions.SSLError as exc:  # a bad certificate will not heal on retry
            raise FetchError(f"TLS error: {scrub(_reason(exc))}", Location(url)) from None
        except requests.ConnectionError as exc:
            raise _Transient("cannot connect", f": {_reason(exc)}") from None
        except requests.RequestException as exc:
            # requests' exceptions hold the prepared request, key and all: never chain them
            raise FetchError(f"request failed: {scrub(_reason(exc))}", Location(url)) from None
        except ValueError as exc:  # requests parses a redirect's Location even when not following it
            raise FetchError(f"redirect to malformed URL: {scrub(str(exc))}", Location(url)) from None
        with resp:
            status = resp.status_code
            if status == 429 or status >= 500:
                raise _Transient(f"HTTP {status} {resp.reason}", "", _retry_after(resp))
            if not 200 <= status < 300:
                detail = _error_detail(_read_body(resp, url, policy, limit), scrub)
                hint = " (check the API key environment variable)" if status in (401, 403) else ""
                raise HttpStatusError(f"HTTP {status} {resp.reason}{hint}{detail}", Location(url), status)
            body = _read_body(resp, url, policy, limit)
            if "html" in resp.headers.get("Content-Type", "").lower() or body.lstrip()[:1] == b"<":
                raise FetchError(f"expected JSON, got an HTML page{_html_title(body, scrub)}", Location(url))
            return body


def decode_json(body: bytes, url: str, scrub: cabc.Callable[[str], str] = str) -> t.Any:
    """Parse a reply body; the error says what was wrong and where, never what was sent."""
    if not body.strip():
        raise FetchError("empty response body", Location(url))
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FetchError(f"response is not UTF-8 (byte 0x{body[exc.start]:02x})", Location(url)) from None
    except json.JSONDecodeError as exc:
        snippet = scrub(body[: 60].decode("utf-8", "replace"))
        raise FetchError(
            f"malformed JSON in response: {exc.msg} at line {exc.lineno} column {exc.colno} "
            f"(starts {snippet!r})", Location(url),
        ) from None
    except RecursionError:
        raise FetchError("unusable JSON in response: arrays or objects nested too deeply", Location(url)) from None
    except ValueError:  # Python refuses to read integers past its digit limit, a guard against slow parsing
        raise FetchError(f"unusable JSON in response: a number of more than {sys.get_int_max_str_digits()} digits",
                         Location(url)) from None


def _scrubber(secret: str | None) -> cabc.Callable[[str], str]:
    if not secret:
        return lambda text: text
    return lambda text: text.replace(secret, "***")


def _retry_after(resp: requests.Response) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta-seconds or HTTP-date), capped; None if absent."""
    value = resp.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return min(float(value), RETRY_AFTER_CAP)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), RETRY_AFTER_CAP)


def _error_detail(body: bytes, scrub: cabc.Callable[[str], str]) -> str:
    """``: <message>`` from a JSON error body (LibreTranslate's or OpenAI's shape), else its text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # an error page need not be JSON, nor sane JSON
        data = None
    if isinstance(data, dict):
        error = data.get("error", data.get("detail", data.get("message")))
        if isinstance(error, dict):
            error = error.get("message")
        if isinstance(error, str):
            text = error
    elif text.startswith("<"):
        return _html_title(body, scrub)
    text = " ".join(scrub(text).split())
    return f": {text[:_DETAIL_LIMIT]}" if text else ""


def _html_title(body: bytes, scrub: cabc.Callable[[str], str]) -> str:
    found = re.search(rb"<title[^>]*>(.*?)</title>", body[:10_000], re.IGNORECASE | re.DOTALL)
    if not found:
        return ""
    title = " ".join(scrub(found.group(1).decode("utf-8", "replace")).split())
    return f" ({title[:_DETAIL_LIMIT]})" if title else ""
