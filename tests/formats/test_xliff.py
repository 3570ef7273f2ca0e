"""XLIFF 2.0 core output: valid against the official OASIS XSD, state mapping, determinism, round trip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from paths import DATA, REPO
from test_bundle_xml import SAMPLE, releases, xml_text

from pipeline.errors import InputError
from pipeline.formats.xliff import format_xliff, nmtoken, read_xliff, write_xliff, xliff_schema
from pipeline.model import AlignedParagraph, AlignedSegment, BilingualRelease

XLIFF20 = DATA / "xliff20"
GOLDEN = XLIFF20 / "P2024013100123.zh_Hant_HK.xlf"
SHARED = REPO.parent / "shared"
SHARED_GOLDEN = SHARED / "golden" / "xliff"
needs_shared = pytest.mark.skipif(not SHARED_GOLDEN.is_dir(), reason="shared golden XLIFF files not present")
NS = "{urn:oasis:names:tc:xliff:document:2.0}"


def _official() -> etree.XMLSchema:
    """The OASIS core XSD in its own layout (tests/data copy), loaded by lxml alone: no resolver, no network."""
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(XLIFF20 / "schemas" / "xliff_core_2.0.xsd"), parser))


XSD = _official()


def valid(data: bytes) -> bool:
    return XSD.validate(etree.fromstring(data))


# ------------------------------------------------------------------ the schema setup


def test_shipped_schemas_are_the_official_files() -> None:
    shipped = REPO / "pipeline" / "schemas"
    copies = XLIFF20 / "schemas"
    assert (shipped / "xliff_core_2.0.xsd").read_bytes() == (copies / "xliff_core_2.0.xsd").read_bytes()
    w3c = copies / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"
    assert (shipped / "xml.xsd").read_bytes() == w3c.read_bytes()
    if SHARED.is_dir():
        official = SHARED / "schemas" / "xliff20"
        assert (shipped / "xliff_core_2.0.xsd").read_bytes() == (official / "xliff_core_2.0.xsd").read_bytes()
        assert w3c.read_bytes() == (official / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd").read_bytes()


def _both_say(path: Path) -> bool:
    doc = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    official, packaged = XSD.validate(doc), xliff_schema().validate(doc)
    assert official == packaged, path
    return official


@pytest.mark.parametrize(("name", "expected"), [("2020-10-12.xlf", True), ("sampe_sch.xliff", False)])
def test_golden_files_in_the_repository(name: str, expected: bool) -> None:
    """Okapi's XLIFF 2.0 sample is accepted; memoQ's XLIFF 1.2 file is not XLIFF 2.0."""
    assert _both_say(XLIFF20 / "golden" / name) is expected


@needs_shared
@pytest.mark.parametrize(("name", "expected"), [
    ("okapi/2020-10-12.xlf", True),
    ("omegat/ex.9.5.xlf", True),
    ("omegat/ex.14.5.xlf", True),
    ("okapi/sampe_sch.xliff", False),
    ("okapi/about_the.htm.xlf", False),
])  # fmt: skip
def test_shared_golden_files(name: str, expected: bool) -> None:
    """As SOURCE.md of golden/xliff reports: the three 2.0 files valid, the two 1.2 files not."""
    assert _both_say(SHARED_GOLDEN / name) is expected


def _mutate(old: str, new: str) -> bytes:
    data = GOLDEN.read_text(encoding="utf-8")
    assert old in data
    return data.replace(old, new, 1).encode("utf-8")


INVALID = {
    "unknown state": ('state="final"', 'state="done"'),
    "missing version": (' version="2.0"', ""),
    "missing srcLang": (' srcLang="en"', ""),
    "group type without prefix": ('type="duet:body"', 'type="body"'),
    "unit without segment": (
        '<segment state="final">\n          <source>Thank you.</source>\n          <target>謝謝。</target>\n'
        "        </segment>",
        "",
    ),
    "target before source": ("<source>Thank you.</source>\n          <target>謝謝。</target>",
                             "<target>謝謝。</target>\n          <source>Thank you.</source>"),
    "id not a name": ('<unit id="s4">', '<unit id="s 4">'),
    "unknown core element": ('<unit id="s4">', '<unit id="s4"><remarks/>'),
    "two sources": ("<source>Thank you.</source>", "<source>Thank you.</source><source>x</source>"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_schemas_reject(case: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlf"
    path.write_bytes(_mutate(*INVALID[case]))
    assert _both_say(path) is False
    with pytest.raises(InputError, match=r"^x\.xlf:[0-9]+: not XLIFF 2\.0"):
        read_xliff(path.read_bytes(), "x.xlf")


# ------------------------------------------------------------------ writing


def test_golden() -> None:
    assert format_xliff(SAMPLE) == GOLDEN.read_bytes()
    assert valid(GOLDEN.read_bytes())


def test_write_xliff(tmp_path: Path) -> None:
    write_xliff(tmp_path / "out.xlf", SAMPLE)
    assert (tmp_path / "out.xlf").read_bytes() == GOLDEN.read_bytes()


def _segments(data: bytes) -> dict[str, etree._Element]:
    return {u.get("id"): u.find(f"{NS}segment") for u in etree.fromstring(data).iter(f"{NS}unit")}


def test_state_mapping() -> None:
    segments = _segments(format_xliff(SAMPLE))
    assert {k: (s.get("state"), s.get("subState")) for k, s in segments.items()} == {
        "s1": ("final", None), "s2": ("initial", "duet:fuzzy"), "s3": ("initial", None),
        "s4": ("final", None), "s5": ("final", None),
    }  # fmt: skip
    assert segments["s3"].find(f"{NS}target") is None  # untranslated: no target
    assert segments["s2"].findtext(f"{NS}target") == "行政長官今日表示，研發很重要。"


@pytest.mark.parametrize(("state", "sub_state", "status"), [
    ("initial", ' subState="duet:fuzzy"', "fuzzy"),
    ("initial", "", "untranslated"),
    ("translated", ' subState="duet:fuzzy"', "fuzzy"),
    ("reviewed", "", "fuzzy"),
    ("final", ' subState="duet:fuzzy"', "translated"),
])  # fmt: skip
def test_read_states(state: str, sub_state: str, status: str) -> None:
    """A fuzzy suggestion is ``initial`` + ``duet:fuzzy``; a state another tool moved on wins over a stale subState."""
    data = _mutate('<segment state="initial" subState="duet:fuzzy">', f'<segment state="{state}"{sub_state}>')
    segments = {s.id: s for s in read_xliff(data, "x.xlf").segments}
    assert segments["s2"].status == status


def _one(*segments: AlignedSegment) -> BilingualRelease:
    return replace(SAMPLE, paragraphs=(AlignedParagraph("body", segments),))


def test_untranslated_target_text_is_not_written() -> None:
    release = _one(AlignedSegment("a", "x", "draft", "untranslated"))
    data = format_xliff(release)
    assert b"draft" not in data and valid(data)


def test_fuzzy_with_empty_target_keeps_an_empty_target() -> None:
    release = _one(AlignedSegment("a", "x", "", "fuzzy", "mt", 50))
    data = format_xliff(release)
    assert b"<target></target>" in data and valid(data)
    assert read_xliff(data, "x.xlf") == release


def test_notes_escaping_and_languages() -> None:
    text = format_xliff(SAMPLE).decode("utf-8")
    assert 'version="2.0" srcLang="en" trgLang="zh-Hant-HK"' in text
    assert '<file id="P2024013100123" original="https://www.info.gov.hk/gia/general/202401/31/' \
           'P2024013100123.htm?a=1&amp;b=2" xml:space="preserve">' in text  # fmt: skip
    assert '<note category="term" appliesTo="source" duet:source="R&amp;D" duet:target="研發">' \
           "R&amp;D → 研發</note>" in text  # fmt: skip
    assert "said &lt;today&gt; that R&amp;D" in text
    assert '<group id="p1" type="duet:title">' in text and '<group id="p3" type="duet:caption"/>' in text
    assert "<source>  Spaces  and\ta tab.&#13;\n</source>" in text


@pytest.mark.parametrize(("ident", "expected"), [
    ("P2024013100123", "P2024013100123"), ("a b/c", "a_b_c"), ("公告-1.2:x", "__-1.2:x"), ("²", "_"),
])  # fmt: skip
def test_ids_become_names(ident: str, expected: str) -> None:
    assert nmtoken(ident) == expected
    seg = AlignedSegment(ident, "x", "y", "translated")
    data = format_xliff(replace(SAMPLE, id=ident, paragraphs=(AlignedParagraph("body", (seg,)),)))
    assert valid(data)
    assert etree.fromstring(data).find(f"{NS}file").get("id") == expected  # type: ignore[union-attr]


@pytest.mark.parametrize(("release", "message"), [
    (replace(SAMPLE, paragraphs=()), "has no paragraphs"),
    (_one(AlignedSegment("p1", "x", "y", "translated")), "XLIFF id 'p1' is used twice"),
    (_one(AlignedSegment("a b", "x", "y", "translated"), AlignedSegment("a/b", "x", "y", "translated")),
     "XLIFF id 'a_b' is used twice"),
    (_one(AlignedSegment("a", "x\x07", "y", "translated")), r"segment 'a' source: U\+0007"),
    (_one(AlignedSegment("a", "x", "y", "fuzzy", "tm-fuzzy")), "segment 'a': a tm-fuzzy segment needs its score"),
    (_one(AlignedSegment("a", "x", "y", "done")), "segment 'a': unknown status 'done'"),  # type: ignore[arg-type]
])  # fmt: skip
def test_refusals(release: BilingualRelease, message: str) -> None:
    with pytest.raises(InputError, match=message):
        format_xliff(release)


# ------------------------------------------------------------------ hypothesis


def as_read(release: BilingualRelease) -> BilingualRelease:
    """What ``read_xliff`` gives back: untranslated targets dropped, the locale from trgLang."""
    paragraphs = tuple(
        replace(p, segments=tuple(replace(s, target="") if s.status == "untranslated" else s for s in p.segments))
        for p in release.paragraphs
    )
    return replace(release, paragraphs=paragraphs, locale=release.target_language.replace("-", "_"))


names = st.from_regex(r"[A-Za-oq-z_][A-Za-z0-9._:-]{0,12}", fullmatch=True)  # group ids start with "p"
any_ids = st.builds(lambda prefix, name: prefix + name, xml_text, names)  # any text, rarely equal once sanitized


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(releases(ids=any_ids, min_paragraphs=1))
def test_every_output_is_valid(release: BilingualRelease) -> None:
    ids = [nmtoken(s.id) for s in release.segments]
    assume(len(set(ids)) == len(ids) and not set(ids) & {f"p{n}" for n in range(1, len(release.paragraphs) + 1)})
    data = format_xliff(release)
    assert XSD.validate(etree.fromstring(data)), XSD.error_log
    assert data == format_xliff(replace(release))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(releases(ids=names, min_paragraphs=1))
def test_round_trip(release: BilingualRelease) -> None:
    assert read_xliff(format_xliff(release), "x.xlf") == as_read(release)


def test_property_tests_have_no_deadline() -> None:
    """A property test's outcome must not depend on the machine's load (the suite's profile, ``conftest.py``)."""
    assert settings.default.deadline is None


# ------------------------------------------------------------------ reading others' files


def test_read_refuses_units_outside_groups() -> None:
    with pytest.raises(InputError, match=r"^x\.xlf:4: unit '1' is outside any group"):
        read_xliff((XLIFF20 / "golden" / "2020-10-12.xlf").read_bytes(), "x.xlf")


def test_read_refuses_xliff_1_2() -> None:
    with pytest.raises(InputError, match=r"^x\.xlf:[0-9]+: not XLIFF 2\.0"):
        read_xliff((XLIFF20 / "golden" / "sampe_sch.xliff").read_bytes(), "x.xlf")


def test_read_refuses_inline_codes() -> None:
    data = _mutate("<source>Thank you.</source>", '<source>Thank <ph id="1"/>you.</source>')
    with pytest.raises(InputError, match=r"unit 's4': inline codes are not supported"):
        read_xliff(data, "x.xlf")
