"""Machine translation against real HTTP servers on loopback speaking LibreTranslate and OpenAI chat."""

from __future__ import annotations

import collections.abc as cabc
import json
import logging
import math
import shutil
import time
import traceback
import typing as t
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loopback import LoopbackServer, Reply
from mt_fakes import FakeChat, FakeLibreTranslate, install, json_reply

from pipeline.errors import ConfigError, FetchError
from pipeline.glossary.matcher import TermMatcher
from pipeline.model import Rendering, Term
from pipeline.translate.mt import MachineTranslator, MtConfig, MtResult, mt_config_from

EN, ZH = "en", "zh-Hant-HK"
KEY = "sk-test-0123456789abcdef"  # what the environment variable holds in these tests
ENV = "DUET_TEST_MT_KEY"


def _term(english: str, chinese: str, *variants: str) -> Term:
    return Term(((EN, Rendering(english)), (ZH, Rendering(chinese, variants))))


TERMS = TermMatcher(
    [_term("HKMA", "金管局"), _term("Greater Bay Area", "大灣區"), _term("Financial Secretary", "財政司司長")],
    EN, ZH,
)


class Clock:
    """A fake clock and a ``sleep`` that advances it and records each wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def fakes(http_server: LoopbackServer) -> tuple[FakeLibreTranslate, FakeChat]:
    return install(http_server)


@pytest.fixture
def libre(fakes: tuple[FakeLibreTranslate, FakeChat]) -> FakeLibreTranslate:
    return fakes[0]


@pytest.fixture
def chat(fakes: tuple[FakeLibreTranslate, FakeChat]) -> FakeChat:
    return fakes[1]


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _config(server: LoopbackServer, engine: str = "libretranslate", **options: t.Any) -> MtConfig:
    defaults: dict[str, t.Any] = {"timeout": 1.0, "retries": 2, "backoff": 0.5, "rate_limit": 0}
    if engine == "openai":
        defaults["model"] = "qwen2.5-7b-instruct"
    return MtConfig(engine, server.url("/"), **{**defaults, **options})  # type: ignore[arg-type]


def _translate(
    config: MtConfig, sources: cabc.Sequence[str], clock: Clock | None = None, terms: TermMatcher | None = TERMS
) -> list[MtResult]:
    clock = clock or Clock()
    with MachineTranslator(config, sleep=clock.sleep, clock=clock) as mt:
        return mt.translate(sources, source_language=EN, target_language=ZH, terms=terms)


def _refused(config: MtConfig, sources: cabc.Sequence[str] = ("The HKMA said today.",),
             clock: Clock | None = None) -> FetchError:
    with pytest.raises(FetchError) as info:
        _translate(config, sources, clock)
    assert info.value.loc is not None and info.value.loc.path.startswith(config.url.rstrip("/"))
    return info.value


def _bodies(server: LoopbackServer, path: str) -> list[t.Any]:
    return [json.loads(r.body) for r in server.hits(path)]


# --- configuration ------------------------------------------------------------------------------


def test_config_from_a_table_with_defaults(tmp_path: Path) -> None:
    config = mt_config_from({"engine": "openai", "url": "http://127.0.0.1:8000/v1", "model": "m",
                             "api_key_env": ENV, "rate_limit": 2}, "duet.toml", cache_dir=tmp_path)
    assert (config.engine, config.model, config.api_key_env, config.rate_limit) == ("openai", "m", ENV, 2)
    assert (config.timeout, config.retries, config.cache_dir) == (60.0, 3, tmp_path)
    assert config.endpoint == "http://127.0.0.1:8000/v1/chat/completions"
    assert config.origin == "mt:openai/m@http://127.0.0.1:8000/v1"
    no_cache = mt_config_from({"engine": "libretranslate", "url": "http://h", "cache": False}, "x", cache_dir=tmp_path)
    assert no_cache.cache_dir is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"engine": "libretranslate", "url": "http://h", "timout": 3}, "unknown key 'timout'"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": "3"}, "'timeout' must be seconds"),
        ({"engine": "libretranslate", "url": "http://h", "retries": 1.5}, "'retries' must be a number of retries"),
        ({"engine": "libretranslate", "url": "http://h", "rate_limit": True}, "'rate_limit' must be requests"),
        ({"engine": "libretranslate", "url": "http://h", "cache": "yes"}, "'cache' must be true or false"),
        ({"engine": "deepl", "url": "http://h"}, "'engine' must be one of libretranslate, openai"),
        ({"engine": "libretranslate", "url": "ftp://h"}, "'url' must be an absolute http(s) URL"),
        ({"url": "http://h"}, "'engine' is required"),
        ({"engine": "openai", "url": "http://h"}, "'model' is required for engine 'openai'"),
        ({"engine": "libretranslate", "url": "http://h", "model": "m"}, "'model' applies to engine 'openai' only"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": 0}, "'timeout' must be a positive number"),
        ({"engine": "libretranslate", "url": "http://h", "retries": -1}, "'retries' must be an integer from 0 to 20"),
        ({"engine": "libretranslate", "url": "http://h", "retries": 10**21}, "'retries' must be an integer from 0 to 20"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": math.inf}, "'timeout' must be a positive number"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": 1e300}, "at most 3600, not 1e+300"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": math.nan}, "'timeout' must be a positive number"),
        ({"engine": "libretranslate", "url": "http://h", "timeout": 10**5000}, "not a larger integer"),
        ({"engine": "libretranslate", "url": "http://h", "backoff": math.inf}, "'backoff' must be 0 to 3600 seconds"),
        ({"engine": "libretranslate", "url": "http://h", "rate_limit": 1e-300}, "'rate_limit' must be 0 (no limit)"),
        ({"engine": "libretranslate", "url": "http://h", "rate_limit": math.inf}, "'rate_limit' must be 0 (no limit)"),
        ({"engine": "libretranslate", "url": "http://[::1/x"}, "'url' must be an absolute http(s) URL"),
        ({"engine": "libretranslate", "url": "http://[zz]/"}, "'url' must be an absolute http(s) URL"),
    ],
)
def test_config_errors_name_the_key(section: dict[str, t.Any], message: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        mt_config_from(section, "duet.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("duet.toml: [mt] ")


def test_config_error_gives_the_line_of_the_key(tmp_path: Path) -> None:
    path = tmp_path / "duet.toml"
    path.write_text('source_locale = "en"\n\n[mt]\nengine = "libretranslate"\nurl = "http://h"\nretries = -2\n')
    with pytest.raises(ConfigError) as info:
        mt_config_from({"engine": "libretranslate", "url": "http://h", "retries": -2}, str(path))
    assert info.value.loc is not None and info.value.loc.line == 6


def test_config_refuses_a_key_pasted_as_api_key_env_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as info:
        mt_config_from({"engine": "libretranslate", "url": "http://h", "api_key_env": KEY}, "duet.toml")
    assert "name of an environment variable" in str(info.value)
    assert KEY not in str(info.value)


# --- LibreTranslate ------------------------------------------------------------------------------


def test_libretranslate_request_and_result(http_server: LoopbackServer, libre: FakeLibreTranslate) -> None:
    [result] = _translate(_config(http_server), ["The government said today."])
    assert result.text == "政府表示今日。"
    assert result.terms_ok and result.missing_terms == () and not result.from_cache
    match = result.match
    assert (match.kind, match.status, match.score, match.similarity) == ("mt", "mt", 0.0, 0.0)
    assert (match.source, match.target) == ("The government said today.", "政府表示今日。")
    assert match.origin == f"mt:libretranslate@{http_server.url('/')}"
    [body] = _bodies(http_server, "/translate")
    assert body == {"q": ["The government said today."], "source": "en", "target": "zh-Hant", "format": "text"}
    assert http_server.hits("/translate")[0].headers.get("Authorization") is None


@pytest.mark.parametrize(("codes", "expected"), [(["en", "zh", "zt"], "zt"), (None, "zh-Hant")])
def test_libretranslate_language_codes_come_from_the_server(
    http_server: LoopbackServer, libre: FakeLibreTranslate, codes: list[str] | None, expected: str
) -> None:
    libre.codes = codes
    _translate(_config(http_server), ["The plan.", "New measures."])
    _translate(_config(http_server), ["Rates."])
    assert [b["target"] for b in _bodies(http_server, "/translate")] == [expected, expected]
    assert len(http_server.hits("/languages")) == 2  # once per translator


def test_libretranslate_without_the_target_language_is_refused(
    http_server: LoopbackServer, libre: FakeLibreTranslate
) -> None:
    libre.codes = ["en", "zh", "fr"]
    error = _refused(_config(http_server))
    assert "offers no language for zh-Hant-HK (tried zh-Hant, zt" in str(error)
    assert not http_server.hits("/translate")


def test_libretranslate_sends_the_key_in_the_body_only_when_configured(
    http_server: LoopbackServer, libre: FakeLibreTranslate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, KEY)
    libre.required_key = KEY
    [result] = _translate(_config(http_server, api_key_env=ENV), ["The plan."])
    assert result.text == "計劃。"
    assert _bodies(http_server, "/translate")[0]["api_key"] == KEY
    monkeypatch.setenv(ENV, "wrong-key")
    error = _refused(_config(http_server, api_key_env=ENV))
    assert "HTTP 403" in str(error) and "Invalid API key" in str(error) and "check the API key" in str(error)


def test_an_unset_key_variable_fails_before_any_request(
    http_server: LoopbackServer, libre: FakeLibreTranslate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(ConfigError, match=f"environment variable {ENV} .* is not set"):
        _translate(_config(http_server, api_key_env=ENV), ["The plan."])
    assert not http_server.hits("/translate")


def test_libretranslate_batches_and_skips_blank_sources(http_server: LoopbackServer, libre: FakeLibreTranslate) -> None:
    sources = ["The plan.", "", "New measures.", "Rates.", "  ", "The review.", "Today."]
    results = _translate(_config(http_server, batch_size=2), sources)
    assert [r.text for r in results] == ["計劃。", "", "新措施。", "利率。", "  ", "檢討。", "今日。"]
    assert [b["q"] for b in _bodies(http_server, "/translate")] == [
        ["The plan.", "New measures."], ["Rates.", "The review."], ["Today."],
    ]


def test_glossary_terms_are_masked_and_put_back(http_server: LoopbackServer, libre: FakeLibreTranslate) -> None:
    [result] = _translate(_config(http_server), ["The HKMA welcomes the Greater Bay Area plan."])
    assert _bodies(http_server, "/translate")[0]["q"] == ["The [[T1]] welcomes the [[T2]] plan."]
    assert result.text == "金管局歡迎大灣區計劃。"
    assert result.terms_ok and result.missing_terms == ()


@pytest.mark.parametrize("mangle", ["fullwidth", "lenticular", "spaced"])
def test_placeholders_survive_what_engines_writing_chinese_do_to_them(
    http_server: LoopbackServer, libre: FakeLibreTranslate, mangle: str
) -> None:
    libre.mangle = mangle
    [result] = _translate(_config(http_server), ["The HKMA welcomes the Greater Bay Area plan."])
    assert result.text == "金管局歡迎大灣區計劃。"
    assert result.terms_ok


@pytest.mark.parametrize(
    ("mangle", "text", "note"),
    [
        ("drop", "歡迎大灣區計劃。", "placeholder [[T1]] for 'HKMA' lost"),
        ("duplicate", "金管局金管局歡迎大灣區計劃。", "placeholder [[T1]] for 'HKMA' repeated 2 times"),
    ],
)
def test_a_lost_or_repeated_placeholder_marks_its_term_missing(
    http_server: LoopbackServer, libre: FakeLibreTranslate, mangle: str, text: str, note: str
) -> None:
    libre.mangle = mangle
    [result] = _translate(_config(http_server), ["The HKMA welcomes the Greater Bay Area plan."])
    assert result.text == text
    assert not result.terms_ok
    assert result.missing_terms == ("HKMA",)
    assert result.notes == (note,)


def test_an_invented_placeholder_fails_the_glossary(http_server: LoopbackServer, libre: FakeLibreTranslate) -> None:
    libre.mangle = "invent"
    [result] = _translate(_config(http_server), ["The HKMA said."])
    assert result.text == "金管局表示。[[T9]]"
    assert not result.terms_ok and result.missing_terms == ()
    assert result.notes == ("the engine invented placeholder '[[T9]]'",)


def test_a_source_that_looks_like_a_placeholder_is_sent_as_is_and_verified(
    http_server: LoopbackServer, libre: FakeLibreTranslate
) -> None:
    [result] = _translate(_config(http_server), ["See [[T1]]: the HKMA said."])
    assert _bodies(http_server, "/translate")[0]["q"] == ["See [[T1]]: the HKMA said."]
    assert result.missing_terms == ("HKMA",)  # the engine copied "HKMA": not the approved 金管局


# --- OpenAI-compatible chat ----------------------------------------------------------------------


def test_chat_request_lists_only_the_terms_of_the_source(http_server: LoopbackServer, chat: FakeChat) -> None:
    sources = ["The HKMA welcomes the Greater Bay Area plan.", "The government said today."]
    results = _translate(_config(http_server, "openai"), sources)
    assert [r.text for r in results] == ["金管局歡迎大灣區計劃。", "政府表示今日。"]
    assert all(r.terms_ok for r in results)
    assert results[0].match.origin == f"mt:openai/qwen2.5-7b-instruct@{http_server.url('/')}"
    first, second = _bodies(http_server, "/v1/chat/completions")
    assert (first["model"], first["temperature"]) == ("qwen2.5-7b-instruct", 0)
    system, user = first["messages"]
    assert (system["role"], user) == ("system", {"role": "user", "content": sources[0]})
    assert "from English (en) into Chinese (Traditional, Hong Kong SAR China) (zh-Hant-HK)" in system["content"]
    assert "press releases" in system["content"]
    assert "- HKMA => 金管局\n- Greater Bay Area => 大灣區" in system["content"]
    assert "財政司司長" not in system["content"]
    assert "glossary" not in second["messages"][0]["content"]
    assert all(r.headers.get("Authorization") is None for r in http_server.hits("/v1/chat/completions"))


def test_chat_sends_a_bearer_key_only_when_configured(
    http_server: LoopbackServer, chat: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, KEY)
    chat.required_key = KEY
    _translate(_config(http_server, "openai", api_key_env=ENV), ["The plan."])
    assert http_server.hits("/v1/chat/completions")[0].headers["Authorization"] == f"Bearer {KEY}"


def test_chat_output_is_verified_against_the_glossary(http_server: LoopbackServer, chat: FakeChat) -> None:
    chat.ignore_terms = True
    [result] = _translate(_config(http_server, "openai"), ["The HKMA welcomes the Greater Bay Area plan."])
    assert result.text == "HKMA歡迎Greater Bay Area計劃。"
    assert not result.terms_ok
    assert result.missing_terms == ("HKMA", "Greater Bay Area")


def test_chat_reasoning_block_is_dropped(http_server: LoopbackServer, chat: FakeChat) -> None:
    chat.content_prefix = "<think>The user wants Chinese.</think>\n\n"
    [result] = _translate(_config(http_server, "openai"), ["The HKMA said."])
    assert result.text == "金管局表示。" and result.terms_ok


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (json_reply({"choices": []}), "malformed chat completion: no choices[0].message.content"),
        (json_reply({"object": "error"}), "malformed chat completion"),
        (json_reply({"choices": [{"message": {"content": "  "}, "finish_reason": "stop"}]}), "empty translation"),
        (json_reply({"choices": [{"message": {"content": None}}]}), "empty translation"),
        (json_reply({"choices": [{"message": {"content": "金管"}, "finish_reason": "length"}]}), "token limit"),
    ],
)
def test_chat_replies_that_are_not_translations(
    http_server: LoopbackServer, chat: FakeChat, reply: Reply, message: str
) -> None:
    chat.faults = [reply]
    assert message in str(_refused(_config(http_server, "openai")))
    assert len(http_server.hits("/v1/chat/completions")) == 1  # not retried: it will not heal


# --- robustness ----------------------------------------------------------------------------------


def test_5xx_then_success_is_retried_with_backoff(
    http_server: LoopbackServer, chat: FakeChat, clock: Clock
) -> None:
    chat.faults = [Reply(500, b"oops"), Reply(502, b"bad gateway")]
    [result] = _translate(_config(http_server, "openai"), ["The plan."], clock)
    assert result.text == "計劃。"
    assert len(http_server.hits("/v1/chat/completions")) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_429_honours_retry_after(http_server: LoopbackServer, chat: FakeChat, clock: Clock) -> None:
    chat.faults = [json_reply({"error": "slow down"}, 429, **{"Retry-After": "2"}), Reply(429, b"")]
    _translate(_config(http_server, "openai"), ["The plan."], clock)
    assert clock.sleeps == [2.0, 1.0]  # the second 429 has no Retry-After: backoff's second step


def test_persistent_failure_gives_up_after_the_retries(
    http_server: LoopbackServer, libre: FakeLibreTranslate, clock: Clock
) -> None:
    libre.faults = [Reply(503, b"down")] * 10
    error = _refused(_config(http_server, retries=2), clock=clock)
    assert str(error) == f"{http_server.url('/translate')}: HTTP 503 Service Unavailable after 3 attempts"
    assert len(http_server.hits("/translate")) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_a_slow_server_times_out_and_is_retried(http_server: LoopbackServer, chat: FakeChat) -> None:
    chat.delay = 2.0
    started = time.monotonic()
    error = _refused(_config(http_server, "openai", timeout=0.2, retries=1))
    assert "timed out after 2 attempts (read timeout 0.2 s)" in str(error)
    assert len(http_server.hits("/v1/chat/completions")) == 2
    assert time.monotonic() - started < 1.8


def test_a_slow_answer_within_the_timeout_is_fine(http_server: LoopbackServer, chat: FakeChat) -> None:
    chat.delay = 0.2
    [result] = _translate(_config(http_server, "openai", timeout=1.0), ["The plan."])
    assert result.text == "計劃。"


def test_an_unreachable_server(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        url = server.url("/")
    config = MtConfig("openai", url, model="m", timeout=0.5, retries=1, rate_limit=0)
    clock = Clock()
    with pytest.raises(FetchError, match="cannot connect after 2 attempts") as info:
        _translate(config, ["The plan."], clock)
    assert info.value.loc is not None and info.value.loc.path == config.endpoint
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(200, b'{"translatedText": ["x"', {"Content-Type": "application/json"}),
         "malformed JSON in response: Expecting"),
        (Reply(200, b"<!DOCTYPE html><html><head><title>502 Proxy Error</title></head></html>",
               {"Content-Type": "text/html"}), "expected JSON, got an HTML page (502 Proxy Error)"),
        (Reply(200, b"", {"Content-Type": "application/json"}), "empty response body"),
        (json_reply({"translated": "x"}), "malformed LibreTranslate response: no 'translatedText'"),
        (json_reply({"error": "model not loaded"}), "no 'translatedText': model not loaded"),
        (json_reply({"translatedText": ["a", "b"]}), "returned 2 translations for 1 sources"),
        (json_reply({"translatedText": [""]}), "LibreTranslate returned an empty translation"),
        (json_reply([1, 2]), "malformed LibreTranslate response"),
        (Reply(200, b"\xff\xfe{}", {"Content-Type": "application/json"}), "response is not UTF-8"),
        (json_reply({"error": "bad request"}, 400), "HTTP 400 Bad Request: bad request"),
    ],
)
def test_libretranslate_malformed_replies(
    http_server: LoopbackServer, libre: FakeLibreTranslate, reply: Reply, message: str
) -> None:
    libre.faults = [reply]
    assert message in str(_refused(_config(http_server)))
    assert len(http_server.hits("/translate")) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "unusable JSON in response: arrays or objects nested too deeply"),
        (b'{"translatedText": [1' + b"0" * 100_000 + b"]}", "unusable JSON in response: a number of more than 4300 digits"),
    ],
    ids=["deeply-nested", "huge-integer"],
)
def test_json_python_cannot_read_is_refused(
    http_server: LoopbackServer, libre: FakeLibreTranslate, body: bytes, message: str
) -> None:
    libre.faults = [Reply(200, body, {"Content-Type": "application/json"})]
    assert str(_refused(_config(http_server))) == f"{http_server.url('/translate')}: {message}"


def test_an_error_page_of_deeply_nested_json_still_gives_its_status(
    http_server: LoopbackServer, libre: FakeLibreTranslate
) -> None:
    libre.faults = [Reply(400, b"[" * 100_000, {"Content-Type": "application/json"})]
    assert str(_refused(_config(http_server))).endswith(": HTTP 400 Bad Request: " + "[" * 200)


@pytest.mark.parametrize("engine", ["libretranslate", "openai"])
@given(junk=st.lists(st.characters(categories=["Cc", "Cs"], exclude_characters="\t\n\r"), min_size=1, max_size=5))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_control_characters_and_lone_surrogates_in_a_reply_are_dropped(
    http_server: LoopbackServer, fakes: t.Any, tmp_path: Path, engine: str, junk: list[str]
) -> None:
    """What a catalog cannot hold never leaves the translator, fresh or from the cache."""
    libre, chat = fakes
    output = "金" + "".join(f"{char}、" for char in junk) + "管局"  # "、" keeps two surrogates from pairing
    reply = {"translatedText": [output]} if engine == "libretranslate" else {
        "choices": [{"message": {"content": output}, "finish_reason": "stop"}]}
    (libre if engine == "libretranslate" else chat).faults = [  # ASCII JSON: a lone surrogate as an escape
        Reply(200, json.dumps(reply).encode(), {"Content-Type": "application/json"})]
    shutil.rmtree(tmp_path / "mt", ignore_errors=True)
    config = _config(http_server, engine, cache_dir=tmp_path / "mt")
    [fresh] = _translate(config, ["The plan."], terms=None)
    [cached] = _translate(config, ["The plan."], terms=None)
    assert cached.from_cache and fresh.text == cached.text == "金" + "、" * len(junk) + "管局"


def test_a_cached_output_with_control_characters_is_cleaned(
    http_server: LoopbackServer, chat: FakeChat, tmp_path: Path
) -> None:
    config = _config(http_server, "openai", cache_dir=tmp_path)
    _translate(config, ["The plan."])
    [entry] = tmp_path.glob("*/*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**data, "output": "計\u0004劃\ud800。"}), encoding="utf-8")
    [result] = _translate(config, ["The plan."])
    assert result.from_cache and result.text == "計劃。"


def test_a_placeholder_of_thousands_of_digits_is_an_invented_one(
    http_server: LoopbackServer, libre: FakeLibreTranslate
) -> None:
    libre.faults = [json_reply({"translatedText": ["[[T" + "9" * 5000 + "]]表示。"]})]
    [result] = _translate(_config(http_server), ["The HKMA said."])
    assert result.missing_terms == ("HKMA",) and not result.terms_ok


def test_response_size_is_limited(http_server: LoopbackServer, libre: FakeLibreTranslate) -> None:
    libre.faults = [json_reply({"translatedText": ["字" * 5000]})]
    assert "response larger than 1000 bytes" in str(_refused(_config(http_server, max_bytes=1000)))


def test_rate_limit_spaces_requests(http_server: LoopbackServer, libre: FakeLibreTranslate, clock: Clock) -> None:
    sources = ["The plan.", "Rates.", "Today.", "New measures.", "The review."]
    _translate(_config(http_server, rate_limit=2, batch_size=1), sources, clock)
    assert len(http_server.requests) == 6  # /languages and five batches of one
    assert clock.sleeps == [0.5] * 5


def test_rate_limit_in_real_time(http_server: LoopbackServer, chat: FakeChat) -> None:
    started = time.monotonic()
    with MachineTranslator(_config(http_server, "openai", rate_limit=20)) as mt:
        mt.translate(["The plan.", "Rates.", "Today.", "The review."], source_language=EN, target_language=ZH)
    assert time.monotonic() - started >= 3 / 20 - 0.01  # four requests: three waits of 1/20 s at least


# --- cache ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["libretranslate", "openai"])
def test_a_cache_hit_makes_no_request(
    http_server: LoopbackServer, fakes: t.Any, tmp_path: Path, engine: str
) -> None:
    config = _config(http_server, engine, cache_dir=tmp_path / ".duet" / "mt")
    sources = ["The HKMA welcomes the Greater Bay Area plan.", "Rates."]
    first = _translate(config, sources)
    count = len(http_server.requests)
    second = _translate(config, sources)
    assert len(http_server.requests) == count
    assert [r.text for r in second] == [r.text for r in first] == ["金管局歡迎大灣區計劃。", "利率。"]
    assert [r.from_cache for r in second] == [True, True] and not first[0].from_cache
    assert len(list((tmp_path / ".duet" / "mt").glob("*/*.json"))) == 2


def test_cache_key_is_what_decides_the_answer(http_server: LoopbackServer, chat: FakeChat, tmp_path: Path) -> None:
    config = _config(http_server, "openai", cache_dir=tmp_path)
    _translate(config, ["The plan."])
    _translate(replace(config, model="another-model"), ["The plan."])
    _translate(config, ["The plan."], terms=None)  # no glossary: the same prompt, so a hit
    _translate(config, ["The HKMA plan."])
    _translate(config, ["The HKMA plan."], terms=None)  # no terms listed: another prompt
    assert len(http_server.hits("/v1/chat/completions")) == 4


def test_cached_output_is_checked_against_the_glossary_of_today(
    http_server: LoopbackServer, libre: FakeLibreTranslate, tmp_path: Path
) -> None:
    config = _config(http_server, cache_dir=tmp_path)
    _translate(config, ["The HKMA said."])
    renamed = TermMatcher([_term("HKMA", "香港金融管理局")], EN, ZH)
    [result] = _translate(config, ["The HKMA said."], terms=renamed)
    assert result.from_cache and result.text == "香港金融管理局表示。"


def test_a_damaged_cache_entry_is_a_miss(http_server: LoopbackServer, chat: FakeChat, tmp_path: Path) -> None:
    config = _config(http_server, "openai", cache_dir=tmp_path)
    _translate(config, ["The plan."])
    [entry] = tmp_path.glob("*/*.json")
    entry.write_text("{not json", encoding="utf-8")
    [result] = _translate(config, ["The plan."])
    assert result.text == "計劃。" and not result.from_cache
    assert json.loads(entry.read_text(encoding="utf-8"))["output"] == "計劃。"
    assert len(http_server.hits("/v1/chat/completions")) == 2


# --- the API key stays secret --------------------------------------------------------------------


def _everything_said(error: BaseException, caplog: pytest.LogCaptureFixture, folder: Path) -> str:
    files = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error)), caplog.text, files])


@pytest.mark.parametrize("engine", ["libretranslate", "openai"])
def test_the_key_is_never_in_cache_logs_or_errors(
    http_server: LoopbackServer, fakes: tuple[FakeLibreTranslate, FakeChat], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, engine: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    for fake in fakes:
        fake.required_key = KEY
    monkeypatch.setenv(ENV, KEY)
    config = _config(http_server, engine, api_key_env=ENV, cache_dir=tmp_path / "mt", retries=1)
    fake = fakes[0] if engine == "libretranslate" else fakes[1]
    fake.faults = [Reply(500, f"internal error with {KEY}".encode())]  # a server echoing the key
    assert [r.text for r in _translate(config, ["The HKMA said."])] == ["金管局表示。"]
    assert KEY in http_server.requests[-1].body.decode() + str(http_server.requests[-1].headers)

    monkeypatch.setenv(ENV, KEY[::-1])  # a wrong key: the OpenAI fake quotes it back, as OpenAI does
    fakes[1].faults = [json_reply({"error": {"message": f"Incorrect API key provided: {KEY[::-1]}"}}, 401)]
    fakes[0].faults = [json_reply({"error": f"Invalid API key {KEY[::-1]}"}, 403)]
    error = _refused(config, ["Rates."])
    assert "HTTP 40" in str(error) and "***" in str(error)
    said = _everything_said(error, caplog, tmp_path / "mt")
    assert KEY not in said and KEY[::-1] not in said
    assert "表示。" in said  # the cache was written, without the key


def test_an_unusable_key_is_refused_without_showing_it(
    http_server: LoopbackServer, chat: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "sk-abc\ndef")
    with pytest.raises(ConfigError) as info:
        _translate(_config(http_server, "openai", api_key_env=ENV), ["The plan."])
    assert "does not hold a usable API key" in str(info.value) and "sk-abc" not in str(info.value)
    assert not http_server.requests
