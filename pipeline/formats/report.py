"""``duet check`` reports: Findings and a CheckSummary → text, JSON, JUnit XML, SARIF or GitHub commands.

Every string a finding carries (path, msgid, message, term, expected) came
from a PO file or a glossary and is untrusted: each format escapes it by its
own rules, and the text formats keep one finding on one line with no terminal
control characters.

Silenced findings (a translator's PO flag, the workspace config) are never
shown as problems, but are always counted: ``summary.silenced`` and
``summary.by_check`` in every format, the ``"silenced"`` array in JSON, and
results carrying a ``suppressions`` entry in SARIF, which is SARIF's own way.

JUnit shape: one ``<testsuite>`` per PO file that has reported findings, one
``<testcase>`` per finding (``classname`` the file, ``name`` the check and the
msgid, ``file`` and ``line`` attributes for the reporters that annotate lines),
then a ``duet check`` suite with a ``summary`` testcase, so that a clean run
still reports one passing test instead of an empty report. A testcase fails
exactly when its finding fails the run (``fail_on``): by default errors are
``<failure type="error">`` and warnings pass with the finding in
``<system-out>``; with ``fail_on="warning"`` they are ``<failure type="warning">``.
The CI's red and green then agree with ``duet check``'s exit code.
"""

from __future__ import annotations

import collections.abc as cabc
import hashlib
import itertools
import json
import re
import typing as t
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from lxml import etree

from ..checks.base import CHECKS
from ..model import Finding, Severity

FORMATS = ("text", "json", "junit", "sarif", "github")

#: The check codes of DESIGN.md: default severity and what each finds (SARIF rules).

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "duetEntry/v1"  # partialFingerprints key; bump the version if the hashed fields change

_RANK: dict[str, int] = {"warning": 1, "error": 2}
_encode_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses, in C


@dataclass(frozen=True)
class CheckSummary:
    """What a ``duet check`` run looked at and found.

    ``errors`` and ``warnings`` count the findings reported (not silenced);
    ``silenced`` counts the others. ``by_check`` maps each check code to
    ``{"reported": n, "silenced": m}``.
    """

    files: int
    entries: int
    errors: int = 0
    warnings: int = 0
    silenced: int = 0
    by_check: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: cabc.Iterable[Finding], *, files: int, entries: int) -> CheckSummary:
        """Count ``findings`` of a run over ``files`` PO files holding ``entries`` entries.

        >>> from pipeline.model import Location
        >>> f = Finding("fuzzy", "warning", "fuzzy entry", Location("x.po", 3), "zh_Hant_HK", "Hi", silenced=True)
        >>> CheckSummary.of([f], files=1, entries=4)
        CheckSummary(files=1, entries=4, errors=0, warnings=0, silenced=1, by_check={'fuzzy': {'reported': 0, 'silenced': 1}})
        """
        errors = warnings = silenced = 0
        by_check: dict[str, dict[str, int]] = {}
        for finding in findings:
            counts = by_check.setdefault(finding.check, {"reported": 0, "silenced": 0})
            if finding.silenced:
                silenced += 1
                counts["silenced"] += 1
                continue
            counts["reported"] += 1
            if finding.severity == "error":
                errors += 1
            else:
                warnings += 1
        return cls(files, entries, errors, warnings, silenced, dict(sorted(by_check.items())))


def fails(findings: cabc.Iterable[Finding], fail_on: Severity = "error") -> bool:
    """Whether a finding not silenced is at or above ``fail_on``: ``duet check`` then exits 1."""
    return any(not f.silenced and _RANK[f.severity] >= _RANK[fail_on] for f in findings)


def render(
    findings: cabc.Sequence[Finding],
    summary: CheckSummary,
    fmt: str,
    *,
    tool_version: str,
    fail_on: Severity = "error",
) -> str:
    """The report of a run in format ``fmt`` (one of ``FORMATS``), ending with one newline.

    Findings come out in a fixed order (path, line, check), whatever the order
    given. ``fail_on`` only shapes JUnit: which testcases fail.
    """
    return "".join(render_chunks(findings, summary, fmt, tool_version=tool_version, fail_on=fail_on))


def render_chunks(
    findings: cabc.Sequence[Finding],
    summary: CheckSummary,
    fmt: str,
    *,
    tool_version: str,
    fail_on: Severity = "error",
) -> cabc.Iterator[str]:
    """``render`` in pieces, to be written as they come: a JSON report of a large workspace is tens of MB."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    ordered = sorted(findings, key=_order)
    if fmt == "json":
        yield from _json(ordered, summary)
    elif fmt == "text":
        yield _text(ordered, summary)
    elif fmt == "junit":
        yield _junit(ordered, summary, tool_version, fail_on)
    elif fmt == "sarif":
        yield from _sarif(ordered, tool_version)
    else:
        yield _github(ordered, summary)


def describe(finding: Finding) -> str:
    """The finding's message, naming its term and expected rendering if the message does not.

    >>> from pipeline.model import Location
    >>> f = Finding("glossary-missing", "error", "glossary term not rendered", Location("x.po", 3),
    ...             "zh_Hant_HK", "The Chief Executive said", term="Chief Executive", expected="行政長官")
    >>> describe(f)
    'glossary term not rendered (term "Chief Executive", expected "行政長官")'
    """
    missing = [
        f'{label} "{value}"'
        for label, value in (("term", finding.term), ("expected", finding.expected))
        if value and value not in finding.message
    ]
    return f"{finding.message} ({', '.join(missing)})" if missing else finding.message


def summary_line(summary: CheckSummary) -> str:
    """``3 errors, 2 warnings in 1 file (12 entries); 1 silenced``.

    >>> summary_line(CheckSummary(files=2, entries=1, errors=1))
    '1 error, 0 warnings in 2 files (1 entry)'
    """
    line = (
        f"{_count(summary.errors, 'error')}, {_count(summary.warnings, 'warning')}"
        f" in {_count(summary.files, 'file')} ({_count(summary.entries, 'entry', 'entries')})"
    )
    return f"{line}; {summary.silenced} silenced" if summary.silenced else line


# Escaping ------------------------------------------------------------------

# C0 and C1 controls, line and paragraph separators, bidi controls (they can
# reorder what a terminal shows) and lone surrogates.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What XML 1.0 cannot hold at all, even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same but line breaks, which workflow commands escape by their own rule.
_INVISIBLE_INLINE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    r"""``text`` on one line with every control character shown as an escape.

    >>> one_line("a\nb\x1b[31m\u202e")
    'a\\nb\\x1b[31m\\u202e'
    """
    return _INVISIBLE.sub(_escape_char, text)


def _xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids shown as escapes; lxml escapes the rest."""
    return _NOT_XML.sub(_escape_char, text)


def escape_workflow_data(text: str) -> str:
    r"""Escape the message of a GitHub workflow command as ``@actions/core`` does.

    The runner undoes ``%25``, ``%0D`` and ``%0A``; other control characters
    (terminal escapes) are shown as backslash escapes instead.

    >>> escape_workflow_data("100%\r\n::error::x\x1b[2J")
    '100%25%0D%0A::error::x\\x1b[2J'
    """
    text = _INVISIBLE_INLINE.sub(_escape_char, text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_workflow_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``) of a GitHub workflow command.

    >>> escape_workflow_property("a,b:c")
    'a%2Cb%3Ac'
    """
    return escape_workflow_data(text).replace(":", "%3A").replace(",", "%2C")


# Formats -------------------------------------------------------------------


def _text(ordered: list[Finding], summary: CheckSummary) -> str:
    lines = [
        f"{one_line(_where(f))}: {f.severity}: {one_line(f.check)}: {one_line(describe(f))}"
        for f in ordered
        if not f.silenced
    ]
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


def _json(ordered: list[Finding], summary: CheckSummary) -> cabc.Iterator[str]:
    """``json.dumps(document, ensure_ascii=False, indent=2)`` to the byte, one finding at a time.

    The standard library's C encoder only writes compact JSON; with ``indent``
    it falls back to pure Python, about five times slower on a report of
    50,000 findings. Each finding is a flat object of scalars, so its
    indentation is written here and its values by the C string encoder.
    """
    yield '{\n  "findings": '
    yield from _json_array(f for f in ordered if not f.silenced)
    yield ',\n  "silenced": '
    yield from _json_array(f for f in ordered if f.silenced)
    summary_json = _indented_json({
        "files": summary.files,
        "entries": summary.entries,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "silenced": summary.silenced,
        "by_check": {check: dict(counts) for check, counts in sorted(summary.by_check.items())},
    }, 1)
    yield f',\n  "summary": {summary_json}\n}}\n'


def _json_array(findings: cabc.Iterable[Finding]) -> cabc.Iterator[str]:
    opening = "[\n"
    for finding in findings:
        yield opening + _finding_json(finding)
        opening = ",\n"
    yield "[]" if opening == "[\n" else "\n  ]"


_FINDING_JSON = "".join(
    ("    {{\n", *(f'      "{name}": {{}},\n' for name in ("check", "severity", "file", "line", "locale", "msgid",
                                                         "msgctxt", "message", "term")),
     '      "expected": {}\n    }}'))


def _finding_json(f: Finding) -> str:
    """One finding as an element of a top-level array, indented as ``json.dumps(indent=2)`` does.

    A fixed template: twice as fast as ``_indented_json`` on the report ``duet check`` writes most.
    """
    string = _encode_json_string
    return _FINDING_JSON.format(
        string(f.check), string(f.severity), string(f.loc.path), "null" if f.loc.line is None else int(f.loc.line),
        string(f.locale), string(f.msgid), "null" if f.msgctxt is None else string(f.msgctxt), string(f.message),
        "null" if f.term is None else string(f.term), "null" if f.expected is None else string(f.expected))


def _github(ordered: list[Finding], summary: CheckSummary) -> str:
    lines = []
    for f in ordered:
        if f.silenced:
            continue
        props = [f"file={escape_workflow_property(f.loc.path)}"]
        if f.loc.line is not None:
            props.append(f"line={f.loc.line}")
        props.append(f"title={escape_workflow_property(f'duet {f.check}')}")
        lines.append(f"::{f.severity} {','.join(props)}::{escape_workflow_data(describe(f))}")
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


def _junit(ordered: list[Finding], summary: CheckSummary, tool_version: str, fail_on: Severity) -> str:
    root = etree.Element("testsuites", name="duet check")
    tests = failures = 0
    reported = [f for f in ordered if not f.silenced]
    for path, group in itertools.groupby(reported, key=lambda f: f.loc.path):
        cases = list(group)
        failing = sum(_RANK[f.severity] >= _RANK[fail_on] for f in cases)
        suite = _junit_suite(root, _xml_text(path), len(cases), failing)
        for f in cases:
            _junit_case(suite, f, failed=_RANK[f.severity] >= _RANK[fail_on])
        tests += len(cases)
        failures += failing

    suite = _junit_suite(root, "duet check", 1, 0)
    properties = etree.SubElement(suite, "properties")
    for name, value in (
        ("duet.version", tool_version),
        ("files", summary.files),
        ("entries", summary.entries),
        ("errors", summary.errors),
        ("warnings", summary.warnings),
        ("silenced", summary.silenced),
    ):
        etree.SubElement(properties, "property", name=name, value=_xml_text(str(value)))
    case = etree.SubElement(suite, "testcase", name="summary", classname="duet check", time="0")
    out = etree.SubElement(case, "system-out")
    out.text = _xml_text(
        "\n".join(
            [summary_line(summary)]
            + [
                f"{check}: {counts.get('reported', 0)} reported, {counts.get('silenced', 0)} silenced"
                for check, counts in sorted(summary.by_check.items())
            ]
        )
    )
    tests += 1

    for name, value in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", 0), ("time", 0)):
        root.set(name, str(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _junit_suite(root: etree._Element, name: str, tests: int, failures: int) -> etree._Element:
    return etree.SubElement(
        root,
        "testsuite",
        name=name,
        tests=str(tests),
        failures=str(failures),
        errors="0",
        skipped="0",
        time="0",
    )


def _junit_case(suite: etree._Element, f: Finding, *, failed: bool) -> None:
    entry = f"[{f.msgctxt}] {f.msgid}" if f.msgctxt is not None else f.msgid
    entry = one_line(entry)
    if len(entry) > 60:
        entry = entry[:59] + "…"
    path = PurePosixPath(f.loc.path)
    case = etree.SubElement(
        suite,
        "testcase",
        name=_xml_text(f"{one_line(f.check)}: {entry}"),
        classname=_xml_text(str(path.with_suffix("")) if path.suffix == ".po" else f.loc.path),
        file=_xml_text(f.loc.path),
        time="0",
    )
    if f.loc.line is not None:
        case.set("line", str(f.loc.line))
    detail = [f"{_where(f)}: {f.severity}: {f.check}", f"locale: {f.locale}"]
    if f.msgctxt is not None:
        detail.append(f"msgctxt: {f.msgctxt}")
    detail += [f"msgid: {f.msgid}", f"message: {f.message}"]
    detail += [f"{label}: {value}" for label, value in (("term", f.term), ("expected", f.expected)) if value]
    if failed:
        failure = etree.SubElement(case, "failure", message=_xml_text(one_line(describe(f))), type=f.severity)
        failure.text = _xml_text("\n".join(detail))
    else:
        out = etree.SubElement(case, "system-out")
        out.text = _xml_text("\n".join(detail))


def _sarif(ordered: list[Finding], tool_version: str) -> cabc.Iterator[str]:
    """The SARIF log as ``json.dumps(log, ensure_ascii=False, indent=2)`` writes it, a result at a time."""
    rules: dict[str, tuple[Severity, str]] = dict(CHECKS)
    for f in ordered:
        rules.setdefault(f.check, (f.severity, f.check))
    index = {check: i for i, check in enumerate(rules)}
    driver = {
        "name": "duet",
        "version": tool_version,
        "rules": [
            {
                "id": check,
                "shortDescription": {"text": description},
                "defaultConfiguration": {"level": severity},
            }
            for check, (severity, description) in rules.items()
        ],
    }
    head = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": []}]}
    opening, _, closing = _indented_json(head, 0).rpartition('"results": []')
    yield opening + '"results": '
    separator = "[\n" + _INDENT * 4
    for f in ordered:
        yield separator + _indented_json(_sarif_result(f, index[f.check]), 4)
        separator = ",\n" + _INDENT * 4
    yield ("[]" if separator.startswith("[") else "\n" + _INDENT * 3 + "]") + closing + "\n"


_INDENT = "  "


def _indented_json(value: t.Any, depth: int) -> str:
    """``value`` as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it ``depth`` levels deep.

    The standard library writes indented JSON in pure Python, one generator
    per level; this writes containers directly and scalars with its C encoder.
    """
    kind = type(value)
    if kind is str:
        return _encode_json_string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + _INDENT * (depth + 1)
        members = ("," + inner).join(f"{_encode_json_string(key)}: {_indented_json(item, depth + 1)}"
                                     for key, item in value.items())
        return "{" + inner + members + "\n" + _INDENT * depth + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = "\n" + _INDENT * (depth + 1)
        return "[" + inner + ("," + inner).join(_indented_json(item, depth + 1) for item in value) + "\n" + _INDENT * depth + "]"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value)  # None, booleans, floats


def _sarif_result(f: Finding, rule_index: int) -> dict[str, t.Any]:
    physical: dict[str, t.Any] = {"artifactLocation": _artifact(f.loc.path)}
    if f.loc.line is not None and f.loc.line >= 1:
        physical["region"] = {"startLine": f.loc.line}
    result: dict[str, t.Any] = {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": f.severity,
        "message": {"text": describe(f)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT: fingerprint(f)},
        "properties": {
            key: value
            for key, value in (
                ("locale", f.locale),
                ("msgid", f.msgid),
                ("msgctxt", f.msgctxt),
                ("term", f.term),
                ("expected", f.expected),
            )
            if value is not None
        },
    }
    if f.silenced:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def _artifact(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: workspace-relative paths against ``%SRCROOT%``, URI-escaped."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix, safe="/")}
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def fingerprint(f: Finding) -> str:
    """A hash of the entry and the check, not the line: it follows a finding across commits."""
    key = json.dumps([f.loc.path, f.msgctxt, f.msgid, f.check], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# Helpers -------------------------------------------------------------------


def _order(f: Finding) -> tuple[str, int, str, str, str, str]:
    return (f.loc.path, f.loc.line or 0, f.check, f.msgctxt or "", f.msgid, f.message)


def _where(f: Finding) -> str:
    return f.loc.path if f.loc.line is None else f"{f.loc.path}:{f.loc.line}"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
