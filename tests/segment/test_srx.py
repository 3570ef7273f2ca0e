"""SRX 2.0 engine semantics and error reporting, on small inline rule files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.errors import SegmentationError
from pipeline.segment import load_rules, segment_text
from pipeline.segment.srx import parse_rules

SRX = Path(__file__).resolve().parents[1] / "data" / "srx"


def srx(rules: str, maps: str = '<languagemap languagepattern=".*" languagerulename="R"/>', cascade: str = "no") -> bytes:
    return f"""<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="{cascade}"/>
<body><languagerules>{rules}</languagerules><maprules>{maps}</maprules></body>
</srx>""".encode()


def language(*rules: str, name: str = "R", newline: bool = False) -> str:
    return f'<languagerule languagerulename="{name}">' + ("\n" if newline else "") + "".join(rules) + "</languagerule>"


def rule(before: str, after: str, brk: str = "yes") -> str:
    return f'<rule break="{brk}"><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule>'


def split(data: bytes, text: str, lang: str = "en") -> list[str]:
    return [s.text for s in segment_text(text, lang, parse_rules(data, "t.srx"))]


BASIC = rule(r"\.", r"\s")


def test_break_rule_splits_and_trims_whitespace() -> None:
    data = srx(language(BASIC))
    assert split(data, "  One. Two.  ") == ["One.", "Two."]


def test_earlier_no_break_rule_wins() -> None:
    data = srx(language(rule(r"Mr\.", r"\s", "no"), BASIC))
    assert split(data, "Mr. Li came. He left.") == ["Mr. Li came.", "He left."]


def test_later_no_break_rule_is_ignored_where_a_break_rule_matched_first() -> None:
    data = srx(language(BASIC, rule(r"Mr\.", r"\s", "no")))
    assert split(data, "Mr. Li came.") == ["Mr.", "Li came."]


def test_break_defaults_to_yes_and_before_or_after_may_be_absent() -> None:
    data = srx(
        '<languagerule languagerulename="R"><rule><beforebreak>;</beforebreak></rule>'
        "<rule><afterbreak>#</afterbreak></rule></languagerule>"
    )
    assert split(data, "a;b#c") == ["a;", "b", "#c"]


def test_positions_with_no_matching_rule_do_not_break() -> None:
    data = srx(language(BASIC))
    assert split(data, "1.5 is a number") == ["1.5 is a number"]


TWO_LANGS = language(rule(r"Mr\.", r"\s", "no"), name="Abbr") + language(BASIC, name="Basic")
TWO_MAPS = (
    '<languagemap languagepattern="EN.*" languagerulename="Abbr"/>'
    '<languagemap languagepattern=".*" languagerulename="Basic"/>'
)


def test_cascade_yes_applies_every_matching_map_in_order() -> None:
    data = srx(TWO_LANGS, TWO_MAPS, cascade="yes")
    assert split(data, "Mr. Li came. He left.", "en-GB") == ["Mr. Li came.", "He left."]


def test_cascade_no_applies_only_the_first_matching_map() -> None:
    data = srx(TWO_LANGS, TWO_MAPS, cascade="no")
    assert split(data, "Mr. Li came. He left.", "en") == ["Mr. Li came. He left."]


def test_languagemap_falls_through_to_a_later_pattern() -> None:
    data = srx(TWO_LANGS, TWO_MAPS, cascade="no")
    assert split(data, "Mr. Li came.", "fr") == ["Mr.", "Li came."]


def test_language_patterns_match_case_insensitively_and_underscores_normalize() -> None:
    data = srx(TWO_LANGS, TWO_MAPS, cascade="yes")
    assert split(data, "Mr. Li came.", "en_Latn_GB") == ["Mr. Li came."]


def test_no_matching_map_names_the_srx_file() -> None:
    data = srx(TWO_LANGS, '<languagemap languagepattern="en.*" languagerulename="Basic"/>')
    with pytest.raises(SegmentationError, match="no segmentation rules for 'fr'") as exc:
        split(data, "x", "fr")
    assert str(exc.value).startswith("t.srx: ")


@pytest.mark.parametrize("lang", ["xx-!!", "klingon", "", "e"])
def test_malformed_language_is_refused(lang: str) -> None:
    with pytest.raises(SegmentationError, match="unknown language"):
        segment_text("x", lang)


def test_inline_flag_is_scoped_to_its_group() -> None:
    # Java scopes "(?i)" to the rest of its group; Python's re would refuse it mid-pattern.
    data = srx(language(rule(r"(x(?i)mr)\.", r"\s", "no"), BASIC))
    assert split(data, "xMR. a. XMR. b.") == ["xMR. a.", "XMR.", "b."]


def test_unicode_property_classes_and_u_escapes() -> None:
    data = srx(language(rule(r"[\u3002]", ""), rule(r"\.", r"\s+\p{Lu}")))
    assert split(data, "甲。乙. b. C") == ["甲。", "乙. b.", "C"]


def test_java_quoting_is_translated() -> None:
    data = srx(language(rule(r"\Q.)\E", "")))
    assert split(data, "a.)b.c") == ["a.)", "b.c"]


def test_foreign_namespace_header_elements_are_ignored() -> None:
    data = srx(language(BASIC)).replace(
        b'<header segmentsubflows="yes" cascade="no"/>',
        b'<header segmentsubflows="yes" cascade="no" xmlns:o="urn:x"><o:options a="b"/></header>',
    )
    assert split(data, "A. B.") == ["A.", "B."]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "not well-formed XML", 1),
        (b"<srx xmlns='http://www.lisa.org/srx20'>\n<body>\n</srx>", "not well-formed XML", 3),
        (b"<?xml version='1.0'?>\n<srx/>", "not an SRX 2.0 file", 2),
        (srx('<languagerule languagerulename="R">\n<rule><beforebreak>(</beforebreak></rule></languagerule>'),
         r"invalid regex in beforebreak '\(': missing \)", 5),
        (srx('<languagerule languagerulename="R"/>', '\n<languagemap languagepattern=".*" languagerulename="Q"/>'),
         "languagemap names a missing languagerule 'Q'", 5),
        (srx(language(rule(r"(a)\1", ""), newline=True)),
         "back-references are not supported", 5),
    ],
)
def test_invalid_srx_errors_name_file_and_line(data: bytes, message: str, line: int) -> None:
    with pytest.raises(SegmentationError, match=message) as exc:
        parse_rules(data, "bad.srx")
    assert exc.value.loc is not None
    assert (exc.value.loc.path, exc.value.loc.line) == ("bad.srx", line)


def test_entity_declarations_are_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE srx [
<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<srx xmlns="http://www.lisa.org/srx20">&b;</srx>"""
    with pytest.raises(SegmentationError, match="entity declarations are not allowed") as exc:
        parse_rules(bomb, "bomb.srx")
    assert str(exc.value).startswith("bomb.srx:3: ")


def test_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = tmp_path / "xxe.srx"
    xxe.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE srx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<srx/>')
    with pytest.raises(SegmentationError, match="entity declarations are not allowed"):
        load_rules(xxe)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SegmentationError, match="cannot read SRX file") as exc:
        load_rules(tmp_path / "none.srx")
    assert exc.value.loc is not None and exc.value.loc.path.endswith("none.srx")


@pytest.mark.parametrize("name", ["defaultSegmentation.srx", "okapi_default_icu4j.srx", "defaultRules.srx"])
def test_real_srx_files_segment_english_and_chinese(name: str, request: pytest.FixtureRequest) -> None:
    rules = {"okapi_default_icu4j.srx": "okapi_icu4j", "defaultRules.srx": "omegat"}.get(name)
    loaded = request.getfixturevalue(rules) if rules else load_rules(SRX / name)
    english = segment_text("He left at noon. She stayed home!", "en", loaded)
    chinese = segment_text("他中午離開。她留在家裏！", "zh-Hant-HK", loaded)
    assert [s.text for s in english] == ["He left at noon.", "She stayed home!"]
    expected_zh = ["他中午離開。她留在家裏！"] if name == "okapi_default_icu4j.srx" else ["他中午離開。", "她留在家裏！"]
    assert [s.text for s in chinese] == expected_zh


def test_omegat_upper_case_patterns_and_abbreviations(omegat) -> None:
    assert [s.text for s in segment_text("Mr. Smith arrived. He sat.", "en-US", omegat)] == [
        "Mr. Smith arrived.",
        "He sat.",
    ]


def test_default_rules_are_valid_srx20() -> None:
    schema = etree.XMLSchema(etree.parse(str(SRX / "schema" / "srx20.xsd")))
    default = Path(__file__).resolve().parents[2] / "pipeline" / "segment" / "rules" / "duet.srx"
    assert schema.validate(etree.parse(str(default))), schema.error_log
