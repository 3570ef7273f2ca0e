"""The bundle writers that write text give the bytes the tree writers gave: same release, same bytes or same error.

Bundle XML, XLIFF, TMX and the two HTML pages are written as markup from
escaped values (``xml_safe.escape_text``/``escape_attribute``) instead of
lxml trees built an element at a time. ``tree_writers`` keeps the tree
writers as they were; every release (or TMX unit) hypothesis makes, with
every character XML can hold and many it cannot, must give both the same
bytes, or both the same error. The escaping itself is held to what lxml
writes for any text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from pathlib import Path

import pytest
import tree_writers as old
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from paths import DATA
from test_bundle_xml import NASTY, SAMPLE, metas, non_empty, releases

from pipeline.errors import PipelineError
from pipeline.export import release_tmx
from pipeline.formats import bundle_html, tmx_inline
from pipeline.formats.bundle_html import format_bilingual_html, format_publish_html
from pipeline.formats.bundle_xml import format_bundle_xml
from pipeline.formats.tmx import TmxExport, TranslationUnit, Variant, _Writer, read_tmx
from pipeline.formats.xliff import format_xliff
from pipeline.formats.xml_safe import NOT_XML, escape_attribute, escape_text
from pipeline.model import (
    AlignedParagraph,
    AlignedSegment,
    BilingualRelease,
    ReleaseMeta,
)

SETTINGS = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DATE = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.timezone.utc)

# Every character XML 1.0 can hold, and the ones it cannot (C0 controls, U+FFFE/U+FFFF, lone surrogates).
_xml_char = st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff").filter(
    lambda c: not NOT_XML.match(c))
_any_char = st.one_of(_xml_char, st.sampled_from("\x00\x01\x07\x0b\x0c\x1b\x1f\x7f\ufffe\uffff\ud800\udfff"))
xml_strings = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_xml_char, max_size=8)), max_size=5).map("".join)
any_strings = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_any_char, max_size=8)), max_size=5).map("".join)
# What a page writes as it is: no character HTML cannot hold (``bundle_html._NOT_HTML`` drops U+007F too).
html_strings = xml_strings.map(lambda text: bundle_html._clean(text))


def outcome(write: t.Callable[[], bytes | str | tuple[bytes, TmxExport]]) -> object:
    """What a writer gives: its bytes, or its error's type and message (an error must be the same error)."""
    try:
        written = write()
    except (PipelineError, ValueError) as exc:
        event(f"refused: {type(exc).__name__}")
        return type(exc), str(exc)
    event("written")
    return written


# ------------------------------------------------------------------ escaping


@SETTINGS
@given(xml_strings)
def test_escape_text_is_what_lxml_writes(text: str) -> None:
    element = etree.Element("a")
    element.text = text
    assert etree.tostring(element, encoding="unicode") == (f"<a>{escape_text(text)}</a>" if text else "<a></a>")


@SETTINGS
@given(xml_strings)
def test_escape_attribute_is_what_lxml_writes(value: str) -> None:
    assert etree.tostring(etree.Element("a", b=value), encoding="unicode") == f'<a b="{escape_attribute(value)}"/>'


@SETTINGS
@given(xml_strings, xml_strings)
def test_escaped_values_read_back_unchanged(text: str, value: str) -> None:
    element = etree.fromstring(f'<a b="{escape_attribute(value)}">{escape_text(text)}</a>')
    assert ((element.text or ""), element.get("b")) == (text, value)


# ------------------------------------------------------------------ releases


def with_text(strings: st.SearchStrategy[str], ids: st.SearchStrategy[str] = non_empty,
              min_paragraphs: int = 0) -> st.SearchStrategy[BilingualRelease]:  # fmt: skip
    """Releases whose every text comes from ``strings`` (``releases`` with its texts replaced)."""

    @st.composite
    def build(draw: st.DrawFn) -> BilingualRelease:
        release = draw(releases(ids=ids, min_paragraphs=min_paragraphs))
        text = lambda: draw(strings)

        def segment(s: AlignedSegment) -> AlignedSegment:
            terms = tuple((text() or "t", text()) for _ in s.terms)
            return dataclasses.replace(s, source=text(), target=text(), came_from=text(), terms=terms)

        meta = ReleaseMeta(title=text(), date=release.meta.date, url=text(), department=text(),
                           language=release.meta.language, extra=tuple((text(), text()) for _ in release.meta.extra))
        paragraphs = tuple(AlignedParagraph(p.kind, tuple(segment(s) for s in p.segments)) for p in release.paragraphs)
        return dataclasses.replace(release, meta=meta, paragraphs=paragraphs)

    return build()


# Releases as the pages meet them: http(s) URLs that are links, dates in every form, fuzzy and untranslated segments.
urls = st.one_of(xml_strings, st.sampled_from(["https://www.info.gov.hk/gia/general/202401/31/P1.htm?a=1&b=2",
                                               "http://example.org/公告", "https://x.org/a b", "javascript:alert(1)",
                                               "https://x.org/\x07", ""]))  # fmt: skip
dates = st.one_of(st.sampled_from(["", "2026-01-22", "2026-01-22T17:02", "2026-01-22T09:02+00:00", "2026-13-45",
                                   "not a date", " 2026-01-22 "]), metas.map(lambda m: m.date))  # fmt: skip


@st.composite
def page_releases(draw: st.DrawFn, strings: st.SearchStrategy[str] = xml_strings) -> BilingualRelease:
    release = draw(with_text(strings))
    meta = dataclasses.replace(release.meta, url=draw(urls), date=draw(dates))
    target = draw(st.sampled_from(["zh-Hant-HK", "zh-Hans-CN", "en", "fr", "ja"]))
    kinds = st.sampled_from(["title", "caption", "body", "trailer"])
    paragraphs = tuple(dataclasses.replace(p, kind=draw(kinds)) for p in release.paragraphs)
    return dataclasses.replace(release, meta=meta, target_language=target, locale=target.replace("-", "_"),
                               paragraphs=paragraphs)


# Half of them writable, half with a character XML cannot hold somewhere (refused, naming where).
xml_releases = st.one_of(with_text(xml_strings), with_text(any_strings))
# XLIFF ids are NMTOKENs: ids that stay apart once sanitized, besides any text.
names = st.from_regex(r"[A-Za-oq-z_][A-Za-z0-9._:-]{0,12}", fullmatch=True)
xliff_releases = st.one_of(with_text(xml_strings, names, 1), with_text(xml_strings, names), with_text(any_strings))


@SETTINGS
@given(xml_releases)
def test_bundle_xml_as_the_tree_writer(release: BilingualRelease) -> None:
    assert outcome(lambda: format_bundle_xml(release, tool_version="0.1.0")) == \
        outcome(lambda: old.format_bundle_xml(release, tool_version="0.1.0"))  # fmt: skip


@SETTINGS
@given(xliff_releases)
def test_xliff_as_the_tree_writer(release: BilingualRelease) -> None:
    assert outcome(lambda: format_xliff(release)) == outcome(lambda: old.format_xliff(release))


@SETTINGS
@given(page_releases(any_strings), st.text(_any_char, max_size=6))
def test_bilingual_page_as_the_tree_writer(release: BilingualRelease, version: str) -> None:
    assert outcome(lambda: format_bilingual_html(release, tool_version=version)) == \
        outcome(lambda: old.format_bilingual_html(release, tool_version=version))  # fmt: skip


@SETTINGS
@given(page_releases(any_strings), st.booleans())
def test_publish_page_as_the_tree_writer(release: BilingualRelease, allow: bool) -> None:
    assert outcome(lambda: format_publish_html(release, allow_incomplete=allow)) == \
        outcome(lambda: old.format_publish_html(release, allow_incomplete=allow))  # fmt: skip


def scrubbed(value: t.Any) -> t.Any:
    """``value`` with every character HTML cannot hold dropped from each of its strings, however deep."""
    if isinstance(value, str):
        return bundle_html._clean(value)
    if isinstance(value, tuple):
        return tuple(scrubbed(item) for item in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: scrubbed(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value


@SETTINGS
@given(page_releases(html_strings))
def test_pages_without_characters_to_drop_as_the_tree_writer(release: BilingualRelease) -> None:
    """The way most pages go: nothing to drop, so nothing is looked at."""
    release = scrubbed(release)
    assert not bundle_html._unwritable(release, "0.1.0")
    assert format_bilingual_html(release, tool_version="0.1.0") == \
        old.format_bilingual_html(release, tool_version="0.1.0")  # fmt: skip
    assert outcome(lambda: format_publish_html(release, allow_incomplete=True)) == \
        outcome(lambda: old.format_publish_html(release, allow_incomplete=True))  # fmt: skip


@SETTINGS
@given(xml_releases)
def test_release_tmx_as_the_tree_writer(release: BilingualRelease) -> None:
    units = [TranslationUnit(Variant(release.source_language, s.source), (Variant(release.target_language, s.target),),
                             tuid=s.id, origin=s.origin) for s in release.segments if s.publishable]  # fmt: skip
    reference = outcome(lambda: old.format_tmx(units, source_locale=release.source_language,
                                               target_locale=release.target_language, tool_version="0.1.0",
                                               creation_date=DATE))  # fmt: skip
    written = outcome(lambda: _Writer(release.source_language, release.target_language)
                      .document(units, "Duet", "0.1.0", DATE))  # fmt: skip
    assert written == reference
    if isinstance(reference, tuple) and isinstance(reference[0], bytes):
        assert release_tmx(dataclasses.replace(release, meta=dataclasses.replace(release.meta, date="2024-03-01T16:30")),
                           tool_version="0.1.0") == reference[0]  # fmt: skip


def test_the_sample_release_as_the_tree_writers() -> None:
    assert format_bundle_xml(SAMPLE, tool_version="0.1.0") == old.format_bundle_xml(SAMPLE, tool_version="0.1.0")
    assert format_xliff(SAMPLE) == old.format_xliff(SAMPLE)
    assert format_bilingual_html(SAMPLE, tool_version="0.1.0") == old.format_bilingual_html(SAMPLE, tool_version="0.1.0")
    assert format_publish_html(SAMPLE, allow_incomplete=True) == old.format_publish_html(SAMPLE, allow_incomplete=True)


# ------------------------------------------------------------------ TMX units of every shape


def units_of(path: Path, source: str, target: str) -> list[TranslationUnit]:
    return list(read_tmx(path, source_locale=source, target_locales=(target,)).units)


CODES = st.sampled_from(['<bpt i="1" x="1">&lt;b&gt;</bpt>', '<ept i="1">&lt;/b&gt;</ept>', '<ph x="2">&lt;br/&gt;</ph>',
                         '<it pos="begin" x="3">&lt;i&gt;</it>', '<it pos="end">&lt;/i&gt;</it>', "<ut>{\\b}</ut>",
                         '<ph><sub datatype="html">alt &amp; text</sub></ph>', '<hi type="x">'])  # fmt: skip


@st.composite
def coded_variants(draw: st.DrawFn, locale: str) -> Variant:
    """A ``<seg>`` of text and inline codes as TMX files write them, read the way ``read_tmx`` reads it."""
    pieces = draw(st.lists(st.one_of(xml_strings.map(escape_text), CODES), max_size=6))
    markup = "".join(pieces)
    markup += "</hi>" * (markup.count("<hi ") - markup.count("</hi>"))
    text, codes = tmx_inline.read_seg(etree.fromstring(f"<seg>{markup}</seg>"))
    return Variant(locale, text, codes)


optional = st.one_of(st.none(), any_strings)


@st.composite
def tmx_units(draw: st.DrawFn) -> TranslationUnit:
    variant = st.one_of(any_strings.map(lambda s: ("", s, ())), coded_variants("").map(lambda v: ("", v.text, v.codes)))
    (_, source, source_codes), (_, target, target_codes) = draw(variant), draw(variant)
    if draw(st.booleans()):  # codes that do not nest, or are not TMX
        target_codes = draw(st.sampled_from([(("{1}", "<bpt i='1'>"),), (("{1}", "<img/>"),), (("{1}", "</hi>"),)]))
        target += "{1}"
    return TranslationUnit(
        Variant("en", source, source_codes), (Variant("zh-Hant-HK", target, target_codes),),
        tuid=draw(optional), creation_date=draw(optional), creation_id=draw(optional), change_date=draw(optional),
        change_id=draw(optional), usage_count=draw(st.integers(0, 10**9)), last_usage_date=draw(optional),
        origin=draw(optional), props=tuple(draw(st.lists(st.tuples(any_strings, any_strings), max_size=2))),
        notes=tuple(draw(st.lists(any_strings, max_size=2))),
    )  # fmt: skip


@SETTINGS
@given(st.lists(tmx_units(), max_size=4), st.one_of(st.none(), st.just(DATE)))
def test_tmx_units_as_the_tree_writer(units: list[TranslationUnit], date: dt.datetime | None) -> None:
    assert outcome(lambda: _Writer("en", "zh_Hant_HK").document(units, "Duet", "0.1.0", date)) == \
        outcome(lambda: old.format_tmx(units, source_locale="en", target_locale="zh_Hant_HK", tool_version="0.1.0",
                                       creation_date=date))  # fmt: skip


@pytest.mark.parametrize("path", sorted((DATA / "tmx").rglob("*.tmx")), ids=lambda p: p.name)
def test_tmx_files_in_the_wild_as_the_tree_writer(path: Path) -> None:
    """Every unit the test files hold (inline codes of every kind, notes, props, dates) written both ways."""
    for source, target in (("en", "zh_Hant_HK"), ("en_US", "fr_CA"), ("en_US", "fr_FR"), ("en_US", "ja_JP")):
        units = units_of(path, source, target)
        if units:
            assert _Writer(source, target).document(units, "Duet", "0.1.0", DATE) == \
                old.format_tmx(units, source_locale=source, target_locale=target, tool_version="0.1.0",
                               creation_date=DATE)  # fmt: skip


# ------------------------------------------------------------------ what the pages skip


def _string_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.type in ("str", str)]


RELEASE = BilingualRelease("r1", ReleaseMeta("T", "2026-01-22", "https://x.org/", "D", "en", (("k", "v"),)), "en",
                           "zh-Hant-HK", "zh_Hant_HK",
                           (AlignedParagraph("body", (AlignedSegment("s1", "A.", "甲。", "fuzzy", "tm-fuzzy", 80.0,
                                                                     (("A", "甲"),), "m.tmx"),)),))  # fmt: skip


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x7f", "\ufffe", "\ud800"])
def test_a_character_to_drop_in_any_text_of_a_release_is_seen(bad: str) -> None:
    """``_unwritable`` looks at every string of the model: a field added later is looked at, or this fails."""
    assert not bundle_html._unwritable(RELEASE)
    segment, paragraph = RELEASE.paragraphs[0].segments[0], RELEASE.paragraphs[0]
    changed = [dataclasses.replace(RELEASE, **{name: getattr(RELEASE, name) + bad})
               for name in _string_fields(BilingualRelease)]  # fmt: skip
    changed += [dataclasses.replace(RELEASE, meta=dataclasses.replace(RELEASE.meta, **{name: "x" + bad}))
                for name in _string_fields(ReleaseMeta)]  # fmt: skip
    changed += [dataclasses.replace(RELEASE, meta=dataclasses.replace(RELEASE.meta, extra=(("k" + bad, "v"),))),
                dataclasses.replace(RELEASE, meta=dataclasses.replace(RELEASE.meta, extra=(("k", "v" + bad),)))]
    seg = [dataclasses.replace(segment, **{name: getattr(segment, name) + bad}) for name in _string_fields(AlignedSegment)]
    seg += [dataclasses.replace(segment, terms=(("A" + bad, "甲"),)), dataclasses.replace(segment, terms=(("A", "甲" + bad),))]
    changed += [dataclasses.replace(RELEASE, paragraphs=(dataclasses.replace(paragraph, segments=(s,)),)) for s in seg]
    changed += [dataclasses.replace(RELEASE, paragraphs=(dataclasses.replace(paragraph, kind="body" + bad),))]
    fields = {f.name for cls in (BilingualRelease, ReleaseMeta, AlignedSegment, AlignedParagraph)
              for f in dataclasses.fields(cls)}  # fmt: skip
    assert fields == {"id", "meta", "source_language", "target_language", "locale", "paragraphs", "title", "date",
                      "url", "department", "language", "extra", "source", "target", "status", "origin", "score",
                      "terms", "came_from", "starts_line", "kind", "segments"}, "a new field: let _unwritable see it"
    for release in changed:
        assert bundle_html._unwritable(release)
    assert bundle_html._unwritable(RELEASE, "0.1" + bad)


def test_a_value_that_is_not_a_string_takes_the_careful_way() -> None:
    odd = dataclasses.replace(RELEASE, meta=dataclasses.replace(RELEASE.meta, department=None))  # type: ignore[arg-type]
    assert bundle_html._unwritable(odd)
