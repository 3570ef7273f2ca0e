"""Dates in outputs come from the inputs, never the clock; the tool's version is read once a run.

Where an input has no date, ``SOURCE_DATE_EPOCH`` (reproducible-builds.org)
stands in when set, else the Unix epoch. A malformed value stops the run, as
that specification asks, instead of silently dating files 1970.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import os
import re

from .errors import ConfigError
from .model import Location

LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z, the last moment a datetime holds
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@functools.cache
def tool_version() -> str:
    """Duet's version as installed, stamped into the files it writes (a metadata lookup costs a millisecond)."""
    return importlib.metadata.version("duet")


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, None when unset; a value that is no time is refused."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", value) or int(value) > LAST_SECOND:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise ConfigError(f"{shown!r} is not a time: seconds since 1970-01-01 UTC, at most {LAST_SECOND} (9999-12-31)",
                          Location("SOURCE_DATE_EPOCH"))  # fmt: skip
    return EPOCH + dt.timedelta(seconds=int(value))


def fallback_date() -> dt.datetime:
    """The date of an output whose inputs carry none: ``SOURCE_DATE_EPOCH``, else the epoch."""
    return source_date() or EPOCH
