"""The ``[mt]`` table of a workspace's configuration → ``MtConfig``, checked key by key.

The API key itself never appears in configuration: ``api_key_env`` names the
environment variable that holds it, read when a request is made.
"""

from __future__ import annotations

import collections.abc as cabc
import math
import re
import typing as t
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..model import Location

Engine = t.Literal["libretranslate", "openai"]
ENGINES: tuple[str, ...] = t.get_args(Engine)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_SECONDS = 3600.0  # longer than any engine needs; and sleep() and socket timeouts overflow on 1e300
MAX_RETRIES = 20


@dataclass(frozen=True, slots=True)
class MtConfig:
    """How to reach one MT engine. ``api_key_env`` is the *name* of an environment variable.

    ``rate_limit`` is requests per second (0: unlimited); ``retries`` counts
    attempts after the first; ``timeout`` bounds connecting and each read
    (seconds). ``cache_dir`` is the workspace's ``.duet/mt/``, None for no cache.
    """

    engine: Engine
    url: str
    model: str = ""
    api_key_env: str | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    rate_limit: float = 5.0
    batch_size: int = 16
    max_bytes: int = 4_000_000
    cache_dir: Path | None = None
    path: str | None = field(default=None, compare=False)  # the config file, for error messages

    def __post_init__(self) -> None:
        where = Location(self.path or "[mt]")
        if self.engine not in ENGINES:
            raise ConfigError(f"[mt] 'engine' must be one of {', '.join(ENGINES)}, not {self.engine!r}", where)
        if not _is_http_url(self.url):
            raise ConfigError(f"[mt] 'url' must be an absolute http(s) URL, not {self.url!r}", where)
        if self.engine == "openai" and not self.model:
            raise ConfigError("[mt] 'model' is required for engine 'openai'", where)
        if self.api_key_env is not None and not _ENV_NAME.fullmatch(self.api_key_env):
            # never echo the value: it may be the key itself, pasted in by mistake
            raise ConfigError("[mt] 'api_key_env' must be the name of an environment variable "
                              "(such as \"DUET_MT_KEY\"), not the key itself", where)
        # Comparisons with nan are false, so each bound is written to pass only good numbers.
        if not 0 < self.timeout <= MAX_SECONDS:
            raise ConfigError(f"[mt] 'timeout' must be a positive number of seconds, at most {MAX_SECONDS:g}, "
                              f"not {_shown(self.timeout)}", where)
        if not 0 <= self.backoff <= MAX_SECONDS:
            raise ConfigError(f"[mt] 'backoff' must be 0 to {MAX_SECONDS:g} seconds, not {_shown(self.backoff)}", where)
        if not (self.rate_limit == 0 or 1 / MAX_SECONDS <= self.rate_limit < math.inf):
            raise ConfigError("[mt] 'rate_limit' must be 0 (no limit) or a finite number of requests per second "
                              f"of at least 1/{MAX_SECONDS:g}, not {_shown(self.rate_limit)}", where)
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ConfigError(f"[mt] 'retries' must be an integer from 0 to {MAX_RETRIES}", where)
        for name in ("batch_size", "max_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"[mt] '{name}' must be an integer of at least 1", where)

    @property
    def endpoint(self) -> str:
        """The URL requests go to: ``url`` completed with the API's path unless it has it.

        >>> MtConfig("openai", "http://127.0.0.1:8000/v1", model="m").endpoint
        'http://127.0.0.1:8000/v1/chat/completions'
        >>> MtConfig("libretranslate", "http://127.0.0.1:5000/").endpoint
        'http://127.0.0.1:5000/translate'
        """
        base = self.url.rstrip("/")
        if self.engine == "libretranslate":
            return base if base.endswith("/translate") else f"{base}/translate"
        if base.endswith("/chat/completions"):
            return base
        return f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"

    @property
    def origin(self) -> str:
        """What a ``Match`` says it came from: ``mt:libretranslate@<url>``, ``mt:openai/<model>@<url>``."""
        engine = f"{self.engine}/{self.model}" if self.engine == "openai" else self.engine
        return f"mt:{engine}@{self.url}"


# [mt] key -> (accepted TOML types, description for error messages)
_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "engine": ((str,), f"one of {', '.join(repr(e) for e in ENGINES)}"),
    "url": ((str,), "the engine's base URL, such as \"http://127.0.0.1:5000\""),
    "model": ((str,), "a model name (engine 'openai')"),
    "api_key_env": ((str,), "the name of an environment variable holding the API key"),
    "timeout": ((int, float), "seconds, a positive number"),
    "retries": ((int,), "a number of retries, 0 or more"),
    "backoff": ((int, float), "seconds before the first retry, doubled each time"),
    "rate_limit": ((int, float), "requests per second (0: no limit)"),
    "batch_size": ((int,), "sources per LibreTranslate request, 1 or more"),
    "max_bytes": ((int,), "the largest response accepted, in bytes"),
    "cache": ((bool,), "true or false: keep responses under .duet/mt/"),
}


def mt_config_from(section: cabc.Mapping[str, t.Any], path: str, *, cache_dir: Path | None = None) -> MtConfig:
    """Validate a workspace's ``[mt]`` table; ``cache_dir`` is used unless ``cache = false``.

    :raises ConfigError: naming the key (and its line, when ``path`` is a readable TOML file).

    >>> mt_config_from({"engine": "libretranslate", "url": "http://127.0.0.1:5000"}, "duet.toml").retries
    3
    >>> mt_config_from({"engine": "openai", "url": "http://x", "modle": "m"}, "duet.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pipeline.errors.ConfigError: duet.toml: [mt] unknown key 'modle' (known keys: api_key_env, backoff, ...)
    """
    for key in section:
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"[mt] unknown key '{key}' (known keys: {known})", _where(path, key))
    for key, value in section.items():
        types, description = _KEYS[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ConfigError(f"[mt] '{key}' must be {description}, not {_toml_type(value)}", _where(path, key))
    for key in ("engine", "url"):
        if key not in section:
            raise ConfigError(f"[mt] '{key}' is required ({_KEYS[key][1]})", Location(path))
    if section["engine"] == "libretranslate" and "model" in section:
        raise ConfigError("[mt] 'model' applies to engine 'openai' only", _where(path, "model"))
    values = {k: v for k, v in section.items() if k != "cache"}
    try:
        return MtConfig(**values, cache_dir=cache_dir if section.get("cache", True) else None, path=path)
    except ConfigError as exc:
        key = re.search(r"'(\w+)'", exc.message)
        raise ConfigError(exc.message, _where(path, key.group(1) if key else "")) from None


def _where(path: str, key: str) -> Location:
    """``path`` and, when it can be read, the line that sets ``key`` in an ``[mt]`` table."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(path)
    in_table = False
    assignment = re.compile(rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for number, line in enumerate(lines, start=1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(?:#.*)?$", line)
        if header:
            in_table = header.group(1).strip() in ("mt", "tool.duet.mt")
        elif in_table and key and assignment.match(line):
            return Location(path, number)
    return Location(path)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:  # "http://[::1/" and other broken hosts
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _shown(number: float) -> str:
    """A number for a message; an integer too long to print (Python refuses past 4,300 digits) is described."""
    return repr(number) if isinstance(number, float) or abs(number) < 10**18 else "a larger integer"


def _toml_type(value: t.Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)
