"""Export stage: bilingual releases → the files of a bundle and its manifest, all in memory.

A bundle is what a web team publishes and an archive keeps, so it must be
reproducible: no clock anywhere (dates come from the release, or
``SOURCE_DATE_EPOCH``), files in a fixed order, and a manifest that lists
every file with its SHA-256 and size. Writing the files is the caller's job.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import hashlib
import io
import json
import re
import typing as t
import zipfile
from dataclasses import dataclass

from .errors import InputError, PipelineError
from .model import BilingualRelease
from .reproducible import source_date

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
HKT = dt.timezone(dt.timedelta(hours=8), "HKT")  # a release's clock unless its date names another offset
HKT_OFFSET = "+08:00"
_LOCAL_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


@dataclass(frozen=True, slots=True)
class Bundle:
    """One release's bundle: file name → bytes (every locale), what was left out, and the manifest."""

    release_id: str
    files: dict[str, bytes]
    refused: tuple[str, ...]  # publish pages not written, with why

    @property
    def manifest(self) -> bytes:
        return self.files["manifest.json"]


def bundle(
    releases: cabc.Sequence[BilingualRelease],
    *,
    tool_version: str,
    checks: dict[str, t.Any],
    allow_incomplete: bool = False,
) -> Bundle:
    """Every file of one release's bundle, one set per locale, then ``manifest.json``."""
    from .formats.bundle_html import format_bilingual_html, format_publish_html
    from .formats.bundle_xml import format_bundle_xml
    from .formats.xliff import format_xliff

    files: dict[str, bytes] = {}
    refused: list[str] = []
    for release in releases:
        stem = f"{release.id}.{release.locale}"
        files[f"{stem}.xml"] = format_bundle_xml(release, tool_version=tool_version)
        files[f"{stem}.html"] = format_bilingual_html(release, tool_version=tool_version).encode("utf-8")
        try:
            files[f"{stem}.publish.html"] = format_publish_html(release, allow_incomplete=allow_incomplete).encode("utf-8")
        except PipelineError as exc:
            refused.append(f"{stem}.publish.html: {exc.message}")
        files[f"{stem}.tmx"] = release_tmx(release, tool_version=tool_version)
        files[f"{stem}.xlf"] = format_xliff(release)
    files["manifest.json"] = manifest(releases, files, tool_version=tool_version, checks=checks, refused=refused)
    return Bundle(releases[0].id if releases else "", files, tuple(refused))


def release_tmx(release: BilingualRelease, *, tool_version: str) -> bytes:
    """The release's approved pairs as TMX 1.4b, dated by the release (or ``SOURCE_DATE_EPOCH``), else undated."""
    from .formats.tmx import TranslationUnit, Variant, format_tmx

    units = [
        TranslationUnit(Variant(release.source_language, s.source), (Variant(release.target_language, s.target),),
                        tuid=s.id, origin=s.origin)  # fmt: skip
        for s in release.segments
        if s.publishable
    ]
    return format_tmx(units, source_locale=release.source_language, target_locale=release.target_language,
                      tool_version=tool_version, creation_date=release_time(release.meta.date) or source_date())  # fmt: skip


def manifest(
    releases: cabc.Sequence[BilingualRelease],
    files: dict[str, bytes],
    *,
    tool_version: str,
    checks: dict[str, t.Any],
    refused: cabc.Sequence[str] = (),
) -> bytes:
    """``manifest.json``: files with SHA-256 and size, segment counts, the check summary, no clock."""
    locales = {}
    for release in releases:
        by_status: dict[str, int] = {}
        by_origin: dict[str, int] = {}
        for segment in release.segments:
            by_status[segment.status] = by_status.get(segment.status, 0) + 1
            by_origin[segment.origin] = by_origin.get(segment.origin, 0) + 1
        locales[release.locale] = {
            "language": release.target_language,
            "segments": len(release.segments),
            "status": dict(sorted(by_status.items())),
            "origin": dict(sorted(by_origin.items())),
        }
    first = releases[0] if releases else None
    document = {
        "release": first.id if first else "",
        "title": first.meta.title if first else "",
        "date": labelled_date(first.meta.date) if first else "",
        "source_language": first.source_language if first else "",
        "duet_version": tool_version,
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        ],
        "locales": locales,
        "checks": checks,
        # Ready: every segment of every locale translated and not fuzzy, no check error, no page refused.
        "ready": (not checks.get("errors") and not refused
                  and all(set(entry["status"]) <= {"translated"} for entry in locales.values())),
        "refused": list(refused),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def zip_bundle(files: dict[str, bytes], folder: str) -> bytes:
    """The bundle as a zip: names sorted, every entry dated 1980-01-01 (or SOURCE_DATE_EPOCH), fixed modes."""
    stamp = _zip_time()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
    return buffer.getvalue()


def release_time(date: str) -> dt.datetime | None:
    """The moment a release's ISO 8601 ``date`` names, in UTC; None when it has none.

    Hong Kong releases give their local time, so a date without an offset is
    HKT; a date without a time is the start of that day in Hong Kong.

    >>> print(release_time("2026-01-22T17:02"), release_time("2026-01-22T17:02+00:00"), release_time(""), sep="; ")
    2026-01-22 09:02:00+00:00; 2026-01-22 17:02:00+00:00; None
    """
    if not date:
        return None
    try:
        moment = dt.datetime.fromisoformat(date)
    except ValueError:
        raise InputError(f"release date {date!r} is not an ISO 8601 date or time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HKT)
    return moment.astimezone(dt.timezone.utc)


def labelled_date(date: str) -> str:
    """A release date as files write it: a time without an offset is Hong Kong's, and says so.

    >>> labelled_date("2026-01-22T17:02"), labelled_date("2026-01-22"), labelled_date("2026-01-22T17:02Z")
    ('2026-01-22T17:02+08:00', '2026-01-22', '2026-01-22T17:02Z')
    """
    return date + HKT_OFFSET if _LOCAL_TIME.fullmatch(date) else date


def unlabelled_date(date: str) -> str:
    """The release date ``labelled_date`` wrote: Hong Kong's offset left implicit again.

    >>> unlabelled_date("2026-01-22T17:02+08:00"), unlabelled_date("2026-01-22T17:02Z")
    ('2026-01-22T17:02', '2026-01-22T17:02Z')
    """
    local = date.removesuffix(HKT_OFFSET)
    return local if local != date and _LOCAL_TIME.fullmatch(local) else date


def _zip_time() -> tuple[int, int, int, int, int, int]:
    """Zip entries hold 1980-01-01 to 2107-12-31: ``SOURCE_DATE_EPOCH`` clamped to that range."""
    moment = source_date()
    if moment is None:
        return ZIP_EPOCH
    moment = min(max(moment, dt.datetime(*ZIP_EPOCH, tzinfo=dt.timezone.utc)),
                 dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
