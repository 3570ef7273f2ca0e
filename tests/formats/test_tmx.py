"""TMX reading (1.1 to 1.4b, either direction, hostile files refused) and TMX 1.4b writing (DTD-valid, deterministic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from paths import DATA, SHARED_DATA

from pipeline.errors import InputError
from pipeline.formats import tmx_inline
from pipeline.formats.tmx import (
    TmxDocument,
    TranslationUnit,
    Variant,
    format_tmx,
    parse_tmx,
    read_tmx,
    tmx14_dtd,
    write_tmx,
)
from pipeline.formats.tmx_dtd import TMX14_DTD
from pipeline.formats.tmx_lang import assign, fit

TMX = DATA / "tmx"
KIT = TMX / "kit"
SAMPLES = SHARED_DATA / "tmx-interop-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared data (tmx-interop-samples) not present")
DTD14 = etree.DTD(str(TMX / "tmx14.dtd"))
DTD11 = etree.DTD(str(TMX / "tmx11.dtd"))
DATE = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.timezone.utc)
DATE_TMX = "20240301T083000Z"
HK = "zh_Hant_HK"


def tmx(body: str, *, srclang: str = "en", version: str = "1.4", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tmx version="{version}">\n'
        f'<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en"'
        f' srclang="{srclang}" datatype="plaintext"/>\n<body>\n{body}</body>\n</tmx>\n'
    ).encode()


def tu(*variants: tuple[str, str], attrs: str = "") -> str:
    tuvs = "".join(f'<tuv xml:lang="{lang}"><seg>{seg}</seg></tuv>\n' for lang, seg in variants)
    return f"<tu{attrs}>\n{tuvs}</tu>\n"


def parse(data: bytes, targets: tuple[str, ...] = (HK,), source: str = "en") -> TmxDocument:
    return parse_tmx(data, "mem.tmx", source_locale=source, target_locales=targets)


def export(units: list[TranslationUnit] | tuple[TranslationUnit, ...], target: str = HK, source: str = "en") -> bytes:
    data = format_tmx(units, source_locale=source, target_locale=target, tool_version="0.1.0", creation_date=DATE)
    assert_valid(data)
    return data


def assert_valid(data: bytes) -> None:
    """Every file Duet writes must be TMX 1.4b valid against the official DTD."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    assert DTD14.validate(root), DTD14.error_log.filter_from_errors()
    assert root.get("version") == "1.4"


def filled(original: TranslationUnit, written: TranslationUnit) -> TranslationUnit:
    """``original`` with what the writer fills in when absent: a content-hash tuid and the file's date."""
    return replace(original, tuid=original.tuid or written.tuid, creation_date=original.creation_date or DATE_TMX)


def unit(source: str, target: str, **fields: object) -> TranslationUnit:
    return TranslationUnit(Variant("en", source), (Variant("zh-Hant-HK", target),), **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the DTD


def test_shipped_dtd_is_the_official_one() -> None:
    assert TMX14_DTD.encode("ascii") == (TMX / "tmx14.dtd").read_bytes()
    assert tmx14_dtd().validate(etree.fromstring(export([unit("Hello", "你好")])))


# ------------------------------------------------------------------ the LISA compliance kit

# file -> (source locale, target locales, units read, skipped without source, skipped without target)
KIT_CASES = {
    "ImportTest1A.tmx": ("en_US", ("fr_CA",), 2, 0, 0),  # UTF-16LE, tabs and runs of spaces
    "ImportTest1B.tmx": ("en_US", ("fr_CA",), 1, 0, 0),  # XML syntax: attribute quoting, eN-uS
    "ImportTest1C.tmx": ("en_US", ("fr_CA", "ja_JP"), 3, 0, 0),  # five languages per unit
    "ImportTest1D.tmx": ("en_US", ("en_GB",), 3, 0, 0),  # UTF-8 with BOM
    "ImportTest1E.tmx": ("en_US", ("en_GB",), 3, 0, 0),  # UTF-8 without BOM
    "ImportTest1F.tmx": ("en_US", ("en_GB",), 3, 0, 0),  # UTF-16LE
    "ImportTest1G.tmx": ("en_US", ("en_GB",), 3, 0, 0),  # UTF-16BE
    "ImportTest1H.tmx": ("en_US", ("en_GB",), 3, 0, 0),  # ASCII with character references
    "ImportTest1I.tmx": ("en_US", ("ja_JP",), 1, 0, 0),  # full-width spaces
    "ImportTest1J.tmx": ("en_US", ("en_GB",), 2, 0, 0),  # variants in either order
    "ImportTest1J_many.tmx": ("en_US", ("en_GB",), 2, 0, 1),  # "[not to import]" es-es/en-us unit
    "ImportTest1K.tmx": ("en_GB", ("fr_CA",), 1, 0, 1),  # tu srclang other than the header's
    "ImportTest1L.tmx": ("en_US", ("fr_FR",), 1, 0, 0),  # every element and attribute
    "ImportTest2A.tmx": ("en_US", ("fr_CA",), 7, 0, 0),
    "ImportTest2A-0index.tmx": ("en_US", ("fr_CA",), 7, 0, 0),
    "ImportTest2B.tmx": ("en_US", ("fr_CA",), 7, 0, 0),
    "ImportTest2C.tmx": ("en_US", ("fr_FR",), 1, 0, 0),
}


@pytest.mark.parametrize("name", sorted(p.name for p in KIT.glob("*.tmx")))
def test_kit_files_read_and_write_back_valid(name: str) -> None:
    source, targets, *_ = KIT_CASES.get(name, ("en_US", ("fr_CA",), 0, 0, 0))
    doc = read_tmx(KIT / name, source_locale=source, target_locales=targets)
    assert doc.units
    again = parse_tmx(export(doc.units, targets[0], source), "again.tmx", source_locale=source,
                      target_locales=targets[:1])  # fmt: skip
    originals = [u for u in doc.units if u.target(targets[0])]
    assert len(again.units) == len(originals)
    originals = [replace(u, targets=(u.target(targets[0]),)) for u in originals]
    assert list(again.units) == [filled(u, w) for u, w in zip(originals, again.units, strict=True)]


@pytest.mark.parametrize("name", sorted(KIT_CASES))
def test_kit_counts(name: str) -> None:
    source, targets, units, no_source, no_target = KIT_CASES[name]
    doc = read_tmx(KIT / name, source_locale=source, target_locales=targets)
    assert (len(doc.units), doc.skipped_no_source, doc.skipped_no_target) == (units, no_source, no_target)


def test_kit_whitespace_and_utf16() -> None:
    first = read_tmx(KIT / "ImportTest1A.tmx", source_locale="en_US", target_locales=("fr_CA",)).units[0]
    assert (first.source.text, first.target("fr_CA").text) == (  # type: ignore[union-attr]
        "First segment with [\t\t   ]", "Premier segment avec [\t\t   ]")
    assert first.loc is not None and first.loc.line == 7
    big_endian = read_tmx(KIT / "ImportTest1G.tmx", source_locale="en_US", target_locales=("en_GB",))
    bom = read_tmx(KIT / "ImportTest1D.tmx", source_locale="en_US", target_locales=("en_GB",))
    assert big_endian.units == bom.units
    assert bom.units[0].source.text == "à=agrave, é=eacute, æ=aelig"
    ja = read_tmx(KIT / "ImportTest1I.tmx", source_locale="en_US", target_locales=("ja_JP",)).units[0]
    assert ja.target("ja_JP").text.endswith("[\u3000\u3000]")  # type: ignore[union-attr]


def test_kit_all_attributes() -> None:
    (unit_,) = read_tmx(KIT / "ImportTest1L.tmx", source_locale="en_US", target_locales=("fr_FR",)).units
    assert (unit_.tuid, unit_.usage_count, unit_.creation_date, unit_.creation_id) == (
        "tu001", 100, "20020523T091200Z", "ys")
    assert unit_.notes[:2] == ("Text of tu note 1", "Text of tu note 2")
    assert unit_.target("fr_FR").lang == "fr"  # type: ignore[union-attr]
    header = read_tmx(KIT / "ImportTest1L.tmx").header
    assert (header.segtype, header.o_encoding, header.notes) == (
        "block", "iso-8859-1", ("Text of header note 1", "Text of header note 2"))


def test_kit_paired_codes_share_numbers_across_languages() -> None:
    doc = read_tmx(KIT / "ImportTest2A.tmx", source_locale="en_US", target_locales=("fr_CA",))
    first = doc.units[0]
    assert first.source.text == "The big {1}black{/1} {2}cat{/2} sleeps."
    assert first.target("fr_CA").text == "Le gros {2}chat{/2} {1}noir{/1} dors."  # type: ignore[union-attr]
    assert first.source.plain == "The big black cat sleeps."
    assert dict(first.source.codes)["{1}"] == '<bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>'


def test_kit_all_inline_elements_round_trip() -> None:
    (unit_,) = read_tmx(KIT / "ImportTest2C.tmx", source_locale="en_US", target_locales=("fr_FR",)).units
    assert unit_.source.text == "{1}{2}Click {3/} to {4}start{/4}.{/2}"
    assert unit_.source.plain == "Click  to start."
    data = export([unit_], "fr_FR", "en_US")
    assert b'<hi type="verb" x="4">start</hi>' in data
    assert b'ALT="<sub>Start Here!</sub>"' in data
    assert parse(data, ("fr_FR",), "en_US").units == (unit_,)


@pytest.mark.parametrize("name", sorted(p.name for p in (TMX / "okapi").glob("*.tmx")))
def test_okapi_files(name: str) -> None:
    doc = read_tmx(TMX / "okapi" / name, source_locale="en_US", target_locales=("fr_CA", "fr_FR"))
    assert doc.units and doc.skipped == 0
    assert doc.header.notes in (("note",), ("This is a note at document level.",))
    export(doc.units, doc.units[0].targets[0].locale, "en_US")


# ------------------------------------------------------------------ real files with quirks


@needs_samples
def test_xuanzang_heartsome_all_srclang_lowercase_zh_cn() -> None:
    doc = read_tmx(SAMPLES / "XuanZang.tmx", source_locale="en", target_locales=("zh_Hans_CN",))
    assert (len(doc.units), doc.skipped, doc.header.source_lang, doc.header.segtype) == (51, 0, "*all*", "block")
    assert doc.unmatched_languages == ("de", "es", "it", "ko")
    pairs = {u.source.text: u.targets[0].text for u in doc.units}
    assert pairs["Xuan Zang, Possibly China's Greatest Translator"] == "玄奘，中国最伟大的翻译家"
    assert pairs["Introduction"] == "简介"
    assert any(text.endswith(" ") for text in pairs)  # trailing spaces are kept, as written
    assert doc.units[0].loc is not None and doc.units[0].loc.line == 56  # after the ~50 blank lines
    assert doc.units[0].targets[0].lang == "zh-cn"
    # Simplified Chinese is never taken for Hong Kong's Traditional.
    hk = read_tmx(SAMPLES / "XuanZang.tmx", source_locale="en", target_locales=(HK,))
    assert (hk.units, hk.skipped_no_target) == ((), 51)
    export(doc.units, "zh_Hans_CN")


@needs_samples
def test_multilanguage_namespace_bom_bare_zh() -> None:
    doc = read_tmx(SAMPLES / "multilanguage.tmx", source_locale="en", target_locales=(HK, "zh_Hans_CN", "ru"))
    (unit_,) = doc.units
    assert [(v.locale, v.text) for v in unit_.targets] == [("zh-Hans-CN", "你好世界！"), ("ru", "Привет мир!")]
    assert unit_.source.text == "Hello World!"


@needs_samples
def test_spec_sample_uppercase_tags_props_notes_ude() -> None:
    doc = read_tmx(SAMPLES / "tmx_sample_document.tmx", source_locale="en", target_locales=("fr_CA",))
    first, second = doc.units
    assert first.source.text == "data (with a non-standard character: \uf8ff)."
    assert first.target("fr_CA").text == "données (avec un caractère non standard: \uf8ff)."  # type: ignore[union-attr]
    assert first.props == (("x-Domain", "Computing"), ("x-Project", "Pægasus"), ("Origin", "MT"))
    assert (first.tuid, first.usage_count, first.notes) == ("0001", 2, ("Text of a note at the TU level.",))
    assert first.creation_date == "19970309T021145Z"  # the target variant's: the unit has none
    assert second.target("fr_CA").lang == "FR-CA"  # type: ignore[union-attr]
    assert doc.unmatched_languages == ("FR-FR",)
    assert doc.header.props == (("RTFPreamble", "{\\rtf1\\ansi\\tag etc...{\\fonttbl}"),)
    again = parse(export(doc.units, "fr_CA"), ("fr_CA",)).units
    assert again == (first, filled(second, again[1]))


# ------------------------------------------------------------------ languages and direction


@pytest.mark.parametrize("tag", ["zh-HK", "ZH-HK", "zh_HK", "zh-hk", "zh-Hant-HK", "zh_Hant_HK", "zh-Hant", "zh-TW"])
def test_traditional_tags_map_to_the_configured_hong_kong_locale(tag: str) -> None:
    doc = parse(tmx(tu(("EN-GB", "Tax"), (tag, "稅"))))
    (unit_,) = doc.units
    assert (unit_.source.locale, unit_.targets[0].locale, unit_.targets[0].lang) == ("en", "zh-Hant-HK", tag)


@pytest.mark.parametrize("tag", ["zh-CN", "zh-cn", "zh-Hans", "zh", "zh-SG"])
def test_simplified_tags_never_become_hong_kong(tag: str) -> None:
    doc = parse(tmx(tu(("en", "Tax"), (tag, "税"))), (HK, "zh_Hans_CN"))
    assert [v.locale for v in doc.units[0].targets] == ["zh-Hans-CN"]
    assert parse(tmx(tu(("en", "Tax"), (tag, "税")))).skipped_no_target == 1


def test_taiwan_is_a_fallback_for_hong_kong() -> None:
    both = tmx(tu(("en", "software"), ("zh-TW", "軟體"), ("zh-HK", "軟件")))
    assert parse(both).units[0].targets[0].text == "軟件"
    hant = tmx(tu(("en", "software"), ("zh-TW", "軟體"), ("zh-Hant", "軟件")))
    assert parse(hant).units[0].targets[0].text == "軟件"  # no region beats another region
    assert parse(tmx(tu(("en", "software"), ("zh-TW", "軟體")))).units[0].targets[0].text == "軟體"
    # With Taiwan configured too, zh-TW is Taiwan's, not Hong Kong's.
    doc = parse(tmx(tu(("en", "software"), ("zh-TW", "軟體"))), (HK, "zh_Hant_TW"))
    assert [v.locale for v in doc.units[0].targets] == ["zh-Hant-TW"]


def test_fit_and_assign() -> None:
    assert [fit("en-GB", "en"), fit("en", "en"), fit("en-GB", "en_US"), fit("yue-HK", HK)] == [1, 0, 2, None]
    assert fit("*all*", "en") is None and fit("x-klingon", "en") is None
    assert assign(["fr", "de"], ["en"]) == {}


@pytest.mark.parametrize("srclang", ["zh-HK", "*all*", "en"])
def test_either_direction(srclang: str) -> None:
    data = tmx(tu(("zh-HK", "政府新聞公報"), ("en", "Government press release"), attrs=f' srclang="{srclang}"'),
               srclang=srclang)  # fmt: skip
    (unit_,) = parse(data).units
    assert (unit_.source.text, unit_.targets[0].text) == ("Government press release", "政府新聞公報")


def test_tmx_1_1_lang_attribute() -> None:
    path = TMX / "tmx11-zh-HK.tmx"
    assert DTD11.validate(etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True)))
    doc = read_tmx(path)
    assert doc.header.version == "1.1"
    assert [(u.source.text, u.targets[0].text, u.targets[0].lang) for u in doc.units] == [
        ("The Chief Executive met the press.", "行政長官會見傳媒。", "ZH-HK"),
        ("Tender notice", "招標公告", "zh_HK"),
    ]
    assert (doc.skipped_no_source, doc.skipped_no_target) == (1, 1)


def test_missing_sides_and_empty_segments_are_counted() -> None:
    body = tu(("en", "only English")) + tu(("zh-HK", "只有中文")) + tu(("en", "empty"), ("zh-HK", "  "))
    body += tu(("fr", "seul"), ("de", "allein")) + tu(("en", "ok"), ("zh-HK", "好"))
    doc = parse(tmx(body))
    assert (len(doc.units), doc.skipped_no_source, doc.skipped_no_target, doc.skipped) == (1, 2, 2, 4)
    assert doc.unmatched_languages == ("de", "fr")


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_encodings(codec: str) -> None:
    text = tmx(tu(("en", "Tax &amp; duty"), ("zh-HK", "稅項及關稅"))).decode().replace("UTF-8", codec.upper())
    data = text.encode(codec)
    if codec.startswith("utf-16-"):  # no BOM: the declaration tells
        data = text.replace(f'encoding="{codec.upper()}"', 'encoding="UTF-16"').encode(codec)
    (unit_,) = parse(data).units
    assert (unit_.source.text, unit_.targets[0].text) == ("Tax & duty", "稅項及關稅")
    assert unit_.loc is not None and unit_.loc.line == 5


@pytest.mark.parametrize(("codec", "target"), [("ISO-8859-1", "é"), ("windows-1252", "€"), ("US-ASCII", "&#x7A05;"),
                                               ("Big5", "稅"), ("Big5-HKSCS", "啱"), ("GB18030", "税")])
def test_declared_legacy_encodings(codec: str, target: str) -> None:
    data = tmx(tu(("en", "Tax"), ("zh-HK", target))).decode().replace("UTF-8", codec).encode(codec)
    assert parse(data).units[0].targets[0].text == ("稅" if target.startswith("&") else target)


@pytest.mark.parametrize(("data", "encoding"), [
    (tmx(tu(("en", "Tax"), ("zh-HK", "稅"))).decode().encode("utf-32-le"), "utf-32-le"),
    (tmx(tu(("en", "Tax"), ("zh-HK", "稅"))).decode().encode("utf-32-be"), "utf-32-be"),
    (tmx(tu(("en", "Tax"), ("zh-HK", "稅"))).decode().encode("utf-32"), "utf-32"),
    (tmx(tu(("en", "Tax"), ("zh-HK", "稅"))).replace(b"UTF-8", b"UTF-7"), "utf-7"),
    (tmx(tu(("en", "Tax"), ("zh-HK", "x"))).replace(b"UTF-8", b"IBM037").decode().encode("cp037"), "cp037"),
    (tmx(tu(("en", "Tax"), ("zh-HK", "x"))).replace(b"UTF-8", b"no-such-thing"), "no-such-thing"),
], ids=["utf-32-le", "utf-32-be", "utf-32-bom", "utf-7", "ebcdic", "unknown"])  # fmt: skip
def test_encodings_xml_does_not_require_are_refused(data: bytes, encoding: str) -> None:
    with pytest.raises(InputError, match=f"^mem.tmx:1: unsupported encoding {encoding}: Duet reads XML in UTF-8"):
        parse(data)


# ------------------------------------------------------------------ hostile and broken files

# "<!--" in a system literal is text, not a comment: the declaration between it and "-->" is real.
HIDDEN = '<!DOCTYPE tmx [\n<!NOTATION open SYSTEM "<!--">\n<!ENTITY x SYSTEM "file:///etc/passwd">\n' \
         '<!NOTATION close SYSTEM "-->">\n]>\n'
XXE = tmx(tu(("en", "&x;"), ("zh-HK", "x")), prolog='<!DOCTYPE tmx [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n')
LAUGHS = tmx(tu(("en", "&lol3;"), ("zh-HK", "x")), prolog=(
    '<!DOCTYPE tmx [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'))  # fmt: skip


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (XXE, 3, "entity declarations are not allowed"),
        (XXE.decode().encode("utf-16"), 3, "entity declarations are not allowed"),
        (LAUGHS, 3, "entity declarations are not allowed"),
        (tmx("", prolog='<!DOCTYPE tmx [\n<!ENTITY % p SYSTEM "http://example.com/p.dtd">\n%p;\n]>\n'), 3,
         "entity declarations"),
        (tmx("", prolog="<!DOCTYPE tmx [\n%p;\n]>\n"), 3, "entity reference 'p' is not allowed"),
        (tmx(tu(("en", "a &nbsp; b"), ("zh-HK", "x")), prolog='<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'), 7,
         "entity reference 'nbsp' is not allowed"),
        (tmx('<tu tuid="&id;">' + tu(("en", "a"), ("zh-HK", "x"))[4:], prolog='<!DOCTYPE tmx SYSTEM "t.dtd">\n'), 6,
         "entity reference 'id' is not allowed"),
        (tmx(tu(("en", "a &copy; b"), ("zh-HK", "x"))), 6, "entity reference 'copy' is not allowed"),
        (tmx(tu(("en", "a"), ("zh-HK", "x")), prolog=HIDDEN), 4, "entity declarations are not allowed"),
        (tmx(tu(("en", "a"), ("zh-HK", "x")), prolog=HIDDEN).decode().encode("utf-16-le"), 4,
         "entity declarations are not allowed"),
        (tmx(tu(("en", "a"), ("zh-HK", "x")), prolog='<!DOCTYPE tmx [\n<?pi <!ENTITY x SYSTEM "/etc/passwd">?>\n'
             '<!ENTITY % p "<!ENTITY y \'z\'>">\n%p;\n]>\n'), 4, "entity declarations are not allowed"),
    ],
    ids=["xxe", "xxe-utf16", "billion-laughs", "parameter-entity", "parameter-reference", "undeclared-entity",
         "entity-in-attribute", "entity-without-doctype", "declaration-after-comment-like-literal",
         "hidden-declaration-utf16-without-bom", "declaration-in-parameter-entity"],
)  # fmt: skip
def test_entities_are_refused_with_path_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse(data)
    assert info.value.loc is not None and (info.value.loc.path, info.value.loc.line) == ("mem.tmx", line)
    assert str(info.value).startswith(f"mem.tmx:{line}:")


def test_plain_doctype_is_allowed_and_never_fetched() -> None:
    for doctype in ('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n', '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">\n'):
        assert len(parse(tmx(tu(("en", "a"), ("zh-HK", "甲")), prolog=doctype)).units) == 1


def test_entity_lookalikes_in_comments_pis_and_cdata_are_text() -> None:
    body = '<!-- <!ENTITY x "y"> &x; -->' + tu(("en", "<![CDATA[&x; <!ENTITY]]>"), ("zh-HK", "&#x7532;&amp;"))
    prolog = '<!DOCTYPE tmx [\n<!-- <!ENTITY x "y"> -->\n<?pi <!ENTITY x "y">?>\n<!NOTATION n SYSTEM "<!ENTITY">\n]>\n'
    (unit_,) = parse(tmx(body, prolog=prolog)).units
    assert (unit_.source.text, unit_.targets[0].text) == ("&x; <!ENTITY", "甲&")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (tmx(tu(("en", "a <b> c"), ("zh-HK", "x"))), 6, "not well-formed XML: Opening and ending tag mismatch"),
        (b'<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>\x01</seg>', 4,
         "not well-formed XML"),
        (tmx(tu(("en", "a &#1; b"), ("zh-HK", "x"))), 6, "not well-formed XML"),
        (tmx(tu(("en", "a"), ("zh-HK", "x"))).replace(b"\xe8", b"\xff") + b"\xff", 11, "not well-formed XML"),
        (b"<?xml version='1.0'?>\n<xliff/>", 2, "not a TMX file"),
        (tmx("", version="2.0"), 2, "unsupported TMX version '2.0'"),
        (b"<tmx version='1.4'>\n<header/>\n</tmx>", 1, "<tmx> has no <body>"),
        (tmx('<tu>\n<tuv><seg>a</seg></tuv>\n</tu>\n'), 6, "no xml:lang"),
        (tmx('<tu>\n<tuv xml:lang="en"/>\n</tu>\n'), 6, "no <seg>"),
        (tmx(tu(("en", "a"), ("zh-HK", "x"), attrs=' usagecount="many"')), 5, "usagecount must be a whole number"),
        (tmx(tu(("en", "a\n<b>bold</b>"), ("zh-HK", "x"))), 7, "<b> is not allowed in a TMX <seg>"),
    ],
    ids=["unclosed", "control-character", "control-reference", "bad-utf8", "not-tmx", "version", "no-body",
         "no-lang", "no-seg", "usagecount", "foreign-markup"],
)  # fmt: skip
def test_broken_files_are_refused_with_path_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse(data)
    assert info.value.loc is not None and (info.value.loc.path, info.value.loc.line) == ("mem.tmx", line)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file") as info:
        read_tmx(tmp_path / "none.tmx", display="locales/memory/none.tmx")
    assert str(info.value).startswith("locales/memory/none.tmx: cannot read file")


# ------------------------------------------------------------------ writing


def test_written_file_layout(tmp_path: Path) -> None:
    units = [unit("Hello", "你好", tuid="7", usage_count=3, origin="sources/2024/p1.txt", notes=("checked",),
                  creation_date="20240101T000000Z", props=(("x-domain", "tax"),))]  # fmt: skip
    report = write_tmx(tmp_path / "out.tmx", units, source_locale="en", target_locale=HK, tool_version="0.1.0",
                       creation_date=DATE)  # fmt: skip
    data = (tmp_path / "out.tmx").read_bytes()
    assert_valid(data)
    assert (report.units, report.skipped, report.dropped_characters) == (1, 0, 0)
    assert data.decode() == (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<tmx version="1.4">\n'
        '  <header creationtool="Duet" creationtoolversion="0.1.0" segtype="sentence" o-tmf="Duet" adminlang="en"'
        ' srclang="en" datatype="plaintext" creationdate="20240301T083000Z"/>\n'
        "  <body>\n"
        '    <tu tuid="7" creationdate="20240101T000000Z" usagecount="3">\n'
        "      <note>checked</note>\n"
        '      <prop type="x-origin">sources/2024/p1.txt</prop>\n'
        '      <prop type="x-domain">tax</prop>\n'
        '      <tuv xml:lang="en">\n'
        "        <seg>Hello</seg>\n"
        "      </tuv>\n"
        '      <tuv xml:lang="zh-Hant-HK">\n'
        "        <seg>你好</seg>\n"
        "      </tuv>\n"
        "    </tu>\n"
        "  </body>\n"
        "</tmx>\n"
    )
    (back,) = read_tmx(tmp_path / "out.tmx").units
    assert back == units[0] and back.origin == "sources/2024/p1.txt"


def test_output_is_deterministic(tmp_path: Path) -> None:
    units = [unit("Tax", "稅"), unit("Rates", "差餉", creation_id="kp")]
    first = export(units)
    assert export(list(units)) == first
    assert b'creationdate="20240301T083000Z"' in first  # the header's date stands in for units without one
    write_tmx(tmp_path / "a.tmx", units, source_locale="en", target_locale=HK, tool_version="0.1.0",
              creation_date=DATE)  # fmt: skip
    assert (tmp_path / "a.tmx").read_bytes() == first
    tuids = [el.get("tuid") for el in etree.fromstring(first).iter("tu")]
    assert len(set(tuids)) == 2 and all(len(t or "") == 16 for t in tuids)  # content hashes, not positions
    assert export(units[1:]).count(tuids[1].encode()) == 1  # type: ignore[union-attr]


def test_units_without_the_target_are_skipped_and_empty_body_is_valid() -> None:
    other = TranslationUnit(Variant("en", "Tax"), (Variant("zh-Hans-CN", "税"),))
    data = export([other])
    assert etree.fromstring(data).find("body") is not None
    assert parse(data).units == ()


def test_control_characters_are_dropped_and_counted(tmp_path: Path) -> None:
    units = [unit("Bell\x07 and \x00nul", "響\ufffe鈴\ud800", notes=("a\x1bb",))]
    report = write_tmx(tmp_path / "c.tmx", units, source_locale="en", target_locale=HK, tool_version="1",
                       creation_date=DATE)  # fmt: skip
    assert report.dropped_characters == 5
    (back,) = read_tmx(tmp_path / "c.tmx").units
    assert (back.source.text, back.targets[0].text, back.notes) == ("Bell and nul", "響鈴", ("ab",))


def test_codes_that_do_not_nest_or_are_not_tmx_are_refused() -> None:
    codes = (("{1}", '<hi x="1">'), ("{/1}", "</hi>"))
    with pytest.raises(InputError, match="do not nest"):
        export([TranslationUnit(Variant("en", "a{/1}b{1}", codes), (Variant("zh-Hant-HK", "x"),))])
    bad = TranslationUnit(Variant("en", "a{1/}", (("{1/}", "<img/>"),)), (Variant("zh-Hant-HK", "x"),))
    with pytest.raises(InputError, match="<img> is not TMX inline markup"):
        export([bad])
    ok = TranslationUnit(Variant("en", "a{1}b{/1}", codes), (Variant("zh-Hant-HK", "x{1}y{/1}", codes),))
    (again,) = parse(export([ok])).units
    assert again == filled(ok, again)


def test_literal_braces_never_collide_with_placeholders() -> None:
    data = tmx(tu(("en", '{1} and {/2} <ph x="1">&lt;br&gt;</ph><bpt i="1">[</bpt>x<ept i="1">]</ept>'),
                  ("zh-HK", "{1}")))  # fmt: skip
    (unit_,) = parse(data).units
    assert unit_.source.text == "{1} and {/2} {3/}{4}x{/4}"
    assert unit_.source.plain == "{1} and {/2} x"
    assert unit_.targets[0].codes == ()
    (again,) = parse(export([unit_])).units
    assert again == filled(unit_, again)


# ------------------------------------------------------------------ properties

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("<>&\"' {}/1\t\n\r\x00\x07\x1f\ufffe\uffff\ud800政府新聞公報稅，。「」"),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


def _clean(text: str) -> str:
    return tmx_inline.NOT_XML.sub("", text)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT, st.integers(0, 10**6), st.lists(TEXT, max_size=2)), max_size=5))
def test_write_then_read_gives_the_units_back(rows: list[tuple[str, str, int, list[str]]]) -> None:
    units = [unit(s, t, usage_count=n, notes=tuple(notes), tuid=f"u{i}") for i, (s, t, n, notes) in enumerate(rows)]
    data = export(units)
    assert export(units) == data
    kept = [u for u in units if _clean(u.source.text).strip() and _clean(u.targets[0].text).strip()]
    back = parse(data).units
    assert [(u.source.text, u.targets[0].text, u.usage_count, u.notes) for u in back] == [
        (_clean(u.source.text), _clean(u.targets[0].text), u.usage_count, tuple(_clean(n) for n in u.notes))
        for u in kept
    ]


def test_without_a_date_nothing_is_dated() -> None:
    """An undated export says nothing of its date rather than 1970; a unit's own date is kept."""
    units = [unit("Hello.", "你好。"), unit("Bye.", "再見。", creation_date="20260122T090200Z")]
    data = format_tmx(units, source_locale="en", target_locale=HK, tool_version="0.1.0", creation_date=None)
    assert_valid(data)
    root = etree.fromstring(data)
    assert [e.get("creationdate") for e in root.iter("header", "tu")] == [None, None, "20260122T090200Z"]
    assert [u.creation_date for u in parse(data).units] == [None, "20260122T090200Z"]
