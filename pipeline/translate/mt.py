"""Sources → machine translations over HTTP, the glossary enforced; optional and off by default.

Two kinds of backend, both usually self-hosted:

``libretranslate``
    ``POST <url>/translate`` with ``{q, source, target, format: "text"}``
    (``api_key`` added when one is configured); ``q`` is a list, so sources
    go in batches. Glossary terms are masked as ``[[T1]]``… placeholders and
    their approved renderings put back afterwards (see ``mt_glossary``).
``openai``
    ``POST <url>/v1/chat/completions`` (or ``<url>/chat/completions`` when the
    URL already ends in ``/v1``) with ``model``, ``messages`` and
    ``temperature: 0``; ``Authorization: Bearer`` only when a key is
    configured. The system prompt lists the glossary terms of that one
    source; the reply is then checked with ``TermMatcher.renders``.

The API key is read from the environment variable named by ``api_key_env`` at
request time. It is never stored on an object, logged, written to the cache or
put in an error message. Every result is a ``Match`` of kind and status
``mt`` with similarity and score 0: a machine translation resembles nothing a
translator approved, so it ranks below every memory match. Whether the glossary
held is ``MtResult.terms_ok``.
"""

from __future__ import annotations

import collections.abc as cabc
import logging
import os
import time
import typing as t
from dataclasses import dataclass

from .. import locales
from ..errors import ConfigError, FetchError, InputError
from ..formats.web import FetchPolicy
from ..ingest.characters import FORBIDDEN
from ..model import Location, Match
from .mt_cache import CacheKey, ResponseCache
from .mt_config import ENGINES, Engine, MtConfig, mt_config_from
from .mt_glossary import (
    Checked,
    libretranslate_candidates,
    mask,
    relevant_hits,
    strip_reasoning,
    system_prompt,
    unmask,
    verify,
)
from .mt_http import HttpStatusError, JsonClient

if t.TYPE_CHECKING:
    import requests

    from ..glossary.matcher import TermMatcher

__all__ = ["ENGINES", "MT_SCORE", "Engine", "MachineTranslator", "MtConfig", "MtResult", "mt_config_from"]

log = logging.getLogger("pipeline.translate.mt")

MT_SCORE = 0.0  # below every memory match: see the module docstring


@dataclass(frozen=True, slots=True)
class MtResult:
    """One machine translation: ``text`` (the glossary put back), its ``Match``, and the glossary's fate.

    ``missing_terms`` are the terms, as written in the source, that the
    translation does not render; ``notes`` say what went wrong with them.
    """

    text: str
    match: Match
    terms_ok: bool
    missing_terms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    from_cache: bool = False


class MachineTranslator:
    """Translates sources with the engine of ``config``; reuse one per run (it keeps a session).

    ``session``, ``sleep`` and ``clock`` are for tests: a recorder for ``sleep``
    makes retries and the rate limit countable without waiting.
    """

    def __init__(
        self,
        config: MtConfig,
        *,
        session: requests.Session | None = None,
        sleep: cabc.Callable[[float], object] = time.sleep,
        clock: cabc.Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        policy = FetchPolicy(connect_timeout=config.timeout, read_timeout=config.timeout,
                             max_bytes=config.max_bytes, retries=config.retries, backoff=config.backoff)
        self._client = JsonClient(policy, rate_limit=config.rate_limit, session=session, sleep=sleep, clock=clock)
        self._cache = ResponseCache(config.cache_dir) if config.cache_dir is not None else None
        self._codes: dict[str, str] = {}  # BCP 47 tag -> LibreTranslate code
        self._offered: frozenset[str] | None = None  # the server's /languages codes, asked once
        self._asked = False

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> t.Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def translate(
        self,
        sources: cabc.Sequence[str],
        *,
        source_language: str,
        target_language: str,
        terms: TermMatcher | None = None,
    ) -> list[MtResult]:
        """Translate each source, in order; blank sources are returned as they are, unsent.

        :raises FetchError: the engine failed (after retries) or answered nonsense; located at the URL.
        :raises ConfigError: ``api_key_env`` names a variable that is unset or holds no usable key.
        """
        source_language, target_language = _bcp47(source_language), _bcp47(target_language)
        if self.config.engine == "libretranslate":
            return self._libretranslate(list(sources), source_language, target_language, terms)
        return [self._chat(s, source_language, target_language, terms) for s in sources]

    def _libretranslate(
        self, sources: list[str], source_language: str, target_language: str, terms: TermMatcher | None
    ) -> list[MtResult]:
        masked = [mask(s, terms) for s in sources]
        keys = [self._key(source_language, target_language, (m.text,)) for m in masked]
        outputs: list[str | None] = [self._cached(k) for k in keys]
        cached = [o is not None for o in outputs]
        todo = [i for i, s in enumerate(sources) if outputs[i] is None and s.strip()]
        for start in range(0, len(todo), self.config.batch_size):
            batch = todo[start : start + self.config.batch_size]
            for index, output in zip(batch, self._post_libretranslate(
                    [masked[i].text for i in batch], source_language, target_language), strict=True):
                outputs[index] = output
                if self._cache is not None:
                    self._cache.put(keys[index], output)
        results = []
        for source, m, output, hit in zip(sources, masked, outputs, cached, strict=True):
            checked = unmask(output, m, terms, target_language) if output is not None else Checked(source, ())
            results.append(self._result(source, checked, from_cache=hit))
        return results

    def _post_libretranslate(self, texts: list[str], source_language: str, target_language: str) -> list[str]:
        url = self.config.endpoint
        payload: dict[str, t.Any] = {
            "q": texts, "source": self._code(source_language), "target": self._code(target_language),
            "format": "text",
        }
        key = self._api_key()
        if key:
            payload["api_key"] = key
        log.debug("POST %s: %d source(s), %s -> %s", url, len(texts), payload["source"], payload["target"])
        data = self._client.request("POST", url, payload=payload, secret=key)
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]  # a server that ignores list input answers the one text alike
        if not isinstance(translated, list) or not all(isinstance(x, str) for x in translated):
            error = data.get("error") if isinstance(data, dict) else None
            why = f": {(error.replace(key, '***') if key else error)[:200]}" if isinstance(error, str) else ""
            raise FetchError(f"malformed LibreTranslate response: no 'translatedText'{why}", Location(url))
        if len(translated) != len(texts):
            raise FetchError(f"LibreTranslate returned {len(translated)} translations for {len(texts)} sources",
                             Location(url))
        translated = [_clean(x) for x in translated]
        if any(not x.strip() for x in translated):
            raise FetchError("LibreTranslate returned an empty translation", Location(url))
        return translated

    def _code(self, tag: str) -> str:
        """The server's code for ``tag``, from its ``/languages`` list (asked once, and only when needed)."""
        if tag not in self._codes:
            candidates = libretranslate_candidates(tag)
            offered = self._offered_languages()
            if offered is None:
                self._codes[tag] = candidates[0]
            else:
                chosen = next((c for c in candidates if c in offered), None)
                if chosen is None:
                    url = self.config.endpoint.rsplit("/", 1)[0] + "/languages"
                    raise FetchError(f"the server offers no language for {tag} (tried {', '.join(candidates)}; "
                                     f"it offers {', '.join(sorted(offered)[:40])})", Location(url))
                self._codes[tag] = chosen
        return self._codes[tag]

    def _offered_languages(self) -> frozenset[str] | None:
        """Codes from ``GET /languages``; None when the server has no usable list (then: newest codes)."""
        if not self._asked:
            url = self.config.endpoint.rsplit("/", 1)[0] + "/languages"
            try:
                data = self._client.request("GET", url)
            except HttpStatusError as exc:
                if exc.status in (401, 403):
                    raise
                data = None  # a LibreTranslate-compatible server need not have the list
            except FetchError as exc:
                if "malformed JSON" not in exc.message and "HTML" not in exc.message:
                    raise  # down or unreachable: translating would fail the same way
                data = None
            items = data if isinstance(data, list) else []
            codes = frozenset(x["code"] for x in items if isinstance(x, dict) and isinstance(x.get("code"), str))
            self._offered, self._asked = codes or None, True
        return self._offered

    def _chat(self, source: str, source_language: str, target_language: str, terms: TermMatcher | None) -> MtResult:
        if not source.strip():
            return self._result(source, Checked(source, ()))
        hits = relevant_hits(source, terms)
        prompt = system_prompt(hits, source_language, target_language)
        key = self._key(source_language, target_language, (prompt, source))
        output = self._cached(key)
        from_cache = output is not None
        if output is None:
            output = self._post_chat(prompt, source)
            if self._cache is not None:
                self._cache.put(key, output)
        return self._result(source, verify(output, hits, terms), from_cache=from_cache)

    def _post_chat(self, prompt: str, source: str) -> str:
        url = self.config.endpoint
        payload = {
            "model": self.config.model,
            "messages": [{"role": "system", "content": prompt}, {"role": "user", "content": source}],
            "temperature": 0,
            "stream": False,
        }
        key = self._api_key()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        log.debug("POST %s: model %s, %d characters", url, self.config.model, len(source))
        data = self._client.request("POST", url, payload=payload, headers=headers, secret=key)
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise FetchError("malformed chat completion: no choices[0].message.content", Location(url)) from None
        if choice.get("finish_reason") == "length":
            raise FetchError("the model stopped at its token limit (finish_reason 'length'): "
                             "the translation is cut short", Location(url))
        text = _clean(strip_reasoning(content)) if isinstance(content, str) else ""
        if not text.strip():
            raise FetchError("the model returned an empty translation", Location(url))
        return text

    def _api_key(self) -> str:
        """The key from the environment, now; '' when no variable is configured."""
        name = self.config.api_key_env
        if name is None:
            return ""
        value = os.environ.get(name, "").strip()
        where = Location(self.config.path or self.config.url)
        if not value:
            raise ConfigError(f"environment variable {name} (named by [mt] 'api_key_env') is not set", where)
        if any(c.isspace() or not c.isprintable() for c in value) or not value.isascii():
            raise ConfigError(f"environment variable {name} does not hold a usable API key "
                              "(spaces, control or non-ASCII characters)", where)
        return value

    def _key(self, source_language: str, target_language: str, request: tuple[str, ...]) -> CacheKey:
        c = self.config
        return CacheKey(c.engine, c.endpoint, c.model, source_language, target_language, request)

    def _cached(self, key: CacheKey) -> str | None:
        if self._cache is None or not key.request[-1].strip():
            return None
        output = _clean(self._cache.get(key) or "")  # a cache written before outputs were cleaned
        return output if output.strip() else None

    def _result(self, source: str, checked: Checked, *, from_cache: bool = False) -> MtResult:
        match = Match(source, checked.text, "mt", MT_SCORE, 0.0, origin=self.config.origin, status="mt")
        return MtResult(checked.text, match, not checked.missing and not checked.notes,
                        checked.missing, checked.notes, from_cache)


def _clean(text: str) -> str:
    """An engine's output without the characters no catalog may hold (controls, lone surrogates).

    A server's reply is not checked like a source file, yet it lands in one: a
    U+0004 in it gives a PO file the next run refuses, a lone surrogate (valid
    as a JSON escape) one that cannot be written at all. The result is a fuzzy
    proposal a translator reviews, so the characters are dropped, not refused.
    """
    return FORBIDDEN.sub("", text)


def _bcp47(tag: str) -> str:
    try:
        return locales.to_bcp47(tag)
    except locales.UnknownLocale as exc:
        raise InputError(str(exc)) from None

