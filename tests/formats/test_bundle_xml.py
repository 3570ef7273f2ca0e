"""The bundle's paired bilingual XML: valid against duet-bundle.rng, deterministic, escaped, read back unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from paths import DATA, REPO

from pipeline.errors import InputError, PipelineError
from pipeline.formats.bundle_xml import bundle_schema, format_bundle_xml, read_bundle_xml, write_bundle_xml
from pipeline.model import ORIGINS, AlignedParagraph, AlignedSegment, BilingualRelease, ReleaseMeta

# Loaded from the file, not through the package, so the test does not trust the code under test.
RNG = etree.RelaxNG(file=str(REPO / "pipeline" / "schemas" / "duet-bundle.rng"))
GOLDEN = DATA / "bundle" / "P2024013100123.zh_Hant_HK.xml"

SAMPLE = BilingualRelease(
    id="P2024013100123",
    meta=ReleaseMeta(
        title="LCQ1: Public housing", date="2024-01-31T11:30",
        url="https://www.info.gov.hk/gia/general/202401/31/P2024013100123.htm?a=1&b=2",
        department="Housing Bureau", language="en", extra=(("Ref", "HB 1/2024"), ("Ends", "NNNN")),
    ),
    source_language="en", target_language="zh-Hant-HK", locale="zh_Hant_HK",
    paragraphs=(
        AlignedParagraph("title", (
            AlignedSegment("s1", "Public housing", "公共房屋", "translated", "tm-exact", 100.0,
                           (("public housing", "公共房屋"),)),
        )),
        AlignedParagraph("body", (
            AlignedSegment("s2", 'The "Chief Executive" said <today> that R&D matters.',
                           "行政長官今日表示，研發很重要。", "fuzzy", "tm-fuzzy", 87.5,
                           (("Chief Executive", "行政長官"), ("R&D", "研發")), "locales/memory/bureau.tmx"),
            AlignedSegment("s3", "  Spaces  and\ta tab.\r\n", "", "untranslated", "none", starts_line=True),
            AlignedSegment("s4", "Thank you.", "謝謝。", "translated", "mt", 70.25, came_from="mt:libretranslate"),
        )),
        AlignedParagraph("caption", ()),
        AlignedParagraph("trailer", (AlignedSegment("s5", "Ends", "完", "translated", "repaired", 95.0),)),
    ),
)  # fmt: skip

# ------------------------------------------------------------------ strategies

# Every character XML 1.0 can hold: no surrogates, no C0 controls but the three, no U+FFFE/U+FFFF.
_char = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff",
                      include_characters="\t\n\r\x7f\x85\x9f")  # fmt: skip
NASTY = ("<", ">", "&", "&amp;", '"', "'", "]]>", "\r", "\r\n", "\n", "\t", " ", "公共房屋", "行政長官",
         "\u3000", "\U0002000b", "\ufeff", "\u200b", "&#13;", "<!ENTITY x>", "\ufffd")  # fmt: skip
xml_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_char, max_size=8)), max_size=5).map("".join)
non_empty = xml_text.filter(bool)
languages = st.sampled_from(["en", "zh-Hant-HK", "zh-Hans", "zh-HK", "yue-Hant"])
dates = st.one_of(
    st.just(""),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
)
scores = st.floats(min_value=0, max_value=100, allow_nan=False)
metas = st.builds(ReleaseMeta, title=xml_text, date=dates, url=xml_text, department=xml_text,
                  language=st.sampled_from(["en", "", "zh-Hant-HK"]),
                  extra=st.lists(st.tuples(xml_text, xml_text), max_size=3).map(tuple))  # fmt: skip


@st.composite
def segments(draw: st.DrawFn, ident: str) -> AlignedSegment:
    origin = draw(st.sampled_from(ORIGINS))
    score = draw(scores if origin == "tm-fuzzy" else st.one_of(st.none(), scores))
    return AlignedSegment(
        id=ident, source=draw(xml_text), target=draw(xml_text),
        status=draw(st.sampled_from(["translated", "fuzzy", "untranslated"])), origin=origin, score=score,
        terms=tuple(draw(st.lists(st.tuples(non_empty, xml_text), max_size=3))),
        came_from=draw(xml_text), starts_line=draw(st.booleans()),
    )  # fmt: skip


@st.composite
def releases(draw: st.DrawFn, ids: st.SearchStrategy[str] = non_empty, min_paragraphs: int = 0) -> BilingualRelease:
    """Any release the model can hold with text XML can carry; segment ids unique."""
    kind = st.sampled_from(["title", "caption", "body", "trailer"])
    kinds = draw(st.lists(kind, min_size=min_paragraphs, max_size=4))
    counts = [draw(st.integers(0, 3)) for _ in kinds]
    idents = draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts), unique=True))
    paragraphs, start = [], 0
    for kind, count in zip(kinds, counts, strict=True):
        paragraphs.append(AlignedParagraph(kind, tuple(draw(segments(i)) for i in idents[start:start + count])))
        start += count
    source, target = draw(languages), draw(languages)
    return BilingualRelease(id=draw(ids), meta=draw(metas), source_language=source, target_language=target,
                            locale=target.replace("-", "_"), paragraphs=tuple(paragraphs))  # fmt: skip


def valid(data: bytes) -> bool:
    return RNG.validate(etree.fromstring(data))


# ------------------------------------------------------------------ writing


def test_golden() -> None:
    assert format_bundle_xml(SAMPLE, tool_version="0.1.0") == GOLDEN.read_bytes()


def test_golden_is_valid_and_reads_back() -> None:
    assert valid(GOLDEN.read_bytes())
    assert read_bundle_xml(GOLDEN.read_bytes(), "golden.xml") == SAMPLE


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(releases())
def test_every_output_is_valid_and_reads_back(release: BilingualRelease) -> None:
    data = format_bundle_xml(release, tool_version="0.1.0")
    assert RNG.validate(etree.fromstring(data)), RNG.error_log
    assert read_bundle_xml(data, "x.xml") == release


@given(releases())
def test_deterministic(release: BilingualRelease) -> None:
    copy = replace(release, paragraphs=tuple(replace(p) for p in release.paragraphs))
    assert format_bundle_xml(release, tool_version="1") == format_bundle_xml(copy, tool_version="1")


def test_shape_and_escaping() -> None:
    data = format_bundle_xml(SAMPLE, tool_version="0.1.0")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<bundle xmlns=\"urn:duet:bundle:1\"")
    text = data.decode("utf-8")
    assert 'said &lt;today&gt; that R&amp;D' in text
    assert '<term source="R&amp;D" target="研發"/>' in text
    assert "a tab.&#13;\n</source>" in text  # a bare CR would read back as LF
    assert '<segment id="s2" status="fuzzy" origin="tm-fuzzy" score="87.5" from="locales/memory/bureau.tmx">' in text
    assert '<segment id="s3" status="untranslated" origin="none" startsLine="true">' in text
    assert '<target xml:lang="zh-Hant-HK"></target>' in text  # untranslated: present, empty
    assert "<title>" not in text.split("<meta")[0] and '<paragraph kind="caption" n="3"/>' in text


def test_attribute_whitespace_survives() -> None:
    seg = AlignedSegment("s1", "a", "b", "translated", terms=(("line\none\ttab\r", " x "),))
    release = replace(SAMPLE, paragraphs=(AlignedParagraph("body", (seg,)),))
    data = format_bundle_xml(release, tool_version="0.1.0")
    assert b'source="line&#10;one&#9;tab&#13;"' in data
    assert read_bundle_xml(data, "x.xml") == release


def test_empty_meta_fields_are_left_out() -> None:
    release = replace(SAMPLE, meta=ReleaseMeta(language=""), paragraphs=())
    data = format_bundle_xml(release, tool_version="0.1.0")
    assert b"<meta/>" in data and valid(data)
    assert read_bundle_xml(data, "x.xml") == release


def test_write_bundle_xml(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "out.xml"  # type: ignore[operator]
    write_bundle_xml(path, SAMPLE, tool_version="0.1.0")
    assert path.read_bytes() == GOLDEN.read_bytes()


# ------------------------------------------------------------------ refusals on write


def _one(**changes: object) -> BilingualRelease:
    seg = replace(AlignedSegment("s1", "Hello", "你好", "translated"), **changes)  # type: ignore[arg-type]
    return replace(SAMPLE, paragraphs=(AlignedParagraph("body", (seg,)),))


@pytest.mark.parametrize(("changes", "message"), [
    ({"source": "bad\x0bchar"}, "segment 's1' source: U+000B at offset 3 cannot be written in XML 1.0"),
    ({"target": "\x00"}, "segment 's1' target: U+0000 at offset 0"),
    ({"terms": (("ok", "x\ufffe"),)}, "segment 's1' term 'ok': U+FFFE"),
    ({"status": "done"}, "segment 's1': unknown status 'done'"),
    ({"origin": "tm"}, "segment 's1': unknown origin 'tm'"),
    ({"origin": "tm-fuzzy"}, "segment 's1': a tm-fuzzy segment needs its score"),
    ({"score": 100.5}, "segment 's1': score 100.5 is not a number from 0 to 100"),
    ({"score": float("nan")}, "segment 's1': score nan is not"),
    ({"terms": (("", "x"),)}, "segment 's1': the bundle XML would not be valid against duet-bundle.rng"),
])  # fmt: skip
def test_refused_with_the_segment_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as info:
        format_bundle_xml(_one(**changes), tool_version="0.1.0")
    assert str(info.value).startswith(message)
    assert isinstance(info.value, PipelineError)


@pytest.mark.parametrize("release", [
    replace(SAMPLE, meta=replace(SAMPLE.meta, date="31/01/2024")),
    replace(SAMPLE, target_language="zh Hant"),
    replace(SAMPLE, locale="zh-Hant-HK"),
    replace(SAMPLE, id=""),
    replace(SAMPLE, meta=replace(SAMPLE.meta, title="\x1b[0m")),
])  # fmt: skip
def test_release_level_refusals(release: BilingualRelease) -> None:
    with pytest.raises(InputError, match=r"^release "):
        format_bundle_xml(release, tool_version="0.1.0")


NOT_XML = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)]


@pytest.mark.parametrize("char", NOT_XML, ids=lambda c: f"U+{ord(c):04X}")
def test_every_character_xml_cannot_hold_is_refused(char: str) -> None:
    with pytest.raises(InputError, match=rf"^segment 's1' target: U\+{ord(char):04X} at offset 2 cannot"):
        format_bundle_xml(_one(target=f"你好{char}"), tool_version="0.1.0")
    with pytest.raises(InputError, match=rf"^release 'P2024013100123' extra 'Ref': U\+{ord(char):04X}"):
        format_bundle_xml(replace(SAMPLE, meta=replace(SAMPLE.meta, extra=(("Ref", char),))), tool_version="0.1.0")


def test_duplicate_segment_ids_refused() -> None:
    seg = AlignedSegment("s1", "a", "b", "translated")
    release = replace(SAMPLE, paragraphs=(AlignedParagraph("body", (seg,)), AlignedParagraph("body", (seg,))))
    with pytest.raises(InputError, match="segment id 's1' is used twice"):
        format_bundle_xml(release, tool_version="0.1.0")


# ------------------------------------------------------------------ the schema itself


def _mutate(old: str, new: str) -> bytes:
    data = GOLDEN.read_bytes().decode("utf-8")
    assert old in data
    return data.replace(old, new, 1).encode("utf-8")


INVALID = {
    "unknown status": ('status="fuzzy"', 'status="done"'),
    "unknown origin": ('origin="mt"', 'origin="google"'),
    "tm-fuzzy without score": (' score="87.5"', ""),
    "score above 100": ('score="87.5"', 'score="100.1"'),
    "score not decimal": ('score="87.5"', 'score="8.75e1"'),
    "negative score": ('score="87.5"', 'score="-1"'),
    "missing xml:lang": ('<source xml:lang="en">Thank', "<source>Thank"),
    "bad language tag": ('trgLang="zh-Hant-HK"', 'trgLang="zh_Hant_HK"'),
    "bad date": ("<date>2024-01-31T11:30+08:00</date>", "<date>31 January 2024</date>"),
    "date with a zone name": ("<date>2024-01-31T11:30+08:00</date>", "<date>2024-01-31T11:30 HKT</date>"),
    "unknown kind": ('kind="caption"', 'kind="footnote"'),
    "n not positive": ('n="1"', 'n="0"'),
    "missing version": (' version="0.1.0"', ""),
    "missing target": ('<target xml:lang="zh-Hant-HK">謝謝。</target>', ""),
    "wrong namespace": ('xmlns="urn:duet:bundle:1"', 'xmlns="urn:duet:bundle:2"'),
    "text in a segment": ("<source xml:lang=\"en\">Thank", "stray<source xml:lang=\"en\">Thank"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_schema_rejects(case: str) -> None:
    data = _mutate(*INVALID[case])
    assert not valid(data)
    assert not bundle_schema().validate(etree.fromstring(data))
    with pytest.raises(InputError, match=r"^x\.xml:[0-9]+: not a Duet bundle"):
        read_bundle_xml(data, "x.xml")


# ------------------------------------------------------------------ refusals on read


def test_read_refuses_a_language_other_than_the_bundles() -> None:
    data = _mutate('<source xml:lang="en">Thank', '<source xml:lang="fr">Thank')
    with pytest.raises(InputError, match=r"^x\.xml:[0-9]+: xml:lang 'fr' differs from the bundle's 'en'"):
        read_bundle_xml(data, "x.xml")


def test_read_refuses_misnumbered_paragraphs() -> None:
    with pytest.raises(InputError, match=r"^x\.xml:[0-9]+: paragraph n='5' is paragraph 2"):
        read_bundle_xml(_mutate('n="2"', 'n="5"'), "x.xml")


def test_read_refuses_entities() -> None:
    data = _mutate("<?xml version='1.0' encoding='UTF-8'?>\n",
                   "<?xml version='1.0'?>\n<!DOCTYPE bundle [<!ENTITY x 'y'>]>\n")  # fmt: skip
    with pytest.raises(InputError, match="entity declarations are not allowed"):
        read_bundle_xml(data, "x.xml")


def test_read_refuses_malformed() -> None:
    with pytest.raises(InputError, match=r"^x\.xml:1:[0-9]+: not well-formed XML"):
        read_bundle_xml(b"<bundle", "x.xml")
