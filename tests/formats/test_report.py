from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from paths import DATA, REPO
from pipeline.checks.base import CHECKS
from pipeline.formats.report import (
    FINGERPRINT,
    FORMATS,
    CheckSummary,
    describe,
    escape_workflow_data,
    escape_workflow_property,
    fails,
    render,
    render_chunks,
    summary_line,
)
from pipeline.model import Finding, Location

PO = "locales/zh_Hant_HK/LC_MESSAGES/x.po"
PO2 = "locales/zh_Hant_HK/LC_MESSAGES/y.po"
NASTY = 'say "hi" <b>&amp; 100% ::error::x, a:b\r\nnext\x1b[31m\x00\u202e 行政長官'


def finding(
    check: str = "glossary-missing",
    severity: str = "error",
    message: str = "glossary term not rendered",
    path: str = PO,
    line: int | None = 42,
    **kwargs: object,
) -> Finding:
    kwargs.setdefault("locale", "zh_Hant_HK")
    kwargs.setdefault("msgid", "The Chief Executive said")
    return Finding(check, severity, message, Location(path, line), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def findings() -> list[Finding]:
    """Five findings in no particular order: two files, one silenced."""
    return [
        finding("punctuation", "warning", "half-width comma in Chinese text", line=7, msgid="Hello, world"),
        finding(term="Chief Executive", expected="行政長官"),
        finding("fuzzy", "warning", "entry is fuzzy", path=PO2, line=3, msgid="Budget", silenced=True),
        finding("number-mismatch", "error", "15 billion rendered 15萬", path=PO2, line=10, msgid="15 billion"),
        finding("glossary-forbidden", "error", "uses 特首, which the glossary forbids", line=42,
                term="Chief Executive", expected="行政長官"),
    ]


@pytest.fixture
def summary(findings: list[Finding]) -> CheckSummary:
    return CheckSummary.of(findings, files=2, entries=12)


def test_summary_counts_silenced_findings_apart(summary: CheckSummary) -> None:
    assert summary == CheckSummary(
        files=2,
        entries=12,
        errors=3,
        warnings=1,
        silenced=1,
        by_check={
            "fuzzy": {"reported": 0, "silenced": 1},
            "glossary-forbidden": {"reported": 1, "silenced": 0},
            "glossary-missing": {"reported": 1, "silenced": 0},
            "number-mismatch": {"reported": 1, "silenced": 0},
            "punctuation": {"reported": 1, "silenced": 0},
        },
    )


def test_fails_at_or_above_the_threshold_and_ignores_silenced() -> None:
    warning = finding("punctuation", "warning")
    silenced_error = finding(silenced=True)
    assert not fails([])
    assert not fails([warning, silenced_error])
    assert fails([warning], "warning")
    assert fails([finding()], "warning")
    assert not fails([silenced_error], "warning")


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        ((0, 0, 0, 0, 0), "0 errors, 0 warnings in 0 files (0 entries)"),
        ((1, 1, 1, 1, 0), "1 error, 1 warning in 1 file (1 entry)"),
        ((3, 12, 3, 2, 1), "3 errors, 2 warnings in 3 files (12 entries); 1 silenced"),
    ],
)
def test_summary_line(counts: tuple[int, int, int, int, int], line: str) -> None:
    assert summary_line(CheckSummary(*counts)) == line


def test_describe_names_term_and_expected_once() -> None:
    assert describe(finding(term="Chief Executive", expected="行政長官")) == (
        'glossary term not rendered (term "Chief Executive", expected "行政長官")'
    )
    named = finding(message='"Chief Executive" must be rendered "行政長官"', term="Chief Executive", expected="行政長官")
    assert describe(named) == named.message
    assert describe(finding(message="Chief Executive not rendered", term="Chief Executive", expected="行政長官")) == (
        'Chief Executive not rendered (expected "行政長官")'
    )
    assert describe(finding()) == "glossary term not rendered"


def test_unknown_format_is_refused(findings: list[Finding], summary: CheckSummary) -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render(findings, summary, "xml", tool_version="0.1.0")


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_deterministic_and_order_free(fmt: str, findings: list[Finding], summary: CheckSummary) -> None:
    out = render(findings, summary, fmt, tool_version="0.1.0")
    assert out == render(list(reversed(findings)), summary, fmt, tool_version="0.1.0")
    assert out.endswith("\n") and not out.endswith("\n\n")


# text ----------------------------------------------------------------------


def test_text_golden(findings: list[Finding], summary: CheckSummary) -> None:
    assert render(findings, summary, "text", tool_version="0.1.0") == (
        f"{PO}:7: warning: punctuation: half-width comma in Chinese text\n"
        f"{PO}:42: error: glossary-forbidden: uses 特首, which the glossary forbids"
        ' (term "Chief Executive", expected "行政長官")\n'
        f'{PO}:42: error: glossary-missing: glossary term not rendered (term "Chief Executive", expected "行政長官")\n'
        f"{PO2}:10: error: number-mismatch: 15 billion rendered 15萬\n"
        "3 errors, 1 warning in 2 files (12 entries); 1 silenced\n"
    )


def test_text_clean_run_is_the_summary_alone() -> None:
    assert render([], CheckSummary(files=1, entries=12), "text", tool_version="0.1.0") == (
        "0 errors, 0 warnings in 1 file (12 entries)\n"
    )


def test_text_keeps_each_finding_on_one_line_without_control_characters() -> None:
    nasty = finding(message=NASTY, path="locales/a\nb.po", line=None, term="x\ty", expected="行政長官")
    out = render([nasty], CheckSummary.of([nasty], files=1, entries=1), "text", tool_version="0.1.0")
    assert out == (
        "locales/a\\nb.po: error: glossary-missing: "
        'say "hi" <b>&amp; 100% ::error::x, a:b\\r\\nnext\\x1b[31m\\x00\\u202e 行政長官 (term "x\\ty")\n'
        "1 error, 0 warnings in 1 file (1 entry)\n"
    )


# json ----------------------------------------------------------------------


def test_json_matches_design(findings: list[Finding], summary: CheckSummary) -> None:
    doc = json.loads(render(findings, summary, "json", tool_version="0.1.0"))
    assert list(doc) == ["findings", "silenced", "summary"]
    assert doc["findings"][1] == {
        "check": "glossary-forbidden",
        "severity": "error",
        "file": PO,
        "line": 42,
        "locale": "zh_Hant_HK",
        "msgid": "The Chief Executive said",
        "msgctxt": None,
        "message": "uses 特首, which the glossary forbids",
        "term": "Chief Executive",
        "expected": "行政長官",
    }
    assert [(f["file"], f["line"], f["check"]) for f in doc["findings"]] == [
        (PO, 7, "punctuation"),
        (PO, 42, "glossary-forbidden"),
        (PO, 42, "glossary-missing"),
        (PO2, 10, "number-mismatch"),
    ]
    assert [(f["check"], f["msgid"]) for f in doc["silenced"]] == [("fuzzy", "Budget")]
    assert doc["summary"] == {
        "files": 2,
        "entries": 12,
        "errors": 3,
        "warnings": 1,
        "silenced": 1,
        "by_check": summary.by_check,
    }


def test_json_round_trips_untrusted_strings() -> None:
    nasty = finding(message=NASTY, msgid=NASTY, msgctxt="\u2028ctx\"", term="<&>", expected="行政長官\n")
    out = render([nasty], CheckSummary.of([nasty], files=1, entries=1), "json", tool_version="0.1.0")
    [got] = json.loads(out)["findings"]
    assert (got["message"], got["msgid"], got["msgctxt"], got["term"], got["expected"]) == (
        NASTY,
        NASTY,
        "\u2028ctx\"",
        "<&>",
        "行政長官\n",
    )
    assert "行政長官" in out  # UTF-8, not \u escapes, as the CLI prints JSON


@settings(max_examples=60)
@given(st.lists(st.builds(
    finding,
    check=st.sampled_from(sorted(CHECKS)),
    message=st.text(),
    path=st.sampled_from([PO, PO2, "a b/ü.po"]),
    line=st.one_of(st.none(), st.integers(1, 10**6)),
    msgid=st.text(),
    msgctxt=st.one_of(st.none(), st.text()),
    term=st.one_of(st.none(), st.text(max_size=5)),
    expected=st.one_of(st.none(), st.just(NASTY)),
    silenced=st.booleans(),
), max_size=6))
def test_json_and_sarif_are_byte_for_byte_what_json_dumps_writes(findings: list[Finding]) -> None:
    summary = CheckSummary.of(findings, files=2, entries=9)
    for fmt, pieces in (("json", len(findings) + 5), ("sarif", len(findings) + 2)):
        chunks = list(render_chunks(findings, summary, fmt, tool_version="0.1.0"))
        document = json.loads("".join(chunks))
        assert "".join(chunks) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        assert len(chunks) == pieces  # one piece per finding: written as they come


# github --------------------------------------------------------------------


def test_github_golden(findings: list[Finding], summary: CheckSummary) -> None:
    assert render(findings, summary, "github", tool_version="0.1.0") == (
        f"::warning file={PO},line=7,title=duet punctuation::half-width comma in Chinese text\n"
        f"::error file={PO},line=42,title=duet glossary-forbidden::uses 特首, which the glossary forbids"
        ' (term "Chief Executive", expected "行政長官")\n'
        f"::error file={PO},line=42,title=duet glossary-missing::glossary term not rendered"
        ' (term "Chief Executive", expected "行政長官")\n'
        f"::error file={PO2},line=10,title=duet number-mismatch::15 billion rendered 15萬\n"
        "3 errors, 1 warning in 2 files (12 entries); 1 silenced\n"
    )


def test_github_escapes_workflow_commands() -> None:
    nasty = finding("punctuation", "warning", NASTY, path="po/a,b:c%.po", line=5)
    [line, _] = render([nasty], CheckSummary.of([nasty], files=1, entries=1), "github", tool_version="1").splitlines()
    assert line == (
        "::warning file=po/a%2Cb%3Ac%25.po,line=5,title=duet punctuation::"
        'say "hi" <b>&amp; 100%25 ::error::x, a:b%0D%0Anext\\x1b[31m\\x00\\u202e 行政長官'
    )
    # What the runner reads back: the properties end at the first "::", and unescaping gives the text.
    props, message = line.removeprefix("::warning ").split("::", 1)
    assert dict(p.split("=", 1) for p in props.split(","))["file"] == escape_workflow_property("po/a,b:c%.po")
    assert _unescape(message) == 'say "hi" <b>&amp; 100% ::error::x, a:b\r\nnext\\x1b[31m\\x00\\u202e 行政長官'


def test_workflow_escapes_round_trip() -> None:
    text = "50%25 a:b,c\r\n%0A"
    assert _unescape(escape_workflow_data(text)) == text
    assert _unescape(escape_workflow_property(text)) == text
    assert not re.search(r"[\r\n:,]", escape_workflow_property(text))


def _unescape(text: str) -> str:
    """The runner's unescaping (actions/runner ActionCommand.Unescape)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


# junit ---------------------------------------------------------------------


def parse_junit(out: str) -> etree._Element:
    assert out.startswith("<?xml version='1.0' encoding='UTF-8'?>\n")
    return etree.fromstring(out.encode("utf-8"))


def test_junit_one_suite_per_file_one_case_per_finding(findings: list[Finding], summary: CheckSummary) -> None:
    root = parse_junit(render(findings, summary, "junit", tool_version="0.1.0"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("5", "3", "0", "0")
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        (PO, "3", "2"),
        (PO2, "1", "1"),
        ("duet check", "1", "0"),
    ]
    cases = suites[0].findall("testcase")
    assert [(c.get("name"), c.get("classname"), c.get("file"), c.get("line")) for c in cases] == [
        ("punctuation: Hello, world", PO.removesuffix(".po"), PO, "7"),
        ("glossary-forbidden: The Chief Executive said", PO.removesuffix(".po"), PO, "42"),
        ("glossary-missing: The Chief Executive said", PO.removesuffix(".po"), PO, "42"),
    ]
    # By default a warning passes, with the finding in system-out; errors fail.
    assert cases[0].find("failure") is None
    assert cases[0].findtext("system-out").startswith(f"{PO}:7: warning: punctuation\n")
    failure = cases[2].find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message") == 'glossary term not rendered (term "Chief Executive", expected "行政長官")'
    assert failure.text == (
        f"{PO}:42: error: glossary-missing\n"
        "locale: zh_Hant_HK\n"
        "msgid: The Chief Executive said\n"
        "message: glossary term not rendered\n"
        "term: Chief Executive\n"
        "expected: 行政長官"
    )
    # The silenced fuzzy entry is not a testcase, but the summary counts it.
    assert all("fuzzy" not in c.get("name") for c in root.iter("testcase"))
    properties = {p.get("name"): p.get("value") for p in suites[2].iter("property")}
    assert properties == {
        "duet.version": "0.1.0",
        "files": "2",
        "entries": "12",
        "errors": "3",
        "warnings": "1",
        "silenced": "1",
    }
    assert suites[2].find("testcase").findtext("system-out").splitlines()[:2] == [
        "3 errors, 1 warning in 2 files (12 entries); 1 silenced",
        "fuzzy: 0 reported, 1 silenced",
    ]


def test_junit_fails_warnings_when_fail_on_warning(findings: list[Finding], summary: CheckSummary) -> None:
    root = parse_junit(render(findings, summary, "junit", tool_version="0.1.0", fail_on="warning"))
    assert root.get("failures") == "4"
    warning = root.find("testsuite/testcase")
    assert warning.find("failure").get("type") == "warning"
    assert warning.find("system-out") is None


def test_junit_clean_run_still_has_a_passing_test() -> None:
    root = parse_junit(render([], CheckSummary(files=1, entries=12), "junit", tool_version="0.1.0"))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    assert [c.get("name") for c in root.iter("testcase")] == ["summary"]


def test_junit_escapes_untrusted_strings() -> None:
    nasty = finding(message=NASTY, msgid="<msg> & \"x\"\n第二行" + "長" * 80, msgctxt="a]b", path="po/<&>.po")
    out = render([nasty], CheckSummary.of([nasty], files=1, entries=1), "junit", tool_version="0.1.0")
    root = parse_junit(out)
    case = root.find("testsuite/testcase")
    assert root.find("testsuite").get("name") == "po/<&>.po"
    assert case.get("name") == 'glossary-missing: [a]b] <msg> & "x"\\n第二行' + "長" * 37 + "…"
    failure = case.find("failure")
    # The attribute is one line; the body keeps line breaks; only what XML cannot hold is escaped.
    assert failure.get("message") == 'say "hi" <b>&amp; 100% ::error::x, a:b\\r\\nnext\\x1b[31m\\x00\\u202e 行政長官'
    body = NASTY.replace("\x1b", "\\x1b").replace("\x00", "\\x00")
    assert failure.text.endswith(f"\nmessage: {body}")
    assert "\r\nnext" in failure.text and "\u202e" in failure.text


# sarif ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    # FormatChecker() holds every format, so uri-reference (a draft-6 name) is checked too.
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def sarif(findings: list[Finding], validator: jsonschema.Draft4Validator) -> dict:
    out = render(findings, CheckSummary.of(findings, files=1, entries=1), "sarif", tool_version="0.1.0")
    doc = json.loads(out)
    validator.validate(doc)
    return doc


def test_sarif_is_valid_and_complete(findings: list[Finding], sarif_validator: jsonschema.Draft4Validator) -> None:
    doc = sarif(findings, sarif_validator)
    assert doc["version"] == "2.1.0"
    [run] = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("duet", "0.1.0")
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == list(CHECKS)
    assert rules["script-mismatch"]["defaultConfiguration"] == {"level": "error"}
    assert rules["fuzzy"]["defaultConfiguration"] == {"level": "warning"}
    assert all(r["shortDescription"]["text"] for r in rules.values())

    results = run["results"]
    assert len(results) == 5
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    missing = next(r for r in results if r["ruleId"] == "glossary-missing")
    assert missing["level"] == "error"
    assert missing["message"]["text"] == 'glossary term not rendered (term "Chief Executive", expected "行政長官")'
    assert missing["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": PO, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 42},
            }
        }
    ]
    assert missing["properties"] == {
        "locale": "zh_Hant_HK",
        "msgid": "The Chief Executive said",
        "term": "Chief Executive",
        "expected": "行政長官",
    }
    assert "suppressions" not in missing
    [silenced] = [r for r in results if "suppressions" in r]
    assert (silenced["ruleId"], silenced["suppressions"]) == ("fuzzy", [{"kind": "inSource"}])


def test_sarif_fingerprint_follows_the_entry_not_the_line(sarif_validator: jsonschema.Draft4Validator) -> None:
    def print_of(f: Finding) -> str:
        [result] = sarif([f], sarif_validator)["runs"][0]["results"]
        return result["partialFingerprints"][FINGERPRINT]

    base = print_of(finding())
    assert re.fullmatch("[0-9a-f]{64}", base)
    assert print_of(finding(line=50, message="other wording", severity="warning")) == base
    assert print_of(finding(check="glossary-forbidden")) != base
    assert print_of(finding(msgid="The Chief Secretary said")) != base
    assert print_of(finding(msgctxt="title")) != base
    assert print_of(finding(path=PO2)) != base


def test_sarif_escapes_paths_and_strings(sarif_validator: jsonschema.Draft4Validator) -> None:
    odd = [
        finding(message=NASTY, msgid=NASTY, path="locales/zh Hant/新聞 #1%.po", line=None),
        finding("custom-check", "warning", "x", path="/abs/路徑.po", line=3),
    ]
    results = sarif(odd, sarif_validator)["runs"][0]["results"]
    relative = next(r for r in results if r["ruleId"] == "glossary-missing")
    assert relative["message"]["text"] == NASTY
    assert relative["properties"]["msgid"] == NASTY
    assert relative["locations"][0]["physicalLocation"] == {
        "artifactLocation": {
            "uri": "locales/zh%20Hant/%E6%96%B0%E8%81%9E%20%231%25.po",
            "uriBaseId": "%SRCROOT%",
        }
    }
    absolute = next(r for r in results if r["ruleId"] == "custom-check")
    assert absolute["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/%E8%B7%AF%E5%BE%91.po"
    }


def test_sarif_describes_unknown_checks(sarif_validator: jsonschema.Draft4Validator) -> None:
    driver = sarif([finding("custom-check", "warning", "x")], sarif_validator)["runs"][0]["tool"]["driver"]
    assert driver["rules"][-1] == {
        "id": "custom-check",
        "shortDescription": {"text": "custom-check"},
        "defaultConfiguration": {"level": "warning"},
    }


def test_sarif_schema_rejects_a_broken_log(sarif_validator: jsonschema.Draft4Validator) -> None:
    doc = sarif([finding()], sarif_validator)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(doc)


# pre-commit ------------------------------------------------------------------


def test_pre_commit_hook_runs_duet_check_on_po_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    [hook] = [h for h in hooks if h["id"] == "duet-check"]
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert hook["entry"].split()[:2] == ["duet", "check"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("locales/zh_Hant_HK/LC_MESSAGES/x.po")
    assert not files.search("locales/templates/x.pot")
    assert not files.search("x.po.bak")
