"""The ``duet`` command line: argument plumbing, one ``api`` call, output.

Every expected failure is a ``PipelineError``; the group turns it into one
``path:line: message`` line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import math
import sys
import typing as t
from pathlib import Path

import click

from . import api
from .errors import PipelineError
from .model import Location
from .formats.files import decode_utf8, read_text
from .locales import UnknownLocale, to_bcp47
from .cli_common import (count, echo_json, echo_table, error_line, format_option, going_on_past_bad_releases,
                         workspace_option)
from .cli_align import align
from .cli_glossary import glossary
from .cli_memory import PROGRESS_FROM, tm, translate
from .workspace import load_config

class DuetGroup(click.Group):
    def invoke(self, ctx: click.Context) -> t.Any:
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            click.echo(error_line(exc), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # what no stage foresaw (a disk full while reading a cache): still one line
            if isinstance(exc, BrokenPipeError):  # `duet ... | head`: main() ends quietly
                raise
            where = Location(str(exc.filename)) if exc.filename else None
            click.echo(error_line(PipelineError(exc.strerror or str(exc), where)), err=True)
            ctx.exit(2)


class LanguageType(click.ParamType):
    """A language as BCP 47 or POSIX identifier, checked against CLDR."""

    name = "LANG"

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return to_bcp47(value)
        except UnknownLocale as exc:
            self.fail(str(exc), param, ctx)


@click.group(cls=DuetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duet", prog_name="duet")
def cli() -> None:
    """Duet: English → Chinese press releases, from source to bilingual bundle."""


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@format_option
def init(directory: Path, output_format: str) -> None:
    """Create a workspace in DIRECTORY: duet.toml and the folders. Existing files are kept."""
    created = api.init_workspace(directory)
    if output_format == "json":
        echo_json({"workspace": str(directory), "created": created})
        return
    for name in created:
        click.echo(f"created {directory}/{name}")
    if not created:
        click.echo(f"{directory}: workspace already complete, nothing created")


class SecondsType(click.FloatRange):
    """Seconds within a range; FloatRange alone lets ``nan`` through, as every comparison with it is false."""

    name = "SECONDS"

    def convert(self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail("nan is not a number of seconds", param, ctx)
        return seconds


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--id", "release_id", help="Release id for the single URL (default: from the URL).")
@click.option("--bilingual", "bilingual_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Fetch each release and its version in the other language (the page's link to it) "
                   "into DIR/en/ and DIR/zh/, for duet align, instead of sources/. DIR lies inside the workspace.")
@click.option("--force", is_flag=True, help="Replace a release of the same id that came from another URL or none.")
@click.option("--timeout", type=SecondsType(min=0.1, max=3600), default=30.0, show_default=True, help="Read timeout in seconds.")
@click.option("--deadline", type=SecondsType(min=0.1, max=3600), default=60.0, show_default=True,
              help="Seconds one URL may take in all, retries included.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True, help="Largest page accepted.")
@workspace_option
@format_option
def fetch(urls: tuple[str, ...], release_id: str | None, bilingual_dir: Path | None, force: bool, timeout: float,
          deadline: float, max_bytes: int, workspace_dir: Path, output_format: str) -> None:  # fmt: skip
    """Download releases over HTTP(S) and save them, normalized, to sources/.

    With --bilingual DIR, each URL (English or Chinese) and the other-language
    version its page links to are saved as DIR/en/<id>.txt and DIR/zh/<id>.txt,
    the archive that duet align DIR/en DIR/zh turns into translation memory.
    """
    from .formats.web import FetchPolicy

    workspace = api.open_workspace(workspace_dir)
    policy = FetchPolicy(read_timeout=timeout, deadline=deadline, max_bytes=max_bytes)
    if bilingual_dir is None:
        results = api.fetch(workspace, urls, release_id=release_id, policy=policy, force=force)
        outcomes = [(r.error, (r,)) for r in results]
    else:
        pairs = api.fetch_bilingual(workspace, urls, bilingual_dir, release_id=release_id, policy=policy, force=force)
        outcomes = [(r.error, r.saved) for r in pairs]

    def as_json(r: api.FetchResult) -> dict[str, t.Any]:
        return {"url": r.url, "id": r.release_id, "path": r.path or None, "from_cache": r.from_cache,
                "paragraphs": r.paragraphs, "error": str(r.error) if r.error else None}

    if output_format == "json" and bilingual_dir is None:
        echo_json([as_json(r) for r in results])
    elif output_format == "json":  # per URL, each version under its language
        echo_json([{"url": r.url, "found_by": r.found_by or None, "error": str(r.error) if r.error else None,
                    **{key: next((as_json(s) for s in r.saved if s.language == key), None) for key in ("en", "zh")}}
                   for r in pairs])  # fmt: skip
    for error, saved in outcomes:
        if error:
            click.echo(error_line(error), err=True)
        elif output_format == "text":
            for r in saved:
                state = "not modified" if r.from_cache else "fetched"
                click.echo(f"{r.path}: {r.paragraphs} paragraphs ({state}: {r.url})")
    if any(error for error, _ in outcomes):
        sys.exit(2)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default="-")
@click.option("--lang", type=LanguageType(), default="en", show_default=True, help="Language of the text: en, zh, zh-Hant-HK, ...")
@click.option("--rules", type=click.Path(dir_okay=False, path_type=Path), help="An SRX 2.0 file (default: Duet's rules, or the workspace's).")
@workspace_option
@format_option
def segment(file: Path, lang: str, rules: Path | None, workspace_dir: Path, output_format: str) -> None:
    """Split FILE (or standard input) into sentences, one per line."""
    if file == Path("-"):
        text = decode_utf8(sys.stdin.buffer.read(), "<stdin>")
    else:
        text = read_text(file)
    if rules is None and workspace_dir.is_dir():
        configured = load_config(workspace_dir).segmentation
        rules = workspace_dir / configured if configured else None
    segments = api.segment(text, lang, rules_path=rules)
    if output_format == "json":
        echo_json([{"text": s.text, "start": s.start, "end": s.end} for s in segments])
        return
    for s in segments:
        click.echo(s.text.replace("\n", " "))


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change (for CI).")
@click.option("--purge-obsolete", is_flag=True, help="Drop obsolete (#~) messages instead of keeping them.")
@workspace_option
@format_option
def extract(releases: tuple[str, ...], check: bool, purge_obsolete: bool, workspace_dir: Path, output_format: str) -> None:
    """Write each release's PO template and merge it into every locale's PO file."""
    workspace = api.open_workspace(workspace_dir)
    with going_on_past_bad_releases() as refused:
        updates = api.extract(workspace, releases, check_only=check, purge_obsolete=purge_obsolete, refused=refused)
        if output_format == "json":
            echo_json([_update_json(u, check) for u in updates])
        else:
            _print_extract_table(updates, check)
        if check and any(u.changed for u in updates):
            sys.exit(1)


_REPORT_FIELDS = ("new", "unchanged", "fuzzy", "obsolete", "resurrected")


def _update_json(update: api.CatalogUpdate, check: bool) -> dict[str, t.Any]:
    report = update.report
    return {
        "file": update.path, "release": update.release_id, "locale": update.locale, "messages": update.messages,
        **{name: getattr(report, name) if report else None for name in (*_REPORT_FIELDS, "purged")},
        "changed": update.changed, "written": update.changed and not check,
    }


def _print_extract_table(updates: list[api.CatalogUpdate], check: bool) -> None:
    changed_word = "would change" if check else "written"
    rows = [("file", "messages", *_REPORT_FIELDS, "file state")]
    for u in updates:
        counts = [str(getattr(u.report, name)) if u.report else "-" for name in _REPORT_FIELDS]
        rows.append((u.path, str(u.messages), *counts, changed_word if u.changed else "unchanged"))
    echo_table(rows)
    changed = sum(1 for u in updates if u.changed)
    click.echo(f"{len(updates)} files, {changed} {changed_word}")


@cli.command()
@click.argument("releases", nargs=-1)
@workspace_option
@format_option
def build(releases: tuple[str, ...], workspace_dir: Path, output_format: str) -> None:
    """Run the pipeline on the workspace: ingest, segment, extract and merge PO files, check them.

    Exits 1 when a bundle is not ready, as duet export does: the checks found
    errors or a publish page was refused (the files are still written).
    """
    workspace = api.open_workspace(workspace_dir)
    with going_on_past_bad_releases() as refused:
        _build(workspace, releases, output_format, refused)


def _build(workspace: api.Workspace, releases: tuple[str, ...], output_format: str, refused: list[PipelineError]) -> None:
    files = (len(releases) or len(workspace.source_files())) * len(workspace.config.target_locales)
    if files >= PROGRESS_FROM and sys.stderr.isatty():
        with click.progressbar(length=files + 3, label="building", file=sys.stderr, show_pos=True) as bar:
            summaries = api.build(workspace, releases, progress=lambda _: bar.update(1), refused=refused)
    else:
        summaries = api.build(workspace, releases, refused=refused)
    if output_format == "json":
        echo_json([
            {"id": s.id, "path": s.path, "language": s.language, "paragraphs": s.paragraphs,
             "segments": s.segments, "kinds": s.kinds, "locales": s.locales, "files_written": s.files_written,
             "findings": s.findings, "bundle": {"folder": s.bundle.folder, "files": list(s.bundle.files),
                                                "written": s.bundle.changed, "refused": list(s.bundle.refused)}}
            for s in summaries
        ])
    else:
        _print_build_table(summaries)
    if any(counts["errors"] for s in summaries for counts in s.findings.values()) or any(s.bundle.refused for s in summaries):
        sys.exit(1)


def _print_build_table(summaries: list[api.ReleaseSummary]) -> None:
    rows = [("release", "locale", "entries", "translated", "fuzzy", "untranslated", "errors", "warnings")]
    for s in summaries:
        for locale, counts in s.locales.items():
            found = s.findings[locale]
            states = [counts[k] for k in ("translated", "fuzzy", "untranslated")]
            rows.append((s.id, locale, str(sum(states)), *(str(n) for n in states),
                         str(found["errors"]), str(found["warnings"])))
    echo_table(rows)
    paragraphs = sum(s.paragraphs for s in summaries)
    segments = sum(s.segments for s in summaries)
    written = sum(s.files_written for s in summaries)
    errors = sum(found["errors"] for s in summaries for found in s.findings.values())
    warnings = sum(found["warnings"] for s in summaries for found in s.findings.values())
    for s in summaries:
        for refusal in s.bundle.refused:
            click.echo(f"refused {s.bundle.folder}/{refusal}")
    written += sum(s.bundle.changed for s in summaries)
    click.echo(f"{count(len(summaries), 'release')}, {paragraphs} paragraphs, {segments} segments, {count(written, 'file')} written, "
               f"{count(errors, 'error')}, {count(warnings, 'warning')}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "junit", "sarif", "github"]),
              default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is reported.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@workspace_option
def check(paths: tuple[Path, ...], output_format: str, fail_on: str, output: Path | None, workspace_dir: Path) -> None:
    """Check PO files for glossary terms, numbers, punctuation, script and consistency.

    PATHS limits the report to those PO files (for example the ones a commit
    changed); consistency is still judged against the whole workspace. A
    translator silences a family of checks (glossary, number, punctuation,
    script, consistency) on one entry with the flag '#, no-duet-number-check'
    or a translator comment '# no-duet-number-check: reason'; the workspace
    with the config key 'silenced_checks'. Silenced findings are still counted.
    """
    from .compute import gc_paused
    from .formats.files import write_atomic
    from .formats.report import CheckSummary, fails, render_chunks
    from .reproducible import tool_version

    with gc_paused():
        result = api.check(api.open_workspace(workspace_dir), paths)
        summary = CheckSummary.of(result.findings, files=result.files, entries=result.entries)
        threshold = t.cast(t.Literal["error", "warning"], "error" if fail_on == "never" else fail_on)
        report = render_chunks(result.findings, summary, output_format, tool_version=tool_version(),
                               fail_on=threshold)
        if output is not None:
            write_atomic(output, report)
        else:
            click.echo("".join(report), nl=False)
    if fail_on != "never" and fails(result.findings, threshold):
        sys.exit(1)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--zip", "zip_bundle", is_flag=True, help="Also pack each bundle into output/<release>.zip.")
@click.option("--allow-incomplete", is_flag=True,
              help="Write the publish page even with untranslated or fuzzy segments (the source stands in, marked).")
@workspace_option
@format_option
def export(releases: tuple[str, ...], zip_bundle: bool, allow_incomplete: bool, workspace_dir: Path, output_format: str) -> None:
    """Write each release's bilingual bundle to output/<release>/.

    Per target locale: the paired XML, the bilingual HTML page, the page to
    publish, TMX and XLIFF; then manifest.json. Exits 1 when a publish page
    was refused (untranslated or fuzzy segments) or the checks found errors;
    the other files are still written.
    """
    with going_on_past_bad_releases() as refused:
        results = api.export(api.open_workspace(workspace_dir), releases, zip_bundle=zip_bundle,
                             allow_incomplete=allow_incomplete, refused=refused)
        _report_export(results, output_format)


def _report_export(results: list[api.ExportResult], output_format: str) -> None:
    if output_format == "json":
        echo_json([{"release": r.release_id, "folder": r.folder, "files": list(r.files), "changed": r.changed,
                    "zip": r.zip, "refused": list(r.refused), "errors": r.errors} for r in results])
    else:
        for r in results:
            packed = f", {r.zip}" if r.zip else ""
            click.echo(f"{r.folder}/: {count(len(r.files) + bool(r.zip), 'file')}, {r.changed} written{packed}")
            for refusal in r.refused:
                click.echo(f"  refused {refusal}")
            if r.errors:
                click.echo(f"  not ready: the checks found {count(r.errors, 'error')} (see duet check)")
    if any(r.refused or r.errors for r in results):
        sys.exit(1)


cli.add_command(align)
cli.add_command(glossary)
cli.add_command(translate)
cli.add_command(tm)


def main() -> None:
    try:
        cli.main(prog_name="duet")
    except BrokenPipeError:  # `duet segment big.txt | head`
        sys.stderr.close()
        sys.exit(1)
